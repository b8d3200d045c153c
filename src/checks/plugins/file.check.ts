import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type CheckAssertion, type CheckPlugin, concludeOutcome, describeError, errorOutcome } from './check-plugin.ts';
import { hoursBetween, regexFlags, regexSource } from './compare.ts';
import { refuseUnreadablePath } from './policy.ts';

export const filePattern = z.object({
  /** What the line means, e.g. "password sign-in disabled"; the pattern is shown when empty. */
  name: z.string().max(200).optional(),
  pattern: regexSource,
  flags: regexFlags,
  present: z.boolean().default(true),
});

export const fileCheckConfig = z.object({
  path: z.string().min(1).max(4096).refine((p) => path.isAbsolute(p), 'Enter an absolute path.'),
  /** false: the check passes when the file is absent (e.g. no leftover private key). */
  exists: z.boolean().default(true),
  /** The file may have no permission bits beyond these, e.g. "0644" or "600". */
  maxMode: z.string().regex(/^0?[0-7]{3,4}$/, 'Enter an octal mode such as 0644.').optional(),
  ownerUid: z.number().int().min(0).optional(),
  groupGid: z.number().int().min(0).optional(),
  /** The file was modified at most this many hours ago (a config re-rendered, a backup written). */
  maxAgeHours: z.number().positive().optional(),
  /** Each line pattern must match at least one line (present) or none (absent). */
  lines: z.array(filePattern).max(100).default([]),
  maxBytes: z.number().int().min(1).max(64 * 1024 * 1024).default(8 * 1024 * 1024),
});
export type FileCheckConfig = z.output<typeof fileCheckConfig>;

const SHOWN_MATCHES = 10;

export const fileCheck: CheckPlugin<typeof fileCheckConfig> = {
  type: 'file',
  title: 'File content',
  description: 'Checks that a file exists with safe permissions and that required lines are present and forbidden ones absent.',
  config: fileCheckConfig,
  secretFields: [],
  refuse: (config, policy) => refuseUnreadablePath(config.path, policy),
  async run(config, ctx) {
    const startedAt = Date.now();
    let info: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      info = await stat(config.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return errorOutcome(ctx, startedAt, `Could not inspect ${config.path}: ${describeError(e)}`);
    }
    const existence: CheckAssertion = { name: 'exists', expected: config.exists ? 'yes' : 'no', actual: info ? 'yes' : 'no', passed: !!info === config.exists };
    if (!info || !config.exists) {
      return concludeOutcome(ctx, startedAt, { assertions: [existence], output: info ? describeStat(config.path, info) : `${config.path}: no such file`, subject: config.path });
    }
    if (!info.isFile()) return errorOutcome(ctx, startedAt, `${config.path} is not a regular file.`);

    const assertions: CheckAssertion[] = [existence, ...metadataAssertions(config, info, ctx.now())];
    const output = [describeStat(config.path, info)];
    if (config.lines.length) {
      if (info.size > config.maxBytes) return errorOutcome(ctx, startedAt, `${config.path} is ${info.size} bytes, more than maxBytes ${config.maxBytes}.`);
      let text: string;
      try {
        text = await readFile(config.path, { encoding: 'utf8', signal: ctx.signal });
      } catch (e) {
        return errorOutcome(ctx, startedAt, `Could not read ${config.path}: ${describeError(e)}`, describeStat(config.path, info), assertions);
      }
      const lines = text.split(/\r?\n/);
      for (const rule of config.lines) {
        const re = new RegExp(rule.pattern, rule.flags);
        const hits = lines.flatMap((line, i) => (re.test(line) ? [`${i + 1}: ${line}`] : []));
        assertions.push({
          name: rule.name ?? `line /${rule.pattern}/${rule.flags}`,
          expected: rule.present ? 'present' : 'absent',
          actual: hits.length ? `present (line ${hits.map((h) => h.split(':')[0]).slice(0, SHOWN_MATCHES).join(', ')})` : 'absent',
          passed: (hits.length > 0) === rule.present,
        });
        // Only lines the rules point at are recorded: the rest of a config file may hold secrets.
        output.push(`/${rule.pattern}/${rule.flags}: ${hits.length} matching line(s)`, ...hits.slice(0, SHOWN_MATCHES).map((h) => `  ${h}`));
      }
    }
    return concludeOutcome(ctx, startedAt, { assertions, output: output.join('\n'), subject: config.path });
  },
};

function metadataAssertions(config: FileCheckConfig, info: Awaited<ReturnType<typeof stat>>, now: Date): CheckAssertion[] {
  const out: CheckAssertion[] = [];
  const mode = Number(info.mode) & 0o7777;
  if (config.maxMode !== undefined) {
    const allowed = Number.parseInt(config.maxMode, 8);
    out.push({ name: 'mode', expected: `within ${octal(allowed)}`, actual: octal(mode), passed: (mode & ~allowed) === 0 });
  }
  if (config.ownerUid !== undefined) out.push({ name: 'owner uid', expected: String(config.ownerUid), actual: String(info.uid), passed: Number(info.uid) === config.ownerUid });
  if (config.groupGid !== undefined) out.push({ name: 'group gid', expected: String(config.groupGid), actual: String(info.gid), passed: Number(info.gid) === config.groupGid });
  if (config.maxAgeHours !== undefined) {
    const age = hoursBetween(now, info.mtime);
    out.push({ name: 'age (hours since modified)', expected: `≤ ${config.maxAgeHours}`, actual: `${age.toFixed(1)} (modified ${info.mtime.toISOString()})`, passed: age <= config.maxAgeHours });
  }
  return out;
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

function describeStat(file: string, info: Awaited<ReturnType<typeof stat>>): string {
  return `${file}: ${info.size} bytes, mode ${octal(Number(info.mode) & 0o7777)}, uid ${info.uid}, gid ${info.gid}, modified ${info.mtime.toISOString()}`;
}
