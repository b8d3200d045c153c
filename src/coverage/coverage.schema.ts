import { z } from 'zod';
import { mappingRelationships } from '../catalog/mapping-file.schema.ts';

const frameworkId = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,99}$/, 'must be a framework id (lower-case letters, digits, dots and dashes)');
const bool = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

export const coverageParams = z.object({ orgId: z.string() });
export const frameworkParams = z.object({ orgId: z.string(), frameworkId });
export const requirementParams = z.object({ orgId: z.string(), frameworkId, requirementId: z.string().min(1).max(200) });
export const summaryQuery = z.object({ whatIf: bool.describe('also list the frameworks outside the scope, flagged whatIf') });
export const frameworkQuery = z.object({ whatIf: bool.describe('allow a framework outside the scope: "if we adopted it, how much is covered?"') });

const counts = {
  requirements: z.number().int().describe('requirements (groups not counted)'),
  satisfied: z.number().int(), partial: z.number().int(), gaps: z.number().int(),
  fullyCoveredPercent: z.number().nullable().describe('satisfied / requirements × 100, rounded down to one decimal (the headline figure)'),
  atLeastPartlyPercent: z.number().nullable().describe('(satisfied + partial) / requirements × 100, rounded down to one decimal'),
};
const frameworkRef = z.object({ id: z.string(), name: z.string() });
const requirementRef = z.object({ framework: z.string(), id: z.string(), title: z.string() });
const carries = z.enum(['full', 'partial']);
const status = z.enum(['satisfied', 'partial', 'gap']);

export const pathResponse = z.object({
  carries: carries.describe('full only when every hop carries fully'),
  control: z.object({ id: z.string(), code: z.string(), title: z.string(), health: z.string().optional(), status: z.string().optional() }),
  requirement: requirementRef.describe('the requirement the control is linked to directly'),
  hops: z.array(z.object({
    relationship: z.enum(mappingRelationships).describe('as walked: previous requirement <relationship> `to`'),
    direction: z.enum(['as-mapped', 'inverse']), carries, rationale: z.string(), source: z.string().describe('the mapping it comes from'), to: requirementRef,
  })),
});

export const summaryResponse = z.object({
  frameworks: z.array(z.object({ framework: frameworkRef, whatIf: z.boolean(), ...counts })),
});

const requirementItem = z.object({
  id: z.string(), parentId: z.string().nullable(), title: z.string(), status,
  reason: z.string().optional().describe('why partial or a gap'),
  best: pathResponse.nullable().describe('the best explanation path (null for a gap)'),
  pathCount: z.number().int().describe('explanation paths found (up to 5; all of them at …/requirements/:requirementId)'),
});
export const frameworkResponse = z.object({
  framework: frameworkRef, whatIf: z.boolean(), summary: z.object(counts),
  satisfied: z.array(requirementItem), partial: z.array(requirementItem), gaps: z.array(requirementItem),
  groups: z.array(z.object({ id: z.string(), parentId: z.string().nullable(), title: z.string(), ...counts })),
});
export const explanationResponse = z.object({
  framework: frameworkRef, whatIf: z.boolean(),
  requirement: z.object({ id: z.string(), parentId: z.string().nullable(), title: z.string() }),
  status, reason: z.string().optional(), paths: z.array(pathResponse),
});
