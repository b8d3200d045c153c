import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './webhook-sender.ts';
import { newWebhookSecret, verifyWebhookSignature } from './webhook-signature.ts';

// A real receiver on loopback: /slow never answers, everything else answers 200.
const hits: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let server: http.Server;
let port: number;
before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url !== '/slow') res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => { server.closeAllConnections(); server.close(); });

const secret = newWebhookSecret();
const send = (url: string, allowLoopback = true) =>
  sendWebhook({ url, secret, id: 'delivery-1', body: '{"type":"check.failed"}', eventType: 'check.failed', allowLoopback, userAgent: 'test' });

test('a signed POST reaches the receiver with the Standard Webhooks headers', async () => {
  const outcome = await send(`http://127.0.0.1:${port}/ok`);
  assert.equal(outcome.kind, 'delivered');
  const hit = hits.find((h) => h.path === '/ok')!;
  assert.equal(hit.headers['content-type'], 'application/json');
  assert.equal(hit.headers['webhook-id'], 'delivery-1');
  assert.equal(verifyWebhookSignature(secret, hit.headers as Record<string, string>, hit.body).ok, true);
});

test('a name that resolves to loopback is refused at connect time without the development flag, and nothing is sent', async () => {
  const before = hits.length;
  const outcome = await send(`http://localhost:${port}/via-dns`, false);
  assert.equal(outcome.kind, 'permanent');
  assert.match(outcome.kind === 'permanent' ? outcome.error : '', /refused: localhost resolves to .*private or reserved/);
  assert.equal(hits.length, before, 'the receiver saw no request');
});

test('a private IP literal is refused before any socket is opened', async () => {
  const outcome = await send('http://10.0.0.1/hook', true);
  assert.deepEqual(outcome, { kind: 'permanent', status: null, body: null, error: 'refused: 10.0.0.1 is a private or reserved address', durationMs: 0 });
});

test('a receiver that never answers is cut off by the 10 s deadline and the attempt is retryable', { timeout: 30_000 }, async () => {
  const outcome = await send(`http://127.0.0.1:${port}/slow`);
  assert.equal(outcome.kind, 'retry');
  assert.match(outcome.kind === 'retry' ? outcome.error : '', /timed out after 10 s/);
  assert.ok(hits.some((h) => h.path === '/slow'), 'the request did reach the receiver');
});
