import { boundOutput, type CheckOutcome, errorOutcome } from './plugins/check-plugin.ts';
import { runCheck } from './plugins/run-check.ts';
import { restoreSecrets, type SecretEntry } from './plugins/secrets.ts';
import { getPlugin } from './plugins/registry.ts';
import type { CheckPolicy } from './plugins/policy.ts';
import type { CheckRow } from './checks.repo.ts';
import { PUSH_TYPE } from './checks.schema.ts';

const EVIDENCE_TITLE_MAX = 200;
const EVIDENCE_BODY_MAX = 100_000;

/**
 * What one run of a stored check saw. A push check is never run here: when the scheduler finds
 * it due, no result arrived within its interval, and that is an error run of its own.
 */
export async function outcomeOf(check: CheckRow, secrets: readonly SecretEntry[], opts: { policy: CheckPolicy; maxTimeoutSeconds: number }): Promise<CheckOutcome> {
  const startedAt = Date.now();
  if (check.type === PUSH_TYPE) {
    return errorOutcome({ now: () => new Date() }, startedAt, `No result was pushed within ${check.intervalMinutes} minute(s).`);
  }
  const plugin = getPlugin(check.type);
  if (!plugin) return errorOutcome({ now: () => new Date() }, startedAt, `This server has no ${check.type} check type.`);
  const timeoutMs = Math.min(check.timeoutSeconds, opts.maxTimeoutSeconds) * 1000;
  return runCheck(plugin, restoreSecrets(check.config, secrets), { timeoutMs, policy: opts.policy });
}

export function evidenceTitle(check: Pick<CheckRow, 'name'>, outcome: CheckOutcome): string {
  const title = `${check.name}: ${outcome.summary}`;
  return title.length > EVIDENCE_TITLE_MAX ? `${title.slice(0, EVIDENCE_TITLE_MAX - 1)}…` : title;
}

/** The evidence body: the verdict, every assertion, then what the check saw. */
export function evidenceBody(check: Pick<CheckRow, 'name' | 'type'>, outcome: CheckOutcome): string {
  const lines = [
    `Check: ${check.name} (${check.type})`,
    `Status: ${outcome.status}`,
    `Observed at: ${outcome.observedAt.toISOString()} (${outcome.durationMs} ms)`,
    `Summary: ${outcome.summary}`,
    '',
    'Assertions:',
    ...(outcome.assertions.length ? outcome.assertions.map((a) => `  [${a.passed ? 'PASS' : 'FAIL'}] ${a.name}: expected ${a.expected}, got ${a.actual}`) : ['  (none)']),
    '',
    'Output:',
    outcome.output,
  ];
  return boundOutput(lines.join('\n'), EVIDENCE_BODY_MAX);
}
