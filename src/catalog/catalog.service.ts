/**
 * Framework catalogs as an org sees them: the built-ins (shared by every org) plus its own OSCAL
 * imports, the requirement trees, mappings both ways, and the org's scope. The functions in the
 * "for other domains" block are the narrow surface controls, evidence and audits call.
 */
import path from 'node:path';
import type { Repos, Transact } from '../db/repos.ts';
import type { Actor } from '../lib/actor.ts';
import { InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { toOscalCatalog } from './oscal/model.ts';
import type { OscalCatalog } from './oscal/oscal.schema.ts';
import type { LoadedText } from './oscal/resolve.ts';
import { fileAnswersHref, pickResolveWith, prepareOscalImport } from './catalog.oscal-import.ts';
import type { FrameworkSummaryRow, RequirementRow } from './catalog.repo.ts';
import { createMappingsService } from './catalog.mappings.ts';

export type RequirementRef = { framework: string; id: string };
export type ControlRef = { id: string; title: string; [key: string]: unknown };
export type ImportProgress = (step: 'parse' | 'resolve' | 'flatten' | 'write', done: number, total: number) => void;
export type ImportInput = {
  text: string;
  fileName: string;
  /** Framework id to import into (default: derived from the metadata title). */
  id?: string | undefined;
  /** Files that profile imports may resolve to (`--resolve-with`). */
  resolveWith?: LoadedText[];
  /** Resolve relative profile hrefs against the file's own directory (CLI only). */
  readLocalFiles?: boolean;
  onProgress?: ImportProgress;
};
export type TreeNode = { id: string; kind: 'group' | 'requirement'; title: string; summary: string; attrs: Record<string, unknown>; children: TreeNode[] };

export type CatalogDeps = {
  repos: Repos;
  transact: Transact;
  /** Controls that satisfy a requirement; provided by the controls domain. */
  controlsForRequirement: (orgId: string, frameworkId: string, requirementId: string) => Promise<ControlRef[]>;
};

const summaryOf = (v: FrameworkSummaryRow) => ({
  id: v.frameworkId, name: v.name, version: v.version, frameworkVersion: v.frameworkVersion, publisher: v.publisher,
  origin: v.origin, requirementCount: v.requirementCount, sourceNote: v.sourceNote, createdAt: v.createdAt,
  owner: v.orgId ? ('org' as const) : ('builtin' as const),
});

export function buildTree(rows: RequirementRow[]): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const r of rows) nodes.set(r.requirementId, { id: r.requirementId, kind: r.kind, title: r.title, summary: r.summary, attrs: r.attrs, children: [] });
  const roots: TreeNode[] = [];
  for (const r of rows) {
    const parent = r.parentId ? nodes.get(r.parentId) : undefined;
    (parent ? parent.children : roots).push(nodes.get(r.requirementId)!);
  }
  return roots;
}

