import { z } from 'zod';
import { healthStates } from './health.tables.ts';

export const healthState = z.enum(healthStates);
export const timelineQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) });

const perFramework = z.object({
  framework: z.object({ id: z.string(), name: z.string() }),
  requirements: z.number().int().describe('requirements of the framework (groups not counted)'),
  passing: z.number().int().describe('requirements met (fully or partly) by at least one passing control'),
  failing: z.number().int().describe('met only by controls of which none passes and at least one fails'),
  stale: z.number().int().describe('met only by controls that are stale (none passing or failing)'),
  noEvidence: z.number().int().describe('met only by controls without accepted evidence'),
  gaps: z.number().int().describe('requirements no control meets'),
  satisfiedAndPassing: z.number().int().describe('fully satisfied through a control that is passing'),
  fullyCoveredPercent: z.number().nullable(),
});

export const healthSummaryResponse = z.object({
  counts: z.object({ passing: z.number().int(), failing: z.number().int(), stale: z.number().int(), noEvidence: z.number().int(), total: z.number().int() }),
  frameworks: z.array(perFramework).describe('every in-scope framework'),
  computedAt: z.date(),
});

export const controlHealthItem = z.object({
  control: z.object({ id: z.string().uuid(), code: z.string(), title: z.string(), frequency: z.string(), lifecycle: z.string(), ownerUserId: z.string().uuid().nullable(), ownerEmail: z.string().nullable() }),
  health: healthState,
  reason: z.string(),
  lastEvidenceAt: z.date().nullable().describe('end of the period (or collection time) of the newest accepted evidence'),
  staleSince: z.date().nullable(),
  since: z.date().nullable().describe('when the monitoring job first saw this state (null until it has)'),
});
export const controlHealthList = z.object({ items: z.array(controlHealthItem) });

export const timelineResponse = z.object({
  control: z.object({ id: z.string().uuid(), code: z.string(), title: z.string() }),
  items: z.array(z.object({
    at: z.date(),
    type: z.enum(['evidence.added', 'evidence.reviewed', 'check.result', 'control.changed', 'health.changed']),
    summary: z.string(),
    actor: z.string().nullable(),
    evidenceId: z.string().uuid().nullable(),
    ledgerIndex: z.number().int().nullable().describe('index of the evidence log entry for this step'),
    state: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })),
});
