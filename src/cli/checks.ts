import type { Command } from 'commander';
import { withApp, type GlobalOptions } from './context.ts';
import { orgOf } from './controls.ts';
import { fail, print, table } from './output.ts';
import type { RunView } from '../checks/checks.schema.ts';

const orgOption = ['--org <slug-or-id>', 'organization (default: the only one)'] as const;
// The CLI acts as the server's operator, who set the check policy: it may run any configured check.
const operator = { userId: null, email: 'cli', role: 'owner' as const };

function describeRun(name: string, run: RunView): string {
  return [
    `${name}: ${run.status.toUpperCase()} — ${run.summary}`,
    ...run.assertions.map((a) => `  [${a.passed ? 'PASS' : 'FAIL'}] ${a.name}: expected ${a.expected}, got ${a.actual}`),
    `Run ${run.id}, evidence ${run.evidenceId ?? '(none)'}`,
  ].join('\n');
}

export function registerChecks(program: Command, globals: () => GlobalOptions) {
  const checks = program.command('checks').description('automated checks that produce evidence');

  checks.command('list').description('list checks with their last result').option(...orgOption).option('--json', 'machine-readable output').option('--disabled', 'include disabled checks')
    .action(async (o: { org?: string; json?: boolean; disabled?: boolean }) => {
      const g = globals();
      const json = !!(g.json || o.json);
      try {
        await withApp({ ...g, json }, async (app) => {
          const org = await orgOf(app, o.org);
          const rows = await app.services.checks.list(org.id, { includeDisabled: !!o.disabled });
          const view = rows.map((r) => ({ ...r, every: `${r.intervalMinutes} min`, last: r.lastStatus ?? 'never', controls: r.controlIds.length }));
          print(json, rows, () => table(view, ['id', 'name', 'type', 'every', 'enabled', 'last', 'lastRunAt', 'nextRunAt', 'controls']));
        });
      } catch (e) { fail(e); }
    });

  checks.command('run <id>').description('run a check now in this process and record its run and evidence (exit 1 when it fails or errors)')
    .option(...orgOption).option('--json', 'machine-readable output')
    .action(async (id: string, o: { org?: string; json?: boolean }) => {
      const g = globals();
      const json = !!(g.json || o.json);
      try {
        const passed = await withApp({ ...g, json }, async (app) => {
          const org = await orgOf(app, o.org);
          const check = await app.services.checks.get(org.id, id);
          const run = await app.services.checks.runNow(org.id, id, 'cli', operator);
          print(json, run, () => describeRun(check.name, run));
          return run.status === 'pass';
        });
        // Said explicitly: scripts and CI read the exit code to stop on a failing check.
        if (!passed) process.exit(1);
      } catch (e) { fail(e); }
    });
}
