import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { blobStoreContract, type StoreFixture } from './blob-store.contract.ts';
import { createLocalBlobStore } from './local-blob-store.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'attest-blobs-'));
const store = createLocalBlobStore(dataDir);
const tmpDir = path.join(dataDir, 'blobs', 'tmp');

async function stored(): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(store.root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !path.relative(store.root, entry.parentPath).startsWith('tmp')) out.push(entry.name);
  }
  return out.sort();
}

const fixture: StoreFixture = {
  store,
  temporary: async () => (await fs.readdir(tmpDir).catch(() => [])).sort(),
  stored,
  identity: async (sha256) => {
    const st = await fs.stat(store.pathOf(sha256));
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  },
  rewriteVisibleAfterMs: 20,
  multipartFromBytes: 0,
};

before(() => fs.mkdir(dataDir, { recursive: true }));
after(() => rmSync(dataDir, { recursive: true, force: true }));

blobStoreContract(() => fixture);

test('layout: <dataDir>/blobs/<aa>/<bb>/<sha256>, read-only', async () => {
  const blob = await store.put(Readable.from([Buffer.from('layout check')]), { maxBytes: 1024 });
  const file = path.join(dataDir, 'blobs', blob.sha256.slice(0, 2), blob.sha256.slice(2, 4), blob.sha256);
  assert.equal(store.pathOf(blob.sha256), file);
  const st = await fs.stat(file);
  assert.equal(st.mode & 0o777, 0o444);
  assert.equal(st.nlink, 1, 'the temporary name is gone');
  assert.equal(await fs.readFile(file, 'utf8'), 'layout check');
  assert.equal(await store.delete(blob.sha256), true);
});

test('sweepTemporary removes what a crashed process left in tmp/, and only old files', async () => {
  await fs.mkdir(tmpDir, { recursive: true });
  const stale = path.join(tmpDir, 'crashed.part');
  const fresh = path.join(tmpDir, 'in-flight.part');
  await fs.writeFile(stale, 'half an upload');
  await fs.writeFile(fresh, 'still uploading');
  const hourAgo = new Date(Date.now() - 3_600_000);
  await fs.utimes(stale, hourAgo, hourAgo);
  assert.equal(await store.sweepTemporary(60_000), 1);
  assert.deepEqual(await fixture.temporary(), ['in-flight.part']);
  await fs.rm(fresh);
});
