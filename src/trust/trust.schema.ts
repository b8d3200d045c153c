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

/** public: anyone; gated: only under an access grant with an accepted NDA; private: members only. */
export const documentVisibility = z.enum(['public', 'gated', 'private']);
export type DocumentVisibility = z.infer<typeof documentVisibility>;

/**
 * Kinds of documents a Trust Hub publishes, with the visibility they usually get: a SOC 3 and
 * certificates are meant for the public, audit reports are handed out under NDA.
 */
export const documentKinds = {
  'soc3-report': { label: 'SOC 3 report', visibility: 'public' },
  'iso-certificate': { label: 'ISO certificate', visibility: 'public' },
  'soc2-type1-report': { label: 'SOC 2 Type I report', visibility: 'gated' },
  'soc2-type2-report': { label: 'SOC 2 Type II report', visibility: 'gated' },
  'bridge-letter': { label: 'Bridge letter', visibility: 'gated' },
  'pci-aoc': { label: 'PCI DSS attestation of compliance', visibility: 'gated' },
  'c5-report': { label: 'C5 report', visibility: 'gated' },
  'pentest-summary': { label: 'Penetration test summary', visibility: 'gated' },
  'policy': { label: 'Policy', visibility: 'private' },
  'other': { label: 'Other document', visibility: 'private' },
} as const satisfies Record<string, { label: string; visibility: DocumentVisibility }>;
export type DocumentKind = keyof typeof documentKinds;
export const documentKind = z.enum(Object.keys(documentKinds) as [DocumentKind, ...DocumentKind[]]);
