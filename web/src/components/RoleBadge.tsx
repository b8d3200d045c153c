import { Badge, type BadgeProps } from '@mantine/core';
import type { Role } from '../api/types.ts';
import { roleColors, roleLabels } from '../lib/roles.ts';

export function RoleBadge({ role, ...props }: { role: Role } & Omit<BadgeProps, 'children'>) {
  return <Badge variant="light" color={roleColors[role]} {...props}>{roleLabels[role]}</Badge>;
}
