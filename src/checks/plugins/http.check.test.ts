import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { CheckOutcome } from './check-plugin.ts';
import { httpCheck } from './http.check.ts';
import { runCheck } from './run-check.ts';
import { selfSignedCertificate, startHttpsServer } from './tls-fixture.ts';

const tenDays = selfSignedCertificate(10);
const servers: { url: string; close(): Promise<void> }[] = [];
let hardened: string;
let bare: string;
let tls12: string;

before(async () => {
  const body = JSON.stringify({ status: 'ok', version: '1.4.2', checks: [{ name: 'db', ok: true }], latencyMs: 12 });
  const a = await startHttpsServer(tenDays, (req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-seen-authorization': String(req.headers.authorization ?? ''),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  const b = await startHttpsServer(tenDays, (_req, res) => { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not here'); });
  const c = await startHttpsServer({ ...tenDays, maxVersion: 'TLSv1.2' }, (_req, res) => { res.end('{}'); });
  servers.push(a, b, c);
  [hardened, bare, tls12] = [a.url, b.url, c.url];
});
after(async () => { await Promise.all(servers.map((s) => s.close())); });

const run = (config: Record<string, unknown>, opts: { now?: Date; timeoutMs?: number } = {}) =>
  runCheck(httpCheck, config, { timeoutMs: opts.timeoutMs ?? 10_000, ...(opts.now ? { now: () => opts.now! } : {}) });
const assertion = (o: CheckOutcome, name: string) => {
  const a = o.assertions.find((x) => x.name === name);
  assert.ok(a, `no assertion named ${name} in ${JSON.stringify(o.assertions)}`);
  return a;
};

