import type { Command } from 'commander';
import type { App } from '../app.ts';
import { InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { cliActor } from '../lib/actor.ts';
import { changeStatusBody, createCertificationBody, listCertificationsQuery, updateCertificationBody } from '../certifications/certifications.schema.ts';
import { issuerRoles } from '../certifications/certifications.tables.ts';
import { withApp, type GlobalOptions } from './context.ts';
import { fail, print, table } from './output.ts';

type Options = {
  org?: string; framework?: string; kind?: string; name?: string; status?: string; reason?: string; issuer?: string; issuerRole?: string;
  periodStart?: string; periodEnd?: string; asOf?: string; issued?: string; expires?: string; certificateNumber?: string; verificationId?: string;
  program?: string; level?: string; roles?: string; inScope?: string; outOfScope?: string; locations?: string; notes?: string; public?: boolean; private?: boolean;
};

const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));

/** The org by slug or id; without --org, the only org of the instance. */
async function resolveOrg(app: App, org: string | undefined) {
  const all = await app.services.orgs.list();
  if (!org) {
    if (all.length === 1) return all[0]!;
    throw new InvalidInputError('Give --org SLUG_OR_ID: this instance has more than one organization.');
  }
  const found = all.find((o) => o.id === org || o.slug === org);
  if (!found) throw new NotFoundError(`Organization "${org}"`);
  return found;
}

/** Product ids, or names/slugs of the org's products, to ids. */
async function productIds(app: App, orgId: string, refs: string[] | undefined) {
  if (!refs) return undefined;
  const products = await app.services.products.list(orgId, { includeArchived: true });
  return refs.map((ref) => products.find((p) => p.id === ref || p.slug === ref || p.name.toLowerCase() === ref.toLowerCase())?.id ?? ref);
}

function detailsFrom(kind: string, o: Options) {
  return {
    kind, asOf: o.asOf, periodStart: o.periodStart, periodEnd: o.periodEnd, issuedOn: o.issued, expiresOn: o.expires,
    certificateNumber: o.certificateNumber, verificationId: o.verificationId, program: o.program, level: o.level,
  };
}

function parseOrFail<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw new InvalidInputError(`Invalid input: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
}

const human = (c: { id: string; name: string; kind: string; status: string; frameworkId: string; validUntil: string | null }) =>
  table([c], ['id', 'name', 'frameworkId', 'kind', 'status', 'validUntil']);

function withRecordOptions(cmd: Command) {
  return cmd
    .option('--org <slug-or-id>', 'organization (default: the only one)')
    .option('--name <name>', 'display label, e.g. "SOC 2 Type II"')
    .option('--status <status>', 'planned | in-process | audit-complete | certified | attested | expired | withdrawn')
    .option('--reason <text>', 'why the status changes (kept in the history and the evidence log)')
    .option('--issuer <name>', 'auditor, assessor, certification or monitoring body, or government')
    .option('--issuer-role <role>', issuerRoles.join(' | '))
    .option('--period-start <date>', 'report period start (Type 2, SOC 3), YYYY-MM-DD')
    .option('--period-end <date>', 'report period end (Type 2, SOC 3), YYYY-MM-DD')
    .option('--as-of <date>', 'as-of date of a Type 1 report')
    .option('--issued <date>', 'issue, assessment or authorization date')
    .option('--expires <date>', 'expiry date')
    .option('--certificate-number <n>', 'certificate number')
    .option('--verification-id <id>', 'code-of-conduct verification id')
    .option('--program <name>', 'government programme: FedRAMP, IRAP, ENS, C5, …')
    .option('--level <level>', 'authorization level: Low/Moderate/High, PROTECTED, BASIC/MEDIUM/HIGH, …')
    .option('--roles <list>', 'roles covered: controller,processor,merchant,service-provider')
    .option('--in-scope <list>', 'products in scope (ids, slugs or names, comma-separated)')
    .option('--out-of-scope <list>', 'products explicitly out of scope')
    .option('--locations <list>', 'locations in scope, e.g. data centres or regions')
    .option('--notes <text>', 'scope notes')
    .option('--public', 'show on the Trust Hub')
    .option('--private', 'hide from the Trust Hub');
}

export function registerCertifications(program: Command, globals: () => GlobalOptions) {
  const certs = program.command('certifications').description('the certifications, attestations and authorizations register');

  certs.command('list').description('list the register (lapsed records are expired first)')
    .option('--org <slug-or-id>', 'organization (default: the only one)')
    .option('--status <status>', 'only this status').option('--framework <id>', 'only this framework').option('--kind <kind>', 'only this kind')
    .action(async (o: Options) => {
      const g = globals();
      try {
        await withApp(g, async (app) => {
          const org = await resolveOrg(app, o.org);
          const rows = await app.services.certifications.list(org.id, parseOrFail(
            listCertificationsQuery, { status: o.status, frameworkId: o.framework, kind: o.kind }));
          print(!!g.json, rows, () => table(rows.map((r) => ({ ...r, inScope: r.inScope.map((p) => p.name).join(', ') })), ['id', 'name', 'frameworkId', 'kind', 'status', 'validUntil', 'inScope']));
        });
      } catch (e) { fail(e); }
    });

  withRecordOptions(certs.command('add').description('add a record').requiredOption('--framework <id>', 'framework id, e.g. soc2-2017').requiredOption('--kind <kind>', 'certificate | soc2-type1 | soc2-type2 | soc3 | attestation-of-compliance | code-of-conduct | government-authorization | other'))
    .action(async (o: Options) => {
      const g = globals();
      try {
        await withApp(g, async (app) => {
          const org = await resolveOrg(app, o.org);
          const input = parseOrFail(createCertificationBody, {
            frameworkId: o.framework, name: o.name, details: detailsFrom(o.kind!, o), status: o.status, reason: o.reason,
            issuer: o.issuer ? { name: o.issuer, role: o.issuerRole ?? 'auditor' } : undefined, rolesCovered: list(o.roles),
            inScope: await productIds(app, org.id, list(o.inScope)), outOfScope: await productIds(app, org.id, list(o.outOfScope)),
            locations: list(o.locations), scopeNotes: o.notes, public: o.public ? true : undefined,
          });
          const created = await app.services.certifications.create(org.id, input, cliActor);
          print(!!g.json, created, () => `Added ${created.name} (${created.status}).\n${human(created)}`);
        });
      } catch (e) { fail(e); }
    });

  withRecordOptions(certs.command('update <id>').description('change a record; with --status (and --reason) also its status')
    .option('--framework <id>', 'framework id').option('--kind <kind>', 'change the kind (give its dates too)'))
    .action(async (id: string, o: Options) => {
      const g = globals();
      try {
        await withApp(g, async (app) => {
          const org = await resolveOrg(app, o.org);
          const s = app.services.certifications;
          let current = await s.get(org.id, id);
          const kindFields = [o.kind, o.asOf, o.periodStart, o.periodEnd, o.issued, o.expires, o.certificateNumber, o.verificationId, o.program, o.level];
          const details = kindFields.some((v) => v !== undefined) ? { ...current.details, ...Object.fromEntries(Object.entries(detailsFrom(o.kind ?? current.kind, o)).filter(([, v]) => v !== undefined)) } : undefined;
          const patch = {
            frameworkId: o.framework, name: o.name, details, rolesCovered: list(o.roles),
            issuer: o.issuer ? { name: o.issuer, role: o.issuerRole ?? current.issuer?.role ?? 'auditor' } : undefined,
            inScope: await productIds(app, org.id, list(o.inScope)), outOfScope: await productIds(app, org.id, list(o.outOfScope)),
            locations: list(o.locations), scopeNotes: o.notes, public: o.public ? true : o.private ? false : undefined,
          };
          if (Object.values(patch).some((v) => v !== undefined)) current = await s.update(org.id, id, parseOrFail(updateCertificationBody, { version: current.version, ...patch }));
          if (o.status) {
            current = await s.changeStatus(org.id, id, parseOrFail(changeStatusBody, { status: o.status, reason: o.reason, version: current.version }), cliActor);
          } else if (o.reason) {
            throw new InvalidInputError('--reason goes with --status.');
          }
          print(!!g.json, current, () => `Updated ${current.name} (${current.status}).\n${human(current)}`);
        });
      } catch (e) { fail(e); }
    });
}
