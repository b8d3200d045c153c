import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

export const FRAMEWORK_ORIGINS = ['builtin', 'oscal-catalog', 'oscal-profile'] as const;
export type FrameworkOrigin = (typeof FRAMEWORK_ORIGINS)[number];
export const MAPPING_RELATIONSHIPS = ['equivalent-to', 'equal-to', 'subset-of', 'superset-of', 'intersects-with', 'no-relationship'] as const;
export type Relationship = (typeof MAPPING_RELATIONSHIPS)[number];
export type RequirementAttrValue = string | boolean | string[];

// Built-in rows have org_id NULL and are shared by every org, so these two tables cannot carry
// org_id in their primary key; a surrogate uuid is the key and the uniqueness rules treat NULL as
// one more owner (coalesce to the nil uuid). Every query still names the org whose view it reads.
const owner = (orgId: unknown) => sql`coalesce(${orgId}, '00000000-0000-0000-0000-000000000000'::uuid)`;

/** One stored version of a framework: a built-in catalog file version, or one OSCAL import of an org. */
export const frameworkVersions = pgTable('framework_versions', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').references(() => orgs.id, { onDelete: 'cascade' }),
  frameworkId: text('framework_id').notNull(),
  version: integer('version').notNull(),
  name: text('name').notNull(),
  frameworkVersion: text('framework_version').notNull(),
  publisher: text('publisher').notNull(),
  sourceNote: text('source_note').notNull(),
  origin: text('origin').$type<FrameworkOrigin>().notNull(),
  /** The imported file's name (imports resolve profile hrefs against it). */
  fileName: text('file_name'),
  contentSha256: text('content_sha256').notNull(),
  /** Imports only: the OSCAL catalog as imported (a profile's resolved catalog), for export and for resolving later profiles against it. */
  oscalCatalog: jsonb('oscal_catalog'),
  isCurrent: boolean('is_current').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('framework_versions_owner_version_key').on(owner(t.orgId), t.frameworkId, t.version),
  uniqueIndex('framework_versions_one_current_key').on(owner(t.orgId), t.frameworkId).where(sql`${t.isCurrent}`),
  index('framework_versions_org_idx').on(t.orgId, t.frameworkId),
  check('framework_versions_origin_check', sql`${t.origin} IN ('builtin', 'oscal-catalog', 'oscal-profile')`),
]);

/** The groups and requirements of one framework version, by official id. */
export const frameworkRequirements = pgTable('framework_requirements', {
  versionId: uuid('version_id').notNull().references(() => frameworkVersions.id, { onDelete: 'cascade' }),
  requirementId: text('requirement_id').notNull(),
  parentId: text('parent_id'),
  kind: text('kind').$type<'group' | 'requirement'>().notNull(),
  title: text('title').notNull(),
  summary: text('summary').notNull().default(''),
  /** Official statement text, only where an OSCAL import carried it. */
  statement: text('statement'),
  sortKey: integer('sort_key').notNull(),
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  attrs: jsonb('attrs').$type<Record<string, RequirementAttrValue>>().notNull().default({}),
  params: jsonb('params').$type<unknown[]>(),
  props: jsonb('props').$type<unknown[]>(),
}, (t) => [
  primaryKey({ columns: [t.versionId, t.requirementId] }),
  index('framework_requirements_order_idx').on(t.versionId, t.sortKey),
  check('framework_requirements_kind_check', sql`${t.kind} IN ('group', 'requirement')`),
]);

/** A set of mappings between two frameworks: a shipped mappings/*.json file (org_id NULL) or an org's import. */
export const mappingSets = pgTable('mapping_sets', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').references(() => orgs.id, { onDelete: 'cascade' }),
  setId: text('set_id').notNull(),
  version: integer('version').notNull(),
  title: text('title').notNull(),
  origin: text('origin').$type<'builtin' | 'oscal-mapping'>().notNull(),
  provenance: text('provenance').notNull(),
  contentSha256: text('content_sha256').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('mapping_sets_owner_key').on(owner(t.orgId), t.setId),
  check('mapping_sets_origin_check', sql`${t.origin} IN ('builtin', 'oscal-mapping')`),
]);

/**
 * One relationship, read "source <relationship> target". Requirements are named by framework id
 * and requirement id, not by version, so mappings survive a framework upgrade.
 */
export const mappings = pgTable('mappings', {
  setId: uuid('set_id').notNull().references(() => mappingSets.id, { onDelete: 'cascade' }),
  n: integer('n').notNull(),
  sourceFramework: text('source_framework').notNull(),
  sourceId: text('source_id').notNull(),
  targetFramework: text('target_framework').notNull(),
  targetId: text('target_id').notNull(),
  relationship: text('relationship').$type<Relationship>().notNull(),
  rationale: text('rationale').notNull().default(''),
  source: text('source').notNull(),
}, (t) => [
  primaryKey({ columns: [t.setId, t.n] }),
  index('mappings_source_idx').on(t.sourceFramework, t.sourceId),
  index('mappings_target_idx').on(t.targetFramework, t.targetId),
  check('mappings_relationship_check', sql`${t.relationship} IN ('equivalent-to', 'equal-to', 'subset-of', 'superset-of', 'intersects-with', 'no-relationship')`),
]);

/** Which frameworks an org has put in scope. */
export const orgFrameworks = pgTable('org_frameworks', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  frameworkId: text('framework_id').notNull(),
  addedBy: text('added_by'),
  addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.frameworkId] })]);
