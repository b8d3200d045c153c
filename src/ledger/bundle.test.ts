import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBundle, sha256File, sha256Hex, verifyBundle } from './bundle.ts';
import type { BundleVerification } from './bundle.ts';
import type { EvidenceBundle } from './bundle.schema.ts';
import { canonicalEntry } from './canonical.ts';
import type { JsonObject, LedgerEntry } from './canonical.ts';
import { encodeVerifierKey, generateKeyPair, signCheckpoint } from './checkpoint.ts';
import { inclusionProof, leafHash, rootFromLeafHashes, subtreeHashFromLeaves } from './merkle.ts';

const ORIGIN = 'attest.example/log/acme';
const key = generateKeyPair();
const otherKey = generateKeyPair();
const vkey = encodeVerifierKey(ORIGIN, key.publicKey);
const otherVkey = encodeVerifierKey(ORIGIN, otherKey.publicKey);
const fileBytes = Buffer.from('quarterly access review export\n'.repeat(100));

// A 37-entry log whose entry 21 is file evidence (the file digest lives in the signed record).
const entries: LedgerEntry[] = Array.from({ length: 37 }, (_, i) => {
  const record: JsonObject = i === 21
    ? { name: 'access-review.csv', file: { sha256: sha256Hex(fileBytes), size: fileBytes.length } }
    : { control: `C-${i}`, passed: i % 3 !== 0 };
  return { kind: i === 21 ? 'evidence.file' : 'control.test', time: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(), record };
});
const leaves = entries.map((e) => leafHash(canonicalEntry(e)));
const note = signCheckpoint({ origin: ORIGIN, size: leaves.length, rootHash: rootFromLeafHashes(leaves), extensions: [] }, [{ name: ORIGIN, privateKey: key.privateKey }]);
const sub = subtreeHashFromLeaves(leaves);
const bundleFor = (i: number): EvidenceBundle =>
  buildBundle({ index: i, entry: entries[i]!, inclusionProof: inclusionProof(i, leaves.length, sub), checkpoint: note, origin: ORIGIN });
const fileBundle = bundleFor(21);
const code = (r: BundleVerification) => (r.ok ? 'ok' : r.code);
const edit = (b: EvidenceBundle, f: (c: EvidenceBundle) => void): EvidenceBundle => { const c = structuredClone(b); f(c); return c; };

test('a genuine bundle verifies offline, from JSON text, with or without the file', () => {
  for (const i of [0, 5, 21, 36]) {
    const r = verifyBundle(JSON.stringify(bundleFor(i)), [vkey], { origin: ORIGIN });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.index, i);
    assert.equal(r.treeSize, 37);
    assert.deepEqual(r.entry, entries[i]);
  }
  assert.deepEqual(fileBundle.file, { sha256: sha256Hex(fileBytes), size: fileBytes.length });
  const withFile = verifyBundle(fileBundle, [vkey], { fileBytes });
  assert.ok(withFile.ok && withFile.fileChecked);
  assert.ok(verifyBundle(fileBundle, [vkey], { fileSha256: sha256Hex(fileBytes).toUpperCase() }).ok);
  const withoutFile = verifyBundle(fileBundle, [vkey]);
  assert.ok(withoutFile.ok && !withoutFile.fileChecked);
});

test('wrong or rotated keys', () => {
  assert.equal(code(verifyBundle(fileBundle, [otherVkey])), 'wrong_key');
  assert.equal(code(verifyBundle(fileBundle, [otherVkey, vkey])), 'ok'); // retired key kept for verification
  const forged = edit(fileBundle, (c) => { c.checkpoint = c.checkpoint.replace(/\n\n[\s\S]*$/, '\n\n') + signCheckpoint({ origin: ORIGIN, size: 37, rootHash: rootFromLeafHashes(leaves), extensions: [] }, [{ name: ORIGIN, privateKey: otherKey.privateKey }]).split('\n\n')[1]; });
  assert.equal(code(verifyBundle(forged, [vkey])), 'wrong_key');
  const badSig = edit(fileBundle, (c) => { c.checkpoint = c.checkpoint.replace('\n37\n', '\n38\n'); });
  assert.equal(code(verifyBundle(badSig, [vkey])), 'bad_signature');
  assert.equal(code(verifyBundle(fileBundle, [vkey], { origin: 'attest.example/log/other' })), 'origin_mismatch');
});

