import { AppError } from '../lib/errors.ts';
import { ConfigError } from '../config/config.ts';

/** Human-readable tables by default, JSON for scripts. */
export function print(json: boolean, data: unknown, human: () => string) {
  process.stdout.write((json ? JSON.stringify(data, null, 2) : human()) + '\n');
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (!rows.length) return '(none)';
  const cell = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 16).replace('T', ' ') : v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

/** Known failures print their message and exit 1; anything else also prints its stack for a bug report. */
export function fail(error: unknown): never {
  if (error instanceof AppError || error instanceof ConfigError) {
    process.stderr.write(`attest: ${error.message}\n`);
    process.exit(error instanceof AppError && error.status === 404 ? 3 : 1);
  }
  process.stderr.write(`attest: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
}
