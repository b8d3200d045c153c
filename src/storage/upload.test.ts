// receiveUpload over real HTTP on 127.0.0.1: a test-only route in this file, the same multipart
// registration and problem+json error handler as the API server, a local blob store in a temp dir.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { errorHandler } from '../http/problem.ts';
import { generated } from './blob-store.contract.ts';
import { createLocalBlobStore } from './local-blob-store.ts';
import { receiveUpload, registerMultipart } from './upload.ts';

const MB = 1024 * 1024;
const ROUTE_LIMIT = 4 * MB;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'attest-upload-'));
const blobs = createLocalBlobStore(dataDir);
const app = Fastify({ logger: false });
/** How each request to the route ended: 'stored' or the error's name. */
const outcomes: string[] = [];
let base = '';

before(async () => {
  app.setErrorHandler(errorHandler);
  // The instance-wide ceiling is higher than this route's own limit, which must win.
  await registerMultipart(app, 64 * MB);
  app.post('/upload', async (req, reply) => {
    try {
      const received = await receiveUpload(req, blobs, { maxBytes: ROUTE_LIMIT });
      outcomes.push('stored');
      return reply.code(201).send(received);
    } catch (e) {
      outcomes.push((e as Error).name);
      throw e;
    }
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as net.AddressInfo;
  base = `http://127.0.0.1:${address.port}`;
});
after(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const temporary = async () => fs.readdir(path.join(dataDir, 'blobs', 'tmp')).catch(() => [] as string[]);
async function storedBlobs(): Promise<string[]> {
  const entries = await fs.readdir(blobs.root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && !path.relative(blobs.root, e.parentPath).startsWith('tmp')).map((e) => e.name).sort();
}
async function waitFor(what: string, check: () => Promise<boolean>) {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`gave up waiting for ${what}`);
}

type FilePart = { field?: string; filename: string; type: string; content: Readable };

/** A multipart/form-data body produced as a stream: fields first, then at most one file. */
function multipartBody(fields: Record<string, string>, file: FilePart | null) {
  const boundary = `attest-${crypto.randomBytes(12).toString('hex')}`;
  async function* parts() {
    for (const [name, value] of Object.entries(fields)) {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    }
    if (file) {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`);
      yield* file.content;
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return { boundary, stream: Readable.from(parts()) };
}

async function post(body: ReturnType<typeof multipartBody>) {
  return fetch(`${base}/upload`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${body.boundary}` },
    body: Readable.toWeb(body.stream) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
}

test('a streamed upload is stored under its hash, with its fields and a sniffed type', async () => {
  const content = generated(3 * MB);
  const res = await post(multipartBody({ title: 'Firewall review', controlId: 'CC6.1' }, { filename: 'C:\\exports\\review.bin', type: 'image/png', content: content.stream }));
  assert.equal(res.status, 201);
  const body = await res.json();
  assert.equal(body.blob.sha256, content.sha256());
  assert.equal(body.blob.size, 3 * MB);
  assert.equal(body.blob.mediaType, 'application/octet-stream', 'the client-declared type is not trusted');
  assert.equal(body.declaredType, 'image/png');
  assert.equal(body.filename, 'review.bin');
  assert.deepEqual(body.fields, { title: 'Firewall review', controlId: 'CC6.1' });
  assert.equal((await blobs.stat(body.blob.sha256))?.size, 3 * MB);
  assert.deepEqual(await temporary(), []);
});

test('over the route limit: 413 problem+json, nothing stored', async () => {
  const before = await storedBlobs();
  const res = await post(multipartBody({}, { filename: 'big.bin', type: 'application/octet-stream', content: generated(ROUTE_LIMIT + 1).stream }));
  assert.equal(res.status, 413);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = await res.json();
  assert.equal(problem.code, 'payload_too_large');
  assert.match(problem.detail, /4 MB/);
  assert.deepEqual(await temporary(), []);
  assert.deepEqual(await storedBlobs(), before);
});

test('not multipart: 415 problem+json', async () => {
  for (const [type, payload] of [['application/json', '{"file":"x"}'], ['application/octet-stream', 'raw bytes']] as const) {
    const res = await fetch(`${base}/upload`, { method: 'POST', headers: { 'content-type': type }, body: payload });
    assert.equal(res.status, 415, type);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((await res.json()).code, 'unsupported_media_type');
  }
});

test('no file, an empty file input, or the file under another name: 400 naming the field', async () => {
  const before = await storedBlobs();
  const bodies = [
    multipartBody({ title: 'only fields' }, null),
    multipartBody({}, { filename: '', type: 'application/octet-stream', content: Readable.from([]) }),
    multipartBody({}, { field: 'attachment', filename: 'a.txt', type: 'text/plain', content: Readable.from([Buffer.from('hello')]) }),
  ];
  for (const body of bodies) {
    const res = await post(body);
    assert.equal(res.status, 400);
    const problem = await res.json();
    assert.equal(problem.code, 'invalid_input');
    assert.equal(problem.errors[0].path, 'file');
  }
  assert.deepEqual(await storedBlobs(), before);
});

test('malformed multipart: 400 problem+json, nothing stored', async () => {
  const before = await storedBlobs();
  const boundary = 'attest-malformed';
  const cases: [string, string][] = [
    ['multipart/form-data', '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc\r\n--x--\r\n'],
    [`multipart/form-data; boundary=${boundary}`, 'this is not a multipart body at all'],
    [`multipart/form-data; boundary=${boundary}`, `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n\r\nthe body ends before the closing boundary`],
    [`multipart/form-data; boundary=${boundary}`, `--${boundary}\r\nno headers end here`],
  ];
  for (const [type, payload] of cases) {
    const res = await fetch(`${base}/upload`, { method: 'POST', headers: { 'content-type': type }, body: payload });
    assert.equal(res.status, 400, `${type} / ${payload.slice(0, 40)}`);
    assert.equal((await res.json()).code, 'invalid_input');
  }
  assert.deepEqual(await temporary(), []);
  assert.deepEqual(await storedBlobs(), before);
});

test('a client that disconnects mid-upload leaves nothing behind', async () => {
  const before = await storedBlobs();
  const outcomesBefore = outcomes.length;
  const boundary = `attest-${crypto.randomBytes(12).toString('hex')}`;
  const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${3 * MB}\r\n\r\n`);
  socket.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  socket.write(crypto.randomBytes(MB));
  // The put has begun: its temporary file exists. Then the client goes away with half the body sent.
  await waitFor('the temporary file', async () => (await temporary()).length === 1);
  socket.destroy();
  await waitFor('the route to give up', async () => outcomes.length > outcomesBefore);
  assert.notEqual(outcomes.at(-1), 'stored');
  await waitFor('the temporary file to go', async () => (await temporary()).length === 0);
  assert.deepEqual(await storedBlobs(), before);
});
