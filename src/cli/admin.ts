import type { Command } from 'commander';
import { emailSchema, orgNameSchema, passwordSchema } from '../lib/limits.ts';
import { InvalidInputError } from '../lib/errors.ts';
import { configFrom, withApp, type GlobalOptions } from './context.ts';
import { fail, print, table } from './output.ts';
import { promptHidden } from './prompt.ts';

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new InvalidInputError(`${field}: ${r.error.issues.map((i) => i.message).join(', ')}`);
  return r.data;
}

export function registerAdmin(program: Command, globals: () => GlobalOptions) {
  const admin = program.command('admin').description('instance administration');

  admin.command('bootstrap').description('create the first organization and its owner')
    .requiredOption('--org <name>', 'organization name').requiredOption('--email <email>', 'owner email')
    .option('--name <name>', 'owner display name').option('--password <password>', 'owner password (else ATTEST_BOOTSTRAP_PASSWORD, a prompt, or a setup link)')
    .action(async (o: { org: string; email: string; name?: string; password?: string }) => {
      const g = globals();
      try {
        const orgName = parse(orgNameSchema, o.org, '--org');
        const email = parse(emailSchema, o.email, '--email');
        let password = o.password ?? configFrom(g).bootstrapPassword;
        if (!password && process.stdin.isTTY) password = await promptHidden('Password for the owner (12+ characters): ');
        await withApp(g, async ({ services }) => {
          if (!password) {
            // No password and nobody to ask: hand out a one-time link to finish setup in the browser.
            const token = await services.accounts.issueSetupToken();
            print(!!g.json, { setupUrl: `${services.publicUrl()}/setup?token=${token}` }, () => `No password given. Finish setup in the browser (link valid 24 hours):\n${services.publicUrl()}/setup?token=${token}`);
            return;
          }
          const { user, org } = await services.accounts.bootstrap({ orgName, email, name: o.name ?? email.split('@')[0]!, password: parse(passwordSchema, password, 'password') });
          print(!!g.json, { orgId: org.id, orgSlug: org.slug, userId: user.id }, () => `Created organization "${org.name}" (${org.slug}) with owner ${user.email}. Sign in at ${services.publicUrl()}`);
        });
      } catch (e) { fail(e); }
    });

  const users = admin.command('users').description('manage user accounts');
  users.command('list').description('list users').action(async () => {
    const g = globals();
    try {
      await withApp(g, async ({ services }) => {
        const rows = await services.accounts.listUsers();
        print(!!g.json, rows, () => table(rows.map((r) => ({ ...r, orgs: r.orgs.join(' '), disabled: r.disabled ? 'yes' : '', twoFactor: r.twoFactor ? 'on' : 'off' })), ['email', 'name', 'orgs', 'twoFactor', 'disabled', 'createdAt']));
      });
    } catch (e) { fail(e); }
  });
  const byEmail = (name: string, description: string, run: (s: Parameters<Parameters<typeof withApp>[1]>[0]['services'], email: string) => Promise<{ email: string }>, done: string) =>
    users.command(`${name} <email>`).description(description).action(async (email: string) => {
      const g = globals();
      try {
        await withApp(g, async ({ services }) => {
          const user = await run(services, parse(emailSchema, email, 'email'));
          print(!!g.json, { email: user.email, result: name }, () => `${user.email}: ${done}`);
        });
      } catch (e) { fail(e); }
    });
  byEmail('disable', 'disable a user and end their sessions', (s, e) => s.accounts.disableUser(e), 'disabled; all sessions ended');
  byEmail('enable', 'enable a disabled or locked-out user', (s, e) => s.accounts.enableUser(e), 'enabled');
  byEmail('reset-2fa', 'remove two-factor so the user enrols again', (s, e) => s.accounts.resetTwoFactor(e), 'two-factor removed; they will enrol again at next sign-in if required');
}
