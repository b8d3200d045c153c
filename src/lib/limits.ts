import { z } from 'zod';

/** Field limits shared by the API schemas, the CLI and the web UI. */
export const limits = { passwordMin: 12, passwordMax: 200, nameMax: 120, emailMax: 254, tokenNameMax: 80 } as const;

export const passwordSchema = z.string().min(limits.passwordMin, `Use at least ${limits.passwordMin} characters.`).max(limits.passwordMax);
export const emailSchema = z.string().trim().max(limits.emailMax).email('Enter a valid email address.').transform((e) => e.toLowerCase());
export const personNameSchema = z.string().trim().min(1, 'Enter a name.').max(limits.nameMax);
export const orgNameSchema = z.string().trim().min(2, 'Use at least 2 characters.').max(limits.nameMax);
