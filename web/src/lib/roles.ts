import { ROLES, type Role } from '../api/types.ts';

const rank: Record<Role, number> = { owner: 5, admin: 4, editor: 3, auditor: 2, viewer: 1 };

export function hasRole(actual: Role, minimum: Role): boolean {
  return rank[actual] >= rank[minimum];
}

export const canAdminister = (role: Role) => hasRole(role, 'admin');

export const roleLabels: Record<Role, string> = {
  owner: 'Owner', admin: 'Admin', editor: 'Editor', auditor: 'Auditor', viewer: 'Viewer',
};

export const roleDescriptions: Record<Role, string> = {
  owner: 'Full control, including the organization itself',
  admin: 'Manages members, invitations, tokens and settings',
  editor: 'Works on controls, evidence and vendors',
  auditor: 'Reads everything; writes only in audits',
  viewer: 'Read-only access',
};

/** Roles someone may grant: never above their own, mirroring the server rule. */
export function grantableRoles(actor: Role) {
  return ROLES.filter((r) => hasRole(actor, r)).map((r) => ({ value: r, label: roleLabels[r] }));
}

export const roleColors: Record<Role, string> = {
  owner: 'grape', admin: 'indigo', editor: 'teal', auditor: 'orange', viewer: 'gray',
};
