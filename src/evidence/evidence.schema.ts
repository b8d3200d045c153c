import { z } from 'zod';
import { pageOf } from '../lib/pagination.ts';
import { evidenceKinds, evidenceStatuses } from './evidence.tables.ts';

export const evidenceLimits = { titleMax: 200, descriptionMax: 4000, bodyMax: 100_000, controlsMax: 50, urlMax: 2000 } as const;

export const evidenceParams = z.object({ orgId: z.string(), id: z.string().uuid() });

const isoDate = z.coerce.date();
/** Fields every kind of evidence shares; `seriesId` makes this a new version of existing evidence. */
export const evidenceMeta = z.object({
  title: z.string().trim().min(1, 'Give the evidence a title.').max(evidenceLimits.titleMax),
  description: z.string().trim().max(evidenceLimits.descriptionMax).default(''),
  controlIds: z.array(z.string().uuid()).min(1, 'Link the evidence to at least one control.').max(evidenceLimits.controlsMax),
  periodStart: isoDate.optional(),
  periodEnd: isoDate.optional(),
  seriesId: z.string().uuid().optional(),
  retentionDays: z.number().int().min(1).max(36_500).default(2557),
}).refine((m) => !m.periodStart || !m.periodEnd || m.periodStart <= m.periodEnd, { path: ['periodEnd'], message: 'The period ends before it starts.' });
export type EvidenceMeta = z.infer<typeof evidenceMeta>;

export const createRecordBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link'), url: z.string().trim().url().max(evidenceLimits.urlMax).refine((u) => /^https?:/i.test(u), 'Use an http(s) link.'), meta: evidenceMeta }),
  z.object({ kind: z.literal('text'), body: z.string().trim().min(1, 'Write the attestation.').max(evidenceLimits.bodyMax), meta: evidenceMeta }),
]);
export type CreateRecordBody = z.infer<typeof createRecordBody>;

export const reviewBody = z.object({
  decision: z.enum(['accepted', 'rejected']),
  reason: z.string().trim().max(2000).optional(),
}).refine((b) => b.decision === 'accepted' || (b.reason && b.reason.length > 0), { path: ['reason'], message: 'Say why the evidence is rejected.' });

export const legalHoldBody = z.object({ hold: z.boolean(), reason: z.string().trim().min(1).max(2000).optional() })
  .refine((b) => !b.hold || b.reason, { path: ['reason'], message: 'Say why the evidence is on hold.' });

export const evidenceQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  controlId: z.string().uuid().optional(),
  seriesId: z.string().uuid().optional(),
  status: z.enum(evidenceStatuses).optional(),
  kind: z.enum(evidenceKinds).optional(),
  q: z.string().trim().max(200).optional(),
});

export const evidenceResponse = z.object({
  id: z.string().uuid(), seriesId: z.string().uuid(), version: z.number().int(), kind: z.enum(evidenceKinds),
  title: z.string(), description: z.string(),
  sha256: z.string().nullable(), size: z.number().nullable(), mediaType: z.string().nullable(), fileName: z.string().nullable(),
  url: z.string().nullable(), body: z.string().nullable(), checkId: z.string().uuid().nullable(), checkStatus: z.enum(['pass', 'fail', 'error']).nullable(),
  controlIds: z.array(z.string().uuid()),
  periodStart: z.date().nullable(), periodEnd: z.date().nullable(), collectedAt: z.date(),
  collector: z.object({ kind: z.string(), userId: z.string().uuid().nullable(), label: z.string() }),
  status: z.enum(evidenceStatuses), reviewReason: z.string().nullable(), reviewedBy: z.string().uuid().nullable(), reviewedAt: z.date().nullable(),
  retentionUntil: z.string(), legalHold: z.boolean(), legalHoldReason: z.string().nullable(), purgedAt: z.date().nullable(),
  ledgerIndex: z.number().int().nullable(), createdAt: z.date(),
});
export const createdEvidenceResponse = z.object({ evidence: evidenceResponse, duplicate: z.boolean() });
export const evidencePage = pageOf(evidenceResponse);

export const verificationResponse = z.object({
  ledgerIndex: z.number().int().nullable(),
  /** The logged entry still describes the stored row (no later UPDATE). */
  recordMatches: z.boolean(),
  /** Size of the newest signed checkpoint that includes the entry, null while none does yet. */
  checkpointTreeSize: z.number().int().nullable(),
  /** For files: the stored bytes still hash to the logged SHA-256 (null for other kinds or purged files). */
  fileIntact: z.boolean().nullable(),
  state: z.enum(['verified', 'pending-checkpoint', 'mismatch', 'not-logged']),
  detail: z.string(),
});

/** The text fields of a file upload form (sent before the file part): the same meta, spelled as form fields. */
export const uploadFields = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  controlIds: z.string().default(''),
  periodStart: z.string().optional(),
  periodEnd: z.string().optional(),
  seriesId: z.string().optional(),
  retentionDays: z.string().optional(),
}).transform((f, ctx) => {
  const parsed = evidenceMeta.safeParse({
    ...f,
    controlIds: f.controlIds.split(',').map((s) => s.trim()).filter(Boolean),
    periodStart: f.periodStart || undefined,
    periodEnd: f.periodEnd || undefined,
    seriesId: f.seriesId || undefined,
    retentionDays: f.retentionDays ? Number(f.retentionDays) : undefined,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return parsed.data;
});
