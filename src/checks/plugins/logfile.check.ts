import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { type CheckAssertion, type CheckPlugin, concludeOutcome, describeError, errorOutcome } from './check-plugin.ts';
import { hoursBetween, regexFlags, regexSource } from './compare.ts';
import { refuseUnreadablePath } from './policy.ts';

const hours = z.number().positive();

export const logfileCheckConfig = z.object({
  path: z.string().min(1).max(4096).refine((p) => path.isAbsolute(p), 'Enter an absolute path.'),
  /** Lines that count, e.g. an IPv4 address: \b\d{1,3}(\.\d{1,3}){3}\b */
  pattern: regexSource,
  flags: regexFlags,
  timestamp: z.object({
    /** Where a line's time is: the named group "ts", else the first capture group, else the whole match. */
    pattern: regexSource,
    /** iso8601 without an offset is read as UTC; clf is "10/Oct/2026:13:55:36 +0200" (nginx, Apache). */
    format: z.enum(['iso8601', 'epoch-seconds', 'epoch-millis', 'clf']),
  }).optional(),
  minCount: z.number().int().min(0).optional(),
  maxCount: z.number().int().min(0).optional(),
  /** The newest matching line is at most this old (the log is still being written). */
  newestMaxAgeHours: hours.optional(),
  /** The oldest matching line is at most this old (e.g. no line with an IP older than 25 hours). */
  oldestMaxAgeHours: hours.optional(),
  /** The oldest matching line is at least this old (logs are kept at least this long). */
  oldestMinAgeHours: hours.optional(),
}).refine((c) => c.timestamp || (c.newestMaxAgeHours ?? c.oldestMaxAgeHours ?? c.oldestMinAgeHours) === undefined, {
  message: 'Age assertions need a timestamp pattern and format.',
  path: ['timestamp'],
});
export type LogfileCheckConfig = z.output<typeof logfileCheckConfig>;

type Scan = { lines: number; matches: number; unparsed: number; firstUnparsedLine?: number; newest?: { at: Date; line: number }; oldest?: { at: Date; line: number } };

export const logfileCheck: CheckPlugin<typeof logfileCheckConfig> = {
  type: 'logfile',
  title: 'Log file',
  description: 'Counts the lines of a log file that match a pattern and checks how old the newest and oldest of them are.',
  config: logfileCheckConfig,
  secretFields: [],
  refuse: (config, policy) => refuseUnreadablePath(config.path, policy),
  async run(config, ctx) {
    const startedAt = Date.now();
    let scan: Scan;
    try {
      scan = await scanLog(config, ctx.signal);
    } catch (e) {
      return errorOutcome(ctx, startedAt, `Could not read ${config.path}: ${describeError(e)}`);
    }
    const now = ctx.now();
    const assertions: CheckAssertion[] = [];
    const count = String(scan.matches);
    if (config.minCount !== undefined) assertions.push({ name: 'matching lines', expected: `≥ ${config.minCount}`, actual: count, passed: scan.matches >= config.minCount });
    if (config.maxCount !== undefined) assertions.push({ name: 'matching lines', expected: `≤ ${config.maxCount}`, actual: count, passed: scan.matches <= config.maxCount });
    const age = (m: Scan['newest']) => (m ? hoursBetween(now, m.at) : undefined);
    const shown = (m: Scan['newest']) => (m ? `${age(m)!.toFixed(2)} h (line ${m.line}, ${m.at.toISOString()})` : 'no matching line');
    if (config.newestMaxAgeHours !== undefined) {
      assertions.push({ name: 'newest match age', expected: `≤ ${config.newestMaxAgeHours} h`, actual: shown(scan.newest), passed: scan.newest !== undefined && age(scan.newest)! <= config.newestMaxAgeHours });
    }
    // With no matching line nothing is too old, but nothing proves a retention period either.
    if (config.oldestMaxAgeHours !== undefined) {
      assertions.push({ name: 'oldest match age', expected: `≤ ${config.oldestMaxAgeHours} h`, actual: shown(scan.oldest), passed: scan.oldest === undefined || age(scan.oldest)! <= config.oldestMaxAgeHours });
    }
    if (config.oldestMinAgeHours !== undefined) {
      assertions.push({ name: 'oldest match age', expected: `≥ ${config.oldestMinAgeHours} h`, actual: shown(scan.oldest), passed: scan.oldest !== undefined && age(scan.oldest)! >= config.oldestMinAgeHours });
    }
    if (config.timestamp && assertions.some((a) => a.name.endsWith('match age'))) {
      // A line whose time cannot be read could be the one that is too old.
      assertions.push({ name: 'timestamps readable', expected: 'all matching lines', actual: scan.unparsed ? `${scan.unparsed} unreadable (first at line ${scan.firstUnparsedLine})` : 'all', passed: scan.unparsed === 0 });
    }
    // Line numbers and times only: the lines themselves may hold the personal data being checked for.
    const output = [
      `${config.path}: ${scan.lines} line(s), ${scan.matches} matching /${config.pattern}/${config.flags}`,
      ...(config.timestamp ? [`newest match: ${shown(scan.newest)}`, `oldest match: ${shown(scan.oldest)}`, `matching lines without a readable timestamp: ${scan.unparsed}`] : []),
    ].join('\n');
    return concludeOutcome(ctx, startedAt, { assertions, output, subject: `${config.path}: ${scan.matches} matching line(s)` });
  },
};