export function createCatalogService(deps: CatalogDeps) {
  const { repos, transact } = deps;
  const repo = repos.catalog;

  async function current(orgId: string, frameworkId: string) {
    const v = await repo.currentVersion(orgId, frameworkId);
    if (!v) throw new NotFoundError('Framework');
    return v;
  }

  const service = {
    // ---- for other domains -------------------------------------------------------------
    /** Whether the org sees a framework of that id (built-in or its own import). */
    async frameworkExists(orgId: string, frameworkId: string): Promise<boolean> {
      return (await repo.currentVersion(orgId, frameworkId)) !== undefined;
    },
    /** The refs that name no group or requirement in the org's current version of their framework. */
    async findMissingRequirements(orgId: string, refs: RequirementRef[]): Promise<RequirementRef[]> {
      const found = await repo.existingRefs(orgId, refs);
      return refs.filter((r) => !found.has(`${r.framework}\u0000${r.id}`));
    },
    /** The groups and requirements of the org's current version of a framework, in order. */
    async currentRequirements(orgId: string, frameworkId: string): Promise<RequirementRow[]> {
      return repo.requirements((await current(orgId, frameworkId)).id);
    },
    /** Built-in mappings plus the org's own imported ones. */
    async mappingsVisibleTo(orgId: string, filter: { from?: string | undefined; to?: string | undefined } = {}) {
      return repo.mappingsVisible(orgId, filter);
    },
    /** Framework ids the org has put in scope. */
    async scope(orgId: string): Promise<string[]> {
      return repo.scope(orgId);
    },
    /** Replaces the org's scope; every id must be a framework the org sees. */
    async setScope(orgId: string, frameworkIds: string[], actor: Actor): Promise<string[]> {
      const ids = [...new Set(frameworkIds)];
      const known = new Set(await repo.frameworkIdsIn(orgId, ids));
      const fields = frameworkIds.flatMap((id, i) => (known.has(id) ? [] : [{ path: `/frameworkIds/${i}`, message: `No framework "${id}".` }]));
      if (fields.length) throw new InvalidInputError(`Unknown framework: ${fields.map((f) => f.message).join(' ')}`, fields);
      await transact(async (tx) => {
        await tx.catalog.setScope(orgId, ids, actor.email ?? actor.userId);
        await tx.securityLog.insertMany([{ orgId, action: 'frameworks.scope_changed', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, detail: { frameworkIds: ids } }]);
      });
      return repo.scope(orgId);
    },

    // ---- browsing ----------------------------------------------------------------------
    async list(orgId: string) {
      const [versions, scope] = await Promise.all([repo.currentVersions(orgId), repo.scope(orgId)]);
      const inScope = new Set(scope);
      return versions.map((v) => ({ ...summaryOf(v), inScope: inScope.has(v.frameworkId) }));
    },
    async show(orgId: string, frameworkId: string) {
      const v = await current(orgId, frameworkId);
      const inScope = (await repo.scope(orgId)).includes(frameworkId);
      return { ...summaryOf(v), inScope, requirements: buildTree(await repo.requirements(v.id)) };
    },
    async search(orgId: string, q: { q?: string | undefined; framework?: string | undefined; limit?: number | undefined }) {
      return repo.search(orgId, { text: q.q?.trim() || undefined, frameworkId: q.framework, limit: q.limit ?? 50 });
    },
    async requirement(orgId: string, frameworkId: string, requirementId: string) {
      const v = await current(orgId, frameworkId);
      const r = await repo.requirement(v.id, requirementId);
      if (!r) throw new NotFoundError('Requirement');
      const all = await repo.mappingsVisible(orgId, { framework: frameworkId, requirementId });
      const outgoing = all.filter((m) => m.sourceFramework === frameworkId && m.sourceId === requirementId).map((m) => ({
        framework: m.targetFramework, id: m.targetId, title: m.targetTitle, relationship: m.relationship, rationale: m.rationale, source: m.source, builtin: m.builtin,
      }));
      const incoming = all.filter((m) => m.targetFramework === frameworkId && m.targetId === requirementId).map((m) => ({
        framework: m.sourceFramework, id: m.sourceId, title: m.sourceTitle, relationship: m.relationship, rationale: m.rationale, source: m.source, builtin: m.builtin,
      }));
      return {
        framework: frameworkId, frameworkVersion: v.version, id: r.requirementId, parentId: r.parentId, kind: r.kind, title: r.title,
        summary: r.summary, statement: r.statement, tags: r.tags, attrs: r.attrs, params: r.params, props: r.props,
        mappings: { outgoing, incoming },
        controls: await deps.controlsForRequirement(orgId, frameworkId, requirementId),
      };
    },

    // ---- OSCAL import and export -------------------------------------------------------
    /** Imports an OSCAL catalog or profile as a new current version of its framework id; all or nothing. */
    async importOscal(orgId: string, input: ImportInput, actor: Actor) {
      const progress = input.onProgress ?? (() => undefined);
      const resolveWith = input.resolveWith ?? [];
      // Loaded lazily: most imports are catalogs and never resolve anything.
      let orgCatalogs: Awaited<ReturnType<typeof repo.importedCatalogs>> | undefined;
      let profileResources: { uuid: string; title?: string | undefined }[] = [];
      const prepared = await prepareOscalImport(input.text, {
        fileName: input.fileName,
        id: input.id,
        readLocalFiles: input.readLocalFiles ?? false,
        onStep: (step) => {
          progress(step, 0, 1);
          if (step === 'resolve') profileResources = peekResources(input.text);
        },
        resolveHref: async (href, ctx) => {
          const given = pickResolveWith(resolveWith, href);
          if (given) return given;
          orgCatalogs ??= await repo.importedCatalogs(orgId);
          const title = profileResources.find((r) => r.uuid === ctx.resourceUuid)?.title;
          const hit = orgCatalogs.find((c) => (c.fileName && fileAnswersHref(c.fileName, href)) || (title !== undefined && c.name === title));
          if (!hit) return undefined;
          const doc = await repo.oscalCatalog(orgId, hit.id);
          return doc ? { text: JSON.stringify(doc), fileName: hit.fileName ?? `${hit.frameworkId}.json` } : undefined;
        },
      });
      const total = prepared.requirements.length;
      progress('write', 0, total);
      const stored = await transact(async (tx) => {
        await tx.catalog.lockImport(orgId, prepared.frameworkId);
        const version = await tx.catalog.nextVersion(orgId, prepared.frameworkId);
        const { requirements, ...meta } = prepared;
        const row = await tx.catalog.insertCurrentVersion({ ...meta, orgId, version }, requirements, (done) => progress('write', done, total));
        await tx.securityLog.insertMany([{
          orgId, action: 'framework.imported', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip,
          targetType: 'framework', targetId: prepared.frameworkId, detail: { version, origin: prepared.origin, sha256: prepared.contentSha256 },
        }]);
        return row;
      });
      return {
        id: stored.frameworkId, version: stored.version, name: stored.name, origin: stored.origin,
        requirementCount: prepared.requirements.filter((r) => r.kind === 'requirement').length,
        groupCount: prepared.requirements.filter((r) => r.kind === 'group').length,
      };
    },
    /** A framework version (default: current) as an OSCAL catalog; an imported profile as its resolved catalog. */
    async exportOscal(orgId: string, frameworkId: string, version?: number): Promise<{ catalog: OscalCatalog }> {
      const v = version === undefined ? await current(orgId, frameworkId) : await repo.version(orgId, frameworkId, version);
      if (!v) throw new NotFoundError('Framework version');
      if (v.orgId && v.origin === 'oscal-profile') {
        const stored = (await repo.oscalCatalog(orgId, v.id)) as { catalog: OscalCatalog } | null;
        if (stored) return stored;
      }
      const rows = await repo.requirements(v.id);
      return toOscalCatalog({ id: v.frameworkId, name: v.name, version: v.version, requirements: rows.map((r) => ({ id: r.requirementId, parentId: r.parentId, kind: r.kind, title: r.title, summary: r.summary })) }, { lastModified: v.createdAt });
    },
    ...createMappingsService(deps),
  };
  return service;
}
export type CatalogService = ReturnType<typeof createCatalogService>;

/** The back-matter resources of a profile, for matching imports to already imported catalogs by title. */
function peekResources(text: string): { uuid: string; title?: string | undefined }[] {
  try {
    const doc = JSON.parse(text) as { profile?: { 'back-matter'?: { resources?: { uuid: string; title?: string }[] } } };
    return doc.profile?.['back-matter']?.resources ?? [];
  } catch {
    return []; // YAML or XML: matching falls back to file names
  }
}

export const importFileName = (name: string | undefined) => path.basename(name?.trim() || 'upload.json');
