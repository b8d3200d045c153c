/** The shape CSV and OSCAL imports are parsed into, and exports are written from. */
import { z } from 'zod';
import type { FieldError } from '../lib/errors.ts';
import { controlAutomation, controlFrequencies, controlNatureKinds, type RequirementRef } from './starter/starter-file.schema.ts';
import { controlLimits, controlCodeSchema, lifecycleSchema } from './controls.schema.ts';

export type TransferControl = {
  code: string; title: string; description: string; ownerEmail: string | null;
  frequency: (typeof controlFrequencies)[number]; nature: (typeof controlNatureKinds)[number]; automation: (typeof controlAutomation)[number];
  lifecycle: z.infer<typeof lifecycleSchema>; scope: string[]; requirements: RequirementRef[];
};

/** A parsed control plus where each of its fields came from, so later checks can point at the file. */
export type LocatedControl = { control: TransferControl; at: (field: keyof TransferControl) => string };
export type ParsedImport = { controls: LocatedControl[]; faults: FieldError[] };

export const transferFieldSchemas = {
  code: controlCodeSchema,
  title: z.string().trim().min(1, 'A title is required.').max(controlLimits.titleMax),
  description: z.string().trim().max(controlLimits.descriptionMax),
  ownerEmail: z.string().trim().toLowerCase().email('Not a valid email address.').nullable(),
  frequency: z.enum(controlFrequencies, { message: `Use one of: ${controlFrequencies.join(', ')}.` }),
  nature: z.enum(controlNatureKinds, { message: `Use one of: ${controlNatureKinds.join(', ')}.` }),
  automation: z.enum(controlAutomation, { message: `Use one of: ${controlAutomation.join(', ')}.` }),
  lifecycle: z.enum(lifecycleSchema.options, { message: `Use one of: ${lifecycleSchema.options.join(', ')}.` }),
  scope: z.array(z.string().trim().min(1).max(controlLimits.scopeItemMax)).max(controlLimits.scopeMax),
  requirements: z.array(z.object({ framework: z.string().min(1).max(80), id: z.string().min(1).max(120) })).max(controlLimits.requirementsMax),
} satisfies Record<keyof TransferControl, z.ZodType>;

/** Validates each field on its own so one bad cell does not hide the others; faults go to `faults`. */
export function checkFields(raw: Record<keyof TransferControl, unknown>, at: LocatedControl['at'], faults: FieldError[]): TransferControl | undefined {
  const out: Partial<Record<keyof TransferControl, unknown>> = {};
  let ok = true;
  for (const key of Object.keys(transferFieldSchemas) as (keyof TransferControl)[]) {
    const parsed = transferFieldSchemas[key].safeParse(raw[key]);
    if (parsed.success) out[key] = parsed.data;
    else {
      ok = false;
      faults.push({ path: at(key), message: parsed.error.issues[0]?.message ?? 'Invalid value.' });
    }
  }
  return ok ? (out as TransferControl) : undefined;
}

/** Codes must be unique in one file: an upsert by code would otherwise apply the file's rows in an arbitrary order. */
export function checkDuplicateCodes(parsed: ParsedImport) {
  const first = new Map<string, LocatedControl>();
  for (const c of parsed.controls) {
    const seen = first.get(c.control.code);
    if (seen) parsed.faults.push({ path: c.at('code'), message: `Duplicate code "${c.control.code}" (first at ${seen.at('code')}).` });
    else first.set(c.control.code, c);
  }
}
