// `attest controls …` through the real bin/attest on an embedded PostgreSQL in a fresh data directory.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postmastersFor } from '../support/processes.ts';
import { attest, type Run } from '../support/cli.ts';


const ok = (r: Run) => { assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`); return r; };

describe('controls commands on one data directory', { timeout: 600_000 }, () => {
  let dir: string;
  const run = (...args: string[]) => attest(['--data', dir, ...args]);
  before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'attest-cli-controls-')); });
  after(() => {
    for (const pid of postmastersFor(dir)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('adopt the starter set, twice, and list it', async () => {
    ok(await run('admin', 'bootstrap', '--org', 'Acme', '--email', 'a@acme.test', '--password', 'a perfectly long cli password'));
    const first = JSON.parse(ok(await run('--json', 'controls', 'adopt', '--frameworks', 'soc2-2017,iso27001-2022')).stdout);
    assert.ok(first.adopted.length >= 2);
    const again = JSON.parse(ok(await run('--json', 'controls', 'adopt', '--frameworks', 'soc2-2017,iso27001-2022')).stdout);
    assert.deepEqual(again.adopted, []);
    assert.deepEqual(again.alreadyAdopted.sort(), [...first.adopted].sort());
    const listed = JSON.parse(ok(await run('controls', 'list', '--json', '--org', 'acme')).stdout);
    assert.deepEqual(listed.map((c: { code: string }) => c.code).sort(), [...first.adopted].sort());
    const human = ok(await run('controls', 'list')).stdout;
    assert.match(human, /^CODE\s+TITLE\s+LIFECYCLE/);
    assert.match(human, new RegExp(first.adopted[0]));
  });

  test('export, a broken import naming line and column that changes nothing, a good import, and OSCAL into a second org', async () => {
    const csvFile = path.join(dir, 'controls.csv');
    ok(await run('controls', 'export', '--out', csvFile));
    const exported = readFileSync(csvFile, 'utf8');
    assert.match(exported, /^code,title,description,owner_email,frequency,nature,automation,lifecycle,scope,requirements\n/);

    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, `${exported}NEW-01,A new control,,,hourly,preventive,manual,draft,,soc2-2017:CC6.1\n`);
    const refused = await run('controls', 'import', broken);
    assert.equal(refused.code, 1, refused.stderr);
    const line = exported.trimEnd().split('\n').length + 1;
    assert.match(refused.stderr, new RegExp(`line ${line}, column frequency: Use one of`));
    assert.doesNotMatch(refused.stderr, /unexpected error/);
    assert.equal(ok(await run('controls', 'export')).stdout, exported, 'nothing was written');

    writeFileSync(broken, `${exported}NEW-01,A new control,,,weekly,preventive,manual,draft,,soc2-2017:CC6.1\n`);
    const imported = JSON.parse(ok(await run('--json', 'controls', 'import', broken)).stdout);
    assert.equal(imported.created, 1);
    assert.equal(imported.updated, exported.trimEnd().split('\n').length - 1);

    const oscalFile = path.join(dir, 'controls.oscal.json');
    ok(await run('controls', 'export', '--format', 'oscal', '--out', oscalFile));
    assert.ok(JSON.parse(readFileSync(oscalFile, 'utf8'))['component-definition']);
    ok(await run('orgs', 'create', 'Second', '--owner', 'a@acme.test'));
    const noOrg = await run('controls', 'list');
    assert.equal(noOrg.code, 1);
    assert.match(noOrg.stderr, /name one with --org/);
    const intoSecond = JSON.parse(ok(await run('--json', 'controls', 'import', oscalFile, '--org', 'second')).stdout);
    assert.equal(intoSecond.created, imported.created + imported.updated);
    assert.equal(ok(await run('controls', 'export', '--org', 'second')).stdout, ok(await run('controls', 'export', '--org', 'acme')).stdout);
  });
});
