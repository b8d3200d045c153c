// The coverage engine on the real shipped catalogs and mappings, loaded from disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeCoverage, describePath } from './coverage.engine.ts';
import { loadBuiltInCoverageData } from './coverage.inputs.ts';
import type { ControlLink, CoverageInputs, FrameworkCoverage, RequirementCoverage } from './coverage.types.ts';

const data = await loadBuiltInCoverageData();
const allIds = data.frameworks.map((f) => f.id);

const link = (code: string, framework: string, requirementId: string): ControlLink =>
  ({ controlId: `id-${code}`, code, title: `Control ${code}`, framework, requirementId });
const inputs = (links: ControlLink[], scope = allIds): CoverageInputs => ({ ...data, links, scope });
const run = (links: ControlLink[], framework: string, opts: { maxHops?: number } = {}) => {
  const [fw] = computeCoverage(inputs(links), { frameworks: [framework], ...opts });
  assert.ok(fw, `framework ${framework} is reported`);
  return fw;
};
function find(fw: FrameworkCoverage, id: string): RequirementCoverage {
  const r = [...fw.satisfied, ...fw.partial, ...fw.gaps].find((x) => x.id === id);
  assert.ok(r, `${fw.framework.id} ${id} is listed`);
  return r;
}
const rationale = (source: string, sourceId: string, targetId: string) =>
  data.mappings.find((m) => m.source === source && m.sourceId === sourceId && m.targetId === targetId)!.rationale;

test('no control links: every requirement of every built-in framework is a gap, 0 %', () => {
  for (const fw of computeCoverage(inputs([]))) {
    assert.equal(fw.satisfied.length + fw.partial.length, 0);
    assert.equal(fw.gaps.length, fw.summary.requirements);
    assert.equal(fw.summary.fullyCoveredPercent, 0);
    assert.equal(fw.whatIf, false);
  }
});

test('a directly linked control satisfies its requirement, and the direct path beats any mapping', () => {
  const fw = run([link('AC-1', 'soc2-2017', 'CC6.1'), link('AC-2', 'iso27001-2022', 'A.5.15')], 'soc2-2017');
  const cc61 = find(fw, 'CC6.1');
  assert.equal(cc61.status, 'satisfied');
  assert.equal(cc61.reason, undefined);
  assert.deepEqual(cc61.paths[0], {
    carries: 'full', control: { id: 'id-AC-1', code: 'AC-1', title: 'Control AC-1' },
    requirement: { framework: 'soc2-2017', id: 'CC6.1', title: cc61.title }, hops: [],
  });
  // The partial route through ISO A.5.15 is kept as an alternative, after the direct one.
  assert.equal(cc61.paths[1]?.control.code, 'AC-2');
  assert.equal(cc61.paths[1]?.carries, 'partial');
  assert.equal(describePath(cc61.paths[0]!), 'AC-1 → soc2-2017 CC6.1 (direct)');
});

test('equivalent-to carries satisfaction fully (ISO 27001:2013 A.6.1.1 → 2022 A.5.2)', () => {
  const fw = run([link('ROLES', 'iso27001-2013', 'A.6.1.1')], 'iso27001-2022');
  const r = find(fw, 'A.5.2');
  assert.equal(r.status, 'satisfied');
  assert.equal(r.paths[0]!.carries, 'full');
  assert.deepEqual(r.paths[0]!.hops.map((h) => [h.relationship, h.direction, h.carries, h.source, h.to.id]),
    [['equivalent-to', 'as-mapped', 'full', 'iso27001-2013__iso27001-2022', 'A.5.2']]);
  assert.equal(r.paths[0]!.hops[0]!.rationale, rationale('iso27001-2013__iso27001-2022', 'A.6.1.1', 'A.5.2'));
  assert.equal(fw.summary.satisfied, 1);
});

test('intersects-with carries only partly (ISO 27001:2022 A.5.15 → SOC 2 CC6.1), and says why', () => {
  const fw = run([link('AC-2', 'iso27001-2022', 'A.5.15')], 'soc2-2017');
  const r = find(fw, 'CC6.1');
  assert.equal(r.status, 'partial');
  assert.equal(r.paths[0]!.hops[0]!.relationship, 'intersects-with');
  assert.equal(r.paths[0]!.hops[0]!.source, 'iso27001-2022__soc2-2017');
  assert.match(r.reason!, /AC-2.*iso27001-2022 A\.5\.15 only overlaps with soc2-2017 CC6\.1 \(intersects-with\)/);
  assert.equal(fw.summary.satisfied, 0);
  assert.ok(fw.summary.partial >= 1);
  assert.ok(fw.summary.atLeastPartlyPercent! > 0);
});

