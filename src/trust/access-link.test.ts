import crypto from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidInputError } from '../lib/errors.ts';
import { accessLinkKey, accessTokenHash, issueAccessToken, newAccessNonce, verifyAccessToken } from './access-link.ts';

const key = accessLinkKey('instance-key-for-tests-0123456789abcdef');
const now = new Date('2026-12-01T12:00:00Z');
const input = {
  orgId: 'org_a', grantId: 'grant_1', recipientEmail: ' Dana@Customer.Example ', documentId: 'doc_soc2',
  expiresAt: new Date('2026-12-08T12:00:00Z'), nonce: newAccessNonce(),
};
const token = issueAccessToken(input, key);

test('round trip: an issued token verifies and yields its claims', () => {
  assert.match(token, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'URL-safe');
  assert.equal(encodeURIComponent(token), token);
  const result = verifyAccessToken(token, key, now, 'org_a');
  assert.deepEqual(result, {
    ok: true,
    claims: { orgId: 'org_a', grantId: 'grant_1', recipientEmail: 'dana@customer.example', documentId: 'doc_soc2', expiresAt: input.expiresAt, nonce: input.nonce },
  });
  const { documentId: _omit, ...withoutDocument } = input;
  const grantWide = verifyAccessToken(issueAccessToken(withoutDocument, key), key, now, 'org_a');
  assert.ok(grantWide.ok && grantWide.claims.documentId === null);
});

test('a tampered payload is a bad signature, not a different grant', () => {
  const [v, payload, sig] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  for (const change of [{ g: 'grant_2' }, { e: 'mallory@evil.example' }, { x: Date.parse('2030-01-01T00:00:00Z') }, { d: 'doc_other' }]) {
    const forged = Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url');
    assert.deepEqual(verifyAccessToken(`${v}.${forged}.${sig}`, key, now, 'org_a'), { ok: false, reason: 'bad_signature' });
  }
});

test('a token signed with another key is refused', () => {
  const otherInstance = accessLinkKey('another-instance-key-0123456789abcdef');
  assert.deepEqual(verifyAccessToken(token, otherInstance, now, 'org_a'), { ok: false, reason: 'bad_signature' });
  assert.deepEqual(verifyAccessToken(issueAccessToken(input, otherInstance), key, now, 'org_a'), { ok: false, reason: 'bad_signature' });
});

test('expiry is exclusive: valid up to the instant before, refused from it on', () => {
  const justBefore = new Date(input.expiresAt.getTime() - 1);
  assert.equal(verifyAccessToken(token, key, justBefore, 'org_a').ok, true);
  assert.deepEqual(verifyAccessToken(token, key, input.expiresAt, 'org_a'), { ok: false, reason: 'expired' });
  assert.deepEqual(verifyAccessToken(token, key, new Date('2027-01-01T00:00:00Z'), 'org_a'), { ok: false, reason: 'expired' });
});

test("another org's genuine token presented under this org is refused", () => {
  const orgB = issueAccessToken({ ...input, orgId: 'org_b' }, key);
  assert.equal(verifyAccessToken(orgB, key, now, 'org_b').ok, true);
  assert.deepEqual(verifyAccessToken(orgB, key, now, 'org_a'), { ok: false, reason: 'wrong_org' });
});

test('truncated, padded and garbage tokens are malformed', () => {
  const cases = [
    '', 'v1', 'v1..', 'v2.' + token.slice(3), token.slice(0, -1), token.slice(0, token.lastIndexOf('.')),
    token.slice(0, token.indexOf('.') + 5), `${token}.`, `${token}=`, ` ${token}`, 'x'.repeat(5000),
    `v1.${Buffer.from('not json').toString('base64url')}.${token.split('.')[2]}`,
  ];
  for (const bad of cases) {
    const result = verifyAccessToken(bad, key, now, 'org_a');
    assert.equal(result.ok, false, JSON.stringify(bad));
    assert.ok(!result.ok && (result.reason === 'malformed' || result.reason === 'bad_signature'), JSON.stringify(bad));
  }
  assert.deepEqual(verifyAccessToken(token.slice(0, -1), key, now, 'org_a'), { ok: false, reason: 'malformed' });
});

test('a correctly signed payload that is not our claim shape is malformed', () => {
  // Only a key holder could make this; it guards against a future issuer bug, not an attacker.
  const payload = Buffer.from(JSON.stringify({ o: 'org_a', extra: true })).toString('base64url');
  const sig = crypto.createHmac('sha256', key).update(`v1.${payload}`).digest('base64url');
  assert.deepEqual(verifyAccessToken(`v1.${payload}.${sig}`, key, now, 'org_a'), { ok: false, reason: 'malformed' });
});

test('property: any single-character change to a token is rejected', () => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
  fc.assert(fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (at, ch) => {
    fc.pre(token[at] !== ch);
    const changed = token.slice(0, at) + ch + token.slice(at + 1);
    return verifyAccessToken(changed, key, now, 'org_a').ok === false;
  }), { numRuns: 2000 });
});

test('hash and nonce helpers: stable hex digest, fresh URL-safe nonces', () => {
  assert.match(accessTokenHash(token), /^[0-9a-f]{64}$/);
  assert.equal(accessTokenHash(token), accessTokenHash(token));
  assert.notEqual(accessTokenHash(token), accessTokenHash(issueAccessToken({ ...input, nonce: newAccessNonce() }, key)));
  const nonces = new Set(Array.from({ length: 100 }, newAccessNonce));
  assert.equal(nonces.size, 100);
  for (const n of nonces) assert.match(n, /^[A-Za-z0-9_-]{22}$/);
});

test('issuing with bad claims or a short key is a typed error', () => {
  assert.throws(() => issueAccessToken({ ...input, nonce: 'short' }, key), InvalidInputError);
  assert.throws(() => issueAccessToken({ ...input, expiresAt: new Date('nope') }, key), InvalidInputError);
  assert.throws(() => issueAccessToken(input, Buffer.alloc(16)), InvalidInputError);
  assert.throws(() => accessLinkKey(''), InvalidInputError);
});
