import type { Repos, Transact } from '../db/repos.ts';
import type { Actor } from '../lib/actor.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../lib/errors.ts';
import type { NewSecurityEvent } from '../security-log/security-log.repo.ts';
import type { RequirementDirectory } from './catalog-requirements.ts';
import type { ControlPatch, ControlRow, ControlView } from './controls.repo.ts';
import type { CreateControlInput, ListControlsQuery, UpdateControlInput } from './controls.schema.ts';
import { loadStarterSet } from './starter/starter.ts';
import type { RequirementRef } from './starter/starter-file.schema.ts';

export type ControlsDeps = { repos: Repos; transact: Transact; requirements: RequirementDirectory };
export type ControlAction = 'control.created' | 'control.updated' | 'control.retired' | 'control.links_changed' | 'control.imported';

const refKey = (r: RequirementRef) => `${r.framework}:${r.id}`;
export const formatRefs = (refs: RequirementRef[]) => refs.map(refKey).join(', ');

export function dedupeRefs(refs: RequirementRef[]): RequirementRef[] {
  const seen = new Map<string, RequirementRef>();
  for (const r of refs) seen.set(refKey(r), { framework: r.framework, id: r.id });
  return [...seen.values()];
}

export function controlEvent(orgId: string, actor: Actor, action: ControlAction, control: Pick<ControlRow, 'id' | 'code'>, detail: Record<string, unknown> = {}): NewSecurityEvent {
  return { orgId, action, actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'control', targetId: control.id, detail: { code: control.code, ...detail } };
}

const isUniqueViolation = (e: unknown) => (e as { code?: string; cause?: { code?: string } }).code === '23505' || (e as { cause?: { code?: string } }).cause?.code === '23505';

