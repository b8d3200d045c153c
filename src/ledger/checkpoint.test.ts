import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  encodeSignerKey, encodeVerifierKey, formatCheckpoint, generateKeyPair, keyId, parseCheckpointText,
  parseSignedNote, parseSignerKey, parseVerifierKey, signCheckpoint, verifyCheckpoint, verifyNote,
} from './checkpoint.ts';
import type { Checkpoint } from './checkpoint.ts';
import { LedgerFormatError } from './codec.ts';

const ORIGIN = 'attest.example/log/acme';
const cp: Checkpoint = { origin: ORIGIN, size: 12345, rootHash: crypto.createHash('sha256').update('root').digest(), extensions: [] };
const k1 = generateKeyPair();
const k2 = generateKeyPair();
const v1 = encodeVerifierKey(ORIGIN, k1.publicKey);
const v2 = encodeVerifierKey(ORIGIN, k2.publicKey);

test('key ID and vkey follow the signed-note definitions', () => {
  const expectedId = crypto.createHash('sha256').update(Buffer.concat([Buffer.from(ORIGIN), Buffer.of(0x0a, 0x01), k1.publicKey])).digest().subarray(0, 4);
  assert.deepEqual(keyId(ORIGIN, k1.publicKey), expectedId);
  assert.equal(v1, `${ORIGIN}+${expectedId.toString('hex')}+${Buffer.concat([Buffer.of(1), k1.publicKey]).toString('base64')}`);
  assert.deepEqual(parseVerifierKey(v1).publicKey, k1.publicKey);
  const signer = parseSignerKey(encodeSignerKey(ORIGIN, k1.privateKey));
  assert.deepEqual(signer.publicKey, k1.publicKey);
  assert.throws(() => parseVerifierKey(v1.replace(/\+[0-9a-f]{8}\+/, '+00000000+')), /does not match/);
  assert.throws(() => encodeVerifierKey('bad name', k1.publicKey), LedgerFormatError);
  assert.throws(() => encodeVerifierKey('bad+name', k1.publicKey), LedgerFormatError);
});

test('interoperates with the Go signed-note reference (golang.org/x/mod/sumdb/note example)', () => {
  const vkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const note = `${text}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
  const res = verifyNote(note, [vkey]);
  assert.ok(res.ok);
  assert.equal(res.note.text, text);
  assert.deepEqual(res.signedBy, ['PeterNeumann+c74f20a3']);
  assert.equal(verifyNote(note.replace('answer', 'Answer'), [vkey]).ok, false);
  // Not a checkpoint body, so the checkpoint layer must refuse it even though the signature is good.
  assert.equal(pick(verifyCheckpoint(note, [vkey])), 'malformed_checkpoint');
});

test('round trip: sign, parse, verify', () => {
  const note = signCheckpoint({ ...cp, extensions: ['ext line one'] }, [{ name: ORIGIN, privateKey: k1.privateKey }]);
  const text = `${ORIGIN}\n12345\n${cp.rootHash.toString('base64')}\next line one\n`;
  assert.ok(note.startsWith(`${text}\n\u2014 ${ORIGIN} `));
  const sigB64 = note.slice(text.length + 1).split(' ')[2]!.trim();
  const sig = Buffer.from(sigB64, 'base64');
  assert.equal(sig.length, 68);
  assert.ok(crypto.verify(null, Buffer.from(text), crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k1.publicKey.toString('base64url') }, format: 'jwk' }), sig.subarray(4)));
  const res = verifyCheckpoint(note, [v1], { origin: ORIGIN });
  assert.ok(res.ok);
  assert.equal(res.checkpoint.size, 12345);
  assert.deepEqual(res.checkpoint.rootHash, cp.rootHash);
  assert.deepEqual(res.checkpoint.extensions, ['ext line one']);
  assert.equal(verifyCheckpoint(note, [v1], { origin: 'other' }).ok, false);
});

test('tampering is detected', () => {
  const note = signCheckpoint(cp, [{ name: ORIGIN, privateKey: k1.privateKey }]);
  const bodyEdit = note.replace('\n12345\n', '\n12346\n');
  assert.deepEqual(pick(verifyCheckpoint(bodyEdit, [v1])), 'bad_signature');
  const lines = note.split('\n');
  const sigLine = lines[4]!;
  const raw = Buffer.from(sigLine.split(' ')[2]!, 'base64');
  raw[10]! ^= 0x01;
  const sigEdit = note.replace(sigLine, `\u2014 ${ORIGIN} ${raw.toString('base64')}`);
  assert.equal(pick(verifyCheckpoint(sigEdit, [v1])), 'bad_signature');
  assert.equal(pick(verifyCheckpoint(note, [v2])), 'wrong_key');
  assert.equal(pick(verifyCheckpoint(note, [])), 'wrong_key');
});

test('rotation: old and new keys both verify; unknown signatures are ignored', () => {
  const old = signCheckpoint(cp, [{ name: ORIGIN, privateKey: k1.privateKey }]);
  const both = signCheckpoint({ ...cp, size: 20000 }, [{ name: ORIGIN, privateKey: k2.privateKey }, { name: ORIGIN, privateKey: k1.privateKey }]);
  assert.ok(verifyCheckpoint(old, [v2, v1]).ok);
  const res = verifyCheckpoint(both, [v2]);
  assert.ok(res.ok);
  assert.deepEqual(res.signedBy, [v2.split('+').slice(0, 2).join('+')]);
  const r2 = verifyCheckpoint(both, [v1, v2]);
  assert.ok(r2.ok && r2.signedBy.length === 2);
});

test('strict parsing', () => {
  const root = cp.rootHash.toString('base64');
  const bad = [
    `${ORIGIN}\n012\n${root}\n`, `${ORIGIN}\n+12\n${root}\n`, `${ORIGIN}\n1e3\n${root}\n`, `${ORIGIN}\n 12\n${root}\n`,
    `${ORIGIN}\n99999999999999999999\n${root}\n`, `${ORIGIN}\n12\n${root.slice(0, -4)}\n`,
    `${ORIGIN}\n12\n${Buffer.alloc(33).toString('base64')}\n`, `${ORIGIN}\n12\n${root}`, `\n12\n${root}\n`,
    `${ORIGIN}\n12\n${root.replace('=', '')}\n`, `${ORIGIN}\n12\n${root}\n\n`, `${ORIGIN}\r\n12\n${root}\n`, `${ORIGIN}\n12\n`,
  ];
  for (const t of bad) assert.throws(() => parseCheckpointText(t), LedgerFormatError, JSON.stringify(t));
  assert.equal(parseCheckpointText(formatCheckpoint(cp)).size, 12345);
  const note = signCheckpoint(cp, [{ name: ORIGIN, privateKey: k1.privateKey }]);
  for (const t of [note.replace('\u2014 ', '-- '), note.slice(0, -1), note.replace(/\n\n/, '\n'), note + 'x\n', note.replace(/ (\S+)\n$/, '  $1\n')]) {
    assert.throws(() => parseSignedNote(t), LedgerFormatError, JSON.stringify(t));
    assert.equal(pick(verifyCheckpoint(t, [v1])), 'malformed_checkpoint');
  }
});

function pick(r: ReturnType<typeof verifyCheckpoint>): string {
  return r.ok ? 'ok' : r.code;
}
