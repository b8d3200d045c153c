import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { openPrivateKey, sealPrivateKey } from './key-seal.ts';
import { LedgerFormatError } from './codec.ts';

const secret = crypto.randomBytes(48).toString('base64');
const key = crypto.randomBytes(32);

test('round trip, with a fresh salt and nonce each time', () => {
  const a = sealPrivateKey(key, secret, 'log:acme');
  const b = sealPrivateKey(key, secret, 'log:acme');
  assert.notEqual(a, b);
  assert.match(a, /^attest-ledger-key\.v1\./);
  assert.deepEqual(openPrivateKey(a, secret, 'log:acme'), key);
  assert.deepEqual(openPrivateKey(b, Buffer.from(secret), 'log:acme'), key);
});

test('rejects tampering, wrong secret, wrong context and malformed input', () => {
  const sealed = sealPrivateKey(key, secret, 'log:acme');
  const rejected = (s: string, sec = secret, ctx = 'log:acme') =>
    assert.throws(() => openPrivateKey(s, sec, ctx), (e: unknown) => e instanceof LedgerFormatError && e.code === 'sealed_key_rejected');
  const parts = sealed.split('.');
  for (let i = 2; i < 6; i++) {
    const bytes = Buffer.from(parts[i]!, 'base64url');
    bytes[0]! ^= 0x80;
    rejected([...parts.slice(0, i), bytes.toString('base64url'), ...parts.slice(i + 1)].join('.'));
  }
  rejected(sealed, crypto.randomBytes(48).toString('base64'));
  rejected(sealed, secret, 'log:other');
  for (const bad of [sealed.replace('v1', 'v2'), parts.slice(0, 5).join('.'), `${sealed}.x`, sealed.replace(/\.([^.]+)$/, '.$1!'), parts.slice(0, 5).join('.') + '.AAAA']) {
    assert.throws(() => openPrivateKey(bad, secret, 'log:acme'), (e: unknown) => e instanceof LedgerFormatError && e.code === 'sealed_key_malformed', bad);
  }
  assert.throws(() => sealPrivateKey(key, 'short', 'log:acme'), RangeError);
});
