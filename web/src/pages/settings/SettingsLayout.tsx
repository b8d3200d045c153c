import { ScrollArea, Tabs } from '@mantine/core';
import { IconAdjustments, IconBell, IconKey, IconList, IconMail, IconMailForward, IconPackage, IconUsers, IconWebhook } from '@tabler/icons-react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useRequiredOrg } from '../../lib/session.tsx';

const SECTIONS = [
  { path: 'general', label: 'General', icon: IconAdjustments },
  { path: 'members', label: 'Members', icon: IconUsers },
  { path: 'invitations', label: 'Invitations', icon: IconMailForward },
  { path: 'products', label: 'Products & services', icon: IconPackage },
  { path: 'tokens', label: 'API tokens', icon: IconKey },
  { path: 'security-log', label: 'Security log', icon: IconList },
  { path: 'webhooks', label: 'Webhooks', icon: IconWebhook },
  { path: 'notifications', label: 'Notifications', icon: IconBell },
  { path: 'outbox', label: 'Outbox', icon: IconMail },
] as const;

/** Settings sections as tabs backed by URLs, so each section can be linked and reloaded. */
export function SettingsLayout() {
  const org = useRequiredOrg();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = SECTIONS.find((s) => pathname.endsWith(`/settings/${s.path}`))?.path ?? 'general';

  return (
    <>
      <PageHeader title="Settings" description={`Organization settings for ${org.orgName}.`} />
      <Tabs value={current} onChange={(v) => v && navigate(`/orgs/${org.orgId}/settings/${v}`)} keepMounted={false}>
        {/* Seven tabs do not fit a phone; they scroll sideways instead of wrapping into a ragged block. */}
        {/* Eight tabs do not fit a phone; they scroll sideways instead of wrapping into a ragged block. */}
        <ScrollArea type="never" mb="lg">
          <Tabs.List style={{ flexWrap: 'nowrap' }}>
            {SECTIONS.map((s) => (
              <Tabs.Tab key={s.path} value={s.path} leftSection={<s.icon size={16} aria-hidden />}>{s.label}</Tabs.Tab>
            ))}
          </Tabs.List>
        </ScrollArea>
        <Tabs.Panel value={current}>
          <Outlet />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