test('subset-of carries partly forward: the 2013 policy control covers only part of the merged 2022 A.5.1', () => {
  const fw = run([link('POL', 'iso27001-2013', 'A.5.1.1')], 'iso27001-2022');
  const r = find(fw, 'A.5.1');
  assert.equal(r.status, 'partial');
  assert.deepEqual(r.paths[0]!.hops.map((h) => [h.relationship, h.direction, h.carries]), [['subset-of', 'as-mapped', 'partial']]);
  assert.match(r.reason!, /is narrower than/);
});

test('inverse direction: satisfying the wider 2022 A.5.1 fully satisfies both 2013 controls merged into it (superset-of)', () => {
  const fw = run([link('POL', 'iso27001-2022', 'A.5.1')], 'iso27001-2013');
  for (const id of ['A.5.1.1', 'A.5.1.2']) {
    const r = find(fw, id);
    assert.equal(r.status, 'satisfied', id);
    assert.deepEqual(r.paths[0]!.hops.map((h) => [h.relationship, h.direction, h.carries, h.to.id]), [['superset-of', 'inverse', 'full', id]]);
  }
  // And an inverse intersects-with stays partial: SOC 2 CC3.1 → ISO 27001:2022 clause 4.1.
  const iso = run([link('RISK', 'soc2-2017', 'CC3.1')], 'iso27001-2022');
  const c41 = find(iso, '4.1');
  assert.equal(c41.status, 'partial');
  assert.equal(c41.paths[0]!.hops[0]!.direction, 'inverse');
});

test('two-hop chain ISO 27001:2013 → 2022 → SOC 2 is partial when one hop is; all-full chains stay full', () => {
  const soc2 = run([link('ROLES', 'iso27001-2013', 'A.6.1.1')], 'soc2-2017');
  const r = find(soc2, 'CC1.3');
  assert.equal(r.status, 'partial');
  const best = r.paths[0]!;
  assert.deepEqual(best.hops.map((h) => [h.source, h.relationship, h.carries, h.to.id]), [
    ['iso27001-2013__iso27001-2022', 'equivalent-to', 'full', 'A.5.2'],
    ['iso27001-2022__soc2-2017', 'intersects-with', 'partial', 'CC1.3'],
  ]);
  assert.equal(best.carries, 'partial');
  assert.equal(describePath(best), 'ROLES → iso27001-2013 A.6.1.1 ─equivalent-to→ iso27001-2022 A.5.2 ─intersects-with→ soc2-2017 CC1.3 (partial)');
  // With one hop allowed the chain is out of reach.
  assert.equal(find(run([link('ROLES', 'iso27001-2013', 'A.6.1.1')], 'soc2-2017', { maxHops: 1 }), 'CC1.3').status, 'gap');

  // 2013 A.7.1.1 ≡ 2022 A.6.1 ≡ BSI C5 HR-01 (walked backwards): every hop full, so satisfied.
  const hr01 = find(run([link('SCREEN', 'iso27001-2013', 'A.7.1.1')], 'bsi-c5-2020'), 'HR-01');
  assert.equal(hr01.status, 'satisfied');
  assert.deepEqual(hr01.paths[0]!.hops.map((h) => [h.to.id, h.direction, h.carries]), [['A.6.1', 'as-mapped', 'full'], ['HR-01', 'inverse', 'full']]);
});

test('no-relationship carries nothing, while the same pair as equivalent-to would', () => {
  // Shipped: ISO 27018 A.11.1 is recorded as no-relationship to 27701 Annex B and mapped to nothing else.
  const only = run([link('NDA', 'iso27018-2019', 'A.11.1')], 'iso27701-2019');
  assert.equal(only.satisfied.length + only.partial.length, 0);
  const pair = { sourceFramework: 'iso27018-2019', sourceId: 'A.11.1', targetFramework: 'iso27701-2019', targetId: 'B.8.2.1', rationale: 'test pair', source: 'test' };
  const withMapping = (relationship: 'no-relationship' | 'equivalent-to') =>
    computeCoverage({ ...inputs([link('NDA', 'iso27018-2019', 'A.11.1')]), mappings: [...data.mappings, { ...pair, relationship }] }, { frameworks: ['iso27701-2019'] })[0]!;
  assert.equal(find(withMapping('no-relationship'), 'B.8.2.1').status, 'gap');
  assert.equal(find(withMapping('equivalent-to'), 'B.8.2.1').status, 'satisfied');
});

