// Evidence uploads over real HTTP to the test server on 127.0.0.1: a large file streams in bounded
// memory, an interrupted or oversized upload leaves nothing behind, and S3 storage (s3rver, in
// this process) takes uploads and serves them back.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg } from '../../tests/support/factories.ts';

type Fixture = { t: TestApp; orgId: string; controlId: string; token: string };

async function fixture(t: TestApp): Promise<Fixture> {
  const { org, owner } = await newOrg(t, 'Uploads');
  const actor = { userId: owner.id, email: owner.email, ip: null };
  const control = await t.app.services.controls.create(org.id, {
    code: 'OPS-01', title: 'Backups', description: '', ownerUserId: null, frequency: 'monthly', nature: 'detective',
    automation: 'manual', lifecycle: 'operating', scope: [], requirements: [],
  }, actor);
  const { secret } = await t.app.services.tokens.create(org.id, { name: 'uploads', scope: 'write', expiresInDays: 1 }, { ...actor, role: 'owner' });
  return { t, orgId: org.id, controlId: control.id, token: secret };
}

/** A multipart body: text fields first, then `size` bytes of the file produced chunk by chunk by `chunk(i)`. */
function multipartBody(fields: Record<string, string>, size: number, chunk: (offset: number, length: number) => Buffer) {
  const boundary = `----attest${crypto.randomBytes(8).toString('hex')}`;
  const head = Buffer.from([
    ...Object.entries(fields).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  ].join(''));
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const hash = crypto.createHash('sha256');
  async function* body() {
    yield head;
    const step = 1024 * 1024;
    for (let offset = 0; offset < size; offset += step) {
      const c = chunk(offset, Math.min(step, size - offset));
      hash.update(c);
      yield c;
    }
    yield tail;
  }
  return { body, length: head.length + size + tail.length, contentType: `multipart/form-data; boundary=${boundary}`, sha256: () => hash.digest('hex'), head };
}

type Answer = { evidence: { id: string; size: number; sha256: string; ledgerIndex: number }; detail?: string };

