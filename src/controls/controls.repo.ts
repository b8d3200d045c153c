import { and, asc, desc, eq, ilike, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { memberships } from '../orgs/orgs.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { controlRequirements, controls } from './controls.tables.ts';
import type { ListControlsQuery } from './controls.schema.ts';
import type { RequirementRef } from './starter/starter-file.schema.ts';

export type ControlRow = typeof controls.$inferSelect;
export type NewControl = typeof controls.$inferInsert;
export type ControlPatch = Partial<Omit<NewControl, 'orgId' | 'id' | 'version' | 'createdAt' | 'updatedAt'>>;
export type ControlView = ControlRow & { ownerEmail: string | null; frameworks: string[]; requirementCount: number };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createControlsRepo(db: DbOrTx) {
  const linkOf = (orgId: string) => and(eq(controls.orgId, orgId), eq(controlRequirements.orgId, orgId), eq(controlRequirements.controlId, controls.id));
  const select = () => db.select({
    control: controls,
    ownerEmail: users.email,
    frameworks: sql<string[]>`coalesce((SELECT array_agg(DISTINCT cr.framework ORDER BY cr.framework) FROM ${controlRequirements} cr
      WHERE cr.org_id = ${controls.orgId} AND cr.control_id = ${controls.id}), '{}'::text[])`,
    requirementCount: sql<number>`(SELECT count(*)::int FROM ${controlRequirements} cr WHERE cr.org_id = ${controls.orgId} AND cr.control_id = ${controls.id})`,
  }).from(controls).leftJoin(users, eq(users.id, controls.ownerUserId));
  const flat = (r: { control: ControlRow; ownerEmail: string | null; frameworks: string[]; requirementCount: number }): ControlView =>
    ({ ...r.control, ownerEmail: r.ownerEmail, frameworks: r.frameworks, requirementCount: r.requirementCount });

  return {
    async insert(values: NewControl): Promise<ControlRow> {
      const [row] = await db.insert(controls).values(values).returning();
      return row!;
    },
    /** Writes only when the stored version is the one the caller saw; undefined otherwise. */
    async updateVersioned(orgId: string, id: string, version: number, patch: ControlPatch): Promise<ControlRow | undefined> {
      const [row] = await db.update(controls).set({ ...patch, version: sql`${controls.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(controls.orgId, orgId), eq(controls.id, id), eq(controls.version, version))).returning();
      return row;
    },
    async find(orgId: string, id: string): Promise<ControlView | undefined> {
      const [row] = await select().where(and(eq(controls.orgId, orgId), eq(controls.id, id)));
      return row && flat(row);
    },
    /** Locks the row for the rest of the transaction. */
    async lock(orgId: string, id: string): Promise<ControlRow | undefined> {
      const [row] = await db.select().from(controls).where(and(eq(controls.orgId, orgId), eq(controls.id, id))).for('update');
      return row;
    },
    /** Which of these ids are controls of the org that are not retired (evidence can only support live controls). */
    async existingIds(orgId: string, ids: readonly string[]): Promise<Set<string>> {
      if (!ids.length) return new Set();
      const rows = await db.select({ id: controls.id }).from(controls)
        .where(and(eq(controls.orgId, orgId), inArray(controls.id, [...ids]), ne(controls.lifecycle, 'retired')));
      return new Set(rows.map((r) => r.id));
    },
    async findByCodes(orgId: string, codes: string[]): Promise<ControlRow[]> {
      if (!codes.length) return [];
      return db.select().from(controls).where(and(eq(controls.orgId, orgId), inArray(controls.code, codes)));
    },
    async list(orgId: string, q: ListControlsQuery): Promise<ControlView[]> {
      const text = q.q ? `%${escapeLike(q.q)}%` : undefined;
      const where: (SQL | undefined)[] = [
        eq(controls.orgId, orgId),
        q.lifecycle ? eq(controls.lifecycle, q.lifecycle) : q.includeRetired ? undefined : ne(controls.lifecycle, 'retired'),
        q.owner ? eq(controls.ownerUserId, q.owner) : undefined,
        q.frequency ? eq(controls.frequency, q.frequency) : undefined,
        q.framework ? sql`EXISTS (SELECT 1 FROM ${controlRequirements} cr WHERE cr.org_id = ${controls.orgId} AND cr.control_id = ${controls.id} AND cr.framework = ${q.framework})` : undefined,
        text ? or(ilike(controls.code, text), ilike(controls.title, text), ilike(controls.description, text)) : undefined,
      ];
      const column = { code: controls.code, title: controls.title, lifecycle: controls.lifecycle, frequency: controls.frequency, owner: users.email, updatedAt: controls.updatedAt }[q.sort];
      const order = q.dir === 'desc' ? desc(column) : asc(column);
      const rows = await select().where(and(...where)).orderBy(order, asc(controls.code)).limit(5000);
      return rows.map(flat);
    },
    async requirementsOf(orgId: string, controlIds: string[]): Promise<{ controlId: string; framework: string; requirementId: string }[]> {
      if (!controlIds.length) return [];
      return db.select({ controlId: controlRequirements.controlId, framework: controlRequirements.framework, requirementId: controlRequirements.requirementId })
        .from(controlRequirements).where(and(eq(controlRequirements.orgId, orgId), inArray(controlRequirements.controlId, controlIds)))
        .orderBy(asc(controlRequirements.framework), asc(controlRequirements.requirementId));
    },
    async replaceRequirements(orgId: string, controlId: string, refs: RequirementRef[]) {
      await db.delete(controlRequirements).where(and(eq(controlRequirements.orgId, orgId), eq(controlRequirements.controlId, controlId)));
      if (refs.length) {
        await db.insert(controlRequirements).values(refs.map((r) => ({ orgId, controlId, framework: r.framework, requirementId: r.id }))).onConflictDoNothing();
      }
    },
    /** Every requirement link of the org's live (non-retired) controls, for the coverage engine. */
    async links(orgId: string) {
      return db.select({ controlId: controls.id, code: controls.code, title: controls.title, lifecycle: controls.lifecycle, framework: controlRequirements.framework, requirementId: controlRequirements.requirementId })
        .from(controlRequirements).innerJoin(controls, linkOf(orgId))
        .where(and(eq(controlRequirements.orgId, orgId), ne(controls.lifecycle, 'retired')))
        .orderBy(asc(controlRequirements.framework), asc(controlRequirements.requirementId), asc(controls.code));
    },
    async controlsForRequirement(orgId: string, framework: string, requirementId: string) {
      return db.select({ controlId: controls.id, code: controls.code, title: controls.title, lifecycle: controls.lifecycle })
        .from(controlRequirements).innerJoin(controls, linkOf(orgId))
        .where(and(eq(controlRequirements.orgId, orgId), eq(controlRequirements.framework, framework), eq(controlRequirements.requirementId, requirementId), ne(controls.lifecycle, 'retired')))
        .orderBy(asc(controls.code));
    },
    /** Codes and starter codes already present, so adopting the starter set twice adds nothing. */
    async existingCodes(orgId: string): Promise<{ code: string; starterCode: string | null }[]> {
      return db.select({ code: controls.code, starterCode: controls.starterCode }).from(controls).where(eq(controls.orgId, orgId));
    },
    async isMember(orgId: string, userId: string): Promise<boolean> {
      const [row] = await db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
      return !!row;
    },
    async membersByEmail(orgId: string, emails: string[]): Promise<Map<string, string>> {
      if (!emails.length) return new Map();
      const rows = await db.select({ email: users.email, userId: users.id }).from(memberships).innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, orgId), inArray(users.email, emails)));
      return new Map(rows.map((r) => [r.email, r.userId]));
    },
  };
}
export type ControlsRepo = ReturnType<typeof createControlsRepo>;