test('a hardened HTTPS endpoint passes status, TLS 1.3, expiry, HSTS, security headers and JSON assertions', async () => {
  const o = await run({
    url: `${hardened}/health`, caPem: tenDays.cert, minTlsVersion: 'TLSv1.3', certMinDaysLeft: 5, hstsMinMaxAgeSeconds: 15552000,
    securityHeaders: true, requireHeaders: [{ name: 'Content-Type', matches: '^application/json' }],
    json: [
      { pointer: '/status', op: 'equals', value: 'ok' },
      { pointer: '/checks/0/ok', op: 'equals', value: true },
      { pointer: '/version', op: 'matches', pattern: '^1\\.\\d+\\.\\d+$' },
      { pointer: '/latencyMs', op: 'lte', value: 100 },
      { pointer: '/checks/0/name', op: 'exists' },
      { pointer: '/error', op: 'absent' },
    ],
  });
  assert.equal(o.status, 'pass', o.summary);
  assert.equal(o.assertions.length, 15);
  assert.equal(assertion(o, 'TLS version').actual, 'TLSv1.3');
  assert.match(assertion(o, 'certificate days left').actual, /^(9\.\d|10\.0) \(notAfter \d{4}-/);
  assert.equal(assertion(o, 'framing protection').actual, "CSP frame-ancestors 'none'");
  assert.match(o.output, /^TLS TLSv1\.3; certificate attest-test issued by attest-test, notAfter .*; trusted: yes/);
  assert.match(o.output, /"latencyMs":12/);
  assert.ok(o.observedAt instanceof Date && o.durationMs >= 0);
});

test('a certificate closer to expiry than the threshold fails and reports notAfter and days left', async () => {
  const eightDaysOn = new Date(Date.now() + 8 * 86_400_000);
  const o = await run({ url: hardened, allowSelfSigned: true, certMinDaysLeft: 5 }, { now: eightDaysOn });
  assert.equal(o.status, 'fail');
  const a = assertion(o, 'certificate days left');
  assert.equal(a.passed, false);
  assert.match(a.actual, /^[12]\.\d \(notAfter /);
  assert.match(o.summary, /certificate days left expected ≥ 5, got [12]\.\d/);
  assert.equal(o.observedAt.getTime(), eightDaysOn.getTime());
});

test('missing headers, a wrong status and a JSON body that is not JSON each fail with what was seen', async () => {
  const o = await run({ url: bare, allowSelfSigned: true, hstsMinMaxAgeSeconds: 1, securityHeaders: true, json: [{ pointer: '/status', op: 'exists' }] });
  assert.equal(o.status, 'fail');
  assert.deepEqual(o.assertions.filter((a) => !a.passed).map((a) => `${a.name}=${a.actual}`), [
    'status=404', 'HSTS max-age=no Strict-Transport-Security header', 'Content-Security-Policy=missing',
    'X-Content-Type-Options=missing', 'framing protection=missing', 'Referrer-Policy=missing', 'JSON /status=body is not JSON',
  ]);
  assert.match(o.output, /HTTP 404 Not Found[\s\S]*not here/);
  const ok = await run({ url: bare, allowSelfSigned: true, expectStatus: [200, 404] });
  assert.equal(ok.status, 'pass');
});

test('JSON assertions that do not hold fail one by one', async () => {
  const o = await run({
    url: hardened, allowSelfSigned: true, json: [
      { pointer: '/status', op: 'equals', value: 'degraded' },
      { pointer: '/latencyMs', op: 'gte', value: 50 },
      { pointer: '/checks/1/ok', op: 'exists' },
      { pointer: '/version', op: 'matches', pattern: '^2\\.' },
      { pointer: '/status', op: 'absent' },
    ],
  });
  assert.equal(o.status, 'fail');
  assert.deepEqual(o.assertions.map((a) => a.passed), [true, false, false, false, false, false]);
  assert.deepEqual(o.assertions.slice(1).map((a) => a.actual), ['ok', '12', '(missing)', '1.4.2', 'ok']);
});

test('a TLS 1.2-only server fails a TLS 1.3 minimum and passes a TLS 1.2 one', async () => {
  const strict = await run({ url: tls12, allowSelfSigned: true, minTlsVersion: 'TLSv1.3' });
  assert.equal(strict.status, 'fail');
  assert.deepEqual(assertion(strict, 'TLS version'), { name: 'TLS version', expected: '≥ TLSv1.3', actual: 'TLSv1.2', passed: false });
  const lenient = await run({ url: tls12, allowSelfSigned: true, minTlsVersion: 'TLSv1.2' });
  assert.equal(lenient.status, 'pass', lenient.summary);
});

test('an untrusted self-signed certificate is an error unless allowed or its CA is given', async () => {
  const o = await run({ url: hardened });
  assert.equal(o.status, 'error');
  assert.match(o.summary, /self[- ]signed/i);
  assert.equal((await run({ url: hardened, caPem: tenDays.cert })).status, 'pass');
  const other = selfSignedCertificate(30);
  assert.equal((await run({ url: hardened, caPem: other.cert })).status, 'error');
});

test('connection refused and a server that never answers are errors, not failures', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
  const refused = await run({ url: `https://127.0.0.1:${port}/` });
  assert.equal(refused.status, 'error');
  assert.match(refused.summary, /ECONNREFUSED/);

  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => { sockets.push(s); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const o = await run({ url: `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}/` }, { timeoutMs: 300 });
    assert.equal(o.status, 'error');
    assert.match(o.summary, /Timed out after 300 ms/);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('secret request headers are sent but never appear in the outcome', async () => {
  const secret = 'Bearer s3cr3t-token-value';
  const o = await run({ url: hardened, allowSelfSigned: true, secretHeaders: { Authorization: secret }, requireHeaders: [{ name: 'x-seen-authorization', matches: '^Bearer ' }] });
  assert.equal(o.status, 'pass', o.summary);
  assert.ok(!JSON.stringify(o).includes('s3cr3t'), 'the secret leaked into the outcome');
  assert.match(o.output, /x-seen-authorization: \[redacted\]/);
});

test('a bad config is an error outcome naming the field', async () => {
  const o = await run({ url: 'ftp://example.test/', json: [{ pointer: 'status', op: 'exists' }] });
  assert.equal(o.status, 'error');
  assert.match(o.summary, /url: Enter an http:\/\/ or https:\/\/ URL\..*json\.0\.pointer: Enter an RFC 6901/);
});
