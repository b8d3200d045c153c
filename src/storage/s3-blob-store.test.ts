// The S3 store against s3rver, a real S3-compatible server (Koa, files on disk) started in this
// process on 127.0.0.1 with a temporary directory. s3rver implements neither
// AbortMultipartUpload nor ListMultipartUploads, so "nothing left" here means no object in the
// bucket (no temporary key, no blob); parts of an aborted multipart upload stay in s3rver's own
// directory (on AWS S3 the store's abort, plus a lifecycle rule as a backstop, removes them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { blobStoreContract, generated, type StoreFixture } from './blob-store.contract.ts';
import { createS3BlobStore } from './s3-blob-store.ts';

type S3rverServer = { run(): Promise<{ address: string; port: number }>; close(): Promise<void> };
type S3rverOptions = { address: string; port: number; silent: boolean; directory: string; configureBuckets: { name: string }[] };
const S3rver = createRequire(import.meta.url)('s3rver') as new (opts: S3rverOptions) => S3rverServer;

const bucket = 'attest-evidence';
const PART = 5 * 1024 * 1024;
const directory = mkdtempSync(path.join(os.tmpdir(), 'attest-s3rver-'));
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
let store: ReturnType<typeof createS3BlobStore>;

async function keys(prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    out.push(...(page.Contents ?? []).map((o) => o.Key!.slice(prefix.length)));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out.sort();
}

const fixture: StoreFixture = {
  get store() { return store; },
  temporary: () => keys('tmp/'),
  stored: () => keys('blobs/'),
  identity: async (sha256) => {
    const head = await store.client.send(new HeadObjectCommand({ Bucket: bucket, Key: `blobs/${sha256}` }));
    return `${head.LastModified?.toISOString()}:${head.ETag}:${head.ContentLength}`;
  },
  rewriteVisibleAfterMs: 1100,
  multipartFromBytes: PART,
};

before(async () => {
  const { port } = await server.run();
  store = createS3BlobStore({
    endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, partSizeBytes: PART,
  });
});
after(async () => {
  store.client.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

blobStoreContract(() => fixture);

test('objects live at blobs/<sha256> with the sniffed content type', async () => {
  const blob = await store.put(Readable.from([Buffer.from('%PDF-1.4\n%%EOF\n')]), { maxBytes: 1024 });
  const head = await store.client.send(new HeadObjectCommand({ Bucket: bucket, Key: `blobs/${blob.sha256}` }));
  assert.equal(head.ContentType, 'application/pdf');
  assert.equal(head.ContentLength, blob.size);
});

test('sweepTemporary removes temporary keys a crashed process left, and only old ones', async () => {
  await store.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'tmp/crashed', Body: 'half an upload' }));
  assert.equal(await store.sweepTemporary(60_000), 0, 'a fresh temporary key may belong to an upload in flight');
  assert.equal(await store.sweepTemporary(-1000), 1);
  assert.deepEqual(await keys('tmp/'), []);
});

test('a failed multipart upload is aborted and its temporary key deleted, never completed', async () => {
  const sent: string[] = [];
  const record = 'record-commands';
  store.client.middlewareStack.add((next, context) => async (args) => {
    sent.push(context.commandName ?? '?');
    return next(args);
  }, { step: 'initialize', name: record });
  try {
    const broken = generated(3 * PART, { failAtEnd: new Error('client went away') });
    await assert.rejects(store.put(broken.stream, { maxBytes: 10 * PART }), /client went away/);
  } finally {
    store.client.middlewareStack.remove(record);
  }
  assert.ok(sent.includes('UploadPartCommand'), sent.join());
  assert.ok(sent.includes('AbortMultipartUploadCommand'), sent.join());
  assert.ok(!sent.includes('CompleteMultipartUploadCommand'), sent.join());
  assert.equal(sent.at(-1), 'DeleteObjectCommand');
  assert.deepEqual(await keys('tmp/'), []);
});

test('a maxBytes above the CopyObject limit is refused before anything is sent', async () => {
  await assert.rejects(store.put(Readable.from([Buffer.from('x')]), { maxBytes: 6 * 1024 ** 3 }), RangeError);
});
