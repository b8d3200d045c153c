import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/config.ts';
import { createBlobStore } from './create-blob-store.ts';

const s3Env = {
  ATTEST_STORAGE: 's3', ATTEST_S3_BUCKET: 'attest-evidence', ATTEST_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE', ATTEST_S3_SECRET_ACCESS_KEY: 'not-a-real-secret',
};

test('local storage and a 200 MiB upload limit by default', () => {
  const config = loadConfig({ ATTEST_DATA_DIR: path.join(os.tmpdir(), 'attest-config-check') });
  assert.deepEqual(config.storage, { kind: 'local' });
  assert.equal(config.uploadMaxBytes, 200 * 1024 * 1024);
  assert.equal(createBlobStore(config).kind, 'local');
});

test('s3 needs bucket and both keys, named in the error; nothing is defaulted', () => {
  assert.throws(() => loadConfig({ ATTEST_STORAGE: 's3' }), (e: unknown) =>
    e instanceof ConfigError && /ATTEST_S3_BUCKET/.test(e.message) && /ATTEST_S3_ACCESS_KEY_ID/.test(e.message) && /ATTEST_S3_SECRET_ACCESS_KEY/.test(e.message));
  assert.throws(() => loadConfig({ ...s3Env, ATTEST_S3_SECRET_ACCESS_KEY: '' }), ConfigError);
});

test('s3 settings: path style follows a custom endpoint unless set; bad values are refused', () => {
  const aws = loadConfig(s3Env).storage;
  assert.deepEqual(aws, { kind: 's3', endpoint: undefined, region: 'us-east-1', bucket: 'attest-evidence', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret', forcePathStyle: false });
  const custom = loadConfig({ ...s3Env, ATTEST_S3_ENDPOINT: 'http://127.0.0.1:9000', ATTEST_S3_REGION: 'garage' }).storage;
  assert.equal(custom.kind === 's3' && custom.forcePathStyle, true);
  const virtualHosted = loadConfig({ ...s3Env, ATTEST_S3_ENDPOINT: 'https://s3.example.com', ATTEST_S3_FORCE_PATH_STYLE: 'false' }).storage;
  assert.equal(virtualHosted.kind === 's3' && virtualHosted.forcePathStyle, false);
  assert.equal(createBlobStore({ dataDir: os.tmpdir(), storage: custom }).kind, 's3');
  for (const bad of [{ ATTEST_STORAGE: 'ftp' }, { ATTEST_S3_ENDPOINT: 'not a url' }, { ATTEST_S3_BUCKET: 'Bad_Bucket' }, { ATTEST_UPLOAD_MAX_MB: '6000' }, { ATTEST_UPLOAD_MAX_MB: '0' }]) {
    assert.throws(() => loadConfig({ ...s3Env, ...bad }), ConfigError, JSON.stringify(bad));
  }
});
