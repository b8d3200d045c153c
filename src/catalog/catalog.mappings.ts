/**
 * Mapping import and export as OSCAL mapping-collection JSON. An import belongs to the importing
 * org, replaces its earlier import of the same collection (by uuid), and is rejected as a whole
 * when any referenced framework or requirement does not exist for that org, naming each fault's
 * JSON pointer.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../lib/actor.ts';
import { InvalidInputError } from '../lib/errors.ts';
import { parseMappingCollection, toOscalMappingCollection } from './oscal/mapping.ts';
import type { CatalogDeps } from './catalog.service.ts';

const MAX_FAULTS = 50;

export function createMappingsService(deps: Pick<CatalogDeps, 'repos' | 'transact'>) {
  const repo = deps.repos.catalog;
  return {
    async importMappings(orgId: string, input: { text: string; fileName: string }, actor: Actor) {
      const parsed = parseMappingCollection(input.text, input.fileName);
      const frameworks = [...new Set(parsed.mappings.flatMap((m) => [m.sourceFramework, m.targetFramework]))];
      const known = new Set(await repo.frameworkIdsIn(orgId, frameworks));
      const refs = parsed.mappings.flatMap((m) => [{ framework: m.sourceFramework, id: m.sourceId }, { framework: m.targetFramework, id: m.targetId }]);
      const existing = await repo.existingRefs(orgId, refs);
      const fields: { path: string; message: string }[] = [];
      for (const m of parsed.mappings) {
        for (const [framework, id, pointer] of [[m.sourceFramework, m.sourceId, m.sourcePointer], [m.targetFramework, m.targetId, m.targetPointer]] as const) {
          if (existing.has(`${framework}\u0000${id}`) || fields.some((f) => f.path === pointer)) continue;
          fields.push({ path: pointer, message: known.has(framework) ? `"${id}" is not a requirement of ${framework}.` : `No framework "${framework}".` });
        }
      }
      if (fields.length) {
        const shown = fields.slice(0, MAX_FAULTS);
        const more = fields.length > MAX_FAULTS ? ` … and ${fields.length - MAX_FAULTS} more` : '';
        throw new InvalidInputError(`${input.fileName}: ${fields.length} mapping reference(s) not found: ${shown.slice(0, 3).map((f) => `${f.path}: ${f.message}`).join('; ')}${more}`, shown);
      }
      const setId = `oscal-${parsed.uuid}`;
      await deps.transact(async (tx) => {
        await tx.catalog.replaceMappingSet(
          { orgId, setId, version: 1, title: parsed.title, origin: 'oscal-mapping', provenance: parsed.description, contentSha256: createHash('sha256').update(input.text).digest('hex') },
          parsed.mappings.map(({ sourcePointer: _s, targetPointer: _t, ...m }) => ({ ...m, source: `OSCAL import ${input.fileName}` })),
        );
        await tx.securityLog.insertMany([{ orgId, action: 'mappings.imported', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'mapping-set', targetId: setId, detail: { count: parsed.mappings.length } }]);
      });
      return { setId, title: parsed.title, mappingCount: parsed.mappings.length };
    },
    /** Built-in and the org's own mappings as one OSCAL mapping collection, optionally narrowed by framework. */
    async exportMappings(orgId: string, filter: { from?: string | undefined; to?: string | undefined } = {}) {
      const maps = await repo.mappingsVisible(orgId, filter);
      if (!maps.length) throw new InvalidInputError('No mappings match; an OSCAL mapping collection needs at least one.');
      return toOscalMappingCollection(maps);
    },
  };
}
