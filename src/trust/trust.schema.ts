import { z } from 'zod';
import { emailSchema, personNameSchema } from '../lib/limits.ts';

export const trustLimits = { companyMax: 200, reasonMin: 10, reasonMax: 2000, ndaLabelMax: 80, ndaTextMax: 100_000 } as const;

// These values end up in emails, PDF watermarks and the evidence log: no control characters.
const CONTROL = /\p{Cc}/u;
// A free-text reason may keep its line breaks, nothing else from the control range.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to name the forbidden control characters
const CONTROL_EXCEPT_NEWLINES = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const singleLine = (label: string, max: number) =>
  z.string().trim().min(1, `Enter the ${label.toLowerCase()}.`).max(max, `${label} is at most ${max} characters.`)
    .refine((v) => !CONTROL.test(v), `${label} must not contain control characters.`);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Must be a SHA-256 in lower-case hex.');

/**
 * A visitor asking for a gated document. `ndaSha256` is the NDA version the visitor was shown;
 * the service refuses the request when it is not the current one, so nobody accepts text they
 * never saw.
 */
export const accessRequestBody = z.object({
  name: personNameSchema.refine((v) => !CONTROL.test(v), 'Name must not contain control characters.'),
  email: emailSchema,
  company: singleLine('Company', trustLimits.companyMax),
  reason: z.string().trim()
    .min(trustLimits.reasonMin, `Say in at least ${trustLimits.reasonMin} characters why you need access.`)
    .max(trustLimits.reasonMax, `The reason is at most ${trustLimits.reasonMax} characters.`)
    .refine((v) => !CONTROL_EXCEPT_NEWLINES.test(v), 'The reason must not contain control characters.'),
  acceptNda: z.literal(true, { error: 'Accept the NDA to request access.' }),
  ndaSha256: sha256Hex,
  documentId: z.string().uuid().optional(),
});
export type AccessRequest = z.infer<typeof accessRequestBody>;

export const ndaVersionBody = z.object({
  label: singleLine('Label', trustLimits.ndaLabelMax),
  // Not trimmed: the hash covers exactly the text visitors will see.
  text: z.string().max(trustLimits.ndaTextMax, `The NDA text is at most ${trustLimits.ndaTextMax} characters.`)
    .refine((v) => v.trim().length > 0, 'Enter the NDA text.'),
});
export type NdaVersionBody = z.infer<typeof ndaVersionBody>;
