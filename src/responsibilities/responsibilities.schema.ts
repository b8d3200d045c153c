import { z } from 'zod';

export const responsibilityIdParams = z.object({ orgId: z.string(), id: z.string().uuid() });
const statement = z.string().trim().min(1, 'Write the statement.').max(2000);
const criterion = z.object({ framework: z.string().trim().min(1).max(100), id: z.string().trim().min(1).max(100) });
const criteria = z.array(criterion).max(100).transform((list) => list.filter((c, i) => list.findIndex((o) => o.framework === c.framework && o.id === c.id) === i));
const productIds = z.array(z.string().uuid()).max(200).transform((l) => [...new Set(l)]);

export const createResponsibilityBody = z.object({ statement, criteria: criteria.default([]), productIds: productIds.default([]), published: z.boolean().default(false) });
export const updateResponsibilityBody = z.object({
  version: z.number().int().min(1), statement: statement.optional(), criteria: criteria.optional(), productIds: productIds.optional(), published: z.boolean().optional(),
});
export const responsibilityResponse = z.object({
  id: z.string().uuid(), statement: z.string(), criteria: z.array(z.object({ framework: z.string(), id: z.string() })),
  products: z.array(z.object({ id: z.string().uuid(), name: z.string(), slug: z.string() })), published: z.boolean(), version: z.number(), createdAt: z.date(), updatedAt: z.date(),
});
export const responsibilityList = z.object({ items: z.array(responsibilityResponse) });
export const exportQuery = z.object({ format: z.enum(['csv', 'pdf']).default('csv'), product: z.string().uuid().optional() });

export type CreateResponsibilityInput = z.infer<typeof createResponsibilityBody>;
export type UpdateResponsibilityInput = z.infer<typeof updateResponsibilityBody>;
