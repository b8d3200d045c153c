import { boundOutput, type CheckAssertion, type CheckOutcome, type CheckPlugin, describeError, errorOutcome } from './check-plugin.ts';
import type { CheckPolicy } from './policy.ts';
import { scrubText, secretValues } from './secrets.ts';

export type RunCheckOptions = {
  /** Hard limit for the whole run; the plug-in's signal aborts when it passes. */
  timeoutMs: number;
  /** The caller's own cancellation (job shutdown). */
  signal?: AbortSignal;
  now?: () => Date;
  /** The operator's limits on paths and programs; without one, everything is allowed. */
  policy?: CheckPolicy;
};

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Runs a plug-in on an unvalidated config and always resolves to an outcome: a bad config,
 * a thrown exception and an overrun of the timeout all become 'error' outcomes, so the
 * scheduler records evidence for every run. Secret config values never leave in the result.
 */
export async function runCheck(plugin: CheckPlugin, rawConfig: unknown, options: RunCheckOptions): Promise<CheckOutcome> {
  const now = options.now ?? (() => new Date());
  const startedAt = Date.now();
  const parsed = plugin.config.safeParse(rawConfig);
  // Secrets come from the raw config too: an invalid config may still hold a real password.
  const secrets = secretValues(plugin, parsed.success ? parsed.data : rawConfig);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
    return redact(errorOutcome({ now }, startedAt, `Invalid ${plugin.type} check config: ${problems}`), secrets);
  }

  if (options.policy && plugin.refuse) {
    const refusal = await plugin.refuse(parsed.data, options.policy).catch((e: unknown) => `The check policy could not be applied: ${describeError(e)}`);
    if (refusal) return redact(errorOutcome({ now }, startedAt, refusal), secrets);
  }

  const controller = new AbortController();
  const timeoutMs = options.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<CheckOutcome>((resolve) => {
    const finish = () => {
      const reason = controller.signal.reason;
      const message = reason instanceof TimeoutError ? reason.message : `The check was cancelled: ${describeError(reason)}`;
      resolve(errorOutcome({ now }, startedAt, message));
    };
    controller.signal.addEventListener('abort', finish, { once: true });
    timer = setTimeout(() => controller.abort(new TimeoutError(`Timed out after ${timeoutMs} ms.`)), timeoutMs);
  });

  const onOuterAbort = () => controller.abort(options.signal?.reason ?? new Error('The check was cancelled.'));
  if (options.signal?.aborted) onOuterAbort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const ctx = { signal: controller.signal, timeoutMs, now };
  const ran = controller.signal.aborted ? stopped : (async () => plugin.run(parsed.data, ctx))().then(
    (outcome) => outcome,
    (e: unknown) => errorOutcome({ now }, startedAt, controller.signal.aborted ? describeError(controller.signal.reason) : `The check failed unexpectedly: ${describeError(e)}`),
  );
  try {
    const outcome = await Promise.race([ran, stopped]);
    return redact(outcome, secrets);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
    // Plug-ins release their sockets and processes on abort, also after they finished.
    if (!controller.signal.aborted) controller.abort(new Error('The check finished.'));
  }
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

function redact(outcome: CheckOutcome, secrets: readonly string[]): CheckOutcome {
  if (secrets.length === 0) return outcome;
  const scrub = (s: string) => scrubText(s, secrets);
  return {
    ...outcome,
    summary: scrub(outcome.summary),
    output: boundOutput(scrub(outcome.output)),
    assertions: outcome.assertions.map((a): CheckAssertion => ({ ...a, name: scrub(a.name), expected: scrub(a.expected), actual: scrub(a.actual) })),
  };
}
