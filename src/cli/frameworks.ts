import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../app.ts';
import type { TreeNode } from '../catalog/catalog.service.ts';
import { cliActor } from '../lib/actor.ts';
import { InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { withApp, type GlobalOptions } from './context.ts';
import { fail, print, table } from './output.ts';

// No org has the nil uuid: reading as it shows the built-in frameworks only.
const BUILTINS_ONLY = '00000000-0000-0000-0000-000000000000';

/** --org, else the only organization; reads fall back to the built-ins when there is no single org. */
async function orgFor(app: App, org: string | undefined, required: boolean): Promise<string> {
  const all = await app.services.orgs.list();
  if (org) {
    const found = all.find((o) => o.id === org || o.slug === org);
    if (!found) throw new NotFoundError('Organization');
    return found.id;
  }
  if (all.length === 1) return all[0]!.id;
  if (!required) return BUILTINS_ONLY;
  throw new InvalidInputError(all.length ? 'Several organizations exist: choose one with --org SLUG_OR_ID.' : 'No organization exists yet: create one first (attest admin bootstrap or attest orgs create).');
}

function readInput(file: string): { text: string; fileName: string } {
  try {
    return { text: readFileSync(file, 'utf8'), fileName: path.resolve(file) };
  } catch (e) {
    throw new InvalidInputError(`Cannot read ${file}: ${(e as Error).message}`);
  }
}

function output(data: unknown, out: string | undefined) {
  const text = `${JSON.stringify(data, null, 2)}\n`;
  if (out) writeFileSync(out, text); else process.stdout.write(text);
}

/** Parse, resolve and write (in batches) as a bar on stderr: a 10 MB catalog takes a few seconds. */
function importBar(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'import {bar} {value}/{total} {step}', clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(step: string, done: number, total: number) {
      // Parse and resolve are single steps; writing counts requirement rows.
      const t = step === 'write' ? Math.max(total, 1) : 1;
      if (!started) { bar.start(t, done, { step }); started = true; } else { bar.setTotal(t); bar.update(done, { step }); }
    },
    stop: () => { if (started) bar.stop(); },
  };
}

const collect = (value: string, previous: string[]) => [...previous, value];

function treeLines(nodes: TreeNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.kind === 'group' ? '▸ ' : ''}${n.id}  ${n.title}`, ...treeLines(n.children, depth + 1)]);
}

export function registerFrameworks(program: Command, globals: () => GlobalOptions) {
  const frameworks = program.command('frameworks').description('framework catalogs: built-in and OSCAL imports');
  frameworks.command('list').description('list the frameworks an organization sees')
    .option('--org <slug-or-id>', 'organization (default: the only one; built-ins only when there are several)')
    .action(async (o: { org?: string }) => {
      const g = globals();
      try {
        const rows = await withApp(g, async (app) => app.services.catalog.list(await orgFor(app, o.org, false)));
        print(!!g.json, rows, () => table(rows, ['id', 'name', 'version', 'frameworkVersion', 'origin', 'requirementCount', 'inScope']));
      } catch (e) { fail(e); }
    });

  frameworks.command('scope [ids...]').description('show the frameworks in the organization\'s scope, or replace them with the ids given')
    .option('--org <slug-or-id>', 'organization (default: the only one)')
    .action(async (ids: string[], o: { org?: string }) => {
      const g = globals();
      try {
        const scope = await withApp(g, async (app) => {
          const orgId = await orgFor(app, o.org, false);
          return ids.length ? app.services.catalog.setScope(orgId, ids, cliActor) : app.services.catalog.scope(orgId);
        });
        print(!!g.json, { frameworkIds: scope }, () => (scope.length ? scope.join('\n') : 'no frameworks in scope'));
      } catch (e) { fail(e); }
    });

  frameworks.command('show <id>').description('show a framework\'s requirement tree')
    .option('--org <slug-or-id>', 'organization (default: the only one)')
    .action(async (id: string, o: { org?: string }) => {
      const g = globals();
      try {
        const f = await withApp(g, async (app) => app.services.catalog.show(await orgFor(app, o.org, false), id));
        print(!!g.json, f, () => [`${f.name} (${f.id} v${f.version}, ${f.frameworkVersion}, ${f.requirementCount} requirements)`, ...treeLines(f.requirements)].join('\n'));
      } catch (e) { fail(e); }
    });

  frameworks.command('import <file>').description('import an OSCAL catalog or profile (JSON, YAML or XML) as a new current version')
    .option('--resolve-with <file>', 'a catalog or profile that profile imports resolve to (repeatable)', collect, [])
    .option('--id <id>', 'framework id to import into (default: from the metadata title)')
    .option('--org <slug-or-id>', 'organization (default: the only one)')
    .action(async (file: string, o: { resolveWith: string[]; id?: string; org?: string }) => {
      const g = globals();
      try {
        const input = readInput(file);
        const resolveWith = o.resolveWith.map(readInput);
        const result = await withApp(g, async (app) => {
          const orgId = await orgFor(app, o.org, true);
          const bar = importBar(!g.json);
          try {
            return await app.services.catalog.importOscal(orgId, { ...input, id: o.id, resolveWith, readLocalFiles: true, onProgress: bar.update }, cliActor);
          } finally { bar.stop(); }
        });
        print(!!g.json, result, () => `Imported ${result.id} version ${result.version} (${result.origin}): ${result.requirementCount} requirements in ${result.groupCount} groups`);
      } catch (e) { fail(e); }
    });

  frameworks.command('export <id>').description('export a framework version as an OSCAL catalog')
    .requiredOption('--format <format>', 'output format (oscal-catalog)')
    .option('--version <n>', 'version (default: the current one)')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--org <slug-or-id>', 'organization (default: the only one)')
    .action(async (id: string, o: { format: string; version?: string; out?: string; org?: string }) => {
      const g = globals();
      try {
        if (o.format !== 'oscal-catalog') throw new InvalidInputError(`Unknown --format "${o.format}"; use oscal-catalog.`);
        const version = o.version === undefined ? undefined : Number(o.version);
        if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw new InvalidInputError('--version must be a positive whole number.');
        const doc = await withApp(g, async (app) => app.services.catalog.exportOscal(await orgFor(app, o.org, false), id, version));
        output(doc, o.out);
        if (o.out) process.stderr.write(`Wrote ${o.out}\n`);
      } catch (e) { fail(e); }
    });

  const maps = program.command('mappings').description('mappings between framework requirements');
  maps.command('import <file>').description('import an OSCAL mapping collection (JSON) into an organization')
    .option('--org <slug-or-id>', 'organization (default: the only one)')
    .action(async (file: string, o: { org?: string }) => {
      const g = globals();
      try {
        const input = readInput(file);
        const result = await withApp(g, async (app) => app.services.catalog.importMappings(await orgFor(app, o.org, true), input, cliActor));
        print(!!g.json, result, () => `Imported ${result.mappingCount} mappings ("${result.title}") as ${result.setId}`);
      } catch (e) { fail(e); }
    });
  maps.command('export').description('export mappings as an OSCAL mapping collection')
    .option('--from <id>', 'only mappings from this framework').option('--to <id>', 'only mappings to this framework')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--org <slug-or-id>', 'organization (default: the only one; built-ins only when there are several)')
    .action(async (o: { from?: string; to?: string; out?: string; org?: string }) => {
      const g = globals();
      try {
        const doc = await withApp(g, async (app) => app.services.catalog.exportMappings(await orgFor(app, o.org, false), { from: o.from, to: o.to }));
        output(doc, o.out);
      } catch (e) { fail(e); }
    });
}
