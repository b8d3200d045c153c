import { Divider, NavLink, Stack } from '@mantine/core';
import { IconChartBar, IconFileCertificate, IconHeartbeat, IconListCheck, IconRosetteDiscountCheck, IconSettings, IconShieldLock } from '@tabler/icons-react';
import { Link, useLocation, useParams } from 'react-router';
import { AREAS } from '../pages/areas.ts';
import { useSession } from '../lib/session.tsx';

/** Links for the org in the URL; on account pages (no org in the URL) they go to the first org. */
export function MainNav() {
  const { orgId } = useParams();
  const { pathname } = useLocation();
  const { me } = useSession();
  const base = orgId ?? me.memberships[0]?.orgId;
  if (!base) return null;
  // Health comes first (the daily view) and Coverage right after Frameworks; the evidence log sits after Evidence, the
  // certifications register after Audits, hub documents after the Trust Hub, customer responsibilities after Vendors;
  // Settings comes last, below a divider.
  const areas = AREAS.flatMap((area) => (area.path === 'evidence' ? [area, { path: 'evidence-log', label: 'Evidence log', icon: IconShieldLock }]
    : area.path === 'frameworks' ? [{ path: 'health', label: 'Health', icon: IconHeartbeat }, area, { path: 'coverage', label: 'Coverage', icon: IconChartBar }]
    : area.path === 'audits' ? [area, { path: 'certifications', label: 'Certifications', icon: IconRosetteDiscountCheck }]
    : area.path === 'trust-hub' ? [area, { path: 'trust-documents', label: 'Hub documents', icon: IconFileCertificate }]
    : area.path === 'vendors' ? [area, { path: 'responsibilities', label: 'Customer responsibilities', icon: IconListCheck }] : [area]));
  const items = [...areas, { path: 'settings', label: 'Settings', icon: IconSettings }];
  return (
    <nav aria-label="Sections">
      <Stack gap={2}>
        {items.map((item, i) => {
          const to = `/orgs/${base}/${item.path}`;
          const active = !!orgId && (pathname === to || pathname.startsWith(`${to}/`));
          return (
            <div key={item.path}>
              {i === areas.length && <Divider my="sm" />}
              <NavLink
                component={Link}
                to={to}
                label={item.label}
                leftSection={<item.icon size={18} stroke={1.7} aria-hidden />}
                active={active}
                aria-current={active ? 'page' : undefined}
                variant="light"
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
              />
            </div>
          );
        })}
      </Stack>
    </nav>
  );
}
