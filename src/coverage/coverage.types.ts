/**
 * Inputs and outputs of the coverage engine (coverage.engine.ts). Plain data, no database: the
 * service gets the inputs through one injected `load(orgId)` and the engine computes from them.
 */
import type { MappingRelationship } from '../catalog/mapping-file.schema.ts';

export type Relationship = MappingRelationship;

export type CoverageRequirement = {
  id: string;
  /** null for top-level entries, otherwise the id of a group of the same framework. */
  parentId: string | null;
  kind: 'group' | 'requirement';
  title: string;
  /** Display order (catalog order); ties and missing keys fall back to the id. */
  sortKey?: number;
};

export type CoverageFramework = { id: string; name: string; requirements: CoverageRequirement[] };

/** One expert mapping entry, read "source <relationship> target" (as in OSCAL mapping collections). */
export type CoverageMapping = {
  sourceFramework: string;
  sourceId: string;
  targetFramework: string;
  targetId: string;
  relationship: Relationship;
  rationale: string;
  /** Where the mapping comes from, e.g. the mapping file id `iso27001-2022__soc2-2017`. */
  source: string;
};

/** An org control that claims to satisfy one requirement (one row per control and requirement). */
export type ControlLink = {
  controlId: string;
  code: string;
  title: string;
  health?: string;
  status?: string;
  framework: string;
  requirementId: string;
};

/**
 * Treated as immutable: the engine keeps the graph it builds from `frameworks` and `mappings`
 * per pair of arrays (coverage.graph.ts), so pass new arrays when the catalogs change.
 */
export type CoverageInputs = {
  frameworks: CoverageFramework[];
  mappings: CoverageMapping[];
  links: ControlLink[];
  /** Framework ids the org has adopted; coverage of any other framework is a what-if. */
  scope: string[];
};

export type Carry = 'full' | 'partial';

export type RequirementRef = { framework: string; id: string; title: string };

export type ExplanationHop = {
  /** The relationship as walked, "previous requirement <relationship> `to`" (inverted when `direction` is 'inverse'). */
  relationship: Relationship;
  /** 'as-mapped': walked from the mapping's source to its target; 'inverse': the other way. */
  direction: 'as-mapped' | 'inverse';
  carries: Carry;
  rationale: string;
  source: string;
  to: RequirementRef;
};

/** control → requirement [→ mapping → requirement]…; full only when every hop carries fully. */
export type ExplanationPath = {
  carries: Carry;
  control: { id: string; code: string; title: string; health?: string; status?: string };
  /** The requirement the control is linked to directly. */
  requirement: RequirementRef;
  hops: ExplanationHop[];
};

export type RequirementStatus = 'satisfied' | 'partial' | 'gap';

export type RequirementCoverage = {
  id: string;
  parentId: string | null;
  title: string;
  status: RequirementStatus;
  /** Why partial or a gap, in one sentence; absent when satisfied. */
  reason?: string;
  /** Best first (full over partial, then fewest hops, then lexicographic); empty for a gap. */
  paths: ExplanationPath[];
};

/**
 * Counts over requirements (kind 'requirement' only). `fullyCoveredPercent` is the headline:
 * satisfied / requirements. `atLeastPartlyPercent` adds the partial ones. Both are rounded DOWN
 * to one decimal so a report never shows 100 % while one requirement is open; null when there
 * is nothing to count.
 */
export type CoverageCounts = {
  requirements: number;
  satisfied: number;
  partial: number;
  gaps: number;
  fullyCoveredPercent: number | null;
  atLeastPartlyPercent: number | null;
};

export type GroupCoverage = CoverageCounts & { id: string; parentId: string | null; title: string };

export type FrameworkCoverage = {
  framework: { id: string; name: string };
  /** True when the framework is not in the org's scope: "if we adopted it, this much is covered". */
  whatIf: boolean;
  summary: CoverageCounts;
  satisfied: RequirementCoverage[];
  partial: RequirementCoverage[];
  gaps: RequirementCoverage[];
  /** Every group with the roll-up of all requirements below it, in catalog order. */
  groups: GroupCoverage[];
};

export type CoverageOptions = {
  /** Frameworks to report (default: the scope). Unknown ids are skipped. */
  frameworks?: string[];
  /** Explanation paths kept per requirement (default 5). */
  maxPaths?: number;
  /** Mapping hops a path may take (default 3). */
  maxHops?: number;
};
