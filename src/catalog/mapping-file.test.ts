import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile, type CatalogFile } from './catalog-file.schema.ts';
import {
  MappingFileError,
  catalogDirResolver,
  loadMappingFile,
  parseMappingFile,
  type MappingFile,
} from './mapping-file.schema.ts';

const catalogDir = fileURLToPath(new URL('../../catalogs/', import.meta.url));
const mappingDir = fileURLToPath(new URL('../../mappings/', import.meta.url));

/** Every shipped mapping, by file name (direction source__target). */
const expectedFiles = [
  'bsi-c5-2020__iso27001-2022.json',
  'ens-2022__iso27001-2022.json',
  'global-cbpr__gdpr.json',
  'global-prp__gdpr.json',
  'iso27001-2013__iso27001-2022.json',
  'iso27001-2022__soc2-2017.json',
  'iso27018-2019__iso27701-2019.json',
  'iso27701-2019__gdpr.json',
];

async function loadAll(): Promise<Map<string, MappingFile>> {
  const resolve = catalogDirResolver(catalogDir);
  const names = (await readdir(mappingDir)).filter((n) => n.endsWith('.json')).sort();
  const out = new Map<string, MappingFile>();
  for (const name of names) out.set(name, await loadMappingFile(join(mappingDir, name), resolve));
  return out;
}

async function catalog(id: string): Promise<CatalogFile> {
  return loadCatalogFile(join(catalogDir, `${id}.json`));
}

function requirementIds(c: CatalogFile, under?: string): string[] {
  const parent = new Map(c.requirements.map((r) => [r.id, r.parentId]));
  return c.requirements
    .filter((r) => r.kind === 'requirement')
    .filter((r) => {
      if (under === undefined) return true;
      for (let p = r.parentId; p !== null; p = parent.get(p) ?? null) if (p === under) return true;
      return false;
    })
    .map((r) => r.id);
}

function coveredSources(m: MappingFile): Set<string> {
  return new Set(m.maps.filter((x) => x.relationship !== 'no-relationship').map((x) => x.sourceId));
}

test('every mapping file validates, references existing ids, and is named after source__target', async () => {
  const all = await loadAll();
  for (const name of expectedFiles) assert.ok(all.has(name), `mappings/${name} is missing`);
  for (const [name, m] of all) {
    assert.equal(name, `${m.id}.json`, `${name}: file name must be <id>.json`);
    assert.equal(m.id, `${m.source.framework}__${m.target.framework}`, `${name}: id must be source__target`);
    assert.equal(m.method, 'human');
    assert.match(m.provenance, /Attest expert mapping/);
    const pairs = m.maps.map((x) => `${x.sourceId} -> ${x.targetId}`);
    assert.equal(new Set(pairs).size, pairs.length, `${name}: duplicate (sourceId, targetId) pairs`);
    for (const x of m.maps) assert.ok(x.rationale.length <= 400, `${name}: ${x.sourceId} rationale too long`);
  }
});

test('mappings cover their source catalogs as promised', async () => {
  const all = await loadAll();
  const get = (name: string) => {
    const m = all.get(name);
    assert.ok(m, `${name} missing`);
    return m;
  };

  // ISO 27001:2013 → 2022: the complete transition, every one of the 114 Annex A controls.
  const iso2013 = requirementIds(await catalog('iso27001-2013'));
  assert.equal(iso2013.length, 114);
  const transition = coveredSources(get('iso27001-2013__iso27001-2022.json'));
  assert.deepEqual(iso2013.filter((id) => !transition.has(id)), [], 'unmapped 2013 controls');
  // Every 2022 Annex A control except the 11 new ones receives at least one 2013 control.
  const targets = new Set(get('iso27001-2013__iso27001-2022.json').maps.map((x) => x.targetId));
  const newIn2022 = ['A.5.7', 'A.5.23', 'A.5.30', 'A.7.4', 'A.8.9', 'A.8.10', 'A.8.11', 'A.8.12', 'A.8.16', 'A.8.23', 'A.8.28'];
  const annexA2022 = requirementIds(await catalog('iso27001-2022'), 'Annex A');
  assert.deepEqual(
    annexA2022.filter((id) => !targets.has(id) && !newIn2022.includes(id)),
    [],
    '2022 controls without a 2013 predecessor',
  );
  for (const id of newIn2022) assert.ok(!targets.has(id), `${id} is new in 2022 and has no 2013 predecessor`);

  const c5 = coveredSources(get('bsi-c5-2020__iso27001-2022.json'));
  assert.ok(c5.size >= 100, `C5 covers only ${c5.size} criteria`);
  const ens = coveredSources(get('ens-2022__iso27001-2022.json'));
  assert.ok(ens.size >= 60, `ENS covers only ${ens.size} measures`);
  const isoSoc = get('iso27001-2022__soc2-2017.json');
  const annexCovered = annexA2022.filter((id) => coveredSources(isoSoc).has(id));
  assert.ok(annexCovered.length >= 80, `ISO 27001:2022 → SOC 2 covers only ${annexCovered.length} Annex A controls`);

  // Every ISO 27018 control is listed; those whose 27701 counterpart lies outside Annex B say so explicitly.
  const i27018 = new Set(get('iso27018-2019__iso27701-2019.json').maps.map((x) => x.sourceId));
  assert.equal(i27018.size, requirementIds(await catalog('iso27018-2019')).length, 'every ISO 27018 control is listed');
  const i27701 = coveredSources(get('iso27701-2019__gdpr.json'));
  assert.equal(i27701.size, requirementIds(await catalog('iso27701-2019')).length, 'every ISO 27701 control is mapped');
  const cbpr = coveredSources(get('global-cbpr__gdpr.json'));
  assert.equal(cbpr.size, 50, 'every CBPR requirement is mapped');
  const prp = coveredSources(get('global-prp__gdpr.json'));
  assert.equal(prp.size, 18, 'every PRP requirement is mapped');
});

