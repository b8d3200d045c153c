import { Alert } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { canAdminister } from '../lib/roles.ts';
import { useRequiredOrg } from '../lib/session.tsx';

/** Sections the API serves only to owners and admins: others get an explanation instead of a 403 toast. */
export function AdminOnly({ what, children }: { what: string; children: ReactNode }) {
  const org = useRequiredOrg();
  if (canAdminister(org.role)) return children;
  return (
    <Alert variant="light" icon={<IconLock size={18} />} title="Owners and admins only">
      {what} is visible to owners and admins of {org.orgName}. Your role is {org.role}.
    </Alert>
  );
}
