import type { Command } from 'commander';
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { evidenceMeta } from '../evidence/evidence.schema.ts';
import type { App } from '../app.ts';
import { withApp, type GlobalOptions } from './context.ts';
import { fail, print, table } from './output.ts';

/** The org named by --org (slug or id), or the only org there is. */
async function orgOf(app: App, org: string | undefined) {
  const all = await app.services.orgs.list();
  if (org) {
    const found = all.find((o) => o.id === org || o.slug === org);
    if (!found) throw new NotFoundError('Organization');
    return found;
  }
  if (all.length === 1) return all[0]!;
  throw new InvalidInputError(all.length ? `There are ${all.length} organizations: name one with --org (${all.map((o) => o.slug).join(', ')}).` : 'There is no organization yet.');
}

/** Control codes to ids; an unknown code is a NotFoundError (exit 3) naming every code that is missing. */
async function controlIdsOf(app: App, orgId: string, codes: string[]) {
  const rows = await app.services.repos.controls.findByCodes(orgId, codes);
  const byCode = new Map(rows.filter((r) => r.lifecycle !== 'retired').map((r) => [r.code, r.id]));
  const missing = codes.filter((c) => !byCode.has(c));
  if (missing.length) throw new NotFoundError(`Control ${missing.join(', ')}`);
  return codes.map((c) => byCode.get(c)!);
}

/** `FROM..TO` (ISO dates); either side may be left out. */
export function parsePeriod(period: string | undefined): { periodStart?: string; periodEnd?: string } {
  if (!period) return {};
  const m = /^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$/.exec(period.trim());
  if (!m || (!m[1] && !m[2])) throw new InvalidInputError(`--period must look like 2026-07-01..2026-09-30, not "${period}".`);
  return { ...(m[1] ? { periodStart: m[1] } : {}), ...(m[2] ? { periodEnd: m[2] } : {}) };
}

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export function registerEvidence(program: Command, globals: () => GlobalOptions) {
  const evidence = program.command('evidence').description('evidence for controls');
  const orgOption = ['--org <slug-or-id>', 'organization (default: the only one)'] as const;

  evidence.command('add <file>').description('upload a file as evidence for one or more controls (streamed; logged in the evidence log)')
    .option('--control <code>', 'control code (repeat, or comma-separate, for several)', collect, [] as string[])
    .option('--period <from..to>', 'the period the evidence covers, e.g. 2026-07-01..2026-09-30')
    .option('--title <title>', 'title (default: the file name)').option(...orgOption)
    .action(async (file: string, o: { control: string[]; period?: string; title?: string; org?: string }) => {
      const g = globals();
      try {
        if (!o.control.length) throw new InvalidInputError('Name the control(s) the evidence supports with --control CODE.');
        const period = parsePeriod(o.period);
        if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new InvalidInputError(`No file at ${file}.`);
        await withApp(g, async (app) => {
          const org = await orgOf(app, o.org);
          const controlIds = await controlIdsOf(app, org.id, [...new Set(o.control)]);
          const fileName = path.basename(file);
          const meta = evidenceMeta.safeParse({ title: o.title ?? fileName, controlIds, ...period });
          if (!meta.success) throw new InvalidInputError(meta.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
          const r = await app.services.evidence.addFile(org.id, { source: createReadStream(file), fileName, maxBytes: app.services.config.uploadMaxBytes, meta: meta.data },
            { kind: 'cli', userId: null, label: 'cli' });
          const e = r.evidence;
          print(!!g.json, r, () => [
            `${r.duplicate ? 'Already held' : 'Added'}: evidence ${e.id} (version ${e.version}, ${e.status})`,
            `  sha256 ${e.sha256}  ${e.size} bytes  ${e.mediaType}`,
            `  log index ${e.ledgerIndex}`,
          ].join('\n'));
        });
      } catch (e) { fail(e); }
    });

  evidence.command('list').description('list evidence, newest first').option('--control <code>', 'only evidence for this control')
    .option('--limit <n>', 'how many (at most 200)', '50').option(...orgOption)
    .action(async (o: { control?: string; limit: string; org?: string }) => {
      const g = globals();
      try {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new InvalidInputError('--limit must be a whole number from 1 to 200.');
        await withApp(g, async (app) => {
          const org = await orgOf(app, o.org);
          const controlId = o.control ? (await controlIdsOf(app, org.id, [o.control]))[0] : undefined;
          const page = await app.services.evidence.list(org.id, { ...(controlId ? { controlId } : {}), limit });
          const rows = page.items.map((e) => ({ ...e, logIndex: e.ledgerIndex, sha256: e.sha256?.slice(0, 12) ?? '' }));
          print(!!g.json, page.items, () => table(rows, ['id', 'kind', 'title', 'version', 'status', 'logIndex', 'sha256', 'collectedAt']));
        });
      } catch (e) { fail(e); }
    });

  evidence.command('bundle <id>').description('write the offline-verifiable proof bundle of an evidence item (check it with `attest verify`)')
    .option('--out <file>', 'write to a file instead of stdout').option(...orgOption)
    .action(async (id: string, o: { out?: string; org?: string }) => {
      const g = globals();
      try {
        if (!/^[0-9a-f-]{36}$/i.test(id)) throw new InvalidInputError(`"${id}" is not an evidence id.`);
        const text = await withApp(g, async (app) => {
          const org = await orgOf(app, o.org);
          const item = await app.services.evidence.get(org.id, id);
          if (item.ledgerIndex === null) throw new NotFoundError('Log entry of this evidence');
          return JSON.stringify(await app.services.ledger.bundle(org.id, item.ledgerIndex), null, 2) + '\n';
        });
        if (o.out) {
          writeFileSync(o.out, text);
          process.stderr.write(`Wrote ${o.out}\n`);
        } else process.stdout.write(text);
      } catch (e) { fail(e); }
    });
}
