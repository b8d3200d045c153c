import type { Repos } from '../db/repos.ts';
import type { AuditPage } from './ledger.repo.ts';
import { parseEntry } from './canonical.ts';
import { encodeVerifierKey, parseCheckpointText, verifyNote } from './checkpoint.ts';
import { LedgerFormatError, toBase64 } from './codec.ts';
import { EMPTY_ROOT, emptyRange, leafHashOfPrefixed, nodeHash, rangeRoot, verifyConsistency, type Hash } from './merkle.ts';

export type AuditProblem = { code: string; message: string; index?: number; level?: number; treeSize?: number };
export type AuditReport = { orgId: string; treeSize: number; rootHash: string; checkpoints: number; ok: boolean; problems: AuditProblem[] };

// Small enough that each page's sort stays in memory (work_mem); round trips are hidden by the prefetch.
const AUDIT_PAGE = 5_000;
const HASH = 32;

type Window = { level: number; lo: number; hi: number };
/** nodes: per level, the offset in `packed` of each stored hash by idx - lo (undefined where none is stored). */
type Page = { entries: AuditPage; packed: Buffer; nodes: Map<number, { lo: number; at: (number | undefined)[] }> };

/** Stored interior nodes completed by leaves [from, to): at level L, indexes whose end falls in (from, to]. */
function windowsFor(from: number, to: number): Window[] {
  const windows: Window[] = [];
  for (let level = 1, w = 2; w <= to; level++, w *= 2) {
    const lo = Math.ceil((from + 1) / w) - 1;
    const hi = Math.floor(to / w) - 1;
    if (hi >= lo) windows.push({ level, lo, hi });
  }
  return windows;
}

async function fetchPage(repos: Repos, orgId: string, from: number): Promise<Page> {
  const windows = windowsFor(from, from + AUDIT_PAGE);
  const [entries, packed] = await Promise.all([repos.ledger.auditPage(orgId, from, AUDIT_PAGE), repos.ledger.auditNodes(orgId, windows)]);
  const nodes: Page['nodes'] = new Map(windows.map((w) => [w.level, { lo: w.lo, at: [] }]));
  for (let off = 0; off + 10 + HASH <= packed.length; off += 10 + HASH) {
    const win = nodes.get(packed.readInt16BE(off))!;
    win.at[Number(packed.readBigInt64BE(off + 2)) - win.lo] = off + 10;
  }
  return { entries, packed, nodes };
}

const KIND_OPEN = Buffer.from('{"kind":"');

/** Byte comparison in place; a JS loop beats Buffer#compare with offsets for 32 bytes and allocates nothing. */
function sameBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}

/** Whether the entry bytes begin `{"kind":"<kind column>",` (canonical form puts kind first; valid kinds need no escaping). */
function startsWithKind(data: Buffer, start: number, len: number, kindAt: number, kindLen: number): boolean {
  const k = start + KIND_OPEN.length;
  return len > KIND_OPEN.length + kindLen + 1 && sameBytes(data, start, KIND_OPEN, 0, KIND_OPEN.length)
    && sameBytes(data, k, data, kindAt, kindLen) && data[k + kindLen] === 0x22 && data[k + kindLen + 1] === 0x2c;
}

/**
 * Recomputes an org's log from the stored entry bytes, streaming: leaf hashes, every stored
 * node, the root at each checkpoint, checkpoint signatures, and consistency between consecutive
 * checkpoints. Trusts nothing derived that the database holds. Each entry's kind column must
 * match the kind its bytes start with; `deep` also parses every entry and requires RFC 8785
 * canonical form (JCS re-serialisation costs more than the hashing, so it is opt-in:
 * `attest log audit --deep`). Pages are read packed (see auditPage), and the next two are
 * fetched while the current one is hashed.
 */
