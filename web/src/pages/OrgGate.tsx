import type { ReactNode } from 'react';
import { NotFoundPage } from './NotFoundPage.tsx';
import { useCurrentOrg } from '../lib/session.tsx';

/** Pages under /orgs/:orgId render only for members; anyone else gets the same answer as the API (not found). */
export function OrgGate({ children }: { children: ReactNode }) {
  const org = useCurrentOrg();
  return org ? children : <NotFoundPage standalone />;
}
