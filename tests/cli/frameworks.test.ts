// `attest frameworks …` and `attest mappings …` through the real bin/attest on embedded PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postmastersFor } from '../support/processes.ts';
import { attest, type Run } from '../support/cli.ts';
import { SHARED_OSCAL } from '../support/shared.ts';

const NIST = `${SHARED_OSCAL}/nist-sp800-53-rev5`;
const CATALOG = `${NIST}/superseded/NIST_SP-800-53_rev5_catalog_v5.0.1_2021-06-08.json`;
const MODERATE = `${NIST}/profiles/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json`;
const LOW = `${NIST}/profiles/NIST_SP-800-53_rev5_LOW-baseline_profile.json`;



function json<T = any>(r: Run): T {
  assert.equal(r.code, 0, `expected success, got ${r.code}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

function controlIds(doc: { catalog: object }): string[] {
  const out: string[] = [];
  const walk = (n: { groups?: object[]; controls?: object[]; id?: string }, control: boolean) => {
    if (control && n.id) out.push(n.id);
    for (const g of n.groups ?? []) walk(g, false);
    for (const c of n.controls ?? []) walk(c, true);
  };
  walk(doc.catalog, false);
  return out.sort();
}

describe('frameworks and mappings on one data directory', { timeout: 900_000 }, () => {
  let dir: string;
  let work: string;
  const data = () => ['--data', dir];
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'attest-cli-fw-'));
    work = mkdtempSync(path.join(os.tmpdir(), 'attest-cli-fw-files-'));
    json(await attest([...data(), '--json', 'admin', 'bootstrap', '--org', 'Acme', '--email', 'a@acme.test', '--password', 'a perfectly long cli password']));
  });
  after(() => {
    for (const pid of postmastersFor(dir)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  test('frameworks list --json shows the 14 built-ins with id, name, version and requirementCount', async () => {
    const list = json<{ id: string; name: string; version: number; requirementCount: number }[]>(await attest([...data(), '--json', 'frameworks', 'list']));
    assert.equal(list.length, 14);
    const soc2 = list.find((f) => f.id === 'soc2-2017');
    assert.ok(soc2?.name && soc2.version === 1 && soc2.requirementCount > 0);
    const human = await attest([...data(), 'frameworks', 'list']);
    assert.match(human.stdout, /^ID\s+NAME/);
    assert.match(human.stdout, /iso27001-2022/);
  });

  test('frameworks show prints the requirement tree with ids', async () => {
    const shown = json<{ requirements: { id: string; children: { id: string }[] }[] }>(await attest([...data(), '--json', 'frameworks', 'show', 'soc2-2017']));
    assert.ok(shown.requirements.flatMap((g) => g.children.map((c) => c.id)).length > 0);
    const human = await attest([...data(), 'frameworks', 'show', 'iso27001-2022']);
    assert.match(human.stdout, /\n\s+A\.5\.1\s+\S/);
    const missing = await attest([...data(), 'frameworks', 'show', 'nope']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /Framework not found/);
  });

  test('frameworks import of the 800-53 catalog prints its id and 1,189 requirements; a re-import is version 2', async () => {
    const first = json(await attest([...data(), '--json', 'frameworks', 'import', CATALOG, '--id', 'nist-sp800-53-rev5']));
    assert.deepEqual([first.id, first.version, first.requirementCount], ['nist-sp800-53-rev5', 1, 1189]);
    const again = await attest([...data(), 'frameworks', 'import', CATALOG, '--id', 'nist-sp800-53-rev5', '--org', 'acme']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Imported nist-sp800-53-rev5 version 2 .*1189 requirements/);
  });

  test('a profile resolves with --resolve-with, and relative to its own file', async () => {
    const moderate = json(await attest([...data(), '--json', 'frameworks', 'import', MODERATE, '--resolve-with', CATALOG, '--id', 'nist-moderate']));
    const resolved = JSON.parse(readFileSync(`${NIST}/resolved/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json`, 'utf8'));
    assert.equal(moderate.requirementCount, controlIds(resolved).length);
    // The profile's own href, ../../../../nist.gov/SP800-53/rev5/json/…, laid out on disk.
    const profileDir = path.join(work, 'a/b/c/d');
    mkdirSync(profileDir, { recursive: true });
    mkdirSync(path.join(work, 'nist.gov/SP800-53/rev5/json'), { recursive: true });
    copyFileSync(CATALOG, path.join(work, 'nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json'));
    copyFileSync(LOW, path.join(profileDir, 'low.json'));
    const low = json(await attest([...data(), '--json', 'frameworks', 'import', path.join(profileDir, 'low.json'), '--id', 'nist-low']));
    assert.equal(low.requirementCount, controlIds(JSON.parse(readFileSync(`${NIST}/resolved/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json`, 'utf8'))).length);
    const exported = path.join(work, 'moderate.oscal.json');
    assert.equal((await attest([...data(), 'frameworks', 'export', 'nist-moderate', '--format', 'oscal-catalog', '--out', exported])).code, 0);
    assert.deepEqual(controlIds(JSON.parse(readFileSync(exported, 'utf8'))), controlIds(resolved));
  });

  test('a malformed file fails with exit 1 naming the line or pointer, and nothing is imported', async () => {
    const bad = path.join(work, 'bad.json');
    writeFileSync(bad, '{\n  "catalog": {\n    "uuid": "x",\n  }\n}\n');
    const r = await attest([...data(), 'frameworks', 'import', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.json:4:\d+: JSON syntax error/);
    assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /);
    const field = path.join(work, 'field.json');
    writeFileSync(field, JSON.stringify({ catalog: { uuid: crypto.randomUUID(), metadata: { title: 'T', version: '1', 'oscal-version': '1.2.1', 'last-modified': '2026-01-01T00:00:00Z' }, controls: [{ id: 'ok', title: '' }] } }));
    const f = await attest([...data(), 'frameworks', 'import', field]);
    assert.equal(f.code, 1);
    assert.match(f.stderr, /at \/catalog\/controls\/0\/title/);
    assert.equal(json<unknown[]>(await attest([...data(), '--json', 'frameworks', 'list'])).length, 17);
    assert.equal((await attest([...data(), 'frameworks', 'export', 'soc2-2017', '--format', 'pdf'])).code, 1);
  });

  test('mappings export and import round-trip through files', async () => {
    const file = path.join(work, 'mappings.json');
    assert.equal((await attest([...data(), 'mappings', 'export', '--from', 'iso27001-2013', '--to', 'iso27001-2022', '--out', file])).code, 0);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const n = doc['mapping-collection'].mappings[0].maps.length;
    assert.ok(n > 90);
    const imported = json(await attest([...data(), '--json', 'mappings', 'import', file]));
    assert.equal(imported.mappingCount, n);
    const stdout = await attest([...data(), 'mappings', 'export', '--from', 'iso27001-2013']);
    assert.equal(JSON.parse(stdout.stdout)['mapping-collection'].mappings[0].maps.length, 2 * n);
  });
});