test('wrong file', () => {
  const other = Buffer.from(fileBytes);
  other[0]! ^= 1;
  for (const r of [verifyBundle(fileBundle, [vkey], { fileBytes: other }), verifyBundle(fileBundle, [vkey], { fileBytes: fileBytes.subarray(1) }),
    verifyBundle(fileBundle, [vkey], { fileSha256: sha256Hex(other) }), verifyBundle(bundleFor(3), [vkey], { fileBytes })]) {
    assert.equal(code(r), 'file_mismatch');
    assert.ok(!r.ok && r.reason.length > 10);
  }
  const short = verifyBundle(fileBundle, [vkey], { fileBytes: fileBytes.subarray(1) });
  assert.ok(!short.ok && /is 3099 bytes; the logged entry records 3100/.test(short.reason), JSON.stringify(short));
  // Swapping the readable file digest does not help: the logged entry is what counts.
  const swapped = edit(fileBundle, (c) => { c.file = { sha256: sha256Hex(other), size: other.length }; });
  assert.equal(code(verifyBundle(swapped, [vkey], { fileBytes: other })), 'entry_record_mismatch');
});

test('truncated, altered or misplaced proofs', () => {
  assert.equal(code(verifyBundle(edit(fileBundle, (c) => { c.inclusionProof.pop(); }), [vkey])), 'truncated_proof');
  assert.equal(code(verifyBundle(edit(fileBundle, (c) => { c.inclusionProof.push(c.inclusionProof[0]!); }), [vkey])), 'inclusion_mismatch');
  assert.equal(code(verifyBundle(edit(fileBundle, (c) => { c.inclusionProof.reverse(); }), [vkey])), 'inclusion_mismatch');
  assert.equal(code(verifyBundle(edit(fileBundle, (c) => { c.index = 20; }), [vkey])), 'inclusion_mismatch');
  assert.equal(code(verifyBundle(edit(fileBundle, (c) => { c.index = 37; }), [vkey])), 'index_out_of_range');
  const flipped = edit(fileBundle, (c) => { const h = Buffer.from(c.inclusionProof[1]!, 'base64'); h[31]! ^= 1; c.inclusionProof[1] = h.toString('base64'); });
  assert.equal(code(verifyBundle(flipped, [vkey])), 'inclusion_mismatch');
});

test('modified entry or readable fields', () => {
  const changed: LedgerEntry = { ...entries[21]!, record: { ...entries[21]!.record, name: 'something-else.csv' } };
  const newEntry = edit(fileBundle, (c) => { c.entry = canonicalEntry(changed).toString('base64'); c.parsed = changed; });
  assert.equal(code(verifyBundle(newEntry, [vkey])), 'inclusion_mismatch');
  const newParsed = edit(fileBundle, (c) => { c.parsed.time = '2030-01-01T00:00:00.000Z'; });
  assert.equal(code(verifyBundle(newParsed, [vkey])), 'entry_record_mismatch');
});

test('malformed bundles', () => {
  assert.equal(code(verifyBundle('{not json', [vkey])), 'malformed_bundle');
  assert.equal(code(verifyBundle({ ...fileBundle, version: 2 }, [vkey])), 'malformed_bundle');
  assert.equal(code(verifyBundle({ ...fileBundle, extra: true }, [vkey])), 'malformed_bundle');
  assert.equal(code(verifyBundle(edit(fileBundle, (c) => { c.inclusionProof[0] = 'AAAA'; }), [vkey])), 'malformed_bundle');
  assert.equal(code(verifyBundle(edit(fileBundle, (c) => { c.entry = 'QQ=Q'; }), [vkey])), 'malformed_bundle');
  assert.equal(code(verifyBundle(edit(fileBundle, (c) => { c.checkpoint = 'hello'; }), [vkey])), 'malformed_checkpoint');
});

test('sha256File streams a file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-'));
  try {
    const p = path.join(dir, 'evidence.bin');
    const data = crypto.randomBytes(300_000);
    fs.writeFileSync(p, data);
    assert.deepEqual(await sha256File(p), { sha256: sha256Hex(data), size: data.length });
    await assert.rejects(sha256File(path.join(dir, 'missing')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
