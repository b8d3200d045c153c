import type { Repos } from '../db/repos.ts';
import { parseEntry } from './canonical.ts';
import { encodeVerifierKey, parseCheckpointText, verifyNote } from './checkpoint.ts';
import { LedgerFormatError, toBase64 } from './codec.ts';
import { EMPTY_ROOT, appendLeafHash, emptyRange, leafHash, rangeRoot, verifyConsistency, type Hash } from './merkle.ts';

export type AuditProblem = { code: string; message: string; index?: number; level?: number; treeSize?: number };
export type AuditReport = { orgId: string; treeSize: number; rootHash: string; checkpoints: number; ok: boolean; problems: AuditProblem[] };

const AUDIT_PAGE = 2000;
const nodeKey = (level: number, idx: number) => `${level}/${idx}`;

/**
 * Recomputes an org's log from the stored entry bytes, streaming: leaf hashes, canonical form,
 * every stored node, the root at each checkpoint, checkpoint signatures, and consistency
 * between consecutive checkpoints. Trusts nothing derived that the database holds.
 */
export async function auditLog(deps: {
  repos: Repos;
  origin: string;
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
  for (;;) {
    const page = await repos.ledger.entriesFrom(orgId, expected, AUDIT_PAGE);
    if (!page.length) break;
    const from = expected;
    const to = page[page.length - 1]!.idx + 1;
    // Stored nodes completed by leaves [from, to): at level L, indexes whose end falls in (from, to].
    const windows: { level: number; lo: number; hi: number }[] = [];
    for (let level = 0, w = 1; w <= to; level++, w *= 2) {
      const lo = Math.ceil((from + 1) / w) - 1;
      const hi = Math.floor(to / w) - 1;
      if (hi >= lo) windows.push({ level, lo, hi });
    }
    const stored = await repos.ledger.nodesInWindows(orgId, windows);
    for (const row of page) {
      if (row.idx !== expected) {
        problems.push({ code: 'entry_missing', index: expected, message: `entries ${expected}..${row.idx - 1} are missing` });
        // The tree cannot be recomputed past a gap.
        return finish();
      }
      const recomputed = leafHash(row.entry);
      if (!recomputed.equals(row.leafHash)) problems.push({ code: 'leaf_hash_mismatch', index: row.idx, message: `entry ${row.idx}: the stored leaf hash is not the hash of the stored entry bytes` });
      try {
        const parsed = parseEntry(row.entry);
        if (parsed.kind !== row.kind) problems.push({ code: 'kind_mismatch', index: row.idx, message: `entry ${row.idx}: the kind column differs from the kind in the entry bytes` });
      } catch (e) {
        problems.push({ code: e instanceof LedgerFormatError ? e.code : 'entry_invalid', index: row.idx, message: `entry ${row.idx}: ${(e as Error).message}` });
      }
      appendLeafHash(range, recomputed, (n, h) => {
        nodesSeen++;
        const s = stored.get(nodeKey(n.level, n.index));
        if (!s) problems.push({ code: 'node_missing', index: n.index, level: n.level, message: `node (${n.level}, ${n.index}) is missing` });
        else if (!s.equals(h)) problems.push({ code: 'node_mismatch', index: n.index, level: n.level, message: `stored node (${n.level}, ${n.index}) differs from the tree recomputed from the entries` });
      });
      expected++;
      if (wanted.has(expected)) rootsAt.set(expected, rangeRoot(range));
    }
    if (to !== expected) break;
  }
  return finish();

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