export async function auditLog(deps: {
  repos: Repos;
  origin: string;
  deep: boolean;
  consistencyProof: (m: number, n: number) => Promise<{ hashes: string[] }>;
}, orgId: string): Promise<AuditReport> {
  const { repos } = deps;
  const problems: AuditProblem[] = [];
  const checkpoints = await repos.ledger.allCheckpoints(orgId);
  const keys = await repos.ledger.keys(orgId);
  const vkeys = new Map(keys.map((k) => [k.keyId, encodeVerifierKey(k.name, k.publicKey)]));
  const wanted = new Set(checkpoints.map((c) => c.treeSize));
  const rootsAt = new Map<number, Hash>();
  if (wanted.has(0)) rootsAt.set(0, EMPTY_ROOT);

  const range = emptyRange();
  let expected = 0;
  let nodesSeen = 0;
  const prefetch = (from: number) => {
    const p = fetchPage(repos, orgId, from);
    p.catch(() => undefined); // a page fetched ahead may never be awaited (the audit stopped at a gap)
    return p;
  };
  // Two pages in flight, on their own connections, so a slow page does not stall the hashing.
  const ahead: Promise<Page>[] = [];
  let nextStart = 0;
  const fill = () => { while (ahead.length < 2) { ahead.push(prefetch(nextStart)); nextStart += AUDIT_PAGE; } };
  fill();
  for (;;) {
    const { entries: page, packed, nodes: stored } = await ahead.shift()!;
    fill();
    const pageStart = expected;
    const { data } = page;
    for (let i = 0, d = 0; i < page.count; i++) {
      const idx = page.indexes ? page.indexes[i]! : pageStart + i;
      const entryLen = data.readInt32BE(d);
      const kindLen = data.readInt16BE(d + 4);
      const kindAt = d + 6;
      // In place, without slicing: per entry the audit allocates only the hashes it computes.
      const start = kindAt + kindLen + 1;
      const recomputed = leafHashOfPrefixed(data.subarray(start - 1, start + entryLen));
      d = start + entryLen + HASH;
      if (idx !== expected) return missing(idx);
      if (!sameBytes(recomputed, 0, data, start + entryLen, HASH)) problems.push({ code: 'leaf_hash_mismatch', index: idx, message: `entry ${idx}: the stored leaf hash is not the hash of the stored entry bytes` });
      if (deps.deep) checkDeep(idx, data.toString('utf8', kindAt, kindAt + kindLen), data.subarray(start, start + entryLen));
      else if (!startsWithKind(data, start, entryLen, kindAt, kindLen)) kindMismatch(idx);
      // appendLeafHash inlined: every interior node this leaf completes is compared with the stored one.
      let hash = recomputed;
      for (let level = 1, index = expected; index % 2 === 1; level++) {
        hash = nodeHash(range.hashes.pop()!, hash);
        index = (index - 1) / 2;
        nodesSeen++;
        const win = stored.get(level);
        const at = win?.at[index - win.lo];
        if (at === undefined) problems.push({ code: 'node_missing', index, level, message: `node (${level}, ${index}) is missing` });
        else if (!sameBytes(hash, 0, packed, at, HASH)) problems.push({ code: 'node_mismatch', index, level, message: `stored node (${level}, ${index}) differs from the tree recomputed from the entries` });
      }
      range.hashes.push(hash);
      range.size++;
      expected++;
      if (wanted.has(expected)) rootsAt.set(expected, rangeRoot(range));
    }
    if (page.count < AUDIT_PAGE) {
      // A short page: the end of the log, a gap, or entries appended since the page was read.
      const next = await repos.ledger.firstIndexFrom(orgId, expected);
      if (next === null) break;
      if (next !== expected) return missing(next);
      ahead.length = 0;
      nextStart = expected;
      fill();
    }
  }
  return finish();

  function missing(next: number) {
    problems.push({ code: 'entry_missing', index: expected, message: `entries ${expected}..${next - 1} are missing` });
    // The tree cannot be recomputed past a gap.
    return finish();
  }

  function kindMismatch(idx: number) {
    problems.push({ code: 'kind_mismatch', index: idx, message: `entry ${idx}: the kind column differs from the kind in the entry bytes` });
  }

  function checkDeep(idx: number, kind: string, entry: Buffer) {
    try {
      if (parseEntry(entry).kind !== kind) kindMismatch(idx);
    } catch (e) {
      problems.push({ code: e instanceof LedgerFormatError ? e.code : 'entry_invalid', index: idx, message: `entry ${idx}: ${(e as Error).message}` });
    }
  }

  async function finish(): Promise<AuditReport> {
    const storedCount = await repos.ledger.countNodes(orgId);
    if (storedCount > nodesSeen && !problems.some((p) => p.code === 'entry_missing')) {
      problems.push({ code: 'extra_nodes', message: `${storedCount - nodesSeen} stored nodes do not belong to the ${expected}-entry tree` });
    }
    const { origin } = deps;
    let prev: { size: number; root: Buffer } | null = null;
    for (const cp of checkpoints) {
      const at = { treeSize: cp.treeSize };
      const vkey = vkeys.get(cp.keyId);
      const verified = vkey ? verifyNote(cp.note, [vkey]) : null;
      if (!verified) problems.push({ code: 'checkpoint_unknown_key', ...at, message: `checkpoint ${cp.treeSize} names key ${cp.keyId}, which is not one of the org's keys` });
      else if (!verified.ok) problems.push({ code: `checkpoint_${verified.code}`, ...at, message: `checkpoint ${cp.treeSize}: ${verified.reason}` });
      let noteRoot: Buffer | null = null;
      try {
        const text = verified?.ok ? verified.note.text : cp.note.slice(0, cp.note.lastIndexOf('\n\n') + 1);
        const parsed = parseCheckpointText(text);
        if (parsed.size !== cp.treeSize) problems.push({ code: 'checkpoint_size_mismatch', ...at, message: `checkpoint ${cp.treeSize}: the note says size ${parsed.size}` });
        if (parsed.origin !== origin) problems.push({ code: 'checkpoint_origin_mismatch', ...at, message: `checkpoint ${cp.treeSize}: origin ${parsed.origin}, expected ${origin}` });
        noteRoot = parsed.rootHash;
      } catch (e) {
        problems.push({ code: 'checkpoint_malformed', ...at, message: `checkpoint ${cp.treeSize}: ${(e as Error).message}` });
      }
      if (noteRoot && !noteRoot.equals(cp.rootHash)) problems.push({ code: 'checkpoint_root_column_mismatch', ...at, message: `checkpoint ${cp.treeSize}: the root_hash column differs from the signed note` });
      const recomputed = rootsAt.get(cp.treeSize);
      if (cp.treeSize > expected) problems.push({ code: 'checkpoint_beyond_log', ...at, message: `checkpoint ${cp.treeSize} covers more entries than the log has (${expected})` });
      else if (recomputed && noteRoot && !noteRoot.equals(recomputed)) problems.push({ code: 'checkpoint_root_mismatch', ...at, message: `checkpoint ${cp.treeSize}: its root is not the root of the recomputed tree at that size` });
      if (prev && noteRoot && cp.treeSize <= expected) {
        try {
          const proof = await deps.consistencyProof(prev.size, cp.treeSize);
          if (!verifyConsistency(prev.size, cp.treeSize, proof.hashes.map((h) => Buffer.from(h, 'base64')), prev.root, noteRoot)) {
            problems.push({ code: 'checkpoint_inconsistent', ...at, message: `checkpoint ${cp.treeSize} is not consistent with checkpoint ${prev.size}` });
          }
        } catch (e) {
          problems.push({ code: 'checkpoint_inconsistent', ...at, message: `checkpoint ${cp.treeSize}: no consistency proof from ${prev.size}: ${(e as Error).message}` });
        }
      }
      if (noteRoot) prev = { size: cp.treeSize, root: noteRoot };
    }
    return { orgId, treeSize: expected, rootHash: toBase64(rangeRoot(range)), checkpoints: checkpoints.length, ok: problems.length === 0, problems };
  }
}