/** POSTs a streamed body over a real socket and resolves with the status and parsed answer. */
function post(f: Fixture, body: ReturnType<typeof multipartBody>): Promise<{ status: number; json: Answer }> {
  const url = new URL(`/api/v1/orgs/${f.orgId}/evidence/files`, f.t.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${f.token}`, 'content-type': body.contentType, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, json: (text ? JSON.parse(text) : {}) as Answer }));
    });
    req.on('error', reject);
    // The server may answer (413) before the body is all sent; the response is what counts.
    pipeline(Readable.from(body.body()), req).catch(() => undefined);
  });
}

const blobFiles = (dataDir: string) => {
  const root = path.join(dataDir, 'blobs');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
};

async function nothingLeft(f: Fixture, dataDir: string, sizeBefore: number, filesBefore: string[]) {
  const list = await f.t.app.services.evidence.list(f.orgId, { limit: 10 });
  assert.equal(list.items.length, 0, 'no evidence row');
  assert.equal((await f.t.app.services.ledger.status(f.orgId)).treeSize, sizeBefore, 'no log entry');
  assert.deepEqual(blobFiles(dataDir), filesBefore, 'no new blob and no temporary file');
}

describe('local storage', { timeout: 600_000 }, () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ uploadMaxBytes: 400 * 1024 * 1024 }); });
  after(async () => { await t?.close(); });

  test('a 300 MB upload streams through: the memory it keeps alive stays a few MB, whatever the file size', async () => {
    const f = await fixture(t);
    const size = 300 * 1024 * 1024;
    const seed = crypto.randomBytes(1024 * 1024);
    // Distinct bytes per megabyte (a counter in the first bytes), produced as they are sent.
    const body = multipartBody({ title: 'Full database export', controlIds: f.controlId }, size, (offset, length) => {
      const c = Buffer.from(seed.subarray(0, length));
      c.writeUInt32BE(offset / (1024 * 1024), 0);
      return c;
    });
    // Garbage waits for V8's next collection (tens of MB of socket buffers may be dead but not yet
    // freed), so peak RSS mostly measures the collector's slack. What shows whether the server holds
    // the file is the live set: heap and buffers still reachable after a full collection.
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = () => { gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
    const rssBefore = process.memoryUsage().rss;
    const liveBefore = live();
    let rssPeak = rssBefore;
    let livePeak = liveBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      livePeak = Math.max(livePeak, live());
    }, 50);
    const res = await post(f, body).finally(() => clearInterval(sampler));
    assert.equal(res.status, 201, JSON.stringify(res.json));
    assert.equal(res.json.evidence.size, size);
    assert.equal(res.json.evidence.sha256, body.sha256());
    const mb = (bytes: number) => bytes / (1024 * 1024);
    // The test's own client is in this process too: its 1 MB chunks and socket buffers count here.
    assert.ok(mb(livePeak - liveBefore) < 32, `the live set grew by ${mb(livePeak - liveBefore).toFixed(1)} MB during the upload`);
    assert.ok(mb(rssPeak - rssBefore) < 150, `RSS grew by ${mb(rssPeak - rssBefore).toFixed(1)} MB during the upload`);
    assert.equal(typeof res.json.evidence.ledgerIndex, 'number');
  });

  test('24 uploads at once (two of them the same file) all land, each tied to its own log entry', async () => {
    const f = await fixture(t);
    const same = crypto.randomBytes(256 * 1024);
    const bodies = Array.from({ length: 24 }, (_, i) => multipartBody({ title: `Export ${i}`, controlIds: f.controlId }, 256 * 1024,
      () => (i < 2 ? same : crypto.randomBytes(256 * 1024))));
    const answers = await Promise.all(bodies.map((b) => post(f, b)));
    // Both copies of the same file are answered 201 or 200: whichever was recorded second is the duplicate.
    assert.deepEqual(answers.map((a) => a.status).sort(), [...Array(23).fill(201), 200].sort(), JSON.stringify(answers.map((a) => a.json.detail ?? '')));
    assert.equal(answers[0]!.json.evidence.id, answers[1]!.json.evidence.id, 'the same file is one evidence version');
    for (const [i, a] of answers.entries()) assert.equal(a.json.evidence.sha256, bodies[i]!.sha256());
    const indexes = new Set(answers.map((a) => a.json.evidence.ledgerIndex));
    assert.equal(indexes.size, 23);
    for (const a of answers) {
      const entry = await t.app.services.ledger.entry(f.orgId, a.json.evidence.ledgerIndex);
      assert.equal(entry.parsed!.record.evidenceId, a.json.evidence.id);
      assert.equal(entry.parsed!.record.sha256, a.json.evidence.sha256);
    }
    assert.equal((await t.app.services.ledger.status(f.orgId)).treeSize, 23);
    assert.equal((await t.app.services.ledger.audit(f.orgId)).ok, true);
  });

  test('an upload cut off halfway leaves no row, no log entry, no blob and no temporary file', async () => {
    const f = await fixture(t);
    const sizeBefore = (await t.app.services.ledger.status(f.orgId)).treeSize;
    const filesBefore = blobFiles(t.config.dataDir);
    const size = 8 * 1024 * 1024;
    const body = multipartBody({ title: 'Half a file', controlIds: f.controlId }, size, (_o, length) => crypto.randomBytes(length));
    const socket = net.connect(Number(new URL(t.baseUrl).port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write([
      `POST /api/v1/orgs/${f.orgId}/evidence/files HTTP/1.1`, 'host: 127.0.0.1', `authorization: Bearer ${f.token}`,
      `content-type: ${body.contentType}`, `content-length: ${body.length}`, '', '',
    ].join('\r\n'));
    let sent = 0;
    for await (const part of body.body()) {
      if (sent > body.length / 2) break;
      if (!socket.write(part)) await new Promise((r) => socket.once('drain', r));
      sent += part.length;
    }
    // Wait until the server has the bytes (a temporary file exists), then hang up.
    const tmpDir = path.join(t.config.dataDir, 'blobs', 'tmp');
    for (let i = 0; i < 200 && !(existsSync(tmpDir) && readdirSync(tmpDir).length > 0); i++) await sleep(25);
    assert.ok(readdirSync(tmpDir).length > 0, 'the server was receiving the upload');
    socket.destroy();
    for (let i = 0; i < 200 && readdirSync(tmpDir).length > 0; i++) await sleep(25);
    await nothingLeft(f, t.config.dataDir, sizeBefore, filesBefore);
  });
});

describe('size limit', { timeout: 120_000 }, () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ uploadMaxBytes: 1024 * 1024 }); });
  after(async () => { await t?.close(); });

  test('a file past ATTEST_UPLOAD_MAX_MB is answered 413 and leaves nothing', async () => {
    const f = await fixture(t);
    const sizeBefore = (await t.app.services.ledger.status(f.orgId)).treeSize;
    const filesBefore = blobFiles(t.config.dataDir);
    const body = multipartBody({ title: 'Too big', controlIds: f.controlId }, 3 * 1024 * 1024, (_o, length) => crypto.randomBytes(length));
    const res = await post(f, body);
    assert.equal(res.status, 413, JSON.stringify(res.json));
    assert.match(String(res.json.detail), /1 MB|1048576/);
    await sleep(100);
    await nothingLeft(f, t.config.dataDir, sizeBefore, filesBefore);
    const fits = multipartBody({ title: 'Fits', controlIds: f.controlId }, 1024 * 1024, (_o, length) => crypto.randomBytes(length));
    assert.equal((await post(f, fits)).status, 201, 'exactly the limit is accepted');
  });
});

describe('S3 storage (s3rver in this process)', { timeout: 120_000 }, () => {
  type S3rverServer = { run(): Promise<{ address: string; port: number }>; close(): Promise<void> };
  const S3rver = createRequire(import.meta.url)('s3rver') as new (opts: object) => S3rverServer;
  const bucket = 'attest-evidence';
  const directory = mkdtempSync(path.join(os.tmpdir(), 'attest-s3rver-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  let t: TestApp;
  before(async () => {
    const { port } = await s3.run();
    t = await startTestApp({ storage: { kind: 's3', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true } });
  });
  after(async () => {
    await t?.close();
    await s3.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('an upload lands in the bucket by hash and downloads back byte for byte', async () => {
    const f = await fixture(t);
    const data = crypto.randomBytes(6 * 1024 * 1024 + 123);
    const body = multipartBody({ title: 'Bucket export', controlIds: f.controlId }, data.length, (offset, length) => data.subarray(offset, offset + length));
    const res = await post(f, body);
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const ev = res.json.evidence;
    assert.equal(ev.sha256, crypto.createHash('sha256').update(data).digest('hex'));
    const files = readdirSync(directory, { recursive: true }).map(String);
    assert.ok(files.some((p) => p.includes(`blobs/${ev.sha256}`)), `object blobs/${ev.sha256} in the bucket: ${files.join(', ')}`);
    const got = await fetch(new URL(`/api/v1/orgs/${f.orgId}/evidence/${ev.id}/file`, t.baseUrl), { headers: { authorization: `Bearer ${f.token}` } });
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), data);
    const v = await t.app.services.evidenceVerifier.verifyItem(f.orgId, ev.id);
    assert.equal(v.fileIntact, true);
  });
});
