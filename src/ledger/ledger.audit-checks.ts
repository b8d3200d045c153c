// The audit's per-entry checks, shared by the main thread (auditLog's leaf-by-leaf path) and the
// audit workers (whole pages checked as one perfect subtree). Pure: no database, no threads.
import crypto from 'node:crypto';
import { FIRST_STORED_LEVEL, nodeHash } from './tree-hash.ts';

export type AuditProblem = { code: string; message: string; index?: number; level?: number; treeSize?: number };

/**
 * Entries per audit page: a power of two, so that a full page starting at a multiple of it is one
 * perfect subtree of the log (RFC 9162 §2.1.1 splits at powers of two) and a worker can check it
 * completely, interior nodes included; the main thread then folds only the page's root.
 */
export const PAGE_LEVELS = 12;
export const AUDIT_PAGE = 2 ** PAGE_LEVELS;
export const HASH = 32;

export const problem = {
  leafMismatch: (index: number): AuditProblem => ({ code: 'leaf_hash_mismatch', index, message: `entry ${index}: the stored leaf hash is not the hash of the stored entry bytes` }),
  kindMismatch: (index: number): AuditProblem => ({ code: 'kind_mismatch', index, message: `entry ${index}: the kind column differs from the kind in the entry bytes` }),
  nodeMissing: (level: number, index: number): AuditProblem => ({ code: 'node_missing', index, level, message: `node (${level}, ${index}) is missing` }),
  nodeMismatch: (level: number, index: number): AuditProblem => ({ code: 'node_mismatch', index, level, message: `stored node (${level}, ${index}) differs from the tree recomputed from the entries` }),
};

/** Byte comparison in place; a JS loop beats Buffer#compare with offsets for 32 bytes and allocates nothing. */
export function sameBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}

const KIND_OPEN = Buffer.from('{"kind":"');

/** Whether the entry bytes begin `{"kind":"<kind column>",` (canonical form puts kind first; valid kinds need no escaping). */
export function startsWithKind(data: Buffer, start: number, len: number, kindAt: number, kindLen: number): boolean {
  const k = start + KIND_OPEN.length;
  return len > KIND_OPEN.length + kindLen + 1 && sameBytes(data, start, KIND_OPEN, 0, KIND_OPEN.length)
    && sameBytes(data, k, data, kindAt, kindLen) && data[k + kindLen] === 0x22 && data[k + kindLen + 1] === 0x2c;
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Offset of the first tuple in PostgreSQL's binary COPY output (signature, int32 flags, int32
 * header-extension length and the extension). Tuples follow: int16 field count, then per field
 * an int32 length and the bytes; an int16 -1 ends the data.
 */
export function copyBody(data: Buffer): number {
  if (data.length < 19 || !sameBytes(data, 0, COPY_SIGNATURE, 0, COPY_SIGNATURE.length)) throw new Error('not PostgreSQL binary COPY output');
  return 19 + data.readInt32BE(15);
}

const int8At = (data: Buffer, at: number) => data.readInt32BE(at) * 2 ** 32 + data.readUInt32BE(at + 4);

/**
 * The entry tuple at `d` of an audit page (see the repo's auditPage: idx, kind, entry, leaf_hash),
 * or null at the end of the data. Offsets are into `data`; `next` is the following tuple.
 */
export function entryAt(data: Buffer, d: number) {
  if (data.readInt16BE(d) === -1) return null;
  const idx = int8At(data, d + 6);
  const kindLen = data.readInt32BE(d + 14);
  const kindAt = d + 18;
  const entryLen = data.readInt32BE(kindAt + kindLen);
  const start = kindAt + kindLen + 4;
  const leafLen = data.readInt32BE(start + entryLen);
  const leafAt = start + entryLen + 4;
  return { idx, kindLen, kindAt, entryLen, start, leafAt, leafLen, next: leafAt + leafLen };
}

/** Whether the stored leaf hash of an entry tuple is `hash`. */
export const storedLeafIs = (data: Buffer, e: { leafAt: number; leafLen: number }, hash: Uint8Array, at = 0) =>
  e.leafLen === HASH && sameBytes(hash, at, data, e.leafAt, HASH);

let scratch = Buffer.alloc(4096);

/** SHA-256 of 0x00 || the entry bytes at data[start, start + entryLen). */
export function leafHashAt(data: Buffer, start: number, entryLen: number): Buffer {
  if (scratch.length < entryLen + 1) scratch = Buffer.alloc(entryLen + 1);
  scratch[0] = 0x00;
  data.copy(scratch, 1, start, start + entryLen);
  // The latin1 string result is the cheap way out of crypto.hash (see tree-hash.ts).
  return Buffer.from(crypto.hash('sha256', scratch.subarray(0, entryLen + 1), 'binary'), 'latin1');
}

