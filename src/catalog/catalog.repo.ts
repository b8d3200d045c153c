import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { frameworkRequirements, frameworkVersions, mappingSets, mappings, orgFrameworks, type Relationship } from './catalog.tables.ts';

export type FrameworkVersionRow = typeof frameworkVersions.$inferSelect;
export type NewFrameworkVersion = Omit<typeof frameworkVersions.$inferInsert, 'id' | 'createdAt' | 'isCurrent'>;
export type RequirementRow = typeof frameworkRequirements.$inferSelect;
export type NewRequirement = Omit<RequirementRow, 'versionId'>;
export type MappingRow = Omit<typeof mappings.$inferSelect, 'setId' | 'n'>;
export type NewMappingSet = Omit<typeof mappingSets.$inferInsert, 'id' | 'createdAt'>;
export type FrameworkSummaryRow = FrameworkVersionRow & { requirementCount: number };
export type MappingWithTitles = MappingRow & { sourceTitle: string | null; targetTitle: string | null; builtin: boolean };

// Namespace of the advisory lock that serialises loading the built-in catalogs across nodes.
const BUILTIN_LOCK = 7_461_200;
// Namespace of the per-org, per-framework lock that serialises imports (version numbers stay dense).
const IMPORT_LOCK = 7_461_201;
// Rows per INSERT: far below PostgreSQL's 65,535 bind parameters at 13 columns a row.
const BATCH = 2000;
// A JS array as one PostgreSQL text[] parameter (a bare array in sql`` would expand to a list).
const textArray = (values: string[]) => sql`${sql.param(values)}::text[]`;

/**
 * The framework versions an org sees as current: its own current version of an id when it has
 * imported one (licensed text replacing a built-in, or its own framework), else the built-in one.
 */
const currentFor = (orgId: string) => sql`(
  SELECT DISTINCT ON (framework_id) * FROM framework_versions
  WHERE is_current AND (org_id = ${orgId} OR org_id IS NULL)
  ORDER BY framework_id, org_id NULLS LAST)`;

const versionColumns = sql`v.id, v.org_id AS "orgId", v.framework_id AS "frameworkId", v.version, v.name, v.framework_version AS "frameworkVersion",
  v.publisher, v.source_note AS "sourceNote", v.origin, v.file_name AS "fileName", v.content_sha256 AS "contentSha256",
  v.is_current AS "isCurrent", v.created_at AS "createdAt"`;

