import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogFileError, loadCatalogFile, parseCatalogFile, type CatalogFile } from './catalog-file.schema.ts';

const catalogDir = fileURLToPath(new URL('../../catalogs/', import.meta.url));

/**
 * Exact counts of kind 'requirement' per catalog: `total`, plus per group (counting all
 * requirements below that group, at any depth) where the framework defines them.
 */
const expected: Record<string, { total: number; groups?: Record<string, number> }> = {
  'soc2-2017': {
    total: 61,
    groups: {
      Security: 33,
      CC1: 5, CC2: 3, CC3: 4, CC4: 2, CC5: 3, CC6: 8, CC7: 5, CC8: 1, CC9: 2,
      Availability: 3,
      Confidentiality: 2,
      ProcessingIntegrity: 5,
      Privacy: 18,
    },
  },
  'iso27001-2022': {
    total: 30 + 93,
    groups: {
      'Clause 4': 4, 'Clause 5': 3, 'Clause 6': 5, 'Clause 7': 7, 'Clause 8': 3, 'Clause 9': 6, 'Clause 10': 2,
      'Annex A': 93, 'A.5': 37, 'A.6': 8, 'A.7': 14, 'A.8': 34,
    },
  },
  'iso27001-2013': {
    total: 114,
    groups: {
      'A.5': 2, 'A.6': 7, 'A.7': 6, 'A.8': 10, 'A.9': 14, 'A.10': 2, 'A.11': 15,
      'A.12': 14, 'A.13': 7, 'A.14': 13, 'A.15': 5, 'A.16': 7, 'A.17': 4, 'A.18': 8,
    },
  },
  'iso27701-2019': { total: 49, groups: { 'Annex A': 31, 'Annex B': 18 } },
  'iso27018-2019': { total: 25 },
  'bsi-c5-2020': {
    total: 121,
    groups: {
      OIS: 7, SP: 3, HR: 6, AM: 6, PS: 7, OPS: 24, IDM: 9, CRY: 4, COS: 8,
      PI: 3, DEV: 10, SSO: 5, SIM: 5, BCM: 4, COM: 4, INQ: 4, PSS: 12,
    },
  },
  'ens-2022': { total: 73, groups: { org: 4, op: 33, mp: 36 } },
  gdpr: {
    total: 99,
    groups: {
      'Chapter I': 4, 'Chapter II': 7, 'Chapter III': 12, 'Chapter IV': 20, 'Chapter V': 7, 'Chapter VI': 9,
      'Chapter VII': 17, 'Chapter VIII': 8, 'Chapter IX': 7, 'Chapter X': 2, 'Chapter XI': 6,
    },
  },
  'nist-800-207': { total: 20, groups: { Tenets: 7, Core: 3 } },
  'global-cbpr': {
    total: 50,
    groups: {
      Notice: 4, 'Collection Limitation': 3, Uses: 6, Choice: 7, Integrity: 5,
      'Security Safeguards': 10, 'Access and Correction': 3, Accountability: 12,
    },
  },
  'bsig-kritis': { total: 10 },
  // 250 numbered requirements in Requirements 1–12 plus 28 in Appendices A1–A3 (see the catalog's sourceNote).
  'pci-dss-4.0.1': {
    total: 278,
    groups: {
      '1': 19, '2': 11, '3': 29, '4': 6, '5': 13, '6': 19, '7': 12, '8': 29, '9': 27, '10': 27, '11': 21, '12': 37,
      A1: 7, A2: 3, A3: 18,
      '1.2': 8, '3.3': 6, '3.7': 9, '8.3': 12, '10.2': 9, '12.10': 8,
    },
  },
  'eu-cloud-coc': { total: 87, groups: { '5': 51, '6': 36, '5.3': 7, '5.11': 4 } },
  'global-prp': { total: 18, groups: { 'Security Safeguards': 8, Accountability: 10 } },
};

async function loadAll(): Promise<Map<string, { file: string; catalog: CatalogFile }>> {
  const names = (await readdir(catalogDir)).filter((n) => n.endsWith('.json')).sort();
  const out = new Map<string, { file: string; catalog: CatalogFile }>();
  for (const name of names) {
    const catalog = await loadCatalogFile(join(catalogDir, name));
    out.set(catalog.id, { file: name, catalog });
  }
  return out;
}

function requirementsUnder(catalog: CatalogFile, groupId: string): number {
  const parent = new Map(catalog.requirements.map((r) => [r.id, r.parentId]));
  let count = 0;
  for (const r of catalog.requirements) {
    if (r.kind !== 'requirement') continue;
    for (let p = r.parentId; p !== null; p = parent.get(p) ?? null) {
      if (p === groupId) {
        count++;
        break;
      }
    }
  }
  return count;
}

