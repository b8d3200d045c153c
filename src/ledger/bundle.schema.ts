import { z } from 'zod';

/**
 * The evidence bundle: one self-contained JSON document proving that an entry is in a signed
 * log. Only `entry`, `inclusionProof`, `checkpoint` (and `index`) carry proof; `parsed`, `origin`
 * and `file` are conveniences for humans that verifyBundle checks against the proven data.
 */

export const BUNDLE_FORMAT = 'attest.evidence-bundle';
export const BUNDLE_VERSION = 1;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a base64 SHA-256 hash');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256 digest');

export const fileRefSchema = z.object({
  sha256: sha256Hex,
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
}).strict();

export const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  origin: z.string().min(1),
  index: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** The leaf bytes (JCS JSON of {kind, time, record}), base64. */
  entry: base64,
  parsed: z.object({ kind: z.string(), time: z.string(), record: z.record(z.string(), z.json()) }).strict(),
  /** RFC 9162 inclusion path, leaf side first. 64 levels covers any tree this code accepts. */
  inclusionProof: z.array(base64Hash).max(64),
  /** The signed checkpoint note (c2sp.org/tlog-checkpoint) the proof leads to. */
  checkpoint: z.string().min(1).max(64 * 1024),
  /** For file evidence; must equal `record.file` in the entry, which is what is actually signed. */
  file: fileRefSchema.optional(),
}).strict();

export type EvidenceBundle = z.infer<typeof bundleSchema>;
export type FileRef = z.infer<typeof fileRefSchema>;
