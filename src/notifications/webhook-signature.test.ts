import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from './webhook-signature.ts';
import { assertWebhookUrl, isAllowedAddress, resolveWebhookTarget } from './webhook-target.ts';

test('signatures reproduce the Standard Webhooks published test vector, so receivers can use its libraries', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = '{"test": 2432232314}';
  assert.equal(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  const headers = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,bm9wZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };
  assert.deepEqual(verifyWebhookSignature(secret, headers, body, 300, 1614265330_000), { ok: true, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330 });
});

test('verification fails for a tampered body, a wrong secret, an old timestamp and missing headers', () => {
  const secret = newWebhookSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  const now = Date.now();
  const ts = Math.floor(now / 1000);
  const body = JSON.stringify({ id: 'e1', type: 'control.failing' });
  const headers = { 'Webhook-Id': 'd1', 'Webhook-Timestamp': String(ts), 'Webhook-Signature': signWebhook(secret, 'd1', ts, body) };
  assert.equal(verifyWebhookSignature(secret, headers, body).ok, true, 'header names are case-insensitive');
  assert.equal(verifyWebhookSignature(secret, new Headers(headers), Buffer.from(body)).ok, true, 'a Headers object and raw bytes work too');
  assert.deepEqual(verifyWebhookSignature(secret, headers, body.replace('failing', 'passing')), { ok: false, reason: 'no_matching_signature' });
  assert.deepEqual(verifyWebhookSignature(newWebhookSecret(), headers, body), { ok: false, reason: 'no_matching_signature' });
  assert.deepEqual(verifyWebhookSignature(secret, headers, body, 300, now + 301_000), { ok: false, reason: 'timestamp_out_of_tolerance' });
  assert.deepEqual(verifyWebhookSignature(secret, { ...headers, 'Webhook-Signature': undefined }, body), { ok: false, reason: 'missing_headers' });
  assert.deepEqual(verifyWebhookSignature(secret, { ...headers, 'Webhook-Timestamp': '12.5' }, body), { ok: false, reason: 'bad_timestamp' });
  assert.deepEqual(verifyWebhookSignature(secret, { ...headers, 'Webhook-Signature': headers['Webhook-Signature'].replace('v1,', 'v2,') }, body), { ok: false, reason: 'no_matching_signature' });
});

test('private, loopback, link-local and reserved addresses are refused; loopback only with the development flag', async () => {
  for (const a of ['10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '127.0.0.1', '0.0.0.0', '100.64.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:a00:1', '224.0.0.1']) {
    assert.equal(isAllowedAddress(a, false), false, a);
  }
  for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111']) assert.equal(isAllowedAddress(a, false), true, a);
  assert.equal(isAllowedAddress('127.0.0.1', true), true);
  assert.equal(isAllowedAddress('::1', true), true);
  assert.equal(isAllowedAddress('10.0.0.1', true), false, 'the flag opens loopback only');

  const refused = (url: string, allow = false) => assert.throws(() => assertWebhookUrl(url, allow), (e: Error & { fields?: { path: string }[] }) => e.fields?.[0]?.path === 'url', url);
  refused('http://10.0.0.1/');
  refused('https://10.0.0.1/hook');
  refused('https://[::ffff:10.0.0.1]/');
  refused('https://169.254.169.254/latest/meta-data');
  refused('http://hooks.example.com/', true); // plain http only for loopback
  refused('http://127.0.0.1:8080/');
  refused('https://localhost/');
  refused('ftp://hooks.example.com/');
  refused('https://user:pw@hooks.example.com/');
  assert.equal(assertWebhookUrl('https://hooks.example.com/attest', false).hostname, 'hooks.example.com');
  assert.equal(assertWebhookUrl('http://127.0.0.1:8080/x', true).port, '8080');
  assert.equal(assertWebhookUrl('http://localhost:8080/x', true).hostname, 'localhost');

  // Names are resolved and their answers checked (the machine's resolver; nothing is sent).
  await assert.rejects(resolveWebhookTarget('http://localhost:9/', false), /private or reserved/);
  await assert.rejects(resolveWebhookTarget('http://10.0.0.1/', false), /private or reserved/);
  assert.ok((await resolveWebhookTarget('http://localhost:9/', true)).length > 0);
});
