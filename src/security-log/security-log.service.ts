import { z } from 'zod';
import type { SecurityLogRepo, SecurityEventRow } from './security-log.repo.ts';
import type { OrgsRepo } from '../orgs/orgs.repo.ts';
import { decodeCursor, pageResult } from '../lib/pagination.ts';

export type SecurityEvent = {
  action: string;
  actorUserId?: string | null;
  actorEmail?: string | null;
  ip?: string | null;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
};

export function createSecurityLogService(deps: { repo: SecurityLogRepo; orgs: Pick<OrgsRepo, 'membershipsOfUser'> }) {
  return {
    async record(orgId: string, event: SecurityEvent) {
      await deps.repo.insertMany([{ orgId, ...event, detail: event.detail ?? {} }]);
    },
    /** Sign-in events belong to the person, so every org they are in sees them. */
    async recordForUser(userId: string, event: SecurityEvent) {
      const orgs = await deps.orgs.membershipsOfUser(userId);
      await deps.repo.insertMany(orgs.map((o) => ({ orgId: o.orgId, actorUserId: userId, ...event, detail: event.detail ?? {} })));
    },
    async list(orgId: string, q: { cursor?: string; limit: number; action?: string }) {
      const key = decodeCursor(q.cursor, z.tuple([z.number().int().positive()]));
      const rows = await deps.repo.list(orgId, { beforeId: key?.[0], action: q.action, limit: q.limit });
      return pageResult(rows, q.limit, (r: SecurityEventRow) => [r.id]);
    },
  };
}
export type SecurityLogService = ReturnType<typeof createSecurityLogService>;
