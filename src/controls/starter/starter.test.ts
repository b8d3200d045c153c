import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile, type CatalogFile } from '../../catalog/catalog-file.schema.ts';
import { starterFileSchema } from './starter-file.schema.ts';
import { loadStarterSet } from './starter.ts';

const catalogDir = fileURLToPath(new URL('../../../catalogs/', import.meta.url));

async function builtInCatalogs(): Promise<Map<string, CatalogFile>> {
  const names = (await readdir(catalogDir)).filter((n) => n.endsWith('.json')).sort();
  const catalogs = new Map<string, CatalogFile>();
  for (const name of names) {
    const catalog = await loadCatalogFile(`${catalogDir}${name}`);
    catalogs.set(catalog.id, catalog);
  }
  return catalogs;
}

/** Requirement ids of one catalog with kind 'requirement' (groups excluded). */
function requirementIds(catalog: CatalogFile): Set<string> {
  return new Set(catalog.requirements.filter((r) => r.kind === 'requirement').map((r) => r.id));
}

/** framework id -> requirement ids that at least one starter control maps to. */
function coveredByStarter(controls: { requirements: { framework: string; id: string }[] }[]): Map<string, Set<string>> {
  const covered = new Map<string, Set<string>>();
  for (const c of controls) {
    for (const r of c.requirements) {
      if (!covered.has(r.framework)) covered.set(r.framework, new Set());
      covered.get(r.framework)!.add(r.id);
    }
  }
  return covered;
}

test('the starter set validates and holds at least 120 distinct controls', async () => {
  const set = await loadStarterSet();
  assert.ok(set.controls.length >= 120, `only ${set.controls.length} controls`);
  const codes = set.controls.map((c) => c.code);
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  const titles = set.controls.map((c) => c.title.toLowerCase());
  assert.equal(new Set(titles).size, titles.length, 'titles are unique');
  const descriptions = set.controls.map((c) => c.description.toLowerCase().replace(/\s+/g, ' '));
  assert.equal(new Set(descriptions).size, descriptions.length, 'descriptions are unique');
  // The three seed controls keep their codes: orgs that adopted them must find them again.
  for (const code of ['IAM-01', 'IAM-02', 'LOG-01']) assert.ok(codes.includes(code), `seed control ${code} is kept`);
  // The code prefix names the domain, so one prefix must always mean one domain.
  const domainOf = new Map<string, string>();
  for (const c of set.controls) {
    const prefix = c.code.slice(0, c.code.indexOf('-'));
    assert.equal(domainOf.get(prefix) ?? c.domain, c.domain, `${c.code} is in the same domain as other ${prefix} controls`);
    domainOf.set(prefix, c.domain);
  }
});

test('every requirement ref exists in its catalog and is a requirement, not a group', async () => {
  const set = await loadStarterSet();
  const catalogs = await builtInCatalogs();
  const problems: string[] = [];
  for (const c of set.controls) {
    for (const r of c.requirements) {
      const catalog = catalogs.get(r.framework);
      if (!catalog) { problems.push(`${c.code}: unknown framework ${r.framework}`); continue; }
      const entry = catalog.requirements.find((q) => q.id === r.id);
      if (!entry) problems.push(`${c.code}: ${r.framework} has no ${r.id}`);
      else if (entry.kind !== 'requirement') problems.push(`${c.code}: ${r.framework} ${r.id} is a ${entry.kind}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the starter set covers SOC 2 common criteria, ISO 27001:2022 Annex A and every built-in framework', async () => {
  const set = await loadStarterSet();
  const catalogs = await builtInCatalogs();
  const covered = coveredByStarter(set.controls);

  const soc2 = [...requirementIds(catalogs.get('soc2-2017')!)].filter((id) => /^CC\d\.\d$/.test(id));
  assert.equal(soc2.length, 33, 'SOC 2 has 33 common criteria');
  assert.deepEqual(soc2.filter((id) => !covered.get('soc2-2017')?.has(id)), [], 'uncovered SOC 2 common criteria');

  const annexA = [...requirementIds(catalogs.get('iso27001-2022')!)].filter((id) => id.startsWith('A.'));
  assert.equal(annexA.length, 93, 'ISO 27001:2022 Annex A has 93 controls');
  assert.deepEqual(annexA.filter((id) => !covered.get('iso27001-2022')?.has(id)), [], 'uncovered Annex A controls');

  assert.deepEqual([...catalogs.keys()].filter((fw) => !covered.has(fw)), [], 'built-in frameworks no starter control maps to');

  const table = [...catalogs.values()].map((catalog) => {
    const total = requirementIds(catalog).size;
    const n = covered.get(catalog.id)?.size ?? 0;
    return { framework: catalog.id, covered: n, requirements: total, percent: Math.round((100 * n) / total) };
  });
  console.log(`Starter set: ${set.controls.length} controls; requirements covered per framework:`);
  console.table(table);
});

test('the schema rejects duplicate codes, duplicate titles and a requirement listed twice', async () => {
  const set = await loadStarterSet();
  const a = set.controls[0]!;
  const b = set.controls[1]!;
  const broken = {
    ...set,
    controls: [
      a,
      { ...b, code: a.code },
      { ...b, code: 'ZZ-01', title: a.title },
      { ...b, code: 'ZZ-02', title: 'Another title', requirements: [a.requirements[0]!, a.requirements[0]!] },
    ],
  };
  const result = starterFileSchema.safeParse(broken);
  assert.equal(result.success, false);
  const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  assert.ok(messages.includes(`controls.1.code: Duplicate code "${a.code}".`), messages.join('\n'));
  assert.ok(messages.includes(`controls.2.title: Duplicate title "${a.title}".`), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('controls.3.requirements.1: Requirement')), messages.join('\n'));
});
