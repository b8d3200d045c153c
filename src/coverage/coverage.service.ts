import { InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { computeCoverage } from './coverage.engine.ts';
import type { CoverageInputs, FrameworkCoverage, RequirementCoverage } from './coverage.types.ts';

export type CoverageInputsSource = { load(orgId: string): Promise<CoverageInputs> };

export type CoverageExplanation = {
  framework: { id: string; name: string };
  whatIf: boolean;
  requirement: { id: string; parentId: string | null; title: string };
  status: RequirementCoverage['status'];
  reason?: string;
  paths: RequirementCoverage['paths'];
};

/**
 * Coverage of an org's frameworks by its controls. The inputs (frameworks, mappings, control
 * links, scope) come from one injected loader, so this service knows no tables.
 */
export function createCoverageService(deps: { inputs: CoverageInputsSource }) {
  /**
   * Without `framework`: every in-scope framework (with `whatIf`, every known framework, the
   * others flagged). With `framework`: just that one; outside the scope only with `whatIf`.
   */
  async function forOrg(orgId: string, opts: { framework?: string; whatIf?: boolean } = {}): Promise<FrameworkCoverage[]> {
    const inputs = await deps.inputs.load(orgId);
    if (opts.framework === undefined) {
      return computeCoverage(inputs, { frameworks: opts.whatIf ? inputs.frameworks.map((f) => f.id) : inputs.scope });
    }
    const id = opts.framework;
    if (!inputs.frameworks.some((f) => f.id === id)) throw new NotFoundError(`Framework "${id}"`);
    if (!opts.whatIf && !inputs.scope.includes(id)) {
      throw new InvalidInputError(`Framework "${id}" is not in this organization's scope; ask for a what-if (whatIf=true) to see how much of it is already covered.`,
        [{ path: 'whatIf', message: 'required for a framework outside the scope' }]);
    }
    return computeCoverage(inputs, { frameworks: [id] });
  }

  /** Every explanation path of one requirement (what-if when the framework is outside the scope). */
  async function explain(orgId: string, framework: string, requirementId: string): Promise<CoverageExplanation> {
    const inputs = await deps.inputs.load(orgId);
    const fw = inputs.frameworks.find((f) => f.id === framework);
    if (!fw) throw new NotFoundError(`Framework "${framework}"`);
    if (!fw.requirements.some((r) => r.id === requirementId && r.kind === 'requirement')) throw new NotFoundError(`Requirement "${requirementId}" of ${framework}`);
    const [result] = computeCoverage(inputs, { frameworks: [framework] });
    const item = [...result!.satisfied, ...result!.partial, ...result!.gaps].find((r) => r.id === requirementId)!;
    return {
      framework: result!.framework, whatIf: result!.whatIf,
      requirement: { id: item.id, parentId: item.parentId, title: item.title },
      status: item.status, ...(item.reason !== undefined ? { reason: item.reason } : {}), paths: item.paths,
    };
  }

  return { forOrg, explain };
}
export type CoverageService = ReturnType<typeof createCoverageService>;