test('every catalog file validates, is named after its id, and has consistent content', async () => {
  const all = await loadAll();
  assert.ok(all.size >= Object.keys(expected).length, 'catalogs/ is missing files');
  for (const [id, { file, catalog }] of all) {
    assert.equal(file, `${id}.json`, `${file}: file name must be <id>.json`);
    const ids = catalog.requirements.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, `${id}: ids are not unique`);
    const sortKeys = catalog.requirements.map((r) => r.sortKey);
    assert.equal(new Set(sortKeys).size, sortKeys.length, `${id}: sortKeys are not unique`);
    for (const r of catalog.requirements) {
      if (r.kind === 'requirement') {
        assert.ok(r.summary && r.summary.trim().length > 0, `${id}/${r.id}: summary is empty`);
      }
    }
    // A group may be empty only when marked informative (e.g. CBPR's Preventing Harm principle).
    for (const r of catalog.requirements.filter((x) => x.kind === 'group' && x.attrs?.informative !== true)) {
      assert.ok(
        catalog.requirements.some((x) => x.parentId === r.id),
        `${id}/${r.id}: group has no children`,
      );
    }
  }
});

test('catalogs have the exact requirement counts of their frameworks', async () => {
  const all = await loadAll();
  for (const [id, want] of Object.entries(expected)) {
    const entry = all.get(id);
    assert.ok(entry, `catalog ${id} is missing`);
    const { catalog } = entry;
    const total = catalog.requirements.filter((r) => r.kind === 'requirement').length;
    assert.equal(total, want.total, `${id}: requirement count`);
    for (const [groupId, count] of Object.entries(want.groups ?? {})) {
      const group = catalog.requirements.find((r) => r.id === groupId);
      assert.equal(group?.kind, 'group', `${id}: group ${groupId} missing`);
      assert.equal(requirementsUnder(catalog, groupId), count, `${id}: requirements under ${groupId}`);
    }
  }
});

test('framework-specific attributes are present', async () => {
  const all = await loadAll();
  const iso27701 = all.get('iso27701-2019')?.catalog;
  assert.ok(iso27701);
  for (const r of iso27701.requirements.filter((x) => x.kind === 'requirement')) {
    const want = r.id.startsWith('A.') ? 'controller' : 'processor';
    assert.equal(r.attrs?.role, want, `iso27701-2019/${r.id}: role`);
  }
  const ens = all.get('ens-2022')?.catalog;
  assert.ok(ens);
  const allowed = new Set(['BASIC', 'MEDIUM', 'HIGH']);
  for (const r of ens.requirements.filter((x) => x.kind === 'requirement')) {
    const cats = r.attrs?.categories;
    assert.ok(Array.isArray(cats) && cats.length > 0, `ens-2022/${r.id}: categories`);
    for (const c of cats) assert.ok(allowed.has(c), `ens-2022/${r.id}: unknown category ${c}`);
    assert.ok(cats.includes('HIGH'), `ens-2022/${r.id}: every measure applies to HIGH`);
  }
  const byId = new Map(ens.requirements.map((r) => [r.id, r]));
  assert.deepEqual(byId.get('op.cont.2')?.attrs?.categories, ['HIGH']);
  assert.deepEqual(byId.get('op.acc.3')?.attrs?.categories, ['MEDIUM', 'HIGH']);
  assert.deepEqual(byId.get('org.1')?.attrs?.categories, ['BASIC', 'MEDIUM', 'HIGH']);
  assert.deepEqual(byId.get('op.pl.4')?.attrs?.dimensions, ['D']);

  const cbpr = all.get('global-cbpr')?.catalog;
  assert.ok(cbpr);
  const cbprGroups = new Map(cbpr.requirements.filter((r) => r.kind === 'group').map((g) => [g.id, g]));
  for (const r of cbpr.requirements.filter((x) => x.kind === 'requirement')) {
    const group = r.parentId === null ? undefined : cbprGroups.get(r.parentId);
    assert.equal(r.attrs?.principle, group?.attrs?.principle, `global-cbpr/${r.id}: principle matches its group`);
    assert.equal(r.attrs?.system, 'CBPR');
  }
  assert.equal(cbprGroups.size, 9, 'global-cbpr: nine privacy principles');

  const prp = all.get('global-prp')?.catalog;
  assert.ok(prp);
  const cbprPrinciples = new Set([...cbprGroups.values()].map((g) => g.attrs?.principle));
  for (const r of prp.requirements.filter((x) => x.kind === 'requirement')) {
    assert.equal(r.attrs?.system, 'PRP', `global-prp/${r.id}: system`);
    assert.ok(cbprPrinciples.has(r.attrs?.principle as string), `global-prp/${r.id}: principle shared with CBPR`);
  }

  const pci = all.get('pci-dss-4.0.1')?.catalog;
  assert.ok(pci);
  const pciReqs = pci.requirements.filter((x) => x.kind === 'requirement');
  const flagged = (attr: string) => pciReqs.filter((r) => r.attrs?.[attr] === true).map((r) => r.id);
  const appendixA1 = pciReqs.filter((r) => r.id.startsWith('A1.')).map((r) => r.id);
  assert.deepEqual(flagged('serviceProviderOnly'), [
    '3.6.1.1', '3.7.9', '8.2.3', '8.3.10', '8.3.10.1', '10.7.1', '11.4.6', '11.4.7', '11.5.1.1',
    '12.4.1', '12.4.2', '12.4.2.1', '12.5.2.1', '12.5.3', '12.9.1', '12.9.2', ...appendixA1, 'A2.1.2', 'A2.1.3',
  ]);
  const future = new Set(flagged('futureDated'));
  for (const id of ['3.3.2', '3.4.2', '5.4.1', '6.4.2', '6.4.3', '8.4.2', '8.5.1', '10.4.1.1', '11.6.1', '12.3.1', '12.10.7', 'A1.1.1']) {
    assert.ok(future.has(id), `pci-dss-4.0.1/${id}: futureDated`);
  }
  for (const id of ['1.1.1', '3.3.1', '8.4.1', '12.5.2', '12.9.2']) assert.ok(!future.has(id), `pci-dss-4.0.1/${id}: not futureDated`);
  for (const r of pciReqs) {
    const section = r.id.split('.').slice(0, 2).join('.');
    assert.equal(r.parentId, section, `pci-dss-4.0.1/${r.id}: parent is its section`);
  }

  const coc = all.get('eu-cloud-coc')?.catalog;
  assert.ok(coc);
  for (const r of coc.requirements.filter((x) => x.kind === 'requirement')) {
    assert.match(r.id, /^[56]\.\d+\.[A-Z]$/, `eu-cloud-coc/${r.id}: id scheme`);
    assert.equal(r.attrs?.area, r.id.startsWith('5.') ? 'data-protection' : 'security');
  }
});

