import { z } from 'zod';
import { orgParams } from '../orgs/orgs.schema.ts';
import { documentKind, documentVisibility, ndaVersionBody } from '../trust/trust.schema.ts';
import { customerPlans, grantStatuses } from './trust-docs.tables.ts';

export { ndaVersionBody };
const text = (label: string, max: number) => z.string().trim().min(1, `Enter the ${label}.`).max(max, `The ${label} is at most ${max} characters.`);
const domain = z.string().trim().toLowerCase().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Enter a domain such as example.com.');

export const documentIdParams = orgParams.extend({ id: z.string().uuid() });
export const grantIdParams = orgParams.extend({ id: z.string().uuid() });
export const accountIdParams = orgParams.extend({ id: z.string().uuid() });

export const createDocumentBody = z.object({
  title: text('title', 200),
  kind: documentKind,
  /** Defaults to the kind's usual visibility (a SOC 3 public, a SOC 2 report gated). */
  visibility: documentVisibility.optional(),
  description: z.string().trim().max(2000).default(''),
});
export const updateDocumentBody = z.object({
  title: text('title', 200).optional(),
  visibility: documentVisibility.optional(),
  description: z.string().trim().max(2000).optional(),
});
export const versionFields = z.object({ label: text('version label', 80) });

const versionView = z.object({ id: z.string().uuid(), label: z.string(), sha256: z.string(), size: z.number(), pageCount: z.number(), filename: z.string(), ledgerIndex: z.number().nullable(), createdAt: z.date() });
export const documentView = z.object({
  id: z.string().uuid(), title: z.string(), kind: z.string(), visibility: documentVisibility, description: z.string(),
  current: versionView.nullable(), versions: z.array(versionView), createdAt: z.date(), updatedAt: z.date(),
});
export const documentList = z.object({ items: z.array(documentView) });

export const ndaView = z.object({ id: z.string().uuid(), label: z.string(), text: z.string(), sha256: z.string(), current: z.boolean(), createdAt: z.date() });
export const ndaList = z.object({ items: z.array(ndaView) });

export const grantView = z.object({
  id: z.string().uuid(), name: z.string(), email: z.string(), company: z.string(), reason: z.string(),
  requestedDocumentId: z.string().uuid().nullable(), ndaId: z.string().uuid(), ndaSha256: z.string(), acceptedAt: z.date(),
  status: z.enum([...grantStatuses, 'expired']), decidedBy: z.string().nullable(), decidedAt: z.date().nullable(), decisionNote: z.string().nullable(),
  expiresAt: z.date().nullable(), revokedAt: z.date().nullable(), createdAt: z.date(),
});
export const grantList = z.object({ items: z.array(grantView) });
export const listGrantsQuery = z.object({ status: z.enum(grantStatuses).optional() });
export const approveGrantBody = z.object({ days: z.number().int().min(1).max(365).optional() });
export const decisionBody = z.object({ note: z.string().trim().max(500).optional() });

export const rulesBody = z.object({
  allowedDomains: z.array(domain).max(200).transform((v) => [...new Set(v)]),
  autoApprovePlans: z.array(z.enum(customerPlans)).max(customerPlans.length).transform((v) => [...new Set(v)]),
  grantDays: z.number().int().min(1).max(365),
});
export const rulesView = z.object({ allowedDomains: z.array(z.string()), autoApprovePlans: z.array(z.enum(customerPlans)), grantDays: z.number() });

export const accountBody = z.object({
  companyName: text('company name', 200),
  emailDomains: z.array(domain).min(1, 'Add at least one email domain.').max(50).transform((v) => [...new Set(v)]),
  plan: z.enum(customerPlans),
});
export const accountPatch = accountBody.partial();
export const accountView = z.object({ id: z.string().uuid(), companyName: z.string(), emailDomains: z.array(z.string()), plan: z.enum(customerPlans), createdAt: z.date() });
export const accountList = z.object({ items: z.array(accountView) });

export const downloadView = z.object({
  id: z.string(), documentId: z.string().uuid(), versionId: z.string().uuid(), visibility: z.enum(['public', 'gated']), grantId: z.string().uuid().nullable(),
  name: z.string().nullable(), email: z.string().nullable(), company: z.string().nullable(), ip: z.string().nullable(), ledgerIndex: z.number().nullable(), at: z.date(),
});
export const downloadList = z.object({ items: z.array(downloadView) });

export type CreateDocumentInput = z.infer<typeof createDocumentBody>;
export type UpdateDocumentInput = z.infer<typeof updateDocumentBody>;
export type RulesInput = z.infer<typeof rulesBody>;
export type AccountInput = z.infer<typeof accountBody>;
