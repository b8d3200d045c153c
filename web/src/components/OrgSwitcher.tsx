import { Select, type SelectProps } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useSession } from '../lib/session.tsx';

/** Switching org keeps the section (e.g. Settings › Members) so people can compare orgs quickly. */
export function OrgSwitcher(props: Omit<SelectProps, 'data' | 'value' | 'onChange'>) {
  const { me } = useSession();
  const { orgId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  if (me.memberships.length === 0) return null;

  const onChange = (next: string | null) => {
    if (!next || next === orgId) return;
    const rest = orgId ? location.pathname.split(`/orgs/${orgId}`)[1] ?? '' : '';
    navigate(`/orgs/${next}${rest}`);
  };

  return (
    <Select
      aria-label="Organization"
      placeholder="Switch organization"
      data={me.memberships.map((m) => ({ value: m.orgId, label: m.orgName }))}
      value={orgId ?? null}
      onChange={onChange}
      allowDeselect={false}
      leftSection={<IconBuilding size={16} aria-hidden />}
      w={{ base: '100%', sm: 240 }}
      comboboxProps={{ withinPortal: true }}
      {...props}
    />
  );
}
