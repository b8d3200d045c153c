import { z } from 'zod';
import { orgParams } from '../orgs/orgs.schema.ts';
import { checkTypes } from './plugins/registry.ts';
import { checkOutcomeSchema } from './plugins/outcome.schema.ts';
import { pageOf, pageQuery } from '../lib/pagination.ts';
import { checkRunStatuses, checkRunTriggers } from './checks.tables.ts';

/** `push`: a check a CI pipeline runs itself and posts the result of; no plug-in runs it here. */
export const PUSH_TYPE = 'push';
export const allCheckTypes = [...checkTypes, PUSH_TYPE] as const;

const name = z.string().trim().min(1, 'Enter a name.').max(200);
/** Every N minutes (a day is 1440, a week 10080); for a push check, how often a result must arrive. */
const intervalMinutes = z.number().int().min(1).max(525_600);
const timeoutSeconds = z.number().int().min(1).max(600);
const controlIds = z.array(z.string().uuid()).max(200);
// The type's own settings are validated by the service (after kept secrets are filled back in).
const config = z.record(z.string(), z.unknown());

export const createCheckBody = z.object({
  name,
  type: z.enum(allCheckTypes),
  config: config.default({}),
  intervalMinutes: intervalMinutes.default(60),
  timeoutSeconds: timeoutSeconds.optional(),
  enabled: z.boolean().default(true),
  controlIds: controlIds.default([]),
});
export type CreateCheckBody = z.infer<typeof createCheckBody>;

export const updateCheckBody = z.object({
  version: z.number().int().min(1).describe('The version you read; 409 when someone changed the check since'),
  name: name.optional(),
  config: config.optional().describe('Secret fields still saying "[redacted]" keep their stored value'),
  intervalMinutes: intervalMinutes.optional(),
  timeoutSeconds: timeoutSeconds.optional(),
  enabled: z.boolean().optional(),
  controlIds: controlIds.optional(),
});
export type UpdateCheckBody = z.infer<typeof updateCheckBody>;

export const checkIdParams = orgParams.extend({ id: z.string().uuid() });
export const listChecksQuery = z.object({ includeDisabled: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') });
export const runsQuery = pageQuery;

export const checkView = z.object({
  id: z.string().uuid(),
  name: z.string(),
  type: z.string(),
  config: z.record(z.string(), z.unknown()).describe('Secret fields answer "[redacted]"'),
  secretsStored: z.array(z.string()).describe('Dotted paths of the secret fields that hold a stored value'),
  intervalMinutes: z.number().int(),
  timeoutSeconds: z.number().int(),
  enabled: z.boolean(),
  controlIds: z.array(z.string().uuid()),
  createdBy: z.string().uuid().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  version: z.number().int(),
  nextRunAt: z.date(),
  lastStatus: z.enum(checkRunStatuses).nullable(),
  lastRunAt: z.date().nullable(),
});
export type CheckView = z.infer<typeof checkView>;
export const checkList = z.object({ items: z.array(checkView) });

export const runView = z.object({
  id: z.string().uuid(),
  checkId: z.string().uuid(),
  trigger: z.enum(checkRunTriggers),
  startedAt: z.date(),
  finishedAt: z.date(),
  status: z.enum(checkRunStatuses),
  summary: z.string(),
  assertions: z.array(z.object({ name: z.string(), expected: z.string(), actual: z.string(), passed: z.boolean() })),
  output: z.string(),
  evidenceId: z.string().uuid().nullable(),
});
export type RunView = z.infer<typeof runView>;
export const runPage = pageOf(runView);

export const pushResultBody = checkOutcomeSchema;

export const checkTypeList = z.object({
  items: z.array(z.object({
    type: z.string(), title: z.string(), description: z.string(), secretFields: z.array(z.string()),
    configSchema: z.record(z.string(), z.unknown()),
  })),
});
