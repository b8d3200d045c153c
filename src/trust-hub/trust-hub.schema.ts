import { z } from 'zod';
import { commitmentCategories } from './trust-hub.tables.ts';

const optUri = z.string().trim().min(1).max(500).nullish();
// Host names as DNS writes them: lower-case labels, at least one dot, no port.
const hostName = z.string().trim().toLowerCase().max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Use a host name such as trust.example.com (no scheme, port or path).');

export const securityTxtFields = z.object({
  expires: z.coerce.date({ message: 'Use a date and time such as 2027-06-30T00:00:00Z.' }).nullable().describe('Expiry of security.txt; RFC 9116 wants less than a year ahead.'),
  encryption: optUri, acknowledgments: optUri, policy: optUri, hiring: optUri,
  preferredLanguages: z.array(z.string().trim().min(1).max(35)).max(20).default([]),
});

export const hubSettingsBody = z.object({
  version: z.number().int().min(0).describe('The version the edit is based on; 0 before the first save.'),
  published: z.boolean(),
  displayName: z.string().trim().min(1, 'Enter the name customers know you by.').max(200),
  accentColor: z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #1c7ed6.'),
  intro: z.string().trim().max(4000).default(''),
  hosts: z.array(hostName).max(10).default([]).refine((h) => new Set(h).size === h.length, 'Each host name once.'),
  securityContacts: z.array(z.string().trim().min(1).max(500)).max(10).default([]),
  securityTxt: securityTxtFields.default({ expires: null, preferredLanguages: [] }),
});
export type HubSettingsInput = z.infer<typeof hubSettingsBody>;

export const hubSettingsResponse = z.object({
  published: z.boolean(), displayName: z.string(), accentColor: z.string(), intro: z.string(), hosts: z.array(z.string()),
  securityContacts: z.array(z.string()),
  securityTxt: z.object({
    expires: z.date().nullable(), encryption: z.string().nullable(), acknowledgments: z.string().nullable(), policy: z.string().nullable(),
    hiring: z.string().nullable(), preferredLanguages: z.array(z.string()),
  }),
  publishedAt: z.date().nullable(), version: z.number().int(),
  publicPath: z.string().describe('Where the hub is served on this instance: /trust/{org slug}.'),
});

const statement = z.string().trim().min(1, 'Write the commitment.').max(1000);
export const createCommitmentBody = z.object({
  statement, category: z.enum(commitmentCategories), controlId: z.string().uuid().nullable().default(null),
  published: z.boolean().default(false), position: z.number().int().min(0).max(10_000).default(0),
});
export const updateCommitmentBody = z.object({
  statement: statement.optional(), category: z.enum(commitmentCategories).optional(), controlId: z.string().uuid().nullable().optional(),
  published: z.boolean().optional(), position: z.number().int().min(0).max(10_000).optional(),
}).refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Nothing to change.' });
export type CreateCommitmentInput = z.infer<typeof createCommitmentBody>;
export type UpdateCommitmentInput = z.infer<typeof updateCommitmentBody>;

export const commitmentIdParams = z.object({ orgId: z.string(), id: z.string().uuid() });
export const commitmentResponse = z.object({
  id: z.string().uuid(), statement: z.string(), category: z.enum(commitmentCategories), controlId: z.string().uuid().nullable(),
  published: z.boolean(), publishedAt: z.date().nullable(), position: z.number().int(), createdAt: z.date(), updatedAt: z.date(),
});
export const commitmentList = z.object({ items: z.array(commitmentResponse) });

/** Unsaved form values the admin page's live preview shows before they are saved. */
export const previewQuery = z.object({
  displayName: z.string().trim().min(1).max(200).optional(),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  intro: z.string().max(4000).optional(),
});
export const slugParams = z.object({ slug: z.string().min(1).max(100) });
