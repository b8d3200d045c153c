import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { cliActor } from '../lib/actor.ts';
import { InvalidInputError, NotFoundError } from '../lib/errors.ts';
import type { App } from '../app.ts';
import { withApp, type GlobalOptions } from './context.ts';
import { fail, print, table } from './output.ts';

/** The org named by --org (slug or id), or the only org there is. */
export async function orgOf(app: App, org: string | undefined) {
  const all = await app.services.orgs.list();
  if (org) {
    const found = all.find((o) => o.id === org || o.slug === org);
    if (!found) throw new NotFoundError('Organization');
    return found;
  }
  if (all.length === 1) return all[0]!;
  throw new InvalidInputError(all.length ? `There are ${all.length} organizations: name one with --org (${all.map((o) => o.slug).join(', ')}).` : 'There is no organization yet.');
}

const formatOf = (format: string | undefined, file?: string): 'csv' | 'oscal' => {
  const f = format ?? (file && /\.json$/i.test(file) ? 'oscal' : 'csv');
  if (f !== 'csv' && f !== 'oscal') throw new InvalidInputError(`--format must be csv or oscal, not "${f}".`);
  return f;
};

export function registerControls(program: Command, globals: () => GlobalOptions) {
  const controls = program.command('controls').description("the organization's controls");
  const orgOption = ['--org <slug-or-id>', 'organization (default: the only one)'] as const;

  controls.command('list').description('list controls').option(...orgOption).option('--retired', 'include retired controls')
    .action(async (o: { org?: string; retired?: boolean }) => {
      const g = globals();
      try {
        await withApp(g, async (app) => {
          const org = await orgOf(app, o.org);
          const rows = await app.services.controls.list(org.id, { includeRetired: !!o.retired, sort: 'code', dir: 'asc' });
          const view = rows.map((r) => ({ ...r, frameworks: r.frameworks.join(','), owner: r.ownerEmail }));
          print(!!g.json, rows, () => table(view, ['code', 'title', 'lifecycle', 'frequency', 'owner', 'frameworks', 'requirementCount']));
        });
      } catch (e) { fail(e); }
    });

  controls.command('import <file>').description('import controls from CSV or an OSCAL component-definition (all rows or none; upsert by code)')
    .option('--format <format>', 'csv or oscal (default: from the file name)').option('--allow-unknown', 'import controls whose requirement ids no catalog knows, leaving those unmapped')
    .option(...orgOption)
    .action(async (file: string, o: { format?: string; allowUnknown?: boolean; org?: string }) => {
      const g = globals();
      try {
        const format = formatOf(o.format, file);
        const content = readFileSync(file, 'utf8');
        await withApp(g, async (app) => {
          const org = await orgOf(app, o.org);
          const r = await app.services.controlsTransfer.import(org.id, { format, content, allowUnknown: !!o.allowUnknown }, cliActor);
          print(!!g.json, r, () => [`Imported into ${org.slug}: ${r.created} created, ${r.updated} updated.`,
            ...(r.unmapped.length ? [`Left unmapped (unknown requirements): ${r.unmapped.map((u) => `${u.framework}:${u.id}`).join(', ')}`] : [])].join('\n'));
        });
      } catch (e) {
        // Every fault of the file, one a line, so an operator can fix them all in one go.
        if (e instanceof InvalidInputError && e.fields?.length) {
          process.stderr.write(`attest: ${e.message}\n${e.fields.map((f) => `  ${f.path}: ${f.message}`).join('\n')}\n`);
          process.exit(1);
        }
        fail(e);
      }
    });

  controls.command('export').description('export every control as CSV or an OSCAL component-definition')
    .option('--format <format>', 'csv or oscal', 'csv').option('--out <file>', 'write to a file instead of stdout').option(...orgOption)
    .action(async (o: { format?: string; out?: string; org?: string }) => {
      const g = globals();
      try {
        const format = formatOf(o.format);
        await withApp(g, async (app) => {
          const file = await app.services.controlsTransfer.export((await orgOf(app, o.org)).id, format);
          if (o.out) {
            writeFileSync(o.out, file.content);
            process.stderr.write(`Wrote ${o.out}\n`);
          } else process.stdout.write(file.content);
        });
      } catch (e) { fail(e); }
    });

  controls.command('adopt').description('adopt the built-in starter controls for frameworks (idempotent)')
    .requiredOption('--frameworks <ids>', 'comma-separated framework ids, e.g. soc2-2017,iso27001-2022')
    .option('--codes <codes>', 'only these starter codes (comma-separated)').option(...orgOption)
    .action(async (o: { frameworks: string; codes?: string; org?: string }) => {
      const g = globals();
      const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
      try {
        await withApp(g, async (app) => {
          const org = await orgOf(app, o.org);
          const r = await app.services.controls.adopt(org.id, { frameworks: split(o.frameworks), codes: o.codes ? split(o.codes) : undefined }, cliActor);
          print(!!g.json, r, () => `Adopted ${r.adopted.length} starter control(s) into ${org.slug}${r.alreadyAdopted.length ? `; ${r.alreadyAdopted.length} already adopted` : ''}.`);
        });
      } catch (e) { fail(e); }
    });
}