async function scanLog(config: LogfileCheckConfig, signal: AbortSignal): Promise<Scan> {
  const match = new RegExp(config.pattern, config.flags);
  const ts = config.timestamp ? { re: new RegExp(config.timestamp.pattern), format: config.timestamp.format } : undefined;
  const scan: Scan = { lines: 0, matches: 0, unparsed: 0 };
  // A FIFO or device would never end; only regular files are logs here.
  if (!(await stat(config.path)).isFile()) throw new Error(`${config.path} is not a regular file.`);
  const input = createReadStream(config.path, { encoding: 'utf8', signal });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) {
      scan.lines++;
      if (!match.test(line)) continue;
      scan.matches++;
      if (!ts) continue;
      const at = readTimestamp(line, ts.re, ts.format);
      if (!at) {
        scan.unparsed++;
        scan.firstUnparsedLine ??= scan.lines;
        continue;
      }
      if (!scan.newest || at > scan.newest.at) scan.newest = { at, line: scan.lines };
      if (!scan.oldest || at < scan.oldest.at) scan.oldest = { at, line: scan.lines };
    }
  } finally {
    lines.close();
    input.destroy();
  }
  return scan;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function readTimestamp(line: string, re: RegExp, format: NonNullable<LogfileCheckConfig['timestamp']>['format']): Date | undefined {
  const m = re.exec(line);
  if (!m) return undefined;
  const text = (m.groups?.ts ?? m[1] ?? m[0]).trim();
  let ms: number;
  switch (format) {
    case 'epoch-seconds':
    case 'epoch-millis': {
      if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
      ms = Number(text) * (format === 'epoch-seconds' ? 1000 : 1);
      break;
    }
    case 'iso8601': {
      const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
      if (!iso) return undefined;
      const zone = iso[3] ? iso[3].toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
      ms = Date.parse(`${iso[1]}T${iso[2]!.replace(',', '.')}${zone}`);
      break;
    }
    case 'clf': {
      const clf = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
      const month = clf ? MONTHS.indexOf(clf[2]!.toLowerCase()) : -1;
      if (!clf || month < 0) return undefined;
      const offsetMin = (clf[7] === '-' ? -1 : 1) * (Number(clf[8]) * 60 + Number(clf[9]));
      ms = Date.UTC(Number(clf[3]), month, Number(clf[1]), Number(clf[4]), Number(clf[5]), Number(clf[6])) - offsetMin * 60_000;
      break;
    }
  }
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
