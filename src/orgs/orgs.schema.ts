import { z } from 'zod';
import { orgNameSchema } from '../lib/limits.ts';
import { roleSchema } from '../lib/roles.ts';
import { pageOf } from '../lib/pagination.ts';

export const orgParams = z.object({ orgId: z.string() });
export const memberParams = z.object({ orgId: z.string(), userId: z.string().uuid() });

export const orgResponse = z.object({ id: z.string().uuid(), name: z.string(), slug: z.string(), requireTwoFactor: z.boolean(), createdAt: z.date() });
export const createOrgBody = z.object({ name: orgNameSchema });
export const updateOrgBody = z.object({ name: orgNameSchema.optional(), requireTwoFactor: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.requireTwoFactor !== undefined, { message: 'Nothing to change.' });

export const memberResponse = z.object({
  userId: z.string().uuid(), email: z.string(), name: z.string(), role: roleSchema, disabled: z.boolean(), totpEnabled: z.boolean(), joinedAt: z.date(),
});
export const membersPage = pageOf(memberResponse);
export const changeRoleBody = z.object({ role: roleSchema });
export const roleResponse = z.object({ userId: z.string().uuid(), role: roleSchema });
