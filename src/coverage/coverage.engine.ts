/**
 * The coverage engine: which requirements of a framework the org's controls satisfy, directly
 * or through expert mappings, and why. Pure and database-free; the same input gives
 * byte-identical output (everything is numbered in sorted order, see coverage.graph.ts).
 *
 * Rules:
 * - A control linked to a requirement satisfies it (a direct path: always full, always best).
 * - A satisfied requirement carries over a mapping as `carryOf` says (coverage.graph.ts): fully
 *   over equal-to, equivalent-to and superset-of, partly over subset-of and intersects-with,
 *   not at all over no-relationship. Mappings are walked both ways, backwards with the inverse
 *   relationship. A chain of up to `maxHops` mappings is full only if every hop is full.
 * - Best path: full before partial, then fewer hops, then lexicographic (control code, then the
 *   requirements and mappings along the way). Up to `maxPaths` paths are kept per requirement.
 * - A requirement is satisfied with a full path, partial with only partial ones, else a gap.
 */
import { buildGraph, carryOf, inverseRelationship, type CoverageGraph } from './coverage.graph.ts';
import type {
  CoverageCounts, CoverageFramework, CoverageInputs, CoverageOptions, CoverageRequirement, ExplanationHop, ExplanationPath,
  FrameworkCoverage, GroupCoverage, RequirementCoverage, RequirementRef, RequirementStatus,
} from './coverage.types.ts';

export const DEFAULT_MAX_PATHS = 5;
export const DEFAULT_MAX_HOPS = 3;

/** seq = [control, node0, edge1, node1, edge2, node2, …]; `kept` turns false when a better path evicts it. */
type Path = { seq: number[]; full: boolean; kept: boolean };

