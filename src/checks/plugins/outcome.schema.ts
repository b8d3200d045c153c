import { z } from 'zod';
import { type CheckOutcome, OUTPUT_LIMIT_BYTES } from './check-plugin.ts';

const text = (max: number) => z.string().max(max);

/**
 * A CheckOutcome as JSON (observedAt an ISO string): what the API returns for a run and what a
 * remote agent pushes for a check it ran itself. Parsing yields a CheckOutcome.
 */
export const checkOutcomeSchema = z.object({
  status: z.enum(['pass', 'fail', 'error']),
  summary: text(500).min(1),
  assertions: z.array(z.object({ name: text(500), expected: text(2000), actual: text(2000), passed: z.boolean() })).max(500),
  output: text(OUTPUT_LIMIT_BYTES).refine((s) => Buffer.byteLength(s) <= OUTPUT_LIMIT_BYTES, `Keep the output within ${OUTPUT_LIMIT_BYTES} bytes.`),
  observedAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  durationMs: z.number().int().min(0),
}).refine((o) => o.status === 'error' || o.status === (o.assertions.every((a) => a.passed) ? 'pass' : 'fail'), {
  message: "The status must be 'pass' when every assertion passed and 'fail' when one did not.",
  path: ['status'],
}) satisfies z.ZodType<CheckOutcome, unknown>;

export function outcomeToJson(o: CheckOutcome): z.input<typeof checkOutcomeSchema> {
  return { ...o, observedAt: o.observedAt.toISOString() };
}
