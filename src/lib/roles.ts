import { z } from 'zod';

export const roles = ['owner', 'admin', 'editor', 'auditor', 'viewer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

// Auditors read everything and write only in the audit workspace; viewers only read.
const rank: Record<Role, number> = { owner: 5, admin: 4, editor: 3, auditor: 2, viewer: 1 };

export function hasRole(actual: Role, minimum: Role): boolean {
  return rank[actual] >= rank[minimum];
}