/** Fewer hops first, then element by element (all numbers are sorted ranks). */
function compare(a: number[], b: number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** compare(p ++ [edge, to], other) without building the array. */
function compareExtension(p: number[], edge: number, to: number, other: number[]): number {
  if (p.length + 2 !== other.length) return p.length + 2 - other.length;
  for (let i = 0; i < p.length; i++) if (p[i] !== other[i]) return p[i]! - other[i]!;
  return edge !== other[p.length] ? edge - other[p.length]! : to - other[p.length + 1]!;
}

function insert(list: Path[], path: Path, max: number): void {
  let i = list.length;
  while (i > 0 && compare(path.seq, list[i - 1]!.seq) < 0) i--;
  list.splice(i, 0, path);
  if (list.length > max) list.pop()!.kept = false;
}

/**
 * Best paths to every requirement, level by level (hop count), keeping per node the best `max`
 * full and the best `max` partial paths. That is enough: extending by one edge keeps the order
 * of paths, and a partial edge turns full and partial paths alike into partial ones.
 */
function propagate(g: CoverageGraph, maxPaths: number, maxHops: number): { full: Path[][]; partial: Path[][] } {
  const full: Path[][] = g.nodes.map(() => []);
  const partial: Path[][] = g.nodes.map(() => []);
  let frontier: Path[] = [];
  g.direct.forEach((controls, node) => {
    for (const c of controls ?? []) {
      const p: Path = { seq: [c, node], full: true, kept: true };
      insert(full[node]!, p, maxPaths);
      frontier.push(p);
    }
  });
  frontier = frontier.filter((p) => p.kept);
  for (let hop = 1; hop <= maxHops && frontier.length; hop++) {
    const next: Path[] = [];
    for (const p of frontier) {
      if (!p.kept) continue;
      const seq = p.seq;
      const from = seq[seq.length - 1]!;
      for (let a = g.adjStart[from]!; a < g.adjStart[from + 1]!; a++) {
        const to = g.adjTo[a]!;
        let cycle = false;
        for (let i = 1; i < seq.length; i += 2) if (seq[i] === to) { cycle = true; break; }
        if (cycle) continue;
        const isFull = p.full && g.adjFull[a] === 1;
        const list = isFull ? full[to]! : partial[to]!;
        const edge = g.adjEdge[a]!;
        if (list.length >= maxPaths && compareExtension(seq, edge, to, list[maxPaths - 1]!.seq) >= 0) continue;
        const q: Path = { seq: [...seq, edge, to], full: isFull, kept: true };
        insert(list, q, maxPaths);
        next.push(q);
      }
    }
    frontier = next.filter((p) => p.kept);
  }
  return { full, partial };
}

const percent = (part: number, whole: number) => (whole === 0 ? null : Math.floor((part * 1000) / whole) / 10);

export function countsOf(statuses: RequirementStatus[]): CoverageCounts {
  const satisfied = statuses.filter((s) => s === 'satisfied').length;
  const partial = statuses.filter((s) => s === 'partial').length;
  const n = statuses.length;
  return {
    requirements: n, satisfied, partial, gaps: n - satisfied - partial,
    fullyCoveredPercent: percent(satisfied, n), atLeastPartlyPercent: percent(satisfied + partial, n),
  };
}

function inCatalogOrder(a: CoverageRequirement, b: CoverageRequirement): number {
  const ka = a.sortKey ?? Number.MAX_SAFE_INTEGER;
  const kb = b.sortKey ?? Number.MAX_SAFE_INTEGER;
  return ka !== kb ? ka - kb : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function explain(g: CoverageGraph, p: Path): ExplanationPath {
  const ref = (n: number): RequirementRef => ({ framework: g.nodes[n]!.framework, id: g.nodes[n]!.requirement.id, title: g.nodes[n]!.requirement.title });
  const c = g.controls[p.seq[0]!]!;
  const hops: ExplanationHop[] = [];
  let carriesSoFar = true;
  for (let i = 2; i < p.seq.length; i += 2) {
    const edge = p.seq[i]!;
    const m = g.mappings[edge >> 1]!;
    const inverse = (edge & 1) === 1;
    const relationship = inverse ? inverseRelationship[m.relationship] : m.relationship;
    const hopFull = carryOf(relationship) === 'full';
    carriesSoFar &&= hopFull;
    hops.push({ relationship, direction: inverse ? 'inverse' : 'as-mapped', carries: hopFull ? 'full' : 'partial', rationale: m.rationale, source: m.source, to: ref(p.seq[i + 1]!) });
  }
  return {
    carries: carriesSoFar ? 'full' : 'partial',
    control: { id: c.controlId, code: c.code, title: c.title, ...(c.health !== undefined ? { health: c.health } : {}), ...(c.status !== undefined ? { status: c.status } : {}) },
    requirement: ref(p.seq[1]!),
    hops,
  };
}

const phrase = { 'subset-of': 'is narrower than', 'intersects-with': 'only overlaps with' } as Record<string, string>;

function partialReason(best: ExplanationPath): string {
  let from = best.requirement;
  for (const hop of best.hops) {
    if (hop.carries === 'partial') {
      return `Only partly covered: control ${best.control.code} satisfies ${best.requirement.framework} ${best.requirement.id}, and on the way ` +
        `${from.framework} ${from.id} ${phrase[hop.relationship] ?? hop.relationship} ${hop.to.framework} ${hop.to.id} (${hop.relationship}).`;
    }
    from = hop.to;
  }
  return 'Only partly covered.';
}

function gapReason(g: CoverageGraph, node: number, maxHops: number): string {
  const mapped = g.adjStart[node + 1]! - g.adjStart[node]!;
  return mapped === 0
    ? 'No control is linked to it, and no mapping relates it to a requirement of another framework.'
    : `No control is linked to it, and none of the requirements within ${maxHops} mapping hops (${mapped} mapped directly) has a linked control.`;
}

function frameworkCoverage(g: CoverageGraph, fw: CoverageFramework, whatIf: boolean, best: { full: Path[][]; partial: Path[][] }, maxPaths: number, maxHops: number): FrameworkCoverage {
  const ordered = [...fw.requirements].sort(inCatalogOrder);
  const items: RequirementCoverage[] = [];
  for (const r of ordered) {
    if (r.kind !== 'requirement') continue;
    const node = g.nodeIndex.get(`${fw.id}\u0000${r.id}`)!;
    const paths = best.full[node]!.concat(best.partial[node]!).slice(0, maxPaths).map((p) => explain(g, p));
    const status: RequirementStatus = best.full[node]!.length ? 'satisfied' : paths.length ? 'partial' : 'gap';
    const reason = status === 'partial' ? partialReason(paths[0]!) : status === 'gap' ? gapReason(g, node, maxHops) : undefined;
    items.push({ id: r.id, parentId: r.parentId, title: r.title, status, ...(reason ? { reason } : {}), paths });
  }
  const parents = new Map(fw.requirements.map((r) => [r.id, r.parentId]));
  const below = new Map<string, RequirementStatus[]>();
  for (const item of items) {
    const seen = new Set<string>();
    for (let p = item.parentId; p !== null && !seen.has(p); p = parents.get(p) ?? null) {
      seen.add(p);
      const list = below.get(p) ?? [];
      list.push(item.status);
      below.set(p, list);
    }
  }
  const groups: GroupCoverage[] = ordered.filter((r) => r.kind === 'group')
    .map((r) => ({ id: r.id, parentId: r.parentId, title: r.title, ...countsOf(below.get(r.id) ?? []) }));
  return {
    framework: { id: fw.id, name: fw.name },
    whatIf,
    summary: countsOf(items.map((i) => i.status)),
    satisfied: items.filter((i) => i.status === 'satisfied'),
    partial: items.filter((i) => i.status === 'partial'),
    gaps: items.filter((i) => i.status === 'gap'),
    groups,
  };
}

/** Coverage of the requested frameworks (default: the scope), sorted by framework id. */
export function computeCoverage(inputs: CoverageInputs, opts: CoverageOptions = {}): FrameworkCoverage[] {
  const maxPaths = Math.max(1, opts.maxPaths ?? DEFAULT_MAX_PATHS);
  const maxHops = Math.max(0, opts.maxHops ?? DEFAULT_MAX_HOPS);
  const g = buildGraph(inputs);
  const best = propagate(g, maxPaths, maxHops);
  const scope = new Set(inputs.scope);
  const wanted = new Set(opts.frameworks ?? inputs.scope);
  return inputs.frameworks.filter((f) => wanted.has(f.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((f) => frameworkCoverage(g, f, !scope.has(f.id), best, maxPaths, maxHops));
}

/** One line per path for people: `AC-1 → iso27001-2013 A.5.1.1 ─subset-of→ iso27001-2022 A.5.1 (partial)`. */
export function describePath(p: ExplanationPath): string {
  const parts = [`${p.control.code} → ${p.requirement.framework} ${p.requirement.id}`];
  for (const h of p.hops) parts.push(`─${h.relationship}${h.direction === 'inverse' ? ' (inverse)' : ''}→ ${h.to.framework} ${h.to.id}`);
  return `${parts.join(' ')}${p.hops.length ? ` (${p.carries})` : ' (direct)'}`;
}
