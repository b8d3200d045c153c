import { z } from 'zod';
import { emailSchema, limits, orgNameSchema, passwordSchema, personNameSchema } from '../lib/limits.ts';
import { roleSchema } from '../lib/roles.ts';

export const loginBody = z.object({ email: z.string().trim().max(limits.emailMax), password: z.string().max(limits.passwordMax) });
export const loginResponse = z.object({ status: z.enum(['ok', 'totp_required', 'totp_enrolment_required']) });
export const codeBody = z.object({ code: z.string().trim().min(6).max(20) });
export const okResponse = z.object({ ok: z.literal(true) });

export const meResponse = z.object({
  user: z.object({ id: z.string().uuid(), email: z.string(), name: z.string(), totpEnabled: z.boolean() }),
  stage: z.enum(['full', 'totp', 'enrol']),
  memberships: z.array(z.object({ orgId: z.string().uuid(), orgName: z.string(), orgSlug: z.string(), role: roleSchema, requireTwoFactor: z.boolean() })),
  csrfToken: z.string(),
});

export const enrolResponse = z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() });
export const confirmResponse = z.object({ recoveryCodes: z.array(z.string()) });

export const setupStatusResponse = z.object({ needsSetup: z.boolean() });
export const setupBody = z.object({
  token: z.string().min(10).max(200), orgName: orgNameSchema, name: personNameSchema, email: emailSchema, password: passwordSchema,
});