test('relationship algebra in both directions on a two-requirement world', () => {
  const world = (relationship: CoverageInputs['mappings'][number]['relationship'], linkOn: 'a' | 'b'): string => {
    const fw = (id: string) => ({ id, name: id, requirements: [{ id: 'r', parentId: null, kind: 'requirement' as const, title: id }] });
    const out = computeCoverage({
      frameworks: [fw('a'), fw('b')], scope: ['a', 'b'],
      mappings: [{ sourceFramework: 'a', sourceId: 'r', targetFramework: 'b', targetId: 'r', relationship, rationale: 'x', source: 't' }],
      links: [link('C', linkOn, 'r')],
    });
    const other = out.find((f) => f.framework.id !== linkOn)!;
    return other.satisfied.length ? 'full' : other.partial.length ? 'partial' : 'none';
  };
  // Read "a <relationship> b"; forward = control on a, inverse = control on b.
  const expected = {
    'equal-to': ['full', 'full'], 'equivalent-to': ['full', 'full'], 'superset-of': ['full', 'partial'],
    'subset-of': ['partial', 'full'], 'intersects-with': ['partial', 'partial'], 'no-relationship': ['none', 'none'],
  } as const;
  for (const [rel, [forward, inverse]] of Object.entries(expected)) {
    assert.equal(world(rel as keyof typeof expected, 'a'), forward, `${rel} forward`);
    assert.equal(world(rel as keyof typeof expected, 'b'), inverse, `${rel} inverse`);
  }
});

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
const requirementRefs = data.frameworks.flatMap((f) => f.requirements.filter((r) => r.kind === 'requirement').map((r) => [f.id, r.id] as const));
const randomLinks = (n: number, random: () => number) =>
  Array.from({ length: n }, (_, i) => {
    const [fw, id] = requirementRefs[Math.floor(random() * requirementRefs.length)]!;
    return link(`C-${String(i % 40).padStart(3, '0')}`, fw, id);
  });

test('determinism: shuffled inputs give byte-identical output', () => {
  const random = rng(42);
  const links = randomLinks(80, random);
  const base = JSON.stringify(computeCoverage(inputs(links)));
  for (let round = 0; round < 3; round++) {
    const shuffled: CoverageInputs = {
      frameworks: shuffle(data.frameworks, random).map((f) => ({ ...f, requirements: shuffle(f.requirements, random) })),
      mappings: shuffle(data.mappings, random),
      links: shuffle(links, random),
      scope: shuffle(allIds, random),
    };
    assert.equal(JSON.stringify(computeCoverage(shuffled)), base, `round ${round}`);
  }
});

const rank = { gap: 0, partial: 1, satisfied: 2 } as const;
const statuses = (out: FrameworkCoverage[]) =>
  new Map(out.flatMap((f) => [...f.satisfied, ...f.partial, ...f.gaps].map((r) => [`${f.framework.id} ${r.id}`, rank[r.status]])));

test('property: adding a control link never lowers any requirement or any coverage %', () => {
  const refArb = fc.integer({ min: 0, max: requirementRefs.length - 1 });
  fc.assert(fc.property(fc.array(fc.tuple(refArb, fc.integer({ min: 0, max: 9 })), { maxLength: 40 }), refArb, fc.integer({ min: 0, max: 10 }), (existing, extra, control) => {
    const toLink = ([i, c]: [number, number]) => link(`C${c}`, requirementRefs[i]![0], requirementRefs[i]![1]);
    const before = computeCoverage(inputs(existing.map(toLink)));
    const after = computeCoverage(inputs([...existing, [extra, control] as [number, number]].map(toLink)));
    const b = statuses(before);
    for (const [k, v] of statuses(after)) assert.ok(v >= b.get(k)!, `${k} went down`);
    before.forEach((f, i) => {
      assert.ok(after[i]!.summary.fullyCoveredPercent! >= f.summary.fullyCoveredPercent!);
      assert.ok(after[i]!.summary.atLeastPartlyPercent! >= f.summary.atLeastPartlyPercent!);
    });
  }), { numRuns: 25 });
});

