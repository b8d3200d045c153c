/**
 * The requirement graph the coverage engine walks: every requirement of every framework is a
 * node, every usable mapping two directed edges (as mapped, and inverse). Nodes, edges and
 * controls are numbered in sorted order, so comparing numbers is comparing ids: the engine's
 * lexicographic tie-breaks are integer comparisons and never depend on input order.
 */
import type { Carry, ControlLink, CoverageFramework, CoverageInputs, CoverageMapping, CoverageRequirement, Relationship } from './coverage.types.ts';

/** The relationship read the other way: A subset-of B is B superset-of A; the rest are symmetric. */
export const inverseRelationship: Record<Relationship, Relationship> = {
  'equal-to': 'equal-to',
  'equivalent-to': 'equivalent-to',
  'subset-of': 'superset-of',
  'superset-of': 'subset-of',
  'intersects-with': 'intersects-with',
  'no-relationship': 'no-relationship',
};

/**
 * What satisfying A does for B when "A <relationship> B".
 *
 * A control that satisfies A does everything A asks. B is fully met exactly when everything B
 * asks is inside what A asks, i.e. when A ⊇ B:
 * - equal-to / equivalent-to (A = B): full.
 * - superset-of (A ⊇ B): full. A asks for more than B, so meeting A meets B. This is the set
 *   reading OSCAL gives the word; a mapping author who means "partly" must say intersects-with.
 * - subset-of (A ⊂ B): partial. Meeting A meets only the part of B that A covers; the rest of B
 *   is still open (e.g. ISO 27001:2013 A.5.1.1 is a subset of the merged 2022 control A.5.1).
 * - intersects-with: partial; the overlap is real but its size is not stated.
 * - no-relationship: nothing; the author recorded that the two do NOT cover each other.
 * Walking a mapping backwards uses the inverse relationship, so "A subset-of B" carries B → A fully.
 */
export function carryOf(relationship: Relationship): Carry | null {
  switch (relationship) {
    case 'equal-to':
    case 'equivalent-to':
    case 'superset-of':
      return 'full';
    case 'subset-of':
    case 'intersects-with':
      return 'partial';
    case 'no-relationship':
      return null;
  }
}

export type GraphNode = { framework: string; requirement: CoverageRequirement };
export type GraphControl = Omit<ControlLink, 'framework' | 'requirementId'>;

/** The part that depends only on frameworks and mappings (the same for every org). */
export type CatalogGraph = {
  nodes: GraphNode[];
  lookup(framework: string, id: string): number | undefined;
  /** Mappings in edge order; edge 2i walks mapping i as mapped, edge 2i+1 inverse. */
  mappings: CoverageMapping[];
  /** Compressed adjacency: edges of node n are adjTo/adjEdge/adjFull[adjStart[n] .. adjStart[n+1]). */
  adjStart: Int32Array;
  adjTo: Int32Array;
  adjEdge: Int32Array;
  adjFull: Uint8Array;
};

export type CoverageGraph = CatalogGraph & {
  controls: GraphControl[];
  /** For each node, the control numbers linked to it directly (ascending). */
  direct: (number[] | undefined)[];
};

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const relationshipOrder = new Map<Relationship, number>(Object.keys(inverseRelationship).map((r, i) => [r as Relationship, i]));

type Usable = { m: CoverageMapping; s: number; t: number; st: number };
function compareMappings(a: Usable, b: Usable): number {
  return a.st - b.st || relationshipOrder.get(a.m.relationship)! - relationshipOrder.get(b.m.relationship)!
    || byString(a.m.source, b.m.source) || byString(a.m.rationale, b.m.rationale);
}

const cache = new WeakMap<readonly CoverageFramework[], WeakMap<readonly CoverageMapping[], CatalogGraph>>();

/**
 * The catalog graph for these frameworks and mappings, built once per pair of arrays: a loader
 * that keeps its catalog arrays (they change rarely) pays only for the links on each call.
 * The arrays are therefore treated as immutable.
 */
export function catalogGraph(frameworkList: readonly CoverageFramework[], mappingList: readonly CoverageMapping[]): CatalogGraph {
  const byMappings = cache.get(frameworkList) ?? new WeakMap<readonly CoverageMapping[], CatalogGraph>();
  cache.set(frameworkList, byMappings);
  const graph = byMappings.get(mappingList) ?? buildCatalogGraph(frameworkList, mappingList);
  byMappings.set(mappingList, graph);
  return graph;
}