export function createCatalogRepo(db: DbOrTx) {
  const rows = async <T>(query: SQL): Promise<T[]> => (await db.execute(query)).rows as T[];
  // Raw queries get timestamps as text from drizzle's pg driver setup; version rows carry Dates.
  const versions = async <T extends { createdAt: Date }>(query: SQL): Promise<T[]> =>
    (await rows<T>(query)).map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  return {
    /** Held until the transaction ends: one node loads the built-ins, the others wait and find them loaded. */
    async lockBuiltins() {
      await db.execute(sql`SELECT pg_advisory_xact_lock(${BUILTIN_LOCK}, 0)`);
    },
    async lockImport(orgId: string, frameworkId: string) {
      await db.execute(sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK}, hashtext(${`${orgId}/${frameworkId}`}))`);
    },
    /** Highest stored version of each built-in framework. */
    async builtinVersions(): Promise<Map<string, number>> {
      const found = await db.select({ id: frameworkVersions.frameworkId, v: sql<number>`max(${frameworkVersions.version})` })
        .from(frameworkVersions).where(isNull(frameworkVersions.orgId)).groupBy(frameworkVersions.frameworkId);
      return new Map(found.map((r) => [r.id, Number(r.v)]));
    },
    async builtinMappingVersions(): Promise<Map<string, number>> {
      const found = await db.select({ id: mappingSets.setId, v: mappingSets.version }).from(mappingSets).where(isNull(mappingSets.orgId));
      return new Map(found.map((r) => [r.id, r.v]));
    },
    /** The next version number of a framework id as the org (or, for null, the built-ins) sees it. */
    async nextVersion(orgId: string | null, frameworkId: string): Promise<number> {
      const owner = orgId === null ? sql`org_id IS NULL` : sql`(org_id = ${orgId} OR org_id IS NULL)`;
      const [r] = await rows<{ v: number | null }>(sql`SELECT max(version) AS v FROM framework_versions WHERE framework_id = ${frameworkId} AND ${owner}`);
      return Number(r?.v ?? 0) + 1;
    },
    /** Inserts a version with its requirements and makes it the owner's current version of that id. */
    async insertCurrentVersion(version: NewFrameworkVersion, requirements: NewRequirement[], onBatch?: (done: number) => void): Promise<FrameworkVersionRow> {
      const owner = version.orgId ? eq(frameworkVersions.orgId, version.orgId) : isNull(frameworkVersions.orgId);
      await db.update(frameworkVersions).set({ isCurrent: false })
        .where(and(owner, eq(frameworkVersions.frameworkId, version.frameworkId), eq(frameworkVersions.isCurrent, true)));
      const [inserted] = await db.insert(frameworkVersions).values({ ...version, isCurrent: true }).returning();
      for (let i = 0; i < requirements.length; i += BATCH) {
        await db.insert(frameworkRequirements).values(requirements.slice(i, i + BATCH).map((r) => ({ ...r, versionId: inserted!.id })));
        onBatch?.(Math.min(i + BATCH, requirements.length));
      }
      return inserted!;
    },
    async currentVersions(orgId: string): Promise<FrameworkSummaryRow[]> {
      return versions(sql`SELECT ${versionColumns},
          (SELECT count(*)::int FROM framework_requirements r WHERE r.version_id = v.id AND r.kind = 'requirement') AS "requirementCount"
        FROM ${currentFor(orgId)} v ORDER BY v.name`);
    },
    async currentVersion(orgId: string, frameworkId: string): Promise<FrameworkSummaryRow | undefined> {
      const [r] = await versions<FrameworkSummaryRow>(sql`SELECT ${versionColumns},
          (SELECT count(*)::int FROM framework_requirements r WHERE r.version_id = v.id AND r.kind = 'requirement') AS "requirementCount"
        FROM ${currentFor(orgId)} v WHERE v.framework_id = ${frameworkId}`);
      return r;
    },
    /** A specific version visible to the org (its own or a built-in). */
    async version(orgId: string, frameworkId: string, version: number): Promise<FrameworkVersionRow | undefined> {
      const [r] = await versions<FrameworkVersionRow>(sql`SELECT ${versionColumns} FROM framework_versions v
        WHERE v.framework_id = ${frameworkId} AND v.version = ${version} AND (v.org_id = ${orgId} OR v.org_id IS NULL)
        ORDER BY v.org_id NULLS LAST LIMIT 1`);
      return r;
    },
    /** The stored OSCAL catalog of one of the org's own imports. */
    async oscalCatalog(orgId: string, versionId: string): Promise<unknown> {
      const [r] = await db.select({ c: frameworkVersions.oscalCatalog }).from(frameworkVersions)
        .where(and(eq(frameworkVersions.id, versionId), eq(frameworkVersions.orgId, orgId)));
      return r?.c ?? null;
    },
    /** The org's current imported catalogs (not profiles), for resolving profile imports against them. */
    async importedCatalogs(orgId: string): Promise<{ id: string; frameworkId: string; name: string; fileName: string | null }[]> {
      return db.select({ id: frameworkVersions.id, frameworkId: frameworkVersions.frameworkId, name: frameworkVersions.name, fileName: frameworkVersions.fileName })
        .from(frameworkVersions)
        .where(and(eq(frameworkVersions.orgId, orgId), eq(frameworkVersions.isCurrent, true), eq(frameworkVersions.origin, 'oscal-catalog')));
    },
    async requirements(versionId: string): Promise<RequirementRow[]> {
      return db.select().from(frameworkRequirements).where(eq(frameworkRequirements.versionId, versionId)).orderBy(asc(frameworkRequirements.sortKey));
    },
    async requirement(versionId: string, requirementId: string): Promise<RequirementRow | undefined> {
      const [r] = await db.select().from(frameworkRequirements)
        .where(and(eq(frameworkRequirements.versionId, versionId), eq(frameworkRequirements.requirementId, requirementId)));
      return r;
    },
    /** Text search over id, title and summary of the org's current versions. */
    async search(orgId: string, q: { text?: string | undefined; frameworkId?: string | undefined; limit: number }) {
      const pattern = q.text ? `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      return rows<{ frameworkId: string; frameworkName: string; requirementId: string; parentId: string | null; kind: 'group' | 'requirement'; title: string; summary: string }>(sql`
        SELECT v.framework_id AS "frameworkId", v.name AS "frameworkName", r.requirement_id AS "requirementId", r.parent_id AS "parentId",
               r.kind, r.title, r.summary
        FROM ${currentFor(orgId)} v JOIN framework_requirements r ON r.version_id = v.id
        WHERE (${q.frameworkId ?? null}::text IS NULL OR v.framework_id = ${q.frameworkId ?? null})
          AND (${pattern}::text IS NULL OR r.requirement_id ILIKE ${pattern} OR r.title ILIKE ${pattern} OR r.summary ILIKE ${pattern})
        ORDER BY v.framework_id, r.sort_key LIMIT ${q.limit}`);
    },
    /** Of the given (framework, id) pairs, those that exist in the org's current versions. */
    async existingRefs(orgId: string, refs: { framework: string; id: string }[]): Promise<Set<string>> {
      if (!refs.length) return new Set();
      const found = await rows<{ f: string; id: string }>(sql`
        SELECT v.framework_id AS f, r.requirement_id AS id
        FROM ${currentFor(orgId)} v JOIN framework_requirements r ON r.version_id = v.id
        JOIN unnest(${textArray(refs.map((r) => r.framework))}, ${textArray(refs.map((r) => r.id))}) AS w(f, id)
          ON w.f = v.framework_id AND w.id = r.requirement_id`);
      return new Set(found.map((r) => `${r.f}\u0000${r.id}`));
    },

    /** Replaces the owner's mapping set of that id (its previous content goes). */
    async replaceMappingSet(set: NewMappingSet, maps: MappingRow[]): Promise<string> {
      const owner = set.orgId ? eq(mappingSets.orgId, set.orgId) : isNull(mappingSets.orgId);
      await db.delete(mappingSets).where(and(owner, eq(mappingSets.setId, set.setId)));
      const [inserted] = await db.insert(mappingSets).values(set).returning({ id: mappingSets.id });
      for (let i = 0; i < maps.length; i += BATCH) {
        await db.insert(mappings).values(maps.slice(i, i + BATCH).map((m, k) => ({ ...m, setId: inserted!.id, n: i + k })));
      }
      return inserted!.id;
    },
    /** Built-in mappings plus the org's own, optionally narrowed by source/target framework, with both sides' titles. */
    async mappingsVisible(orgId: string, filter: { from?: string | undefined; to?: string | undefined; framework?: string; requirementId?: string } = {}): Promise<MappingWithTitles[]> {
      const reqTitle = (f: SQL, id: SQL) => sql`(SELECT r.title FROM ${currentFor(orgId)} v JOIN framework_requirements r ON r.version_id = v.id
        WHERE v.framework_id = ${f} AND r.requirement_id = ${id})`;
      const about = filter.framework && filter.requirementId
        ? sql`AND ((m.source_framework = ${filter.framework} AND m.source_id = ${filter.requirementId}) OR (m.target_framework = ${filter.framework} AND m.target_id = ${filter.requirementId}))`
        : sql``;
      return rows(sql`
        SELECT m.source_framework AS "sourceFramework", m.source_id AS "sourceId", m.target_framework AS "targetFramework", m.target_id AS "targetId",
               m.relationship, m.rationale, m.source, s.org_id IS NULL AS builtin,
               ${reqTitle(sql`m.source_framework`, sql`m.source_id`)} AS "sourceTitle",
               ${reqTitle(sql`m.target_framework`, sql`m.target_id`)} AS "targetTitle"
        FROM mappings m JOIN mapping_sets s ON s.id = m.set_id
        WHERE (s.org_id = ${orgId} OR s.org_id IS NULL)
          AND (${filter.from ?? null}::text IS NULL OR m.source_framework = ${filter.from ?? null})
          AND (${filter.to ?? null}::text IS NULL OR m.target_framework = ${filter.to ?? null}) ${about}
        ORDER BY s.org_id NULLS FIRST, s.set_id, m.n`);
    },

    async scope(orgId: string): Promise<string[]> {
      const found = await db.select({ id: orgFrameworks.frameworkId }).from(orgFrameworks).where(eq(orgFrameworks.orgId, orgId)).orderBy(asc(orgFrameworks.frameworkId));
      return found.map((r) => r.id);
    },
    async setScope(orgId: string, frameworkIds: string[], addedBy: string | null) {
      const keep = frameworkIds.length ? sql`AND NOT (framework_id = ANY(${textArray(frameworkIds)}))` : sql``;
      await db.execute(sql`DELETE FROM org_frameworks WHERE org_id = ${orgId} ${keep}`);
      if (frameworkIds.length) {
        await db.insert(orgFrameworks).values(frameworkIds.map((frameworkId) => ({ orgId, frameworkId, addedBy }))).onConflictDoNothing();
      }
    },
    async countVersions(orgId: string | null, frameworkId?: string): Promise<number> {
      const owner = orgId ? eq(frameworkVersions.orgId, orgId) : isNull(frameworkVersions.orgId);
      const where = frameworkId ? and(owner, eq(frameworkVersions.frameworkId, frameworkId)) : owner;
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(frameworkVersions).where(where);
      return r?.n ?? 0;
    },
    async frameworkIdsIn(orgId: string, ids: string[]): Promise<string[]> {
      if (!ids.length) return [];
      const found = await rows<{ id: string }>(sql`SELECT framework_id AS id FROM ${currentFor(orgId)} v WHERE framework_id = ANY(${textArray(ids)})`);
      return found.map((r) => r.id);
    },
  };
}
export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
export type { Relationship };