export type NodeWindow = { level: number; lo: number; hi: number };
/** Per level, the offset in the node tuples of each stored hash by idx - lo (undefined where none is stored). */
export type StoredNodes = Map<number, { lo: number; at: (number | undefined)[] }>;

/** Stored interior nodes completed by leaves [from, to): at level L, indexes whose end falls in (from, to]. */
export function windowsFor(from: number, to: number): NodeWindow[] {
  const windows: NodeWindow[] = [];
  for (let level = FIRST_STORED_LEVEL, w = 2 ** level; w <= to; level++, w *= 2) {
    const lo = Math.ceil((from + 1) / w) - 1;
    const hi = Math.floor(to / w) - 1;
    if (hi >= lo) windows.push({ level, lo, hi });
  }
  return windows;
}

/**
 * Indexes the audit's node tuples (see the repo's auditNodes: level int2, idx int8, hash) by level
 * and idx. A stored hash that is not 32 bytes long is indexed at -1, which never matches.
 */
export function indexNodes(data: Buffer, windows: NodeWindow[]): StoredNodes {
  const nodes: StoredNodes = new Map(windows.map((w) => [w.level, { lo: w.lo, at: [] }]));
  for (let d = copyBody(data); data.readInt16BE(d) !== -1;) {
    const hashLen = data.readInt32BE(d + 20);
    const win = nodes.get(data.readInt16BE(d + 6));
    if (win) win.at[int8At(data, d + 12) - win.lo] = hashLen === HASH ? d + 24 : -1;
    d += 24 + hashLen;
  }
  return nodes;
}

/**
 * Compares a recomputed interior node with the stored one, reporting a missing or different node;
 * returns whether the level is one that is stored (levels below FIRST_STORED_LEVEL are not).
 */
export function checkNode(stored: StoredNodes, nodeData: Buffer, level: number, index: number, hash: Uint8Array, problems: AuditProblem[]): boolean {
  if (level < FIRST_STORED_LEVEL) return false;
  const win = stored.get(level);
  const at = win?.at[index - win.lo];
  if (at === undefined) problems.push(problem.nodeMissing(level, index));
  else if (at < 0 || !sameBytes(hash, 0, nodeData, at, HASH)) problems.push(problem.nodeMismatch(level, index));
  return true;
}

export type SubtreeResult = { root: Buffer; problems: AuditProblem[]; nodesSeen: number };

/**
 * Checks a full page of AUDIT_PAGE entries starting at `from` (a multiple of AUDIT_PAGE) as one
 * perfect subtree: every leaf hash against the stored one, every kind column against the bytes,
 * and every stored interior node up to level PAGE_LEVELS against the recomputed one. The problems come in
 * the order the leaf-by-leaf path reports them; nodes above the page are left to the caller.
 * Returns null when the page is not exactly the entries from .. from + AUDIT_PAGE - 1 (the caller
 * then checks it entry by entry, which reports the gap).
 */
export function auditSubtreePage(data: Buffer, from: number, nodeData: Buffer): SubtreeResult | null {
  if (from % AUDIT_PAGE !== 0) throw new RangeError(`page start ${from} is not a multiple of ${AUDIT_PAGE}`);
  const stored = indexNodes(nodeData, windowsFor(from, from + AUDIT_PAGE));
  const problems: AuditProblem[] = [];
  const stack: Buffer[] = [];
  let nodesSeen = 0;
  let d = copyBody(data);
  for (let i = 0; i < AUDIT_PAGE; i++) {
    const e = entryAt(data, d);
    const idx = from + i;
    if (!e || e.idx !== idx) return null;
    d = e.next;
    const leaf = leafHashAt(data, e.start, e.entryLen);
    if (!storedLeafIs(data, e, leaf)) problems.push(problem.leafMismatch(idx));
    if (!startsWithKind(data, e.start, e.entryLen, e.kindAt, e.kindLen)) problems.push(problem.kindMismatch(idx));
    let hash = leaf;
    for (let level = 1, index = idx; index % 2 === 1 && level <= PAGE_LEVELS; level++) {
      hash = nodeHash(stack.pop()!, hash);
      index = (index - 1) / 2;
      if (checkNode(stored, nodeData, level, index, hash, problems)) nodesSeen++;
    }
    stack.push(hash);
  }
  return entryAt(data, d) ? null : { root: stack[0]!, problems, nodesSeen };
}
