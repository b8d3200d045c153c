import { z } from 'zod';
import { limits } from '../lib/limits.ts';
import { productKinds } from './products.tables.ts';

export const productIdParams = z.object({ orgId: z.string(), id: z.string().uuid() });
export const productListQuery = z.object({ includeArchived: z.enum(['true', 'false']).optional().transform((v) => v === 'true') });

const name = z.string().trim().min(1, 'Enter a name.').max(limits.nameMax);
const slug = z.string().trim().min(1).max(80).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single dashes.');
const description = z.string().trim().max(2000);

export const createProductBody = z.object({
  name, slug: slug.optional(), kind: z.enum(productKinds).default('product'), description: description.default(''), public: z.boolean().default(false),
});
export const updateProductBody = z.object({
  name: name.optional(), slug: slug.optional(), kind: z.enum(productKinds).optional(), description: description.optional(), public: z.boolean().optional(),
  archived: z.boolean().optional(),
}).refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Nothing to change.' });

export const productResponse = z.object({
  id: z.string().uuid(), name: z.string(), slug: z.string(), kind: z.enum(productKinds), description: z.string(), public: z.boolean(),
  archivedAt: z.date().nullable(), createdAt: z.date(), updatedAt: z.date(),
});
export const productList = z.object({ items: z.array(productResponse) });
export const deleteProductResponse = z.object({ outcome: z.enum(['deleted', 'archived']), product: productResponse.nullable() });

export type CreateProductInput = z.infer<typeof createProductBody>;
export type UpdateProductInput = z.infer<typeof updateProductBody>;
