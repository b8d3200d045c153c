import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { canonicalEntry, parseEntry, sameJson } from './canonical.ts';
import type { LedgerEntry } from './canonical.ts';
import { verifyCheckpoint } from './checkpoint.ts';
import type { VerifierKey } from './checkpoint.ts';
import { LedgerFormatError, decodeBase64Strict, toBase64 } from './codec.ts';
import { inclusionProofLength, leafHash, verifyInclusion } from './merkle.ts';
import { BUNDLE_FORMAT, BUNDLE_VERSION, bundleSchema } from './bundle.schema.ts';
import type { EvidenceBundle, FileRef } from './bundle.schema.ts';

/**
 * Offline verification of evidence bundles: everything needed is in the bundle plus the log's
 * verifier key(s), which the auditor obtains out of band. No database, no network.
 */

export const BUNDLE_FAILURE_CODES = [
  'malformed_bundle', 'malformed_checkpoint', 'wrong_key', 'bad_signature', 'origin_mismatch',
  'index_out_of_range', 'truncated_proof', 'inclusion_mismatch', 'entry_record_mismatch', 'file_mismatch',
] as const;
export type BundleFailureCode = (typeof BUNDLE_FAILURE_CODES)[number];

export type BundleVerification =
  | {
    ok: true; origin: string; index: number; treeSize: number; rootHash: string; entry: LedgerEntry;
    signedBy: string[]; file: FileRef | null; fileChecked: boolean;
  }
  | { ok: false; code: BundleFailureCode; reason: string };

export type VerifyBundleOptions = {
  /** The evidence file itself; checked against the digest and size recorded in the entry. */
  fileBytes?: Uint8Array;
  /** Alternatively its SHA-256 (hex), e.g. from sha256File for large files. */
  fileSha256?: string;
  /** The log the auditor expects; without it any log signed by a trusted key is accepted. */
  origin?: string;
};

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Streams a file through SHA-256, so evidence of any size hashes in constant memory. */
export async function sha256File(path: string): Promise<FileRef> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  await pipeline(fs.createReadStream(path), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      size += chunk.length;
      hash.update(chunk);
    }
  });
  return { sha256: hash.digest('hex'), size };
}

/** Assembles a bundle from what the log layer has; the file ref, if any, is taken from `record.file`. */
export function buildBundle(input: { index: number; entry: LedgerEntry; inclusionProof: readonly Uint8Array[]; checkpoint: string; origin: string }): EvidenceBundle {
  const bytes = canonicalEntry(input.entry);
  const file = fileRefOf(input.entry);
  const bundle: EvidenceBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    origin: input.origin,
    index: input.index,
    entry: toBase64(bytes),
    parsed: { kind: input.entry.kind, time: input.entry.time, record: input.entry.record },
    inclusionProof: input.inclusionProof.map(toBase64),
    checkpoint: input.checkpoint,
    ...(file ? { file } : {}),
  };
  return bundleSchema.parse(bundle);
}

/** The file an entry is about, by convention `record.file = {sha256, size}`; null if absent or not that shape. */
export function fileRefOf(entry: LedgerEntry): FileRef | null {
  const parsed = bundleSchema.shape.file.safeParse(entry.record['file']);
  return parsed.success && parsed.data ? parsed.data : null;
}

const fail = (code: BundleFailureCode, reason: string): BundleVerification => ({ ok: false, code, reason });

/**
 * Checks, in order: shape, checkpoint signature, origin, that the proof links the entry bytes to
 * the signed root, that the human-readable fields match the proven bytes, then the file.
 */
export function verifyBundle(bundleJson: string | unknown, verifierKeys: ReadonlyArray<string | VerifierKey>, opts: VerifyBundleOptions = {}): BundleVerification {
  let raw: unknown = bundleJson;
  if (typeof bundleJson === 'string') {
    try {
      raw = JSON.parse(bundleJson);
    } catch {
      return fail('malformed_bundle', 'bundle is not valid JSON');
    }
  }
  const shape = bundleSchema.safeParse(raw);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    return fail('malformed_bundle', `bundle field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const b = shape.data;

  const cp = verifyCheckpoint(b.checkpoint, verifierKeys, { origin: opts.origin });
  if (!cp.ok) return fail(cp.code, cp.reason);
  const { size, rootHash, origin } = cp.checkpoint;
  if (b.origin !== origin) return fail('origin_mismatch', `bundle says origin ${JSON.stringify(b.origin)} but its checkpoint is for ${JSON.stringify(origin)}`);
  if (b.index >= size) return fail('index_out_of_range', `entry index ${b.index} is not in the signed tree of size ${size}`);

  let entryBytes: Buffer;
  let proof: Buffer[];
  try {
    entryBytes = decodeBase64Strict(b.entry, 'entry');
    proof = b.inclusionProof.map((h, i) => decodeBase64Strict(h, `inclusion proof hash ${i}`));
  } catch (err) {
    return fail('malformed_bundle', (err as Error).message);
  }
  const expected = inclusionProofLength(b.index, size);
  if (proof.length < expected) {
    return fail('truncated_proof', `inclusion proof has ${proof.length} hashes; entry ${b.index} of a ${size}-entry tree needs ${expected}`);
  }
  if (proof.length > expected || !verifyInclusion(leafHash(entryBytes), b.index, size, proof, rootHash)) {
    return fail('inclusion_mismatch', `entry ${b.index} with this proof does not lead to the signed root of the ${size}-entry tree: the entry or the proof was altered, or they belong to another log`);
  }

  // From here the entry bytes are proven; the rest checks that the readable copies agree with them.
  let entry: LedgerEntry;
  try {
    entry = parseEntry(entryBytes);
  } catch (err) {
    const msg = err instanceof LedgerFormatError ? err.message : String(err);
    return fail('entry_record_mismatch', `the logged entry bytes are not a valid canonical entry: ${msg}`);
  }
  if (!sameJson(entry, b.parsed)) return fail('entry_record_mismatch', 'the readable kind/time/record in the bundle differ from the logged entry');
  const recorded = fileRefOf(entry);
  if (b.file !== undefined && !(recorded && sameJson(recorded, b.file))) {
    return fail('entry_record_mismatch', "the bundle's file digest is not the one recorded in the logged entry");
  }

  let fileChecked = false;
  if (opts.fileBytes !== undefined || opts.fileSha256 !== undefined) {
    if (!recorded) return fail('file_mismatch', 'a file was supplied, but this entry does not record any file');
    if (opts.fileBytes !== undefined) {
      if (opts.fileBytes.length !== recorded.size) return fail('file_mismatch', `the file is ${opts.fileBytes.length} bytes; the logged entry records ${recorded.size}`);
      if (sha256Hex(opts.fileBytes) !== recorded.sha256) return fail('file_mismatch', 'the file SHA-256 differs from the digest recorded in the logged entry');
    }
    if (opts.fileSha256 !== undefined && opts.fileSha256.toLowerCase() !== recorded.sha256) {
      return fail('file_mismatch', `the file SHA-256 ${opts.fileSha256} differs from the digest recorded in the logged entry (${recorded.sha256})`);
    }
    fileChecked = true;
  }
  return { ok: true, origin, index: b.index, treeSize: size, rootHash: toBase64(rootHash), entry, signedBy: cp.signedBy, file: recorded, fileChecked };
}
