/** Import and export of an org's controls as CSV or OSCAL component-definition. */
import type { Actor } from '../lib/actor.ts';
import { ConflictError, InvalidInputError, NotFoundError, type FieldError } from '../lib/errors.ts';
import type { NewSecurityEvent } from '../security-log/security-log.repo.ts';
import type { RequirementRef } from './starter/starter-file.schema.ts';
import { controlsToCsv, parseControlsCsv } from './controls.csv.ts';
import { controlsToOscal, parseControlsOscal } from './controls.oscal.ts';
import { controlEvent, dedupeRefs, type ControlsDeps } from './controls.service.ts';
import type { ParsedImport, TransferControl } from './controls.transfer-model.ts';

export type TransferFormat = 'csv' | 'oscal';
const refKey = (r: RequirementRef) => `${r.framework}:${r.id}`;

export function createControlsTransfer(deps: ControlsDeps) {
  const { repos, transact, requirements } = deps;

  async function snapshot(orgId: string): Promise<TransferControl[]> {
    const rows = await repos.controls.list(orgId, { includeRetired: true, sort: 'code', dir: 'asc' });
    const links = await repos.controls.requirementsOf(orgId, rows.map((r) => r.id));
    return rows.map((r) => ({
      code: r.code, title: r.title, description: r.description, ownerEmail: r.ownerEmail, frequency: r.frequency, nature: r.nature,
      automation: r.automation, lifecycle: r.lifecycle, scope: r.scope,
      requirements: links.filter((l) => l.controlId === r.id).map((l) => ({ framework: l.framework, id: l.requirementId })),
    }));
  }

  return {
    async export(orgId: string, format: TransferFormat): Promise<{ content: string; contentType: string; fileName: string }> {
      const org = await repos.orgs.findOrg(orgId);
      if (!org) throw new NotFoundError('Organization');
      const controls = await snapshot(orgId);
      if (format === 'csv') return { content: controlsToCsv(controls), contentType: 'text/csv; charset=utf-8', fileName: `${org.slug}-controls.csv` };
      const doc = controlsToOscal(controls, { orgName: org.name, orgId, now: new Date() });
      return { content: `${JSON.stringify(doc, null, 2)}\n`, contentType: 'application/json', fileName: `${org.slug}-controls.oscal.json` };
    },

    /**
     * All rows or none: every fault of the file is reported at once (line and column for CSV, a
     * JSON path for OSCAL) and nothing is written. Rows upsert by code. With `allowUnknown`,
     * requirement ids no catalog knows are dropped (and listed in `unmapped`) instead of refused.
     */
    async import(orgId: string, input: { format: TransferFormat; content: string; allowUnknown?: boolean }, actor: Actor) {
      const parsed: ParsedImport = input.format === 'csv' ? parseControlsCsv(input.content) : parseControlsOscal(input.content);
      const faults: FieldError[] = [...parsed.faults];
      const emails = [...new Set(parsed.controls.flatMap((c) => (c.control.ownerEmail ? [c.control.ownerEmail] : [])))];
      const members = await repos.controls.membersByEmail(orgId, emails);
      const missing = new Set((await requirements.findMissing(orgId, dedupeRefs(parsed.controls.flatMap((c) => c.control.requirements)))).map(refKey));
      const unmapped: RequirementRef[] = [];
      for (const { control, at } of parsed.controls) {
        if (control.ownerEmail && !members.has(control.ownerEmail)) faults.push({ path: at('ownerEmail'), message: `${control.ownerEmail} is not a member of this organization.` });
        const unknown = control.requirements.filter((r) => missing.has(refKey(r)));
        if (unknown.length && !input.allowUnknown) faults.push({ path: at('requirements'), message: `Unknown requirement${unknown.length > 1 ? 's' : ''}: ${unknown.map(refKey).join(', ')}.` });
        unmapped.push(...unknown);
      }
      if (faults.length) {
        throw new InvalidInputError(`The import has ${faults.length} fault${faults.length > 1 ? 's' : ''}; nothing was imported.`, faults);
      }
      if (!parsed.controls.length) throw new InvalidInputError('The file holds no controls.', [{ path: 'content', message: 'No controls found' }]);

      return transact(async (tx) => {
        const existing = new Map((await tx.controls.findByCodes(orgId, parsed.controls.map((c) => c.control.code))).map((r) => [r.code, r]));
        let created = 0, updated = 0;
        const events: NewSecurityEvent[] = [];
        for (const { control } of parsed.controls) {
          const refs = dedupeRefs(control.requirements.filter((r) => !missing.has(refKey(r))));
          const { requirements: _r, ownerEmail, ...fields } = control;
          const values = { ...fields, ownerUserId: ownerEmail ? members.get(ownerEmail)! : null };
          const before = existing.get(control.code);
          const row = before ? await tx.controls.updateVersioned(orgId, before.id, before.version, values) : await tx.controls.insert({ orgId, ...values });
          if (!row) throw new ConflictError(`Control ${control.code} changed during the import; nothing was imported. Try again.`);
          await tx.controls.replaceRequirements(orgId, row.id, refs);
          events.push(controlEvent(orgId, actor, 'control.imported', row, { format: input.format, mode: before ? 'updated' : 'created', requirements: refs.length }));
          if (before) updated++;
          else created++;
        }
        await tx.securityLog.insertMany(events);
        return { created, updated, unmapped: dedupeRefs(unmapped) };
      });
    },
  };
}
export type ControlsTransfer = ReturnType<typeof createControlsTransfer>;
