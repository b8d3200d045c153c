import type { z } from 'zod';
import type { CheckPolicy } from './policy.ts';

/**
 * The contract between a check type (HTTP endpoint, PostgreSQL query, file, command, log file)
 * and whatever runs it on a schedule. Plug-ins know nothing of the database or of HTTP routes:
 * they take a validated config, look at a real system, and describe what they saw.
 */

/** 'fail': the system was reached and an assertion did not hold. 'error': the check could not run at all. */
export type CheckStatus = 'pass' | 'fail' | 'error';

export type CheckAssertion = {
  /** What was asserted, e.g. "status", "TLS version", "certificate days left". */
  name: string;
  expected: string;
  actual: string;
  passed: boolean;
};

export type CheckOutcome = {
  status: CheckStatus;
  /** One line a person reads in a list of evidence. */
  summary: string;
  assertions: CheckAssertion[];
  /** What the check saw, bounded by OUTPUT_LIMIT_BYTES and free of secret config values. */
  output: string;
  observedAt: Date;
  durationMs: number;
};

export type CheckContext = {
  /** Aborted when the hard timeout passes or the caller gives up; plug-ins stop their I/O on it. */
  signal: AbortSignal;
  timeoutMs: number;
  /** The clock for every age computation (certificate expiry, file and log ages), injectable in tests. */
  now(): Date;
};

export type CheckPlugin<S extends z.ZodType = z.ZodType> = {
  type: string;
  title: string;
  description: string;
  config: S;
  /**
   * Config paths whose values are secrets: the checks service encrypts them at rest, the API
   * answers them redacted, and runCheck scrubs them from the output. Dotted paths; `*` stands
   * for every key of a record (e.g. "secretHeaders.*").
   */
  secretFields: readonly string[];
  run(config: z.output<S>, ctx: CheckContext): Promise<CheckOutcome>;
  /** Why the operator's policy forbids this config (a path, a program), or undefined; runCheck asks before run. */
  refuse?(config: z.output<S>, policy: CheckPolicy): Promise<string | undefined>;
};

export const OUTPUT_LIMIT_BYTES = 64 * 1024;

/** Keeps the head of the text within `limit` UTF-8 bytes and says how much was cut. */
export function boundOutput(text: string, limit = OUTPUT_LIMIT_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  const marker = `\n[output truncated: ${bytes.length} bytes, first ${limit} kept]`;
  let end = Math.max(0, limit - Buffer.byteLength(marker));
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // never cut inside a UTF-8 character
  return bytes.subarray(0, end).toString('utf8') + marker;
}

/**
 * Builds the outcome of a check that reached its system: 'pass' when every assertion held.
 * A check with no assertions passes on reaching the system at all.
 */
export function concludeOutcome(
  ctx: CheckContext,
  startedAt: number,
  parts: { assertions: CheckAssertion[]; output: string; subject: string },
): CheckOutcome {
  const failed = parts.assertions.filter((a) => !a.passed);
  const summary = failed.length === 0
    ? `${parts.subject}: ${parts.assertions.length} assertion(s) passed`
    : `${parts.subject}: ${failed.map((a) => `${a.name} expected ${a.expected}, got ${a.actual}`).join('; ')}`;
  return {
    status: failed.length === 0 ? 'pass' : 'fail',
    summary: oneLine(summary),
    assertions: parts.assertions,
    output: boundOutput(parts.output),
    observedAt: ctx.now(),
    durationMs: Date.now() - startedAt,
  };
}

export function errorOutcome(ctx: Pick<CheckContext, 'now'>, startedAt: number, message: string, output = '', assertions: CheckAssertion[] = []): CheckOutcome {
  return {
    status: 'error',
    summary: oneLine(message),
    assertions,
    output: boundOutput(output || message),
    observedAt: ctx.now(),
    durationMs: Date.now() - startedAt,
  };
}

function oneLine(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Human words for an error thrown by node or a driver ("connect ECONNREFUSED 127.0.0.1:5432"). */
export function describeError(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return describeError(e.errors[0]);
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}
