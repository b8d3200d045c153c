import canonicalize from 'canonicalize';
import { LedgerFormatError, decodeUtf8Strict } from './codec.ts';

/**
 * The bytes that get hashed into the log. An entry is the RFC 8785 (JCS) canonical JSON of
 * `{kind, time, record}`, so anyone can rebuild the exact leaf bytes from the parsed fields
 * with any JCS implementation, and two serializations of the same data cannot both exist.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type LedgerEntry = {
  /** What happened, e.g. `control.test.passed`; machine-readable, so kept to a small alphabet. */
  kind: string;
  /** RFC 3339 UTC timestamp ("Z" offset) assigned by the log when the entry was appended. */
  time: string;
  record: JsonObject;
};

const KIND = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;
const MAX_DEPTH = 64;

/** Returns null when valid, else why not; used for both building and parsing entries. */
function problemWith(entry: unknown): string | null {
  if (!isPlainObject(entry)) return 'entry must be a JSON object';
  const keys = Object.keys(entry).sort();
  if (keys.join(',') !== 'kind,record,time') return `entry must have exactly the fields kind, time, record (has ${keys.join(', ') || 'none'})`;
  const { kind, time, record } = entry as Record<string, unknown>;
  if (typeof kind !== 'string' || !KIND.test(kind)) return 'kind must be 1-128 characters of A-Z a-z 0-9 . _ : / - starting with a letter or digit';
  if (typeof time !== 'string' || !isValidUtcTime(time)) return 'time must be an RFC 3339 UTC timestamp such as 2025-01-31T12:00:00.000Z';
  if (!isPlainObject(record)) return 'record must be a JSON object';
  // The common case (valid data) walks the record once without building paths; only a failure pays for the message.
  return isPlainJson(record, 0) ? null : jsonProblem(record, 'record', 0);
}

// Appends in one millisecond share their time string; checking it once is enough.
let lastValidTime = '';

function isValidUtcTime(time: string): boolean {
  if (time === lastValidTime) return true;
  const m = TIME.exec(time);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  // Date.UTC normalises overflow (Feb 30 -> Mar 2), so a round trip catches impossible dates.
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  const ok = date.getUTCFullYear() === y && date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d
    && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  if (ok) lastValidTime = time;
  return ok;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Same verdict as jsonProblem(...) === null, without building paths. */
function isPlainJson(v: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!isPlainJson(v[i], depth + 1)) return false;
    return true;
  }
  if (!isPlainObject(v)) return false;
  for (const k in v) if (Object.hasOwn(v, k) && !isPlainJson(v[k], depth + 1)) return false;
  return true;
}

/**
 * JCS would quietly drop `undefined`, call `toJSON` on Dates, and so on; the hashed bytes would
 * then differ from what the caller thinks they recorded. Only plain JSON data is accepted.
 */
function jsonProblem(v: unknown, path: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${path} is nested deeper than ${MAX_DEPTH} levels`;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} is not a finite number`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = jsonProblem(v[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (isPlainObject(v)) {
    for (const [k, child] of Object.entries(v)) {
      const p = jsonProblem(child, `${path}.${k}`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  return `${path} is not plain JSON data (${typeof v})`;
}

function jcs(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    throw new LedgerFormatError('entry_invalid', `entry cannot be canonicalized: ${(err as Error).message}`);
  }
  if (text === undefined) throw new LedgerFormatError('entry_invalid', 'entry cannot be canonicalized');
  return text;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const USE_LIBRARY = Symbol('use the canonicalize library');

/**
 * JCS for values problemWith has already accepted (plain objects and arrays, finite numbers, no
 * undefined), where it reduces to sorted keys plus JSON.stringify for every scalar; about 3x
 * faster than the general library on the append path. Strings with surrogates go to the library
 * (it rejects lone ones); canonical.test.ts checks canonicalEntry against the library on arbitrary JSON.
 */
function jcsOfPlainJson(v: JsonValue): string {
  if (typeof v === 'string') {
    if (SURROGATE.test(v)) throw USE_LIBRARY;
    return JSON.stringify(v);
  }
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jcsOfPlainJson).join(',')}]`;
  let out = '';
  for (const k of Object.keys(v).sort()) out += `${out ? ',' : ''}${jcsOfPlainJson(k)}:${jcsOfPlainJson(v[k]!)}`;
  return `{${out}}`;
}

/** The exact leaf bytes for an entry (UTF-8 JCS). Throws LedgerFormatError for non-JSON input. */
export function canonicalEntry(entry: LedgerEntry): Buffer {
  const problem = problemWith(entry);
  if (problem) throw new LedgerFormatError('entry_invalid', problem);
  const value = { kind: entry.kind, time: entry.time, record: entry.record };
  let text: string;
  try {
    text = jcsOfPlainJson(value);
  } catch (e) {
    if (e !== USE_LIBRARY) throw e;
    text = jcs(value);
  }
  return Buffer.from(text, 'utf8');
}

/**
 * Parses leaf bytes back into an entry, accepting only bytes that are already canonical, so a
 * verifier can trust that the parsed fields are the ones that were hashed.
 */
export function parseEntry(bytes: Uint8Array): LedgerEntry {
  const text = decodeUtf8Strict(bytes, 'entry');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LedgerFormatError('entry_invalid', 'entry is not valid JSON');
  }
  const problem = problemWith(value);
  if (problem) throw new LedgerFormatError('entry_invalid', problem);
  if (jcs(value) !== text) throw new LedgerFormatError('entry_not_canonical', 'entry bytes are not RFC 8785 canonical JSON');
  return value as LedgerEntry;
}

/** Canonical comparison of two JSON values (key order and number spelling do not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalize(a) === canonicalize(b);
  } catch {
    return false;
  }
}
