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

/**
 * Every path found, by number. A path is its parent path (-1 for a direct link) plus one mapping
 * edge and the requirement it reaches, so extending a path allocates nothing but four numbers.
 */
type PathStore = { parent: number[]; edge: number[]; node: number[]; control: number[]; full: number[] };

/** Per requirement, the numbers of its best full and best partial paths, best first (slot n*max+i). */
type Best = { store: PathStore; max: number; full: Int32Array; fullCount: Uint8Array; partial: Int32Array; partialCount: Uint8Array };

/**
 * Best paths to every requirement, level by level (hop count). Within a level, paths are made in
 * ascending order: the previous level is walked in its own (ascending) order and each node's
 * edges ascending, and comparing two equally long paths is comparing their parents, then the
 * edge. Shorter paths come from earlier levels. So a requirement's list is always in order and a
 * new path either fits at its end or is not among the best `max`: no sorting, no eviction.
 * Full and partial paths have separate lists because a partial edge turns both into partial
 * paths downstream, where either can be among the best.
 */
function propagate(g: CoverageGraph, max: number, maxHops: number): Best {
  const n = g.nodes.length;
  const store: PathStore = { parent: [], edge: [], node: [], control: [], full: [] };
  const best: Best = { store, max, full: new Int32Array(n * max), fullCount: new Uint8Array(n), partial: new Int32Array(n * max), partialCount: new Uint8Array(n) };
  const add = (parent: number, edge: number, node: number, control: number, full: number) => {
    const id = store.node.length;
    store.parent.push(parent); store.edge.push(edge); store.node.push(node); store.control.push(control); store.full.push(full);
    if (full) best.full[node * max + best.fullCount[node]!++] = id;
    else best.partial[node * max + best.partialCount[node]!++] = id;
    return id;
  };
  // Direct links, ordered by (control, requirement) like every path.
  const pairs: [number, number][] = [];
  g.direct.forEach((controls, node) => { for (const c of controls ?? []) pairs.push([c, node]); });
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let frontier: number[] = [];
  for (const [c, node] of pairs) if (best.fullCount[node]! < max) frontier.push(add(-1, -1, node, c, 1));

  for (let hop = 1; hop <= maxHops && frontier.length; hop++) {
    const next: number[] = [];
    for (const id of frontier) {
      const from = store.node[id]!;
      const pathFull = store.full[id]!;
      for (let a = g.adjStart[from]!, end = g.adjStart[from + 1]!; a < end; a++) {
        const to = g.adjTo[a]!;
        const full = pathFull & g.adjFull[a]!;
        if ((full ? best.fullCount[to]! : best.partialCount[to]!) >= max) continue;
        let cycle = false;
        for (let q = id; q >= 0; q = store.parent[q]!) if (store.node[q] === to) { cycle = true; break; }
        if (!cycle) next.push(add(id, g.adjEdge[a]!, to, store.control[id]!, full));
      }
    }
    frontier = next;
  }
  return best;
}

/** A requirement's paths, best first: full ones, then partial ones, at most `max`. */
function pathsOf(b: Best, node: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < b.fullCount[node]! && out.length < b.max; i++) out.push(b.full[node * b.max + i]!);
  for (let i = 0; i < b.partialCount[node]! && out.length < b.max; i++) out.push(b.partial[node * b.max + i]!);
  return out;
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

/** Turns numbered paths into explanations; requirement and control objects are built once and shared. */
function explainer(g: CoverageGraph, store: PathStore): (id: number) => ExplanationPath {
  const refs: (RequirementRef | undefined)[] = new Array(g.nodes.length);
  const ref = (n: number): RequirementRef => {
    let r = refs[n];
    if (!r) {
      const node = g.nodes[n]!;
      r = { framework: node.framework, id: node.requirement.id, title: node.requirement.title };
      refs[n] = r;
    }
    return r;
  };
  const controls = g.controls.map((c) => ({
    id: c.controlId, code: c.code, title: c.title, ...(c.health !== undefined ? { health: c.health } : {}), ...(c.status !== undefined ? { status: c.status } : {}),
  }));
  return (id) => {
    const chain: number[] = [];
    for (let q = id; q >= 0; q = store.parent[q]!) chain.push(q);
    chain.reverse();
    const hops: ExplanationHop[] = [];
    for (const q of chain.slice(1)) {
      const edge = store.edge[q]!;
      const m = g.mappings[edge >> 1]!;
      const inverse = (edge & 1) === 1;
      const relationship = inverse ? inverseRelationship[m.relationship] : m.relationship;
      hops.push({ relationship, direction: inverse ? 'inverse' : 'as-mapped', carries: carryOf(relationship)!, rationale: m.rationale, source: m.source, to: ref(store.node[q]!) });
    }
    return { carries: store.full[id] ? 'full' : 'partial', control: controls[store.control[id]!]!, requirement: ref(store.node[chain[0]!]!), hops };
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

type Context = { g: CoverageGraph; best: Best; explain: (id: number) => ExplanationPath; maxHops: number };

function frameworkCoverage({ g, best, explain, maxHops }: Context, fw: CoverageFramework, whatIf: boolean): FrameworkCoverage {
  const ordered = [...fw.requirements].sort(inCatalogOrder);
  const items: RequirementCoverage[] = [];
  for (const r of ordered) {
    if (r.kind !== 'requirement') continue;
    const node = g.lookup(fw.id, r.id)!;
    const paths = pathsOf(best, node).map(explain);
    const status: RequirementStatus = best.fullCount[node] ? 'satisfied' : paths.length ? 'partial' : 'gap';
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
  const maxPaths = Math.min(255, Math.max(1, opts.maxPaths ?? DEFAULT_MAX_PATHS));
  const maxHops = Math.max(0, opts.maxHops ?? DEFAULT_MAX_HOPS);
  const g = buildGraph(inputs);
  const best = propagate(g, maxPaths, maxHops);
  const ctx: Context = { g, best, explain: explainer(g, best.store), maxHops };
  const scope = new Set(inputs.scope);
  const wanted = new Set(opts.frameworks ?? inputs.scope);
  return inputs.frameworks.filter((f) => wanted.has(f.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((f) => frameworkCoverage(ctx, f, !scope.has(f.id)));
}

/** One line per path for people: `AC-1 → iso27001-2013 A.5.1.1 ─subset-of→ iso27001-2022 A.5.1 (partial)`. */
export function describePath(p: ExplanationPath): string {
  const parts = [`${p.control.code} → ${p.requirement.framework} ${p.requirement.id}`];
  for (const h of p.hops) parts.push(`─${h.relationship}${h.direction === 'inverse' ? ' (inverse)' : ''}→ ${h.to.framework} ${h.to.id}`);
  return `${parts.join(' ')}${p.hops.length ? ` (${p.carries})` : ' (direct)'}`;
}
