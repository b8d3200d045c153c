import { Command } from 'commander';
import { registerAdmin } from './admin.ts';
import { registerLedger } from './ledger.ts';
import { registerControls } from './controls.ts';
import { registerCoverage } from './coverage.ts';
import { registerFrameworks } from './frameworks.ts';
import { registerCertifications } from './certifications.ts';
import { registerChecks } from './checks.ts';
import { registerEvidence } from './evidence.ts';
import { serve } from './serve.ts';
import { withApp, type GlobalOptions } from './context.ts';
import { fail, print, table } from './output.ts';
import { emailSchema, orgNameSchema } from '../lib/limits.ts';
import { InvalidInputError } from '../lib/errors.ts';

const program = new Command('attest')
  .description('Attest: run a compliance program as software, and prove it.')
  .option('--data <dir>', 'data directory of the embedded PostgreSQL (ignored with DATABASE_URL)')
  .option('--json', 'machine-readable output')
  .showHelpAfterError();
const globals = () => program.opts<GlobalOptions>();

program.command('serve').description('run the web app and API')
  .option('--port <port>', 'HTTP port').option('--host <host>', 'interface to bind')
  .action(async (o: { port?: string; host?: string }) => {
    try { await serve({ ...globals(), ...o }); } catch (e) { fail(e); }
  });

program.command('migrate').description('apply database migrations').action(async () => {
  const g = globals();
  try {
    // Opening the app applies pending migrations under an advisory lock.
    await withApp(g, async () => print(!!g.json, { migrated: true }, () => 'Database is up to date.'));
  } catch (e) { fail(e); }
});

registerAdmin(program, globals);
registerLedger(program, globals);
registerControls(program, globals);
registerCoverage(program, globals);
registerFrameworks(program, globals);
registerCertifications(program, globals);
registerChecks(program, globals);
registerEvidence(program, globals);

const orgs = program.command('orgs').description('organizations');
orgs.command('list').description('list organizations').action(async () => {
  const g = globals();
  try {
    await withApp(g, async ({ services }) => {
      const rows = await services.orgs.list();
      print(!!g.json, rows, () => table(rows, ['id', 'slug', 'name', 'members', 'requireTwoFactor', 'createdAt']));
    });
  } catch (e) { fail(e); }
});
orgs.command('create <name>').description('create an organization').requiredOption('--owner <email>', 'email of an existing user who becomes owner')
  .action(async (name: string, o: { owner: string }) => {
    const g = globals();
    try {
      const n = orgNameSchema.safeParse(name);
      const e = emailSchema.safeParse(o.owner);
      if (!n.success || !e.success) throw new InvalidInputError('Give an organization name of 2+ characters and a valid --owner email.');
      await withApp(g, async ({ services }) => {
        const org = await services.accounts.createOrg(n.data, e.data);
        print(!!g.json, org, () => `Created organization "${org.name}" (${org.slug}), id ${org.id}`);
      });
    } catch (err) { fail(err); }
  });

await program.parseAsync(process.argv);
