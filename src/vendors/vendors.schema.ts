import { z } from 'zod';
import { emailSchema, limits } from '../lib/limits.ts';
import { changeKinds, changeStatuses } from './vendors.tables.ts';

export const vendorIdParams = z.object({ orgId: z.string(), id: z.string().uuid() });
export const vendorListQuery = z.object({ includeRemoved: z.enum(['true', 'false']).optional().transform((v) => v === 'true') });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-12-31.').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Not a real date.');
const country = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Use a two-letter ISO 3166 country code, e.g. DE.')
  .refine((c) => new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(c) !== undefined, 'Not an ISO 3166 country code.');
const text = (max: number) => z.string().trim().max(max);
const website = z.string().trim().max(500).url('Enter a full URL, e.g. https://vendor.example').refine((u) => /^https?:\/\//i.test(u), 'Use an http or https URL.');

const vendorFields = {
  name: z.string().trim().min(1, 'Enter a name.').max(limits.nameMax),
  services: text(500),
  purpose: text(500),
  countries: z.array(country).max(250).transform((c) => [...new Set(c)]),
  dataCategories: z.array(z.string().trim().min(1).max(80)).max(50).transform((c) => [...new Set(c)]),
  subprocessor: z.boolean(),
  dpaDate: isoDate.nullable(),
  website: website.nullable(),
  productIds: z.array(z.string().uuid()).max(200).transform((c) => [...new Set(c)]),
};
export const createVendorBody = z.object({
  ...vendorFields, services: vendorFields.services.default(''), purpose: vendorFields.purpose.default(''), countries: vendorFields.countries.default([]),
  dataCategories: vendorFields.dataCategories.default([]), subprocessor: vendorFields.subprocessor.default(false), dpaDate: vendorFields.dpaDate.default(null),
  website: vendorFields.website.default(null), productIds: vendorFields.productIds.default([]),
}).refine((v) => !v.subprocessor || v.purpose.length > 0, { message: 'A sub-processor needs a purpose.', path: ['purpose'] });
export const updateVendorBody = z.object(Object.fromEntries(Object.entries(vendorFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof vendorFields]: z.ZodOptional<(typeof vendorFields)[K]> })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Nothing to change.' });

export const vendorResponse = z.object({
  id: z.string().uuid(), name: z.string(), services: z.string(), purpose: z.string(), countries: z.array(z.string()), dataCategories: z.array(z.string()),
  subprocessor: z.boolean(), dpaDate: z.string().nullable(), website: z.string().nullable(), productIds: z.array(z.string()),
  removedAt: z.date().nullable(), createdAt: z.date(), updatedAt: z.date(),
});
export const changeResponse = z.object({
  id: z.string().uuid(), vendorId: z.string().uuid(), vendorName: z.string(), kind: z.enum(changeKinds), summary: z.string(), status: z.enum(changeStatuses),
  announcedAt: z.date().nullable(), effectiveAt: z.string().nullable(), objectionsOpen: z.boolean(), ledgerIndex: z.number().nullable(), createdAt: z.date(),
});
export const objectionResponse = z.object({ id: z.string().uuid(), changeId: z.string().uuid(), name: z.string(), email: z.string(), company: z.string(), reason: z.string(), createdAt: z.date() });
export const vendorSaved = z.object({ vendor: vendorResponse, changes: z.array(changeResponse) });
export const vendorList = z.object({ items: z.array(vendorResponse) });
export const changeList = z.object({ items: z.array(changeResponse.extend({ objections: z.array(objectionResponse) })) });
export const changeListQuery = z.object({ status: z.enum(changeStatuses).optional() });
export const announceBody = z.object({ effectiveAt: isoDate });
export const subscriberList = z.object({ items: z.array(z.object({ id: z.string().uuid(), email: z.string(), confirmedAt: z.date().nullable(), unsubscribedAt: z.date().nullable(), createdAt: z.date() })) });

// Public hub forms (urlencoded): the CSRF field is checked separately.
export const subscribeForm = z.object({ email: emailSchema });
export const objectionForm = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(limits.nameMax), email: emailSchema,
  company: z.string().trim().min(1, 'Enter your company.').max(200), reason: z.string().trim().min(1, 'Tell us why you object.').max(4000),
});

export type CreateVendorInput = z.infer<typeof createVendorBody>;
export type UpdateVendorInput = z.infer<typeof updateVendorBody>;
export type ObjectionInput = z.infer<typeof objectionForm>;
