/**
 * Zod schemas for the part of the OSCAL 1.0–1.2 catalog and profile JSON model that Attest reads.
 *
 * Every object is loose (unknown fields pass through untouched) because OSCAL content carries
 * much more than we interpret (roles, parties, assessment props…) and a resolved catalog must
 * hand it on. Only the fields our import and resolver depend on are checked, so a document
 * that is valid OSCAL is never rejected here, and one we cannot use fails at the exact field.
 */
import { z } from 'zod';

const text = z.string().trim().min(1);
/** OSCAL token: a letter or underscore, then letters, digits, '.', '-' or '_'. */
const token = z.string().regex(/^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u, 'Must be an OSCAL token (letters, digits, ".", "-", "_").');
const uuid = z
  .string()
  .regex(/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/, 'Must be a version 4 or 5 UUID.');

export const propSchema = z.looseObject({
  name: token,
  value: z.string(),
  ns: z.string().optional(),
  class: z.string().optional(),
});

export const linkSchema = z.looseObject({ href: z.string(), rel: z.string().optional(), text: z.string().optional() });

export const paramSchema = z.looseObject({
  id: token,
  class: z.string().optional(),
  label: z.string().optional(),
  values: z.array(z.string()).optional(),
  select: z.looseObject({ 'how-many': z.enum(['one', 'one-or-more']).optional(), choice: z.array(z.string()).optional() }).optional(),
  guidelines: z.array(z.looseObject({ prose: z.string() })).optional(),
  props: z.array(propSchema).optional(),
  links: z.array(linkSchema).optional(),
});

export const partSchema = z.looseObject({
  id: token.optional(),
  name: token,
  ns: z.string().optional(),
  class: z.string().optional(),
  title: z.string().optional(),
  prose: z.string().optional(),
  props: z.array(propSchema).optional(),
  links: z.array(linkSchema).optional(),
  get parts() {
    return z.array(partSchema).optional();
  },
});

export const controlSchema = z.looseObject({
  id: token,
  class: z.string().optional(),
  title: text,
  params: z.array(paramSchema).optional(),
  props: z.array(propSchema).optional(),
  links: z.array(linkSchema).optional(),
  parts: z.array(partSchema).optional(),
  /** Enhancements (e.g. AC-2(1)) are controls nested in their base control. */
  get controls() {
    return z.array(controlSchema).optional();
  },
});

export const groupSchema = z.looseObject({
  id: token.optional(),
  class: z.string().optional(),
  title: text,
  params: z.array(paramSchema).optional(),
  props: z.array(propSchema).optional(),
  links: z.array(linkSchema).optional(),
  parts: z.array(partSchema).optional(),
  get groups() {
    return z.array(groupSchema).optional();
  },
  controls: z.array(controlSchema).optional(),
});

export const metadataSchema = z.looseObject({
  title: text,
  version: text,
  'oscal-version': text,
  'last-modified': text,
  props: z.array(propSchema).optional(),
  links: z.array(linkSchema).optional(),
});

export const resourceSchema = z.looseObject({
  uuid,
  title: z.string().optional(),
  rlinks: z.array(z.looseObject({ href: text, 'media-type': z.string().optional() })).optional(),
});

export const backMatterSchema = z.looseObject({ resources: z.array(resourceSchema).optional() });

export const catalogSchema = z.looseObject({
  uuid,
  metadata: metadataSchema,
  params: z.array(paramSchema).optional(),
  controls: z.array(controlSchema).optional(),
  groups: z.array(groupSchema).optional(),
  'back-matter': backMatterSchema.optional(),
});

/** A control selection, used by include-controls and exclude-controls. */
export const selectControlSchema = z.looseObject({
  'with-child-controls': z.enum(['yes', 'no']).optional(),
  'with-ids': z.array(token).optional(),
  matching: z.array(z.looseObject({ pattern: text })).optional(),
});

export const importSchema = z.looseObject({
  href: text,
  'include-all': z.looseObject({}).optional(),
  'include-controls': z.array(selectControlSchema).optional(),
  'exclude-controls': z.array(selectControlSchema).optional(),
});

export const setParameterSchema = z.looseObject({
  'param-id': token,
  class: z.string().optional(),
  label: z.string().optional(),
  values: z.array(z.string()).optional(),
  select: paramSchema.shape.select,
  props: z.array(propSchema).optional(),
  links: z.array(linkSchema).optional(),
  constraints: z.array(z.looseObject({})).optional(),
  guidelines: z.array(z.looseObject({ prose: z.string() })).optional(),
});

export const removeSchema = z.looseObject({
  'by-name': z.string().optional(),
  'by-class': z.string().optional(),
  'by-id': z.string().optional(),
  'by-item-name': z.string().optional(),
  'by-ns': z.string().optional(),
});

export const addSchema = z.looseObject({
  position: z.enum(['before', 'after', 'starting', 'ending']).optional(),
  'by-id': token.optional(),
  title: z.string().optional(),
  params: z.array(paramSchema).optional(),
  props: z.array(propSchema).optional(),
  links: z.array(linkSchema).optional(),
  parts: z.array(partSchema).optional(),
});

export const alterSchema = z.looseObject({
  'control-id': token,
  removes: z.array(removeSchema).optional(),
  adds: z.array(addSchema).optional(),
});

export const mergeSchema = z.looseObject({
  'as-is': z.boolean().optional(),
  flat: z.looseObject({}).optional(),
  custom: z.looseObject({}).optional(),
  combine: z.looseObject({ method: z.string().optional() }).optional(),
});

export const profileSchema = z.looseObject({
  uuid,
  metadata: metadataSchema,
  imports: z.array(importSchema).min(1),
  merge: mergeSchema.optional(),
  modify: z
    .looseObject({ 'set-parameters': z.array(setParameterSchema).optional(), alters: z.array(alterSchema).optional() })
    .optional(),
  'back-matter': backMatterSchema.optional(),
});

export const catalogDocumentSchema = z.looseObject({ catalog: catalogSchema });
export const profileDocumentSchema = z.looseObject({ profile: profileSchema });

export type OscalProp = z.infer<typeof propSchema>;
export type OscalLink = z.infer<typeof linkSchema>;
export type OscalParam = z.infer<typeof paramSchema>;
export type OscalPart = z.infer<typeof partSchema>;
export type OscalControl = z.infer<typeof controlSchema>;
export type OscalGroup = z.infer<typeof groupSchema>;
export type OscalMetadata = z.infer<typeof metadataSchema>;
export type OscalResource = z.infer<typeof resourceSchema>;
export type OscalCatalog = z.infer<typeof catalogSchema>;
export type OscalProfile = z.infer<typeof profileSchema>;
export type OscalImport = z.infer<typeof importSchema>;
export type OscalSelectControl = z.infer<typeof selectControlSchema>;
export type OscalSetParameter = z.infer<typeof setParameterSchema>;
export type OscalAlter = z.infer<typeof alterSchema>;
export type OscalDocument = { kind: 'catalog'; doc: OscalCatalog } | { kind: 'profile'; doc: OscalProfile };
