import { z } from 'zod';
import { controlAutomation, controlFrequencies, controlNatureKinds } from './starter/starter-file.schema.ts';
import { controlLifecycles } from './controls.tables.ts';

export const controlLimits = { codeMax: 40, titleMax: 200, descriptionMax: 10_000, scopeItemMax: 120, scopeMax: 50, requirementsMax: 500 } as const;

export const controlCodeSchema = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.')
  .max(controlLimits.codeMax);
export const requirementRefBody = z.object({
  framework: z.string().trim().min(1).max(80),
  id: z.string().trim().min(1).max(120),
}).strict();
const scopeSchema = z.array(z.string().trim().min(1).max(controlLimits.scopeItemMax)).max(controlLimits.scopeMax);
export const lifecycleSchema = z.enum(controlLifecycles);
/** Retiring has its own endpoint; an edit can bring a retired control back to any other stage. */
const editableLifecycle = z.enum(['draft', 'designed', 'implemented', 'operating']);

const fields = {
  title: z.string().trim().min(1, 'Enter a title.').max(controlLimits.titleMax),
  description: z.string().trim().max(controlLimits.descriptionMax),
  ownerUserId: z.string().uuid().nullable(),
  frequency: z.enum(controlFrequencies),
  nature: z.enum(controlNatureKinds),
  automation: z.enum(controlAutomation),
  lifecycle: editableLifecycle,
  scope: scopeSchema,
};

export const createControlBody = z.object({
  code: controlCodeSchema,
  ...fields,
  description: fields.description.default(''),
  ownerUserId: fields.ownerUserId.default(null),
  lifecycle: fields.lifecycle.default('draft'),
  scope: scopeSchema.default([]),
  requirements: z.array(requirementRefBody).max(controlLimits.requirementsMax).default([]),
}).strict();
export type CreateControlInput = z.infer<typeof createControlBody>;

export const updateControlBody = z.object({
  version: z.number().int().positive(),
  code: controlCodeSchema.optional(),
  title: fields.title.optional(),
  description: fields.description.optional(),
  ownerUserId: fields.ownerUserId.optional(),
  frequency: fields.frequency.optional(),
  nature: fields.nature.optional(),
  automation: fields.automation.optional(),
  lifecycle: fields.lifecycle.optional(),
  scope: scopeSchema.optional(),
}).strict();
export type UpdateControlInput = z.infer<typeof updateControlBody>;

export const setLinksBody = z.object({
  version: z.number().int().positive(),
  requirements: z.array(requirementRefBody).max(controlLimits.requirementsMax),
}).strict();
export const retireBody = z.object({ version: z.number().int().positive().optional() }).strict();

export const controlSorts = ['code', 'title', 'lifecycle', 'frequency', 'owner', 'updatedAt'] as const;
export const listControlsQuery = z.object({
  lifecycle: lifecycleSchema.optional(),
  owner: z.string().uuid().optional(),
  frequency: z.enum(controlFrequencies).optional(),
  framework: z.string().trim().min(1).max(80).optional(),
  q: z.string().trim().max(200).optional(),
  includeRetired: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  sort: z.enum(controlSorts).default('code'),
  dir: z.enum(['asc', 'desc']).default('asc'),
});
export type ListControlsQuery = z.infer<typeof listControlsQuery>;

export const controlIdParams = z.object({ orgId: z.string(), id: z.string().uuid() });

export const controlResponse = z.object({
  id: z.string().uuid(), code: z.string(), title: z.string(), description: z.string(),
  ownerUserId: z.string().uuid().nullable(), ownerEmail: z.string().nullable(),
  frequency: z.enum(controlFrequencies), nature: z.enum(controlNatureKinds), automation: z.enum(controlAutomation),
  lifecycle: lifecycleSchema, scope: z.array(z.string()),
  starterCode: z.string().nullable(), starterVersion: z.number().int().nullable(),
  version: z.number().int(), createdAt: z.date(), updatedAt: z.date(),
  frameworks: z.array(z.string()),
  requirementCount: z.number().int(),
});
export const controlDetail = controlResponse.extend({ requirements: z.array(z.object({ framework: z.string(), id: z.string() })) });
export const controlList = z.object({ items: z.array(controlResponse) });

export const starterQuery = z.object({
  frameworks: z.string().trim().min(1, 'Name at least one framework.').max(1000)
    .transform((s) => [...new Set(s.split(',').map((f) => f.trim()).filter(Boolean))]),
});
export const starterList = z.object({
  version: z.number().int(),
  items: z.array(z.object({
    code: z.string(), title: z.string(), description: z.string(), domain: z.string(),
    frequency: z.enum(controlFrequencies), nature: z.enum(controlNatureKinds), automation: z.enum(controlAutomation),
    requirements: z.array(z.object({ framework: z.string(), id: z.string() })),
    adopted: z.boolean(),
  })),
});
export const adoptBody = z.object({
  frameworks: z.array(z.string().trim().min(1).max(80)).min(1, 'Choose at least one framework.').max(50),
  codes: z.array(z.string().trim().min(1).max(40)).max(1000).optional(),
}).strict();
export const adoptResult = z.object({ adopted: z.array(z.string()), alreadyAdopted: z.array(z.string()) });

export const requirementOptionsQuery = z.object({ framework: z.string().trim().min(1).max(80), q: z.string().max(200).default('') });
export const requirementOptions = z.object({ items: z.array(z.object({ framework: z.string(), id: z.string(), title: z.string() })) });

export const importBody = z.object({
  format: z.enum(['csv', 'oscal']),
  content: z.string().min(1, 'The file is empty.'),
  /** OSCAL from elsewhere names requirements we may not know: import the controls and leave those unmapped. */
  allowUnknown: z.boolean().default(false),
}).strict();
export const importResult = z.object({ created: z.number().int(), updated: z.number().int(), unmapped: z.array(z.object({ framework: z.string(), id: z.string() })) });
export const exportQuery = z.object({ format: z.enum(['csv', 'oscal']).default('csv') });
export const frameworkOptions = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });
