import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { verifyBundle } from '../ledger/bundle.ts';
import { NotFoundError } from '../lib/errors.ts';
import { withApp, type GlobalOptions } from './context.ts';
import { fail, print } from './output.ts';
import type { App } from '../app.ts';

/**
 * Reads --key: a vkey string, a file with vkeys (one per line; blank lines and # comments skipped),
 * or the JSON saved from /.well-known/attest/<org>/log-keys as it is.
 */
function readKeys(key: string): string[] {
  const text = existsSync(key) ? readFileSync(key, 'utf8') : key;
  if (text.trimStart().startsWith('{')) {
    const doc = JSON.parse(text) as { keys?: unknown };
    if (Array.isArray(doc.keys)) return doc.keys.filter((k): k is string => typeof k === 'string');
  }
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

async function orgsFor(app: App, org: string | undefined) {
  const all = await app.services.orgs.list();
  if (!org) return all;
  const found = all.filter((o) => o.id === org || o.slug === org);
  if (!found.length) throw new NotFoundError('Organization');
  return found;
}

export function registerLedger(program: Command, globals: () => GlobalOptions) {
  // Fully offline: reads two files and checks signatures and hashes. No app, no database, no network.
  program.command('verify <bundle>').description('verify an evidence bundle offline against the log\'s public key(s)')
    .requiredOption('--key <vkey-or-file>', 'verifier key (vkey string) or a file of vkeys, e.g. from /.well-known/attest/<org>/log-keys')
    .option('--file <path>', 'the evidence file the entry records (checked against its SHA-256 and size)')
    .option('--origin <origin>', 'the log origin to expect')
    .action((bundlePath: string, o: { key: string; file?: string; origin?: string }) => {
      const json = !!globals().json;
      let result: ReturnType<typeof verifyBundle>;
      try {
        const keys = readKeys(o.key);
        const fileBytes = o.file ? readFileSync(o.file) : undefined;
        result = verifyBundle(readFileSync(bundlePath, 'utf8'), keys, { ...(fileBytes ? { fileBytes } : {}), ...(o.origin ? { origin: o.origin } : {}) });
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        result = { ok: false, code: (e as { code?: string }).code === 'bad_key' ? 'wrong_key' : 'malformed_bundle', reason };
      }
      if (!result.ok) {
        if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        process.stderr.write(`attest: verification FAILED [${result.code}]: ${result.reason}\n`);
        process.exit(1);
      }
      const r = result;
      print(json, r, () => [
        `OK: entry ${r.index} (${r.entry.kind}, ${r.entry.time}) is in log ${r.origin}`,
        `    signed tree of ${r.treeSize} entries, root ${r.rootHash}, signed by ${r.signedBy.join(', ')}`,
        r.file ? `    file sha256 ${r.file.sha256} (${r.file.size} bytes): ${r.fileChecked ? 'matches' : 'not checked (no --file)'}` : '    no file recorded',
      ].join('\n'));
    });

  const log = program.command('log').description('the evidence log');
  log.command('audit').description('recompute every org log from its stored entries and check nodes, checkpoints and signatures')
    .option('--org <slug-or-id>', 'one organization (default: all)')
    .option('--deep', 'also parse every entry and require RFC 8785 canonical bytes (slower)')
    .action(async (o: { org?: string; deep?: boolean }) => {
      const g = globals();
      try {
        const reports = await withApp(g, async (app) => {
          const out = [];
          // Recorded like the daily job's runs (trigger 'cli'), so the web UI shows the latest result.
          for (const org of await orgsFor(app, o.org)) out.push({ slug: org.slug, ...(await app.services.ledger.runAudit(org.id, 'cli', { deep: !!o.deep })) });
          return out;
        });
        const ok = reports.every((r) => r.ok);
        print(!!g.json, { ok, reports }, () => reports.map((r) => [
          `${r.ok ? 'OK  ' : 'FAIL'} ${r.slug}: ${r.treeSize} entries, ${r.checkpoints} checkpoints, root ${r.rootHash}`,
          ...r.problems.map((p) => `     [${p.code}] ${p.message}`),
          ...(r.problemCount > r.problems.length ? [`     … and ${r.problemCount - r.problems.length} more problems`] : []),
        ].join('\n')).join('\n') || '(no organizations)');
        if (!ok) process.exit(1);
      } catch (e) { fail(e); }
    });
  log.command('checkpoint').description('sign a checkpoint of each org log now and print it')
    .option('--org <slug-or-id>', 'one organization (default: all)')
    .action(async (o: { org?: string }) => {
      const g = globals();
      try {
        const rows = await withApp(g, async (app) => {
          const out = [];
          for (const org of await orgsFor(app, o.org)) out.push({ slug: org.slug, orgId: org.id, ...(await app.services.ledger.checkpoint(org.id)) });
          return out;
        });
        print(!!g.json, rows, () => rows.map((r) => `# ${r.slug}\n${r.note}`).join('\n') || '(no organizations)');
      } catch (e) { fail(e); }
    });
  log.command('keys').description("print an org's verifier keys as /.well-known/attest/<org>/log-keys serves them (usable as `attest verify --key`)")
    .option('--org <slug-or-id>', 'organization (default: the only one)')
    .action(async (o: { org?: string }) => {
      const g = globals();
      try {
        const doc = await withApp(g, async (app) => {
          const all = await orgsFor(app, o.org);
          if (all.length !== 1) throw new NotFoundError(all.length ? 'One organization (name it with --org)' : 'Organization');
          return app.services.ledger.publicKeysBySlug(all[0]!.slug);
        });
        process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      } catch (e) { fail(e); }
    });
}
