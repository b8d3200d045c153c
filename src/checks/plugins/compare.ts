import { z } from 'zod';

/** Comparison operators shared by the plug-ins' assertions. */
export const comparisonOp = z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']);
export type ComparisonOp = z.infer<typeof comparisonOp>;

const symbol: Record<ComparisonOp, string> = { eq: '=', ne: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' };

export function describeComparison(op: ComparisonOp, value: unknown): string {
  return `${symbol[op]} ${formatValue(value)}`;
}

/**
 * Compares numerically when both sides read as finite numbers (a COUNT(*) arrives as the
 * string "0"), otherwise as strings; ordering operators on non-numbers compare lexically.
 */
export function compareValues(op: ComparisonOp, actual: unknown, expected: unknown): boolean {
  const a = asNumber(actual);
  const b = asNumber(expected);
  if (a !== undefined && b !== undefined) return applyOp(op, a - b);
  if (actual === null || actual === undefined) return op === 'ne' ? expected !== null : expected === null && op === 'eq';
  const x = formatValue(actual);
  const y = formatValue(expected);
  return applyOp(op, x === y ? 0 : x < y ? -1 : 1);
}

function applyOp(op: ComparisonOp, diff: number): boolean {
  switch (op) {
    case 'eq': return diff === 0;
    case 'ne': return diff !== 0;
    case 'lt': return diff < 0;
    case 'lte': return diff <= 0;
    case 'gt': return diff > 0;
    case 'gte': return diff >= 0;
  }
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

export function formatValue(v: unknown): string {
  if (v === undefined) return '(missing)';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A regex from config, with a clear message instead of a SyntaxError at run time. */
export const regexSource = z.string().min(1).max(1000).refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'Enter a valid regular expression.');

export const regexFlags = z.string().regex(/^[imsu]*$/, 'Use only the flags i, m, s and u.').default('');

export function hoursBetween(later: Date, earlier: Date): number {
  return (later.getTime() - earlier.getTime()) / 3_600_000;
}

export function roundTo(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
