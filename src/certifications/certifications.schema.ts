import { z } from 'zod';
import { limits } from '../lib/limits.ts';
import { certificationKinds, certificationStatuses, coveredRoles, issuerRoles } from './certifications.tables.ts';

export const certificationIdParams = z.object({ orgId: z.string(), id: z.string().uuid() });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-09-30.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Not a calendar date.');
const shortText = z.string().trim().min(1).max(200);
const optDate = isoDate.nullish();
const optText = shortText.nullish();

/** Government programmes with a known name; others are accepted as free text. */
export const knownPrograms = ['FedRAMP', 'StateRAMP', 'IRAP', 'ENS', 'C5', 'ISMAP', 'K-ISMS', 'TISAX'] as const;

const kindDetails = [
  z.object({ kind: z.literal('certificate'), certificateNumber: optText, issuedOn: optDate, expiresOn: optDate }),
  z.object({ kind: z.literal('soc2-type1'), asOf: isoDate }),
  z.object({ kind: z.literal('soc2-type2'), periodStart: isoDate, periodEnd: isoDate }),
  z.object({ kind: z.literal('soc3'), periodStart: isoDate, periodEnd: isoDate }),
  z.object({ kind: z.literal('attestation-of-compliance'), issuedOn: optDate, expiresOn: optDate }),
  z.object({ kind: z.literal('code-of-conduct'), verificationId: optText, issuedOn: optDate, expiresOn: optDate }),
  z.object({ kind: z.literal('government-authorization'), program: shortText, level: shortText, issuedOn: optDate, expiresOn: optDate }),
  z.object({ kind: z.literal('other'), issuedOn: optDate, expiresOn: optDate }),
] as const;

/** The fields that depend on the kind, chosen by `kind`; dates must run forwards. */
export const certificationDetails = z.discriminatedUnion('kind', kindDetails).superRefine((d, ctx) => {
  const v = d as Record<string, unknown>;
  const order = (from: string, to: string, message: string) => {
    if (typeof v[from] === 'string' && typeof v[to] === 'string' && (v[from] as string) > (v[to] as string)) ctx.addIssue({ code: 'custom', path: [to], message });
  };
  order('periodStart', 'periodEnd', 'The period must end after it starts.');
  order('issuedOn', 'expiresOn', 'The expiry date must be after the issue date.');
});
const detailsResponse = z.discriminatedUnion('kind', kindDetails);

export const issuerSchema = z.object({ name: shortText, role: z.enum(issuerRoles) });
const productIds = z.array(z.string().uuid()).max(200);
const locations = z.array(z.string().trim().min(1).max(200)).max(100);

const common = {
  frameworkId: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1, 'Enter a name.').max(limits.nameMax),
  issuer: issuerSchema.nullish(),
  rolesCovered: z.array(z.enum(coveredRoles)).max(coveredRoles.length),
  inScope: productIds,
  outOfScope: productIds,
  scopeNotes: z.string().trim().max(4000),
  locations,
  public: z.boolean(),
};

export const createCertificationBody = z.object({
  ...common,
  details: certificationDetails,
  status: z.enum(certificationStatuses).default('planned'),
  reason: z.string().trim().max(1000).optional(),
  rolesCovered: common.rolesCovered.default([]),
  inScope: productIds.default([]),
  outOfScope: productIds.default([]),
  scopeNotes: common.scopeNotes.default(''),
  locations: locations.default([]),
  public: z.boolean().default(false),
});

export const updateCertificationBody = z.object({
  version: z.number().int().min(1),
  frameworkId: common.frameworkId.optional(),
  name: common.name.optional(),
  details: certificationDetails.optional(),
  issuer: common.issuer,
  rolesCovered: common.rolesCovered.optional(),
  inScope: productIds.optional(),
  outOfScope: productIds.optional(),
  scopeNotes: common.scopeNotes.optional(),
  locations: locations.optional(),
  public: z.boolean().optional(),
});

export const changeStatusBody = z.object({
  status: z.enum(certificationStatuses),
  reason: z.string().trim().min(1, 'Say why the status changes.').max(1000),
  version: z.number().int().min(1).optional(),
});

export const listCertificationsQuery = z.object({
  status: z.enum(certificationStatuses).optional(),
  frameworkId: z.string().max(100).optional(),
  kind: z.enum(certificationKinds).optional(),
});

const productRef = z.object({ id: z.string().uuid(), name: z.string(), slug: z.string(), archived: z.boolean() });
export const certificationResponse = z.object({
  id: z.string().uuid(), frameworkId: z.string(), name: z.string(), kind: z.enum(certificationKinds), status: z.enum(certificationStatuses),
  details: detailsResponse, issuer: issuerSchema.nullable(), rolesCovered: z.array(z.enum(coveredRoles)),
  inScope: z.array(productRef), outOfScope: z.array(productRef), scopeNotes: z.string(), locations: z.array(z.string()), public: z.boolean(),
  validUntil: z.string().nullable().describe('Last valid day: the expiry date, or for reports the period end (as-of / assessment date) plus the configured validity.'),
  nextStatuses: z.array(z.enum(certificationStatuses)),
  version: z.number().int(), createdAt: z.date(), updatedAt: z.date(),
});
export const historyEntry = z.object({
  id: z.string().uuid(), from: z.enum(certificationStatuses).nullable(), to: z.enum(certificationStatuses), reason: z.string(),
  actor: z.string(), actorUserId: z.string().uuid().nullable(), ledgerIndex: z.number().int().nullable(), at: z.date(),
});
export const certificationWithHistory = certificationResponse.extend({ history: z.array(historyEntry) });
export const certificationList = z.object({ items: z.array(certificationResponse) });
export const frameworkChoices = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });

export type CreateCertificationInput = z.infer<typeof createCertificationBody>;
export type UpdateCertificationInput = z.infer<typeof updateCertificationBody>;
export type ChangeStatusInput = z.infer<typeof changeStatusBody>;
export type CertificationDetails = z.infer<typeof certificationDetails>;
export type ListCertificationsFilter = z.infer<typeof listCertificationsQuery>;