export function createControlsService(deps: ControlsDeps) {
  const { repos, transact, requirements } = deps;

  async function checkRefs(orgId: string, refs: RequirementRef[], path = 'requirements') {
    const missing = await requirements.findMissing(orgId, refs);
    if (missing.length) {
      throw new InvalidInputError(`Unknown requirement${missing.length > 1 ? 's' : ''}: ${formatRefs(missing)}.`,
        missing.map((m) => ({ path, message: `Unknown requirement ${refKey(m)}` })));
    }
  }
  async function checkOwner(r: Repos, orgId: string, ownerUserId: string | null | undefined) {
    if (ownerUserId && !(await r.controls.isMember(orgId, ownerUserId))) {
      throw new InvalidInputError('The owner must be a member of this organization.', [{ path: 'ownerUserId', message: 'Not a member of this organization' }]);
    }
  }
  const duplicateCode = (code: string) => new ConflictError(`A control with code "${code}" already exists.`);

  async function detail(orgId: string, control: ControlView) {
    const links = await repos.controls.requirementsOf(orgId, [control.id]);
    return { ...control, requirements: links.map((l) => ({ framework: l.framework, id: l.requirementId })) };
  }
  async function mustFind(r: Repos, orgId: string, id: string) {
    const found = await r.controls.find(orgId, id);
    if (!found) throw new NotFoundError('Control');
    return found;
  }
  /** A versioned write: 404 when the control is gone, 409 when someone else wrote first. */
  async function writeVersioned(r: Repos, orgId: string, id: string, version: number, patch: ControlPatch): Promise<ControlRow> {
    const row = await r.controls.updateVersioned(orgId, id, version, patch);
    if (row) return row;
    const current = await r.controls.find(orgId, id);
    if (!current) throw new NotFoundError('Control');
    throw new ConflictError(`The control was changed by someone else (now at version ${current.version}, you sent ${version}). Reload and try again.`);
  }

  return {
    list: (orgId: string, q: ListControlsQuery) => repos.controls.list(orgId, q),
    async get(orgId: string, id: string) {
      return detail(orgId, await mustFind(repos, orgId, id));
    },
    async create(orgId: string, input: CreateControlInput, actor: Actor) {
      const refs = dedupeRefs(input.requirements);
      await checkRefs(orgId, refs);
      const id = await transact(async (tx) => {
        await checkOwner(tx, orgId, input.ownerUserId);
        const { requirements: _r, ...values } = input;
        const row = await tx.controls.insert({ orgId, ...values }).catch((e) => { throw isUniqueViolation(e) ? duplicateCode(input.code) : e; });
        await tx.controls.replaceRequirements(orgId, row.id, refs);
        await tx.securityLog.insertMany([controlEvent(orgId, actor, 'control.created', row, { requirements: refs.map(refKey) })]);
        return row.id;
      });
      return this.get(orgId, id);
    },
    async update(orgId: string, id: string, input: UpdateControlInput, actor: Actor) {
      const { version, ...patch } = input;
      await transact(async (tx) => {
        await mustFind(tx, orgId, id);
        await checkOwner(tx, orgId, patch.ownerUserId);
        const row = await writeVersioned(tx, orgId, id, version, patch)
          .catch((e) => { throw isUniqueViolation(e) ? duplicateCode(patch.code ?? '') : e; });
        await tx.securityLog.insertMany([controlEvent(orgId, actor, 'control.updated', row, { fields: Object.keys(patch), version: row.version })]);
      });
      return this.get(orgId, id);
    },
    /** Controls are never deleted: their history matters to auditors. Retiring twice is a no-op. */
    async retire(orgId: string, id: string, version: number | undefined, actor: Actor) {
      await transact(async (tx) => {
        const current = await tx.controls.lock(orgId, id);
        if (!current) throw new NotFoundError('Control');
        if (current.lifecycle === 'retired') return;
        const row = await writeVersioned(tx, orgId, id, version ?? current.version, { lifecycle: 'retired' });
        await tx.securityLog.insertMany([controlEvent(orgId, actor, 'control.retired', row, { from: current.lifecycle })]);
      });
      return this.get(orgId, id);
    },
    /** The mapping editor's save: replaces the whole link set at once. */
    async setRequirements(orgId: string, id: string, input: { version: number; requirements: RequirementRef[] }, actor: Actor) {
      const refs = dedupeRefs(input.requirements);
      await transact(async (tx) => {
        await mustFind(tx, orgId, id);
        await checkRefs(orgId, refs);
        const before = (await tx.controls.requirementsOf(orgId, [id])).map((l) => `${l.framework}:${l.requirementId}`);
        const row = await writeVersioned(tx, orgId, id, input.version, {});
        await tx.controls.replaceRequirements(orgId, id, refs);
        const after = refs.map(refKey);
        await tx.securityLog.insertMany([controlEvent(orgId, actor, 'control.links_changed', row, {
          added: after.filter((k) => !before.includes(k)), removed: before.filter((k) => !after.includes(k)),
        })]);
      });
      return this.get(orgId, id);
    },
    links: (orgId: string) => repos.controls.links(orgId),
    controlsForRequirement: (orgId: string, framework: string, requirementId: string) => repos.controls.controlsForRequirement(orgId, framework, requirementId),
    frameworks: (orgId: string) => requirements.frameworks(orgId),
    requirementOptions: (orgId: string, framework: string, q: string) => requirements.search(orgId, framework, q),

    /** Starter controls mapped to any of the frameworks, with the org's already adopted ones marked. */
    async starter(orgId: string, frameworks: string[]) {
      const set = await loadStarterSet();
      const existing = await repos.controls.existingCodes(orgId);
      const adopted = new Set(existing.flatMap((c) => [c.code, c.starterCode ?? '']));
      const wanted = new Set(frameworks);
      const items = set.controls.filter((c) => c.requirements.some((r) => wanted.has(r.framework)))
        .map((c) => ({ ...c, requirements: c.requirements.filter((r) => wanted.has(r.framework)), adopted: adopted.has(c.code) }));
      return { version: set.version, items };
    },
    /**
     * Adopts starter controls as drafts linked to the chosen frameworks' requirements. Idempotent:
     * a code the org already has (adopted before, or its own control of that code) is skipped.
     */
    async adopt(orgId: string, input: { frameworks: string[]; codes?: string[] | undefined }, actor: Actor) {
      const { version, items } = await this.starter(orgId, input.frameworks);
      if (input.codes) {
        const offered = new Set(items.map((i) => i.code));
        const unknown = input.codes.filter((c) => !offered.has(c));
        if (unknown.length) throw new InvalidInputError(`Not in the starter set for these frameworks: ${unknown.join(', ')}.`, [{ path: 'codes', message: `Unknown starter codes: ${unknown.join(', ')}` }]);
      }
      const chosen = items.filter((i) => !input.codes || input.codes.includes(i.code));
      // Links to requirements the catalogs do not (or no longer) know are left out rather than failing the adoption.
      const missing = new Set((await requirements.findMissing(orgId, chosen.flatMap((c) => c.requirements))).map(refKey));
      return transact(async (tx) => {
        const present = new Set((await tx.controls.existingCodes(orgId)).flatMap((c) => [c.code, c.starterCode ?? '']));
        const adopted: string[] = [];
        const events: NewSecurityEvent[] = [];
        for (const c of chosen) {
          if (present.has(c.code)) continue;
          const row = await tx.controls.insert({
            orgId, code: c.code, title: c.title, description: c.description, frequency: c.frequency, nature: c.nature,
            automation: c.automation, lifecycle: 'draft', starterCode: c.code, starterVersion: version,
          });
          const refs = c.requirements.filter((r) => !missing.has(refKey(r)));
          await tx.controls.replaceRequirements(orgId, row.id, refs);
          events.push(controlEvent(orgId, actor, 'control.created', row, { source: 'starter', starterVersion: version, requirements: refs.map(refKey) }));
          adopted.push(c.code);
        }
        await tx.securityLog.insertMany(events);
        return { adopted, alreadyAdopted: chosen.filter((c) => present.has(c.code)).map((c) => c.code) };
      });
    },
  };
}
export type ControlsService = ReturnType<typeof createControlsService>;