function buildCatalogGraph(frameworkList: readonly CoverageFramework[], mappingList: readonly CoverageMapping[]): CatalogGraph {
  const frameworks = [...frameworkList].sort((a, b) => byString(a.id, b.id));
  const byFramework = new Map<string, Map<string, number>>();
  const nodes: GraphNode[] = [];
  for (const fw of frameworks) {
    if (byFramework.has(fw.id)) throw new Error(`Framework "${fw.id}" is given twice.`);
    // Groups organise a catalog; their coverage is the roll-up of their requirements, so they are no nodes.
    const reqs = fw.requirements.filter((r) => r.kind === 'requirement').sort((a, b) => byString(a.id, b.id));
    const ids = new Map<string, number>();
    for (const r of reqs) {
      if (ids.has(r.id)) throw new Error(`Requirement "${r.id}" appears twice in "${fw.id}".`);
      ids.set(r.id, nodes.length);
      nodes.push({ framework: fw.id, requirement: r });
    }
    byFramework.set(fw.id, ids);
  }
  const lookup = (framework: string, id: string) => byFramework.get(framework)?.get(id);

  // Mappings between known requirements that carry something, in a stable order, exact repeats dropped.
  const usable: Usable[] = [];
  for (const m of mappingList) {
    if (m.relationship === 'no-relationship') continue;
    const s = lookup(m.sourceFramework, m.sourceId);
    const t = lookup(m.targetFramework, m.targetId);
    if (s === undefined || t === undefined || s === t) continue;
    usable.push({ m, s, t, st: s * nodes.length + t });
  }
  usable.sort(compareMappings);
  const ends = usable.filter((u, i) => i === 0 || compareMappings(usable[i - 1]!, u) !== 0);
  const mappings = ends.map((u) => u.m);

  const degree = new Int32Array(nodes.length + 1);
  for (const { s, t } of ends) { degree[s]!++; degree[t]!++; }
  const adjStart = new Int32Array(nodes.length + 1);
  for (let n = 0; n < nodes.length; n++) adjStart[n + 1] = adjStart[n]! + degree[n]!;
  const fill = adjStart.slice(0, nodes.length);
  const adjTo = new Int32Array(mappings.length * 2);
  const adjEdge = new Int32Array(mappings.length * 2);
  const adjFull = new Uint8Array(mappings.length * 2);
  // Mappings are visited in edge order, so every node's edge list comes out ascending by edge number.
  ends.forEach(({ m, s, t }, i) => {
    const f = fill[s]!++;
    adjTo[f] = t; adjEdge[f] = 2 * i; adjFull[f] = carryOf(m.relationship) === 'full' ? 1 : 0;
    const b = fill[t]!++;
    adjTo[b] = s; adjEdge[b] = 2 * i + 1; adjFull[b] = carryOf(inverseRelationship[m.relationship]) === 'full' ? 1 : 0;
  });

  return { nodes, lookup, mappings, adjStart, adjTo, adjEdge, adjFull };
}

export function buildGraph(inputs: CoverageInputs): CoverageGraph {
  const graph = catalogGraph(inputs.frameworks, inputs.mappings);
  const { nodes, lookup } = graph;
  const controlsById = new Map<string, GraphControl>();
  for (const l of inputs.links) {
    // Should links of one control disagree on its code or title, the smallest wins, whatever the input order.
    const seen = controlsById.get(l.controlId);
    if (!seen || byString(l.code, seen.code) < 0 || (l.code === seen.code && byString(l.title, seen.title) < 0)) {
      controlsById.set(l.controlId, {
        controlId: l.controlId, code: l.code, title: l.title,
        ...(l.health !== undefined ? { health: l.health } : {}), ...(l.status !== undefined ? { status: l.status } : {}),
      });
    }
  }
  const controls = [...controlsById.values()].sort((a, b) => byString(a.code, b.code) || byString(a.controlId, b.controlId));
  const controlRank = new Map(controls.map((c, i) => [c.controlId, i]));
  const directSets: (Set<number> | undefined)[] = new Array(nodes.length);
  for (const l of inputs.links) {
    // Links to unknown requirements (or to groups) satisfy nothing here.
    const n = lookup(l.framework, l.requirementId);
    if (n === undefined) continue;
    const set = directSets[n] ?? new Set<number>();
    set.add(controlRank.get(l.controlId)!);
    directSets[n] = set;
  }
  const direct = directSets.map((s) => (s ? [...s].sort((a, b) => a - b) : undefined));
  return { ...graph, controls, direct };
}

