import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postmastersFor } from '../support/processes.ts';
import { attest, type Run } from '../support/cli.ts';

// The real bin/attest on its own data directory, as an operator runs it.

const json = (r: Run) => {
  assert.equal(r.code, 0, `exit ${r.code}; stderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-cli-certs-'));
after(() => {
  for (const pid of postmastersFor(dir)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  rmSync(dir, { recursive: true, force: true });
});

test('certifications add, list and update through bin/attest', { timeout: 600_000 }, async () => {
  json(await attest(['--data', dir, '--json', 'admin', 'bootstrap', '--org', 'Acme', '--email', 'a@acme.test', '--password', 'a perfectly long cli password']));

  // A Type 2 without its period fails cleanly, naming the field.
  const bad = await attest(['--data', dir, 'certifications', 'add', '--framework', 'soc2-2017', '--kind', 'soc2-type2', '--name', 'SOC 2 Type II']);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /details\.periodStart/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);

  const added = json(await attest(['--data', dir, '--json', 'certifications', 'add', '--framework', 'soc2-2017', '--kind', 'soc2-type2', '--name', 'SOC 2 Type II',
    '--period-start', '2025-10-01', '--period-end', '2026-09-30', '--status', 'in-process', '--issuer', 'Example Audit LLP', '--roles', 'processor',
    '--locations', 'Frankfurt,Ashburn', '--org', 'acme']));
  assert.equal(added.status, 'in-process');
  assert.deepEqual(added.locations, ['Frankfurt', 'Ashburn']);
  assert.deepEqual(added.issuer, { name: 'Example Audit LLP', role: 'auditor' });

  const updated = json(await attest(['--data', dir, '--json', 'certifications', 'update', added.id, '--name', 'SOC 2 Type II (FY26)', '--status', 'withdrawn', '--reason', 'Replaced by the FY27 audit']));
  assert.equal(updated.name, 'SOC 2 Type II (FY26)');
  assert.equal(updated.status, 'withdrawn');
  assert.equal(updated.history[0].reason, 'Replaced by the FY27 audit');
  assert.equal(updated.history[0].actor, 'cli');

  const final = await attest(['--data', dir, 'certifications', 'update', added.id, '--status', 'in-process', '--reason', 'again']);
  assert.equal(final.code, 1);
  assert.match(final.stderr, /Withdrawn is final/);

  const listed = await attest(['--data', dir, 'certifications', 'list']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /SOC 2 Type II \(FY26\)\s+soc2-2017\s+soc2-type2\s+withdrawn\s+2027-09-30/);
  assert.deepEqual(postmastersFor(dir), [], 'every command stopped its database');
});
