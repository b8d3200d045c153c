import { z } from 'zod';
import { pageOf } from '../lib/pagination.ts';

const index = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a base64 SHA-256 hash');

export const ledgerParams = z.object({ orgId: z.string() });
export const entryParams = z.object({ orgId: z.string(), index });
export const slugParams = z.object({ orgSlug: z.string().max(100) });

export const inclusionQuery = z.object({ index: index.optional(), leafHash: base64Hash.optional(), treeSize: index.optional() })
  .refine((q) => (q.index === undefined) !== (q.leafHash === undefined), { message: 'Give exactly one of index or leafHash.' });
export const consistencyQuery = z.object({ from: index, to: index });
export const checkpointsQuery = z.object({ cursor: z.string().regex(/^\d{1,16}$/).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export const entryResponse = z.object({
  index: z.number().int(), kind: z.string(), entry: z.string().describe('canonical entry bytes (RFC 8785 JSON), base64'),
  leafHash: z.string(), parsed: z.object({ kind: z.string(), time: z.string(), record: z.record(z.string(), z.unknown()) }).nullable(), createdAt: z.date(),
});
export const checkpointResponse = z.object({
  treeSize: z.number().int(), rootHash: z.string(), note: z.string().describe('signed note (c2sp.org/tlog-checkpoint)'), keyId: z.string(), createdAt: z.date(),
});
export const statusResponse = z.object({
  origin: z.string().describe('checkpoint origin and key name'), slug: z.string().describe('org slug, as in /.well-known/attest/<slug>/log-keys'),
  treeSize: z.number().int().describe('entries in the log now'), latestCheckpoint: checkpointResponse.nullable(),
  activeKeyId: z.string().nullable().describe('the key that signs new checkpoints (null until the first one)'),
});
export const checkpointsPage = pageOf(checkpointResponse);
export const inclusionResponse = z.object({ index: z.number().int(), treeSize: z.number().int(), leafHash: z.string(), rootHash: z.string(), hashes: z.array(z.string()) });
export const consistencyResponse = z.object({ from: z.number().int(), to: z.number().int(), fromRoot: z.string(), toRoot: z.string(), hashes: z.array(z.string()) });
export const keyResponse = z.object({ keyId: z.string(), name: z.string(), vkey: z.string(), active: z.boolean(), createdAt: z.date(), retiredAt: z.date().nullable() });
const auditProblem = z.object({
  code: z.string(), message: z.string(), index: z.number().int().optional(), level: z.number().int().optional(), treeSize: z.number().int().optional(),
});
export const auditRecordResponse = z.object({
  id: z.string().uuid(), orgId: z.string(),
  trigger: z.enum(['schedule', 'manual', 'cli']).describe('what ran it: the daily job, "Run audit now" (this API), or `attest log audit`'),
  startedAt: z.date(), finishedAt: z.date(),
  treeSize: z.number().int().describe('entries recomputed'), rootHash: z.string().describe('root of the recomputed tree, base64'),
  checkpoints: z.number().int().describe('checkpoints checked'), ok: z.boolean(),
  problemCount: z.number().int().describe('problems found; `problems` lists the first 100'),
  problems: z.array(auditProblem),
});
export const bundleResponse = z.object({
  format: z.string(), version: z.number().int(), origin: z.string(), index: z.number().int(), entry: z.string(),
  parsed: z.object({ kind: z.string(), time: z.string(), record: z.record(z.string(), z.unknown()) }),
  inclusionProof: z.array(z.string()), checkpoint: z.string(), file: z.object({ sha256: z.string(), size: z.number().int() }).optional(),
});
export const logKeysResponse = z.object({ origin: z.string(), keys: z.array(z.string()).describe('verifier keys (vkey format), active and retired') });
