import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalEntry, jcsOfRecordForTest, parseEntry, type JsonObject } from './canonical.ts';
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

test('the fast JCS serializer of the append path agrees with the canonicalize library on arbitrary JSON', () => {
  fc.assert(fc.property(fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue()), (record) => {
    const { fast, library } = jcsOfRecordForTest(record as JsonObject);
    // null: a string with surrogates, handed to the library instead.
    if (fast !== null) assert.equal(fast, library);
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary' })), (record) => {
    const { fast, library } = jcsOfRecordForTest(record as JsonObject);
    if (fast !== null) assert.equal(fast, library);
    else assert.ok(canonicalEntryOrNull(record as JsonObject) === library || library === undefined);
  }), { numRuns: 2000 });
});

function canonicalEntryOrNull(record: JsonObject): string | null {
  try {
    const text = canonicalEntry({ kind: 'k', time: '2025-01-01T00:00:00Z', record }).toString('utf8');
    return text.slice(text.indexOf('"record":') + 9, text.lastIndexOf(',"time"'));
  } catch { return null; }
}
