import type { Repos } from '../db/repos.ts';
import { AUDIT_PAGE, HASH, PAGE_LEVELS, checkNode, copyBody, entryAt, problem, startsWithKind, storedLeafIs, type AuditProblem } from './ledger.audit-checks.ts';
import { openPageReader, type LeafPage, type Page, type SubtreePage } from './ledger.audit-pages.ts';
import { parseEntry } from './canonical.ts';
import { encodeVerifierKey, parseCheckpointText, verifyNote } from './checkpoint.ts';
import { LedgerFormatError, toBase64 } from './codec.ts';
import { EMPTY_ROOT, emptyRange, nodeHash, rangeRoot, verifyConsistency, type Hash } from './merkle.ts';

export type { AuditProblem } from './ledger.audit-checks.ts';
export type AuditReport = { orgId: string; treeSize: number; rootHash: string; checkpoints: number; ok: boolean; problems: AuditProblem[] };

/**
 * Recomputes an org's log from the stored entry bytes, streaming: leaf hashes, every stored
 * node, the root at each checkpoint, checkpoint signatures, and consistency between consecutive
 * checkpoints. Trusts nothing derived that the database holds. Each entry's kind column must
 * match the kind its bytes start with; `deep` also parses every entry and requires RFC 8785
 * canonical form (JCS re-serialisation costs more than the hashing, so it is opt-in:
 * `attest log audit --deep`). Pages are read as binary COPY output (see auditPage) and handed
 * to worker threads (ledger.audit-pages.ts) while the next ones are fetched; a full aligned page
 * comes back checked as one subtree, so the main thread does no per-entry work for it.
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
  // A page may be checked whole by a worker unless a checkpoint's root falls inside it.
  const sizes = [...wanted];
  const asSubtree = (from: number) => !deps.deep && !sizes.some((n) => n > from && n < from + AUDIT_PAGE);
  const reader = openPageReader(repos, orgId, asSubtree);
  const prefetch = (from: number) => {
    const p = reader.fetch(from);
    p.catch(() => undefined); // a page fetched ahead may never be awaited (the audit stopped at a gap)
    return p;
  };
  // Pages in flight: two per worker, so a worker always has the next page's rows arriving while it hashes.
  const ahead: Promise<Page>[] = [];
  let nextStart = 0;
  // Pages past the size seen now are asked for only one at a time (a short page re-checks the end).
  const known = await repos.ledger.size(orgId);
  const fill = () => { while (ahead.length < 4 && (nextStart < known || !ahead.length)) { ahead.push(prefetch(nextStart)); nextStart += AUDIT_PAGE; } };
  try {
    fill();
    for (;;) {
      const page = await ahead.shift()!;
      fill();
      if (page.kind === 'subtree') {
        if (page.from !== expected) return await missing(page.from);
        foldSubtree(page);
      } else {
        const gap = foldLeaves(page);
        if (gap !== null) return await missing(gap);
      }
      if (page.count < AUDIT_PAGE) {
        // A short page: the end of the log, a gap, or entries appended since the page was read.
        const next = await repos.ledger.firstIndexFrom(orgId, expected);
        if (next === null) break;
        if (next !== expected) return await missing(next);
        ahead.length = 0;
        nextStart = expected;
        fill();
      }
    }
  } finally {
    await reader.close();
  }
  return finish();

  /** Adds the root of a page checked whole and checks the stored nodes above it that it completes. */
  function foldSubtree({ result, nodeData, nodes }: SubtreePage) {
    problems.push(...result.problems);
    nodesSeen += result.nodesSeen;
    let hash = result.root;
    for (let level = PAGE_LEVELS + 1, index = expected / AUDIT_PAGE; index % 2 === 1; level++) {
      hash = nodeHash(range.hashes.pop()!, hash);
      index = (index - 1) / 2;
      if (checkNode(nodes, nodeData, level, index, hash, problems)) nodesSeen++;
    }
    range.hashes.push(hash);
    range.size += AUDIT_PAGE;
    expected += AUDIT_PAGE;
    if (wanted.has(expected)) rootsAt.set(expected, rangeRoot(range));
  }

  /** Adds a page entry by entry; returns the index found where `expected` should be, if any. */
  function foldLeaves({ data, leaves, nodeData, nodes }: LeafPage): number | null {
    for (let i = 0, e = entryAt(data, copyBody(data)); e; e = entryAt(data, e.next), i++) {
      const idx = e.idx;
      if (idx !== expected) return idx;
      // SHA-256 of 0x00 || entry bytes, computed by the page's worker.
      const recomputed = leaves.subarray(i * HASH, i * HASH + HASH);
      if (!storedLeafIs(data, e, recomputed)) problems.push(problem.leafMismatch(idx));
      if (deps.deep) checkDeep(idx, data.toString('utf8', e.kindAt, e.kindAt + e.kindLen), data.subarray(e.start, e.start + e.entryLen));
      else if (!startsWithKind(data, e.start, e.entryLen, e.kindAt, e.kindLen)) problems.push(problem.kindMismatch(idx));
      // appendLeafHash inlined: every interior node this leaf completes is compared with the stored one.
      let hash = recomputed;
      for (let level = 1, index = expected; index % 2 === 1; level++) {
        hash = nodeHash(range.hashes.pop()!, hash);
        index = (index - 1) / 2;
        if (checkNode(nodes, nodeData, level, index, hash, problems)) nodesSeen++;
      }
      range.hashes.push(hash);
      range.size++;
      expected++;
      if (wanted.has(expected)) rootsAt.set(expected, rangeRoot(range));
    }
    return null;
  }

  function missing(next: number) {
    problems.push({ code: 'entry_missing', index: expected, message: `entries ${expected}..${next - 1} are missing` });
    // The tree cannot be recomputed past a gap.
    return finish();
  }

  function checkDeep(idx: number, kind: string, entry: Buffer) {
    try {
      if (parseEntry(entry).kind !== kind) problems.push(problem.kindMismatch(idx));
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
