import { HASH_SIZE, checkSize, isPowerOfTwo, nodeHash, perfectNodesOf, splitPoint } from './tree-hash.ts';
import type { Hash, LeafRange, NodeId, SubtreeHashFn } from './tree-hash.ts';

/**
 * RFC 9162 §2.1.3 (inclusion) and §2.1.4 (consistency) proofs. Generation is split into a pure
 * "which subtrees" step and a "hash them" step so that a database can fetch exactly the stored
 * nodes a proof needs (see tree-hash.ts for the storage model) in a single query.
 */

export {
  EMPTY_ROOT, FIRST_STORED_LEVEL, HASH_SIZE, appendLeafHash, completeNodes, isStoredLevel, storedNodesFor, buildLevels, compactRangeNodes, emptyRange, leafHash, leafHashOfPrefixed, nodeHash,
  perfectNodesOf, rangeRoot, rootFromLeafHashes, splitPoint, subtreeHashFromLeaves, subtreeHashFromNodes,
} from './tree-hash.ts';
export type { CompactRange, Hash, LeafRange, NodeId, SubtreeHashFn } from './tree-hash.ts';

/** Subtrees whose hashes make up PATH(index, D[0:size]), in proof order (leaf side first). */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  checkSize(size, 'size');
  checkSize(index, 'index');
  if (index >= size) throw new RangeError(`index ${index} is not in a tree of size ${size}`);
  const outerFirst: LeafRange[] = [];
  let start = 0;
  let end = size;
  // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k, else PATH(m - k, D[k:n]) : MTH(D[0:k]).
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index - start < k) {
      outerFirst.push({ start: start + k, end });
      end = start + k;
    } else {
      outerFirst.push({ start, end: start + k });
      start += k;
    }
  }
  return outerFirst.reverse();
}

/** Subtrees whose hashes make up PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true), in proof order. */
export function consistencyProofRanges(m: number, n: number): LeafRange[] {
  checkSize(m, 'm');
  checkSize(n, 'n');
  if (m > n) throw new RangeError(`old size ${m} is larger than new size ${n}`);
  // The RFC defines proofs for 0 < m < n only; the other cases are trivially consistent.
  if (m === 0 || m === n) return [];
  const outerFirst: LeafRange[] = [];
  let base: LeafRange | null = null;
  let start = 0;
  let end = n;
  let complete = true; // the RFC's flag b: is this subtree the whole old tree's left edge?
  for (;;) {
    if (m === end) {
      // SUBPROOF(m, D[m], b) is {} when b is true (verifier has the old root) else {MTH(D[m])}.
      if (!complete) base = { start, end };
      break;
    }
    const k = splitPoint(end - start);
    if (m - start <= k) {
      outerFirst.push({ start: start + k, end });
      end = start + k;
    } else {
      outerFirst.push({ start, end: start + k });
      start += k;
      complete = false;
    }
  }
  const ranges = outerFirst.reverse();
  return base ? [base, ...ranges] : ranges;
}

function nodesFor(ranges: LeafRange[]): NodeId[] {
  const seen = new Set<string>();
  const out: NodeId[] = [];
  for (const r of ranges) {
    for (const node of perfectNodesOf(r.start, r.end)) {
      const key = `${node.level}/${node.index}`;
      if (!seen.has(key)) { seen.add(key); out.push(node); }
    }
  }
  return out;
}

/** The stored nodes an inclusion proof needs: O(log n) of them, fetchable in one query. */
export function inclusionProofNodes(index: number, size: number): NodeId[] {
  return nodesFor(inclusionProofRanges(index, size));
}

export function consistencyProofNodes(m: number, n: number): NodeId[] {
  return nodesFor(consistencyProofRanges(m, n));
}

export function inclusionProof(index: number, size: number, subtreeHash: SubtreeHashFn): Hash[] {
  return inclusionProofRanges(index, size).map((r) => subtreeHash(r.start, r.end));
}

export function consistencyProof(m: number, n: number, subtreeHash: SubtreeHashFn): Hash[] {
  return consistencyProofRanges(m, n).map((r) => subtreeHash(r.start, r.end));
}

/** How many hashes a correct inclusion proof has; lets verifiers tell "truncated" from "wrong". */
export function inclusionProofLength(index: number, size: number): number {
  return inclusionProofRanges(index, size).length;
}

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

const isOdd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2. Returns false (never throws) for any malformed input. */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

/**
 * RFC 9162 §2.1.4.2, plus the cases the RFC leaves out: m == n is consistent only with an empty
 * proof and equal roots, and m == 0 (the empty tree) is consistent with anything given an empty proof.
 */
export function verifyConsistency(m: number, n: number, proof: readonly Uint8Array[], oldRoot: Uint8Array, newRoot: Uint8Array): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (m === 0) return proof.length === 0;
  if (m === n) return proof.length === 0 && sameHash(oldRoot, newRoot);
  if (proof.length === 0) return false;
  const path: readonly Uint8Array[] = isPowerOfTwo(m) ? [oldRoot, ...proof] : proof;
  let fn = m - 1;
  let sn = n - 1;
  while (isOdd(fn)) { fn = half(fn); sn = half(sn); }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, oldRoot) && sameHash(sr, newRoot);
}