test('coverage % stays within bounds, rounds down, and groups roll up their requirements', () => {
  const random = rng(7);
  for (const out of [computeCoverage(inputs(randomLinks(200, random))), computeCoverage(inputs(requirementRefs.map(([f, id]) => link('ALL', f, id))))]) {
    for (const fw of out) {
      const s = fw.summary;
      assert.equal(s.satisfied + s.partial + s.gaps, s.requirements);
      assert.ok(s.fullyCoveredPercent! >= 0 && s.fullyCoveredPercent! <= s.atLeastPartlyPercent! && s.atLeastPartlyPercent! <= 100);
      assert.equal(s.fullyCoveredPercent, Math.floor((s.satisfied * 1000) / s.requirements) / 10);
      const status = new Map([...fw.satisfied, ...fw.partial, ...fw.gaps].map((r) => [r.id, r]));
      const parent = new Map(data.frameworks.find((f) => f.id === fw.framework.id)!.requirements.map((r) => [r.id, r.parentId]));
      for (const g of fw.groups) {
        const under = [...status.values()].filter((r) => { for (let p = r.parentId; p; p = parent.get(p) ?? null) if (p === g.id) return true; return false; });
        assert.equal(g.requirements, under.length, `${fw.framework.id} group ${g.id}`);
        assert.equal(g.satisfied, under.filter((r) => r.status === 'satisfied').length);
        assert.equal(g.gaps, under.filter((r) => r.status === 'gap').length);
      }
    }
  }
  // Everything linked: 100 % everywhere.
  for (const fw of computeCoverage(inputs(requirementRefs.map(([f, id]) => link('ALL', f, id))))) assert.equal(fw.summary.fullyCoveredPercent, 100);
  // 2 of 3 is 66.6 %, never rounded up to 66.7.
  const three = { id: 'x', name: 'x', requirements: ['1', '2', '3'].map((id) => ({ id, parentId: null, kind: 'requirement' as const, title: id })) };
  const [x] = computeCoverage({ frameworks: [three], mappings: [], scope: ['x'], links: [link('A', 'x', '1'), link('B', 'x', '2')] });
  assert.equal(x!.summary.fullyCoveredPercent, 66.6);
});

test('what-if: a framework outside the scope is computed the same way and flagged', () => {
  const links = [link('ROLES', 'iso27001-2013', 'A.6.1.1'), link('AC-1', 'soc2-2017', 'CC6.1')];
  const out = computeCoverage(inputs(links, ['soc2-2017']), { frameworks: ['soc2-2017', 'iso27001-2022'] });
  assert.deepEqual(out.map((f) => [f.framework.id, f.whatIf]), [['iso27001-2022', true], ['soc2-2017', false]]);
  assert.equal(find(out[0]!, 'A.5.2').status, 'satisfied');
  // The default report is the scope only.
  assert.deepEqual(computeCoverage(inputs(links, ['soc2-2017'])).map((f) => f.framework.id), ['soc2-2017']);
  // A SOC 2 group containing CC6.1 counts it.
  const cc6 = out[1]!.groups.find((g) => g.id === 'CC6')!;
  assert.equal(cc6.satisfied, 1);
});

test('path order: full before partial even when longer, then fewer hops, then lexicographic', () => {
  const fw = (id: string) => ({ id, name: id, requirements: [{ id: 'r', parentId: null, kind: 'requirement' as const, title: id }] });
  const map = (a: string, b: string, relationship: 'intersects-with' | 'equal-to') => ({ sourceFramework: a, sourceId: 'r', targetFramework: b, targetId: 'r', relationship, rationale: `${a}-${b}`, source: 't' });
  const [t] = computeCoverage({
    frameworks: ['a', 'b', 'm', 't'].map(fw), scope: ['t'],
    mappings: [map('a', 't', 'intersects-with'), map('b', 'm', 'equal-to'), map('m', 't', 'equal-to')],
    links: [link('A', 'a', 'r'), link('B', 'b', 'r')],
  });
  assert.deepEqual(t!.satisfied[0]!.paths.map((p) => [p.control.code, p.carries, p.hops.length]), [['B', 'full', 2], ['A', 'partial', 1]]);

  // On the shipped data: direct first (whatever its code), then one-hop partial paths, then two-hop ones.
  const cc61 = find(run([link('Z-9', 'soc2-2017', 'CC6.1'), link('A-1', 'iso27001-2022', 'A.8.3'), link('A-0', 'iso27001-2013', 'A.9.4.1')], 'soc2-2017'), 'CC6.1');
  assert.deepEqual(cc61.paths.slice(0, 3).map((p) => [p.control.code, p.hops.length]), [['Z-9', 0], ['A-1', 1], ['A-0', 2]]);
  const hops = cc61.paths.map((p) => p.hops.length);
  assert.deepEqual(hops, [...hops].sort((x, y) => x - y));
});