test('a malformed catalog is rejected with the file name and JSON path of the fault', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'attest-catalog-'));
  try {
    const base = {
      schemaVersion: 1,
      id: 'broken',
      name: 'Broken',
      version: 1,
      frameworkVersion: '1',
      publisher: 'Test',
      sourceNote: 'Test data.',
      requirements: [
        { id: 'G1', parentId: null, kind: 'group', title: 'Group', sortKey: 1 },
        { id: 'R1', parentId: 'G1', kind: 'requirement', title: 'One', summary: 'Fine.', sortKey: 2 },
        { id: 'R2', parentId: 'G1', kind: 'requirement', title: 'Two', sortKey: 3 },
      ],
    };
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(base));
    await assert.rejects(loadCatalogFile(file), (err: unknown) => {
      assert.ok(err instanceof CatalogFileError);
      assert.match(err.message, /broken\.json/);
      assert.match(err.message, /\$\.requirements\[2\]\.summary/);
      return true;
    });

    await writeFile(file, '{ not json');
    await assert.rejects(loadCatalogFile(file), /broken\.json[\s\S]*not valid JSON/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('structural faults are reported at their JSON paths', () => {
  const make = (requirements: unknown[]) => ({
    schemaVersion: 1,
    id: 'x',
    name: 'X',
    version: 1,
    frameworkVersion: '1',
    publisher: 'P',
    sourceNote: 'S',
    requirements,
  });
  const g = (id: string, parentId: string | null) => ({ id, parentId, kind: 'group', title: id, sortKey: 1 });
  const r = (id: string, parentId: string | null) => ({
    id, parentId, kind: 'requirement', title: id, summary: 's', sortKey: 1,
  });
  const issues = (data: unknown) => {
    try {
      parseCatalogFile(data, 'x.json');
    } catch (err) {
      assert.ok(err instanceof CatalogFileError);
      return err.issues;
    }
    assert.fail('expected the catalog to be rejected');
  };

  assert.deepEqual(issues(make([g('G', null), r('A', 'G'), r('A', 'G')])).map((i) => i.path), ['$.requirements[2].id']);
  assert.match(issues(make([r('A', 'missing')]))[0]?.message ?? '', /does not exist/);
  assert.deepEqual(issues(make([r('A', null), r('B', 'A')])).map((i) => i.path), ['$.requirements[1].parentId']);
  const cycle = issues(make([g('G1', 'G2'), g('G2', 'G1')]));
  assert.ok(cycle.length > 0 && cycle.every((i) => /cycle/.test(i.message)));
  assert.equal(issues(make([g('G', 'G')]))[0]?.path, '$.requirements[0].parentId');
  assert.equal(issues({ ...make([g('G', null)]), schemaVersion: 2 })[0]?.path, '$.schemaVersion');
  assert.equal(
    issues(make([{ ...r('A', null), attrs: { x: 1 } }]))[0]?.path,
    '$.requirements[0].attrs.x',
  );
  assert.doesNotThrow(() => parseCatalogFile(make([g('G', null), r('A', 'G')]), 'ok.json'));
});
