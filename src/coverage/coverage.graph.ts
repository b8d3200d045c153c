/**
 * The requirement graph the coverage engine walks: every requirement of every framework is a
 * node, every usable mapping two directed edges (as mapped, and inverse). Nodes, edges and
 * controls are numbered in sorted order, so comparing numbers is comparing ids: the engine's
 * lexicographic tie-breaks are integer comparisons and never depend on input order.
 */
import type { Carry, ControlLink, CoverageInputs, CoverageMapping, CoverageRequirement, Relationship } from './coverage.types.ts';

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

export type CoverageGraph = {
  nodes: GraphNode[];
  nodeIndex: Map<string, number>;
  /** Mappings in edge order; edge 2i walks mapping i as mapped, edge 2i+1 inverse. */
  mappings: CoverageMapping[];
  /** Compressed adjacency: edges of node n are adjTo/adjEdge/adjFull[adjStart[n] .. adjStart[n+1]). */
  adjStart: Int32Array;
  adjTo: Int32Array;
  adjEdge: Int32Array;
  adjFull: Uint8Array;
  controls: GraphControl[];
  /** For each node, the control numbers linked to it directly (ascending). */
  direct: (number[] | undefined)[];
};

const key = (framework: string, id: string) => `${framework}\u0000${id}`;
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function mappingKey(m: CoverageMapping): string {
  return [m.sourceFramework, m.sourceId, m.targetFramework, m.targetId, m.relationship, m.source, m.rationale].join('\u0000');
}

export function buildGraph(inputs: CoverageInputs): CoverageGraph {
  const seenFrameworks = new Set<string>();
  const entries: { key: string; node: GraphNode }[] = [];
  for (const fw of inputs.frameworks) {
    if (seenFrameworks.has(fw.id)) throw new Error(`Framework "${fw.id}" is given twice.`);
    seenFrameworks.add(fw.id);
    for (const r of fw.requirements) {
      // Groups organise a catalog; their coverage is the roll-up of their requirements, so they are no nodes.
      if (r.kind === 'requirement') entries.push({ key: key(fw.id, r.id), node: { framework: fw.id, requirement: r } });
    }
  }
  entries.sort((a, b) => byString(a.key, b.key));
  const nodeIndex = new Map<string, number>();
  const nodes: GraphNode[] = [];
  for (const e of entries) {
    if (nodeIndex.has(e.key)) throw new Error(`Requirement "${e.node.requirement.id}" appears twice in "${e.node.framework}".`);
    nodeIndex.set(e.key, nodes.length);
    nodes.push(e.node);
  }

  // Mappings between known requirements that carry something, deduplicated, in a stable order.
  const usable = new Map<string, CoverageMapping>();
  for (const m of inputs.mappings) {
    if (carryOf(m.relationship) === null) continue;
    const s = nodeIndex.get(key(m.sourceFramework, m.sourceId));
    const t = nodeIndex.get(key(m.targetFramework, m.targetId));
    if (s === undefined || t === undefined || s === t) continue;
    usable.set(mappingKey(m), m);
  }
  const mappings = [...usable.entries()].sort((a, b) => byString(a[0], b[0])).map(([, m]) => m);

  const degree = new Int32Array(nodes.length + 1);
  const ends = mappings.map((m) => [nodeIndex.get(key(m.sourceFramework, m.sourceId))!, nodeIndex.get(key(m.targetFramework, m.targetId))!] as const);
  for (const [s, t] of ends) { degree[s]!++; degree[t]!++; }
  const adjStart = new Int32Array(nodes.length + 1);
  for (let n = 0; n < nodes.length; n++) adjStart[n + 1] = adjStart[n]! + degree[n]!;
  const fill = adjStart.slice(0, nodes.length);
  const adjTo = new Int32Array(mappings.length * 2);
  const adjEdge = new Int32Array(mappings.length * 2);
  const adjFull = new Uint8Array(mappings.length * 2);
  // Mappings are visited in edge order, so every node's edge list comes out ascending by edge number.
  mappings.forEach((m, i) => {
    const [s, t] = ends[i]!;
    const f = fill[s]!++;
    adjTo[f] = t; adjEdge[f] = 2 * i; adjFull[f] = carryOf(m.relationship) === 'full' ? 1 : 0;
    const b = fill[t]!++;
    adjTo[b] = s; adjEdge[b] = 2 * i + 1; adjFull[b] = carryOf(inverseRelationship[m.relationship]) === 'full' ? 1 : 0;
  });

  const controlsById = new Map<string, GraphControl>();
  for (const l of inputs.links) {
    if (!controlsById.has(l.controlId)) {
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
    const n = nodeIndex.get(key(l.framework, l.requirementId));
    if (n === undefined) continue;
    const set = directSets[n] ?? new Set<number>();
    set.add(controlRank.get(l.controlId)!);
    directSets[n] = set;
  }
  const direct = directSets.map((s) => (s ? [...s].sort((a, b) => a - b) : undefined));
  return { nodes, nodeIndex, mappings, adjStart, adjTo, adjEdge, adjFull, controls, direct };
}

export const nodeKey = key;