test('well-known relationships are recorded', async () => {
  const all = await loadAll();
  const find = (name: string, s: string, t: string) => all.get(name)?.maps.find((x) => x.sourceId === s && x.targetId === t);
  const tr = 'iso27001-2013__iso27001-2022.json';
  assert.equal(find(tr, 'A.5.1.1', 'A.5.1')?.relationship, 'subset-of');
  assert.equal(find(tr, 'A.5.1.2', 'A.5.1')?.relationship, 'subset-of');
  assert.equal(find(tr, 'A.7.1.1', 'A.6.1')?.relationship, 'equivalent-to');
  assert.ok(find(tr, 'A.12.4.1', 'A.8.15'));
  assert.ok(find(tr, 'A.14.2.8', 'A.8.29'));
  assert.ok(find('iso27701-2019__gdpr.json', 'A.7.2.5', 'Art. 35'));
  assert.ok(find('iso27701-2019__gdpr.json', 'B.8.5.7', 'Art. 28'));
  assert.ok(find('iso27018-2019__iso27701-2019.json', 'A.10.1', 'B.8.2.5') || find('iso27018-2019__iso27701-2019.json', 'A.10.1', 'B.8.2.1'));
  assert.ok(find('global-cbpr__gdpr.json', '1', 'Art. 13'));
});

test('a malformed mapping is rejected with the file name and JSON path of the fault', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'attest-mapping-'));
  try {
    const base = {
      schemaVersion: 1,
      id: 'iso27001-2013__iso27001-2022',
      title: 'Test',
      version: 1,
      source: { framework: 'iso27001-2013' },
      target: { framework: 'iso27001-2022' },
      method: 'human',
      provenance: 'Attest expert mapping (test).',
      maps: [
        { sourceId: 'A.5.1.1', targetId: 'A.5.1', relationship: 'subset-of', rationale: 'Fine.' },
        { sourceId: 'A.5.1.2', targetId: 'A.5.1', relationship: 'same-as', rationale: 'Bad relationship.' },
      ],
    };
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(base));
    await assert.rejects(loadMappingFile(file, catalogDirResolver(catalogDir)), (err: unknown) => {
      assert.ok(err instanceof MappingFileError);
      assert.match(err.message, /broken\.json/);
      assert.match(err.message, /\$\.maps\[1\]\.relationship/);
      return true;
    });

    // Unknown ids are reported at their JSON path.
    const unknownIds = {
      ...base,
      maps: [
        { sourceId: 'A.5.1.1', targetId: 'A.5.1', relationship: 'subset-of', rationale: 'Fine.' },
        { sourceId: 'A.99.1', targetId: 'A.5.1', relationship: 'subset-of', rationale: 'No such source.' },
        { sourceId: 'A.5.1.2', targetId: 'A.5.99', relationship: 'subset-of', rationale: 'No such target.' },
      ],
    };
    await writeFile(file, JSON.stringify(unknownIds));
    await assert.rejects(loadMappingFile(file, catalogDirResolver(catalogDir)), (err: unknown) => {
      assert.ok(err instanceof MappingFileError);
      assert.match(err.message, /broken\.json/);
      assert.deepEqual(err.issues.map((i) => i.path), ['$.maps[1].sourceId', '$.maps[2].targetId']);
      return true;
    });

    // A catalog that does not exist.
    await writeFile(file, JSON.stringify({ ...base, maps: [base.maps[0]], target: { framework: 'nope' } }));
    await assert.rejects(loadMappingFile(file, catalogDirResolver(catalogDir)), /broken\.json[\s\S]*\$\.target\.framework/);

    await writeFile(file, '{ not json');
    await assert.rejects(loadMappingFile(file, catalogDirResolver(catalogDir)), /broken\.json[\s\S]*not valid JSON/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('structural faults are reported at their JSON paths', () => {
  const make = (maps: unknown[], extra: Record<string, unknown> = {}) => ({
    schemaVersion: 1,
    id: 'a__b',
    title: 'T',
    version: 1,
    source: { framework: 'a' },
    target: { framework: 'b' },
    method: 'human',
    provenance: 'Attest expert mapping.',
    maps,
    ...extra,
  });
  const m = (sourceId: string, targetId: string, more: Record<string, unknown> = {}) => ({
    sourceId, targetId, relationship: 'intersects-with', rationale: 'r', ...more,
  });
  const issues = (data: unknown) => {
    try {
      parseMappingFile(data, 'x.json');
    } catch (err) {
      assert.ok(err instanceof MappingFileError);
      return err.issues;
    }
    assert.fail('expected the mapping to be rejected');
  };
  assert.deepEqual(issues(make([m('1', '2'), m('1', '2')])).map((i) => i.path), ['$.maps[1]']);
  assert.equal(issues(make([m('1', '2', { confidence: 'certain' })]))[0]?.path, '$.maps[0].confidence');
  assert.equal(issues(make([m('1', '2')], { method: 'automated' }))[0]?.path, '$.method');
  assert.equal(issues(make([m('1', '2')], { schemaVersion: 2 }))[0]?.path, '$.schemaVersion');
  assert.equal(issues(make([m('1', '2', { extra: true })]))[0]?.path, '$.maps[0]');
  assert.equal(issues(make([m('1', '')]))[0]?.path, '$.maps[0].targetId');
  assert.equal(issues(make([]))[0]?.path, '$.maps');
  assert.doesNotThrow(() => parseMappingFile(make([m('1', '2'), m('1', '3', { confidence: 'low' })]), 'ok.json'));
});
