import { z } from 'zod';
import { emailSchema, passwordSchema, personNameSchema } from '../lib/limits.ts';
import { roleSchema } from '../lib/roles.ts';

export const invitationParams = z.object({ orgId: z.string(), id: z.string().uuid() });
export const tokenParams = z.object({ token: z.string().min(10).max(200) });
export const createInvitationBody = z.object({ email: emailSchema, role: roleSchema });
export const invitationResponse = z.object({
  id: z.string().uuid(), email: z.string(), role: roleSchema, createdAt: z.date(), expiresAt: z.date(), acceptedAt: z.date().nullable(), revokedAt: z.date().nullable(),
});
export const invitationList = z.object({ items: z.array(invitationResponse) });
export const invitationLookupResponse = z.object({ orgName: z.string(), email: z.string(), role: roleSchema, userExists: z.boolean() });
export const acceptBody = z.object({ name: personNameSchema.optional(), password: passwordSchema.optional() });
export const acceptResponse = z.object({ orgId: z.string().uuid(), status: z.enum(['ok', 'totp_required', 'totp_enrolment_required']) });
