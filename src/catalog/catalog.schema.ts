import { z } from 'zod';
import { FRAMEWORK_ORIGINS, MAPPING_RELATIONSHIPS } from './catalog.tables.ts';

const frameworkId = z.string().min(1).max(100);
export const orgParams = z.object({ orgId: z.string() });
export const frameworkParams = z.object({ orgId: z.string(), frameworkId });
export const requirementParams = z.object({ orgId: z.string(), frameworkId, requirementId: z.string().min(1).max(200) });

export const searchQuery = z.object({
  q: z.string().max(200).optional().describe('text matched against id, title and summary'),
  framework: frameworkId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const importQuery = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,79}$/, 'lower-case letters, digits, dots and dashes').optional()
    .describe('framework id to import into (default: derived from the metadata title); a built-in id makes this org\'s own version of it'),
  fileName: z.string().max(255).optional().describe('the file\'s name; profile imports resolve against the org\'s imported catalogs by file name or title'),
});
export const exportQuery = z.object({ version: z.coerce.number().int().positive().optional(), format: z.enum(['oscal-catalog']).default('oscal-catalog') });
export const mappingsExportQuery = z.object({ from: frameworkId.optional(), to: frameworkId.optional() });
export const scopeBody = z.object({ frameworkIds: z.array(frameworkId).max(500) });

export const frameworkSummary = z.object({
  id: z.string(), name: z.string(), version: z.number().int().describe('version of this framework id as stored (built-in file version, or import count)'),
  frameworkVersion: z.string().describe('version of the framework itself, e.g. "2022" or "5.0.1"'),
  publisher: z.string(), origin: z.enum(FRAMEWORK_ORIGINS), requirementCount: z.number().int(), sourceNote: z.string(),
  owner: z.enum(['builtin', 'org']), createdAt: z.date(), inScope: z.boolean(),
});
const attrs = z.record(z.string(), z.unknown());
type Node = { id: string; kind: 'group' | 'requirement'; title: string; summary: string; attrs: Record<string, unknown>; children: Node[] };
export const treeNode: z.ZodType<Node> = z.object({
  id: z.string(), kind: z.enum(['group', 'requirement']), title: z.string(), summary: z.string(), attrs,
  get children() { return z.array(treeNode); },
});
export const frameworkDetail = frameworkSummary.extend({ requirements: z.array(treeNode) });
export const searchHit = z.object({
  frameworkId: z.string(), frameworkName: z.string(), requirementId: z.string(), parentId: z.string().nullable(),
  kind: z.enum(['group', 'requirement']), title: z.string(), summary: z.string(),
});
const relatedRequirement = z.object({
  framework: z.string(), id: z.string(), title: z.string().nullable().describe('null when this org does not see that requirement'),
  relationship: z.enum(MAPPING_RELATIONSHIPS), rationale: z.string(), source: z.string(), builtin: z.boolean(),
});
export const requirementDetail = z.object({
  framework: z.string(), frameworkVersion: z.number().int(), id: z.string(), parentId: z.string().nullable(), kind: z.enum(['group', 'requirement']),
  title: z.string(), summary: z.string(), statement: z.string().nullable().describe('official statement text, where an OSCAL import carried it'),
  tags: z.array(z.string()), attrs, params: z.array(z.unknown()).nullable(), props: z.array(z.unknown()).nullable(),
  mappings: z.object({
    outgoing: z.array(relatedRequirement).describe('this requirement <relationship> the other'),
    incoming: z.array(relatedRequirement).describe('the other <relationship> this requirement'),
  }),
  controls: z.array(z.looseObject({ id: z.string(), title: z.string() })),
});
export const importResult = z.object({
  id: z.string(), version: z.number().int(), name: z.string(), origin: z.enum(FRAMEWORK_ORIGINS), requirementCount: z.number().int(), groupCount: z.number().int(),
});
export const oscalCatalogDocument = z.looseObject({ catalog: z.looseObject({ uuid: z.string(), metadata: z.looseObject({ title: z.string() }) }) });
export const mappingCollectionResponse = z.looseObject({ 'mapping-collection': z.looseObject({ uuid: z.string() }) });
export const mappingsImportResult = z.object({ setId: z.string(), title: z.string(), mappingCount: z.number().int() });
export const scopeResponse = z.object({ frameworkIds: z.array(z.string()) });
/** The raw document: JSON, YAML or XML text, parsed by the OSCAL library (so faults keep their line). */
export const documentBody = z.string().describe('an OSCAL document as JSON, YAML or XML (Content-Type application/json, application/yaml or application/xml)');
