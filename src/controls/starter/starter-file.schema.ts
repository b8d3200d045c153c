/**
 * Schema of the built-in starter control set (`starter-controls.json` beside this file): common
 * controls written in our own words, each pre-mapped to requirements of the built-in catalogs, so
 * an org that selects frameworks can adopt a working control set instead of starting empty.
 */
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1);

export const controlFrequencies = ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'semi-annual', 'annual', 'event-driven'] as const;
export const controlNatureKinds = ['preventive', 'detective', 'corrective'] as const;
export const controlAutomation = ['manual', 'automated'] as const;

/** A requirement of a framework, by framework id and the requirement's official id. */
export const requirementRefSchema = z.object({ framework: nonEmpty, id: nonEmpty }).strict();

export const starterControlSchema = z.object({
  /** Stable code, e.g. "IAM-03"; unique in the file. */
  code: z.string().regex(/^[A-Z]{2,5}-\d{2,3}$/, 'Code must look like "IAM-03".'),
  title: nonEmpty.max(200),
  /** What the control does and how, in our own words. */
  description: nonEmpty.max(2000),
  /** Family the control belongs to, e.g. "Identity and access management". */
  domain: nonEmpty,
  frequency: z.enum(controlFrequencies),
  nature: z.enum(controlNatureKinds),
  automation: z.enum(controlAutomation),
  /** Requirements of built-in frameworks this control satisfies directly. */
  requirements: z.array(requirementRefSchema).min(1),
}).strict();

export const starterFileSchema = z.object({
  schemaVersion: z.literal(1),
  /** Bumped whenever the set changes, so orgs can be offered the additions. */
  version: z.number().int().positive(),
  controls: z.array(starterControlSchema).min(1),
}).strict().superRefine((file, ctx) => {
  const seen = new Set<string>();
  const titles = new Set<string>();
  file.controls.forEach((c, i) => {
    if (seen.has(c.code)) ctx.addIssue({ code: 'custom', path: ['controls', i, 'code'], message: `Duplicate code "${c.code}".` });
    seen.add(c.code);
    // Two controls with one title would be indistinguishable in the adoption picker.
    if (titles.has(c.title)) ctx.addIssue({ code: 'custom', path: ['controls', i, 'title'], message: `Duplicate title "${c.title}".` });
    titles.add(c.title);
    const refs = new Set<string>();
    c.requirements.forEach((r, j) => {
      const key = JSON.stringify([r.framework, r.id]);
      if (refs.has(key)) ctx.addIssue({ code: 'custom', path: ['controls', i, 'requirements', j], message: `Requirement ${r.framework} ${r.id} is listed twice.` });
      refs.add(key);
    });
  });
});

export type RequirementRef = z.infer<typeof requirementRefSchema>;
export type StarterControl = z.infer<typeof starterControlSchema>;
export type StarterFile = z.infer<typeof starterFileSchema>;
