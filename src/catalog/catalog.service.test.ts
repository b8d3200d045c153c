// Framework catalogs on a real PostgreSQL: built-in loading and upgrades, OSCAL import of NIST
// SP 800-53 (catalog and profile), faults that write nothing, exports valid against the official
// schemas, mapping import/export, and tenant isolation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, globSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { freshDatabaseUrl } from '../../tests/support/db.ts';
import { openDatabase, runMigrations } from '../db/database.ts';
import { createTransact } from '../db/repos.ts';
import { newOrg } from '../../tests/support/factories.ts';
import { SHARED_OSCAL } from '../../tests/support/shared.ts';
import { cliActor } from '../lib/actor.ts';
import { InvalidInputError } from '../lib/errors.ts';
import { BUILTIN_DIRS, loadBuiltinCatalogs } from './catalog.builtin.ts';
import { OscalInputError } from './oscal/oscal.errors.ts';

const NIST = `${SHARED_OSCAL}/nist-sp800-53-rev5`;
const CATALOG = `${NIST}/superseded/NIST_SP-800-53_rev5_catalog_v5.0.1_2021-06-08.json`;
const MODERATE = `${NIST}/profiles/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json`;
const MODERATE_RESOLVED = `${NIST}/resolved/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json`;
const ajv = new Ajv({ strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validateCatalog = ajv.compile(JSON.parse(readFileSync(`${SHARED_OSCAL}/schema/v1.2.1/oscal_catalog_schema.json`, 'utf8')));
const validateMapping = ajv.compile(JSON.parse(readFileSync(`${SHARED_OSCAL}/schema/v1.2.1/oscal_mapping_schema.json`, 'utf8')));

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const catalog = () => t.app.services.catalog;
const catalogText = readFileSync(CATALOG, 'utf8');
const count = async (table: string) => Number((await t.app.services.database.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);

function controlIds(doc: { catalog: { groups?: unknown[]; controls?: unknown[] } }): string[] {
  const out: string[] = [];
  const walk = (node: { groups?: unknown[]; controls?: unknown[]; id?: string }, isControl: boolean) => {
    if (isControl && node.id) out.push(node.id);
    for (const g of (node.groups ?? []) as object[]) walk(g, false);
    for (const c of (node.controls ?? []) as object[]) walk(c, true);
  };
  walk(doc.catalog, false);
  return out.sort();
}

test('start-up loaded every built-in catalog with the file counts; a second load loads nothing', async () => {
  const { org } = await newOrg(t);
  const listed = new Map((await catalog().list(org.id)).map((f) => [f.id, f]));
  const files = globSync('*.json', { cwd: BUILTIN_DIRS.catalogs });
  assert.equal(files.length, 14);
  for (const name of files) {
    const file = JSON.parse(readFileSync(path.join(BUILTIN_DIRS.catalogs, name), 'utf8'));
    const f = listed.get(file.id);
    assert.ok(f, `${file.id} not loaded`);
    assert.equal(f.requirementCount, file.requirements.filter((r: { kind: string }) => r.kind === 'requirement').length, file.id);
    assert.equal(f.version, file.version);
    assert.equal(f.origin, 'builtin');
    assert.equal((await catalog().currentRequirements(org.id, file.id)).length, file.requirements.length);
  }
  const mappingFiles = globSync('*.json', { cwd: BUILTIN_DIRS.mappings }).map((n) => JSON.parse(readFileSync(path.join(BUILTIN_DIRS.mappings, n), 'utf8')));
  assert.equal((await catalog().mappingsVisibleTo(org.id)).length, mappingFiles.reduce((n, m) => n + m.maps.length, 0));
  const before = [await count('framework_versions'), await count('framework_requirements'), await count('mappings')];
  const again = await loadBuiltinCatalogs(t.app.services.transact);
  assert.deepEqual(again, { frameworks: [], mappingSets: [] });
  assert.deepEqual([await count('framework_versions'), await count('framework_requirements'), await count('mappings')], before);
});

test('a bumped catalog file version adds a version and makes it current; an unchanged one does nothing', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-builtins-'));
  cpSync(BUILTIN_DIRS.catalogs, path.join(dir, 'catalogs'), { recursive: true });
  cpSync(BUILTIN_DIRS.mappings, path.join(dir, 'mappings'), { recursive: true });
  const file = path.join(dir, 'catalogs', 'gdpr.json');
  const gdpr = JSON.parse(readFileSync(file, 'utf8'));
  gdpr.version += 1;
  gdpr.requirements[1].title = 'A changed title';
  writeFileSync(file, JSON.stringify(gdpr));
  const result = await loadBuiltinCatalogs(t.app.services.transact, { catalogs: path.join(dir, 'catalogs'), mappings: path.join(dir, 'mappings') });
  assert.deepEqual(result.frameworks.map((f) => [f.id, f.version]), [['gdpr', gdpr.version]]);
  assert.equal(result.mappingSets.length, 0);
  const { org } = await newOrg(t);
  const current = (await catalog().list(org.id)).find((f) => f.id === 'gdpr');
  assert.equal(current?.version, gdpr.version);
  const req = (await catalog().currentRequirements(org.id, 'gdpr')).find((r) => r.requirementId === gdpr.requirements[1].id);
  assert.equal(req?.title, 'A changed title');
  assert.equal(await t.app.services.repos.catalog.countVersions(null, 'gdpr'), 2);
  // Mappings name requirements by framework and id, so they still resolve after the upgrade.
  assert.deepEqual(await catalog().findMissingRequirements(org.id, [{ framework: 'gdpr', id: 'Art. 32' }]), []);
});

test('importing the NIST SP 800-53 rev5 catalog gives 1,189 controls and enhancements; a re-import is version 2 with the same count', async () => {
  const { org } = await newOrg(t);
  const first = await catalog().importOscal(org.id, { text: catalogText, fileName: path.basename(CATALOG), id: 'nist-sp800-53-rev5' }, cliActor);
  assert.deepEqual([first.id, first.version, first.requirementCount, first.groupCount, first.origin], ['nist-sp800-53-rev5', 1, 1189, 20, 'oscal-catalog']);
  const second = await catalog().importOscal(org.id, { text: catalogText, fileName: path.basename(CATALOG), id: 'nist-sp800-53-rev5' }, cliActor);
  assert.deepEqual([second.version, second.requirementCount], [2, 1189]);
  const listed = (await catalog().list(org.id)).filter((f) => f.id === 'nist-sp800-53-rev5');
  assert.deepEqual(listed.map((f) => [f.version, f.requirementCount, f.frameworkVersion]), [[2, 1189, '5.0.1']]);
  const detail = await catalog().requirement(org.id, 'nist-sp800-53-rev5', 'ac-2');
  assert.match(detail.statement ?? '', /^a\. Define and document the types of accounts/);
  assert.ok(Array.isArray(detail.params) && detail.params.length > 0);
  assert.equal(detail.attrs.label, 'AC-2');
  const exported = await catalog().exportOscal(org.id, 'nist-sp800-53-rev5');
  assert.ok(validateCatalog(exported), JSON.stringify(validateCatalog.errors?.slice(0, 3)));
  assert.equal(controlIds(exported).length, 1189);
});

test('the MODERATE profile, resolved with the catalog, has the control ids of NIST\'s resolved MODERATE catalog', async () => {
  const { org } = await newOrg(t);
  const imported = await catalog().importOscal(org.id, {
    text: readFileSync(MODERATE, 'utf8'), fileName: path.basename(MODERATE), resolveWith: [{ text: catalogText, fileName: CATALOG }],
  }, cliActor);
  assert.equal(imported.origin, 'oscal-profile');
  const expected = controlIds(JSON.parse(readFileSync(MODERATE_RESOLVED, 'utf8')));
  const ids = (await catalog().currentRequirements(org.id, imported.id)).filter((r) => r.kind === 'requirement').map((r) => r.requirementId).sort();
  assert.deepEqual(ids, expected);
  const exported = await catalog().exportOscal(org.id, imported.id);
  assert.ok(validateCatalog(exported), JSON.stringify(validateCatalog.errors?.slice(0, 3)));
  assert.deepEqual(controlIds(exported), expected);
});

test('a profile import resolves against a catalog the org imported before, by file name', async () => {
  const { org } = await newOrg(t);
  await catalog().importOscal(org.id, { text: catalogText, fileName: 'NIST_SP-800-53_rev5_catalog.json', id: 'nist-sp800-53-rev5' }, cliActor);
  const imported = await catalog().importOscal(org.id, { text: readFileSync(MODERATE, 'utf8'), fileName: 'moderate.json', id: 'nist-moderate' }, cliActor);
  assert.equal(imported.requirementCount, controlIds(JSON.parse(readFileSync(MODERATE_RESOLVED, 'utf8'))).length);
  // Another org has no such catalog: the same profile cannot resolve there.
  const other = await newOrg(t);
  await assert.rejects(catalog().importOscal(other.org.id, { text: readFileSync(MODERATE, 'utf8'), fileName: 'moderate.json' }, cliActor), /Cannot resolve import href/);
});

test('malformed files are rejected with their line or JSON pointer and write nothing', async () => {
  const { org } = await newOrg(t);
  const before = [await count('framework_versions'), await count('framework_requirements')];
  const badJson = '{\n  "catalog": {\n    "uuid": "x",\n  }\n}';
  await assert.rejects(catalog().importOscal(org.id, { text: badJson, fileName: 'bad.json' }, cliActor), (e: unknown) => {
    assert.ok(e instanceof OscalInputError);
    assert.equal(e.location.line, 4);
    return true;
  });
  const doc = JSON.parse(catalogText);
  doc.catalog.groups[2].controls[1].id = 'not a token';
  await assert.rejects(catalog().importOscal(org.id, { text: JSON.stringify(doc), fileName: 'bad-field.json' }, cliActor), (e: unknown) => {
    assert.ok(e instanceof OscalInputError);
    assert.equal(e.location.pointer, '/catalog/groups/2/controls/1/id');
    return true;
  });
  await assert.rejects(catalog().importOscal(org.id, { text: catalogText, fileName: 'x.json', id: 'Not An Id' }, cliActor), OscalInputError);
  assert.deepEqual([await count('framework_versions'), await count('framework_requirements')], before);
});

test('exports of built-ins validate against the official catalog schema', async () => {
  const { org } = await newOrg(t);
  for (const f of await catalog().list(org.id)) {
    const exported = await catalog().exportOscal(org.id, f.id);
    assert.ok(validateCatalog(exported), `${f.id}: ${JSON.stringify(validateCatalog.errors?.slice(0, 3))}`);
    assert.equal(controlIds(exported).length, f.requirementCount, f.id);
  }
});

test('mappings export as a schema-valid OSCAL mapping collection and import back into an org; bad refs are named', async () => {
  const { org } = await newOrg(t);
  const exported = await catalog().exportMappings(org.id, { from: 'iso27001-2013', to: 'iso27001-2022' });
  assert.ok(validateMapping(exported), JSON.stringify(validateMapping.errors?.slice(0, 3)));
  const builtinCount = (await catalog().mappingsVisibleTo(org.id, { from: 'iso27001-2013' })).length;
  assert.equal(exported['mapping-collection'].mappings[0]!.maps.length, builtinCount);

  // An org's own mapping: built-in ISO 27001:2022 to its imported 800-53.
  await catalog().importOscal(org.id, { text: catalogText, fileName: 'nist.json', id: 'nist-sp800-53-rev5' }, cliActor);
  const own = structuredClone(exported);
  const m = own['mapping-collection'].mappings[0]!;
  own['mapping-collection'].uuid = '0f8f7a1e-3c1b-4e55-9a53-1f0f4cf3a001';
  m['source-resource'] = { type: 'catalog', href: 'urn:attest:framework:iso27001-2022', props: [{ name: 'framework-id', value: 'iso27001-2022' }] };
  m['target-resource'] = { type: 'catalog', href: 'urn:attest:framework:nist-sp800-53-rev5', props: [{ name: 'framework-id', value: 'nist-sp800-53-rev5' }] };
  m.maps = [{ ...m.maps[0]!, sources: [{ type: 'control', 'id-ref': 'A.5.15' }], targets: [{ type: 'control', 'id-ref': 'ac-2' }], relationship: 'intersects-with' }];
  const result = await catalog().importMappings(org.id, { text: JSON.stringify(own), fileName: 'own.json' }, cliActor);
  assert.equal(result.mappingCount, 1);
  const detail = await catalog().requirement(org.id, 'nist-sp800-53-rev5', 'ac-2');
  assert.deepEqual(detail.mappings.incoming.map((x) => [x.framework, x.id, x.relationship, x.builtin]), [['iso27001-2022', 'A.5.15', 'intersects-with', false]]);
  assert.ok(detail.mappings.incoming[0]!.title);
  // Re-importing the same collection replaces it: counts never double.
  await catalog().importMappings(org.id, { text: JSON.stringify(own), fileName: 'own.json' }, cliActor);
  assert.equal((await catalog().mappingsVisibleTo(org.id, { to: 'nist-sp800-53-rev5' })).length, 1);

  const before = await count('mappings');
  m.maps[0]!.targets = [{ type: 'control', 'id-ref': 'zz-99' }];
  await assert.rejects(catalog().importMappings(org.id, { text: JSON.stringify(own), fileName: 'own.json' }, cliActor), (e: unknown) => {
    assert.ok(e instanceof InvalidInputError);
    assert.deepEqual(e.fields?.map((f) => f.path), ['/mapping-collection/mappings/0/maps/0/targets/0/id-ref']);
    return true;
  });
  (m.maps[0] as { relationship: string }).relationship = 'kind-of';
  await assert.rejects(catalog().importMappings(org.id, { text: JSON.stringify(own), fileName: 'own.json' }, cliActor), (e: unknown) => {
    assert.ok(e instanceof OscalInputError);
    assert.equal(e.location.pointer, '/mapping-collection/mappings/0/maps/0/relationship');
    return true;
  });
  assert.equal(await count('mappings'), before);
});

test('tenant isolation: org B never sees org A\'s imports, mappings or scope', async () => {
  const a = await newOrg(t, 'Alpha');
  const b = await newOrg(t, 'Beta');
  await catalog().importOscal(a.org.id, { text: catalogText, fileName: 'nist.json', id: 'nist-a' }, cliActor);
  // Org A imports licensed text into a built-in's id: its current version of soc2-2017 changes, B's does not.
  const soc2 = JSON.parse(JSON.stringify(await catalog().exportOscal(a.org.id, 'soc2-2017')));
  soc2.catalog.metadata.title = 'SOC 2 with licensed text';
  await catalog().importOscal(a.org.id, { text: JSON.stringify(soc2), fileName: 'soc2.json', id: 'soc2-2017' }, cliActor);
  assert.equal((await catalog().show(a.org.id, 'soc2-2017')).name, 'SOC 2 with licensed text');
  assert.notEqual((await catalog().show(b.org.id, 'soc2-2017')).name, 'SOC 2 with licensed text');
  assert.equal((await catalog().show(b.org.id, 'soc2-2017')).origin, 'builtin');

  assert.equal(await catalog().frameworkExists(a.org.id, 'nist-a'), true);
  assert.equal(await catalog().frameworkExists(b.org.id, 'nist-a'), false);
  assert.ok(!(await catalog().list(b.org.id)).some((f) => f.id === 'nist-a'));
  await assert.rejects(catalog().show(b.org.id, 'nist-a'), /not found/);
  await assert.rejects(catalog().exportOscal(b.org.id, 'nist-a'), /not found/);
  assert.deepEqual(await catalog().search(b.org.id, { q: 'account management', framework: 'nist-a' }), []);
  assert.ok((await catalog().search(a.org.id, { q: 'account management', framework: 'nist-a' })).some((r) => r.requirementId === 'ac-2'));
  assert.deepEqual(await catalog().findMissingRequirements(b.org.id, [{ framework: 'nist-a', id: 'ac-2' }, { framework: 'soc2-2017', id: 'CC6.1' }]), [{ framework: 'nist-a', id: 'ac-2' }]);
  await assert.rejects(catalog().setScope(b.org.id, ['nist-a'], cliActor), InvalidInputError);

  const mine = await catalog().exportMappings(a.org.id, { from: 'iso27001-2013' });
  const doc = structuredClone(mine);
  doc['mapping-collection'].uuid = '0f8f7a1e-3c1b-4e55-9a53-1f0f4cf3a002';
  const mm = doc['mapping-collection'].mappings[0]!;
  mm['target-resource'] = { type: 'catalog', href: 'urn:attest:framework:nist-a', props: [] };
  mm.maps = [{ ...mm.maps[0]!, targets: [{ type: 'control', 'id-ref': 'ac-1' }] }];
  await catalog().importMappings(a.org.id, { text: JSON.stringify(doc), fileName: 'a.json' }, cliActor);
  assert.equal((await catalog().mappingsVisibleTo(a.org.id, { to: 'nist-a' })).length, 1);
  assert.equal((await catalog().mappingsVisibleTo(b.org.id, { to: 'nist-a' })).length, 0);
  // B cannot import a mapping onto A's framework.
  await assert.rejects(catalog().importMappings(b.org.id, { text: JSON.stringify(doc), fileName: 'b.json' }, cliActor), /No framework "nist-a"/);

  assert.deepEqual(await catalog().setScope(a.org.id, ['nist-a', 'soc2-2017'], cliActor), ['nist-a', 'soc2-2017']);
  assert.deepEqual(await catalog().scope(b.org.id), []);
  assert.equal((await catalog().list(a.org.id)).find((f) => f.id === 'nist-a')?.inScope, true);
});

test('nodes starting together load the built-ins once', async () => {
  const url = await freshDatabaseUrl();
  const nodes = [openDatabase(url, 2), openDatabase(url, 2)];
  try {
    await runMigrations(nodes[0]!);
    const results = await Promise.all(nodes.map((n) => loadBuiltinCatalogs(createTransact(n.db))));
    assert.deepEqual(results.map((r) => r.frameworks.length).sort(), [0, 14]);
    const { rows } = await nodes[0]!.pool.query('SELECT count(*)::int AS n FROM framework_versions');
    assert.equal(rows[0].n, 14);
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
  }
});

test('two imports of the same id at once make versions 1 and 2, each complete', async () => {
  const { org } = await newOrg(t);
  const results = await Promise.all([1, 2].map(() => catalog().importOscal(org.id, { text: catalogText, fileName: 'nist.json', id: 'nist-twice' }, cliActor)));
  assert.deepEqual(results.map((r) => r.version).sort(), [1, 2]);
  const { rows } = await t.app.services.database.pool.query(
    `SELECT v.version, v.is_current, count(r.*)::int AS n FROM framework_versions v JOIN framework_requirements r ON r.version_id = v.id
     WHERE v.org_id = $1 AND v.framework_id = 'nist-twice' GROUP BY v.version, v.is_current ORDER BY v.version`, [org.id]);
  assert.deepEqual(rows.map((r) => [r.version, r.is_current, r.n]), [[1, false, 1209], [2, true, 1209]]);
});
