import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { canonicalEntry, parseEntry, type JsonObject } from './canonical.ts';
import type { LedgerEntry } from './canonical.ts';
import { LedgerFormatError } from './codec.ts';

const entry: LedgerEntry = { kind: 'control.test', time: '2025-03-01T10:00:00.123Z', record: { z: 1, a: [true, null, 'é'], n: 1e21, m: { y: 0.5, b: -0 } } };

test('canonical entry is JCS: sorted keys, ES number spelling, no whitespace', () => {
  const bytes = canonicalEntry(entry);
  assert.equal(bytes.toString('utf8'), '{"kind":"control.test","record":{"a":[true,null,"é"],"m":{"b":0,"y":0.5},"n":1e+21,"z":1},"time":"2025-03-01T10:00:00.123Z"}');
  // Key order of the input does not matter.
  const reordered = { record: { m: { b: 0, y: 0.5 }, n: 1e21, a: [true, null, 'é'], z: 1 }, time: entry.time, kind: entry.kind };
  assert.deepEqual(canonicalEntry(reordered), bytes);
  assert.deepEqual(parseEntry(bytes), { ...entry, record: { ...entry.record, m: { y: 0.5, b: 0 } } });
});

test('rejects values that JCS would silently change', () => {
  const bad: unknown[] = [
    { ...entry, record: { when: new Date(0) } },
    { ...entry, record: { x: undefined } },
    { ...entry, record: { x: Number.NaN } },
    { ...entry, record: { x: '\ud800' } },
    { ...entry, record: [] },
    { ...entry, extra: 1 },
    { ...entry, kind: '' },
    { ...entry, kind: 'has space' },
    { ...entry, time: '2025-02-30T00:00:00Z' },
    { ...entry, time: '2025-03-01T10:00:00+01:00' },
  ];
  for (const e of bad) assert.throws(() => canonicalEntry(e as LedgerEntry), LedgerFormatError, JSON.stringify(e));
});

test('parseEntry accepts only canonical bytes', () => {
  const good = canonicalEntry(entry).toString('utf8');
  assert.throws(() => parseEntry(Buffer.from(good.replace('{"kind"', '{ "kind"'))), /canonical/);
  assert.throws(() => parseEntry(Buffer.from(good.replace('"z":1', '"z":1.0'))), /canonical/);
  assert.throws(() => parseEntry(Buffer.from(good.replace('"z":1', '"z":1,"z":1'))), /canonical/);
  assert.throws(() => parseEntry(Buffer.from([0x7b, 0xff, 0x7d])), /UTF-8/);
  assert.throws(() => parseEntry(Buffer.from('{"kind":"a","time":"2025-03-01T10:00:00Z"}')), /exactly the fields/);
});

test('canonical entries agree with the canonicalize library on arbitrary JSON records (the append path has its own serializer)', () => {
  const time = '2025-01-01T00:00:00Z';
  const check = (record: JsonObject) => {
    let library: string | undefined;
    try { library = canonicalize({ kind: 'k', time, record }); } catch { library = undefined; }
    let ours: string | undefined;
    try { ours = canonicalEntry({ kind: 'k', time, record }).toString('utf8'); } catch { ours = undefined; }
    // Both refuse the same inputs (lone surrogates) and agree byte for byte on the rest.
    assert.equal(ours, library);
  };
  fc.assert(fc.property(fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue()), (r) => check(r as JsonObject)), { numRuns: 2000 });
  fc.assert(fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary' })), (r) => check(r as JsonObject)), { numRuns: 2000 });
});
