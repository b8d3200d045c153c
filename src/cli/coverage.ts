import type { Command } from 'commander';
import type { App } from '../app.ts';
import { describePath } from '../coverage/coverage.engine.ts';
import type { CoverageCounts, FrameworkCoverage } from '../coverage/coverage.types.ts';
import { InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { withApp, type GlobalOptions } from './context.ts';
import { fail, print, table } from './output.ts';

/** --org by id or slug; without it the only organization, if there is just one. */
async function resolveOrg(app: App, org: string | undefined) {
  const all = await app.services.orgs.list();
  if (org) {
    const found = all.find((o) => o.id === org || o.slug === org);
    if (!found) throw new NotFoundError(`Organization "${org}"`);
    return found;
  }
  if (all.length === 1) return all[0]!;
  throw new InvalidInputError(all.length ? `There are ${all.length} organizations; choose one with --org <slug-or-id>.` : 'There is no organization yet.');
}

const pct = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)}%`);
const row = (f: FrameworkCoverage) => ({
  framework: f.framework.id + (f.whatIf ? ' (what-if)' : ''), requirements: f.summary.requirements, satisfied: f.summary.satisfied,
  partial: f.summary.partial, gaps: f.summary.gaps, covered: pct(f.summary.fullyCoveredPercent), 'at least partly': pct(f.summary.atLeastPartlyPercent),
});
const counts = (c: CoverageCounts) => `${c.satisfied} satisfied, ${c.partial} partial, ${c.gaps} gaps of ${c.requirements}: ${pct(c.fullyCoveredPercent)} covered, ${pct(c.atLeastPartlyPercent)} at least partly`;

function frameworkText(f: FrameworkCoverage): string {
  const lines = [`${f.framework.name} (${f.framework.id})${f.whatIf ? ' — what-if: not in scope' : ''}`, counts(f.summary)];
  lines.push('', `SATISFIED (${f.satisfied.length})`, ...f.satisfied.map((r) => `  ${r.id}  ${r.title}\n      ${describePath(r.paths[0]!)}`));
  lines.push('', `PARTIAL (${f.partial.length})`, ...f.partial.map((r) => `  ${r.id}  ${r.title}\n      ${r.reason}\n      ${describePath(r.paths[0]!)}`));
  lines.push('', `GAPS (${f.gaps.length})`, ...f.gaps.map((r) => `  ${r.id}  ${r.title}\n      ${r.reason}`));
  return lines.join('\n');
}

export function registerCoverage(program: Command, globals: () => GlobalOptions) {
  program.command('coverage').description('how much of each framework the controls cover, directly or through expert mappings')
    .option('--framework <id>', 'one framework: its satisfied, partial and gap requirements, with the reason for each')
    .option('--what-if', 'include frameworks outside the scope ("if we adopted it, how much is covered?")')
    .option('--org <slug-or-id>', 'the organization (default: the only one)')
    .action(async (o: { framework?: string; whatIf?: boolean; org?: string }) => {
      const g = globals();
      try {
        const result = await withApp(g, async (app) => {
          const org = await resolveOrg(app, o.org);
          return app.services.coverage.forOrg(org.id, { ...(o.framework ? { framework: o.framework } : {}), whatIf: !!o.whatIf });
        });
        if (o.framework) {
          print(!!g.json, result[0], () => frameworkText(result[0]!));
        } else {
          const summary = result.map((f) => ({ framework: f.framework, whatIf: f.whatIf, ...f.summary }));
          print(!!g.json, { frameworks: summary }, () =>
            `${table(result.map(row), ['framework', 'requirements', 'satisfied', 'partial', 'gaps', 'covered', 'at least partly'])}\n` +
            'covered = satisfied / requirements; at least partly adds requirements reached only through partial mappings (both rounded down).');
        }
      } catch (e) { fail(e); }
    });
}
