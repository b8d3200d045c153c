import { Avatar, Badge, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { authApi } from '../api/endpoints.ts';
import { useSession } from '../lib/session.tsx';
import { initials } from '../lib/format.ts';
import { notifyError } from '../lib/notify.ts';

export function UserMenu() {
  const { me } = useSession();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);

  const signOut = async () => {
    setSigningOut(true);
    try {
      await authApi.logout();
      navigate('/login', { replace: true, state: { signedOut: true } });
    } catch (error) {
      notifyError(error, 'Could not sign out');
      setSigningOut(false);
    }
  };

  return (
    <Menu position="bottom-end" width={260} shadow="md">
      <Menu.Target>
        {/* The accessible name includes the visible name (WCAG 2.5.3); on phones the name is only for screen readers. */}
        <UnstyledButton data-testid="user-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar radius="xl" size={34} color="indigo" aria-hidden>{initials(me.user.name, me.user.email)}</Avatar>
            <span className="sr-only">Account menu for </span>
            <Text size="sm" fw={500} maw={180} truncate className="user-menu-name">{me.user.name || me.user.email}</Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="bright" truncate>{me.user.name}</Text>
          <Text size="xs" c="dimmed" truncate>{me.user.email}</Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item
          component={Link}
          to="/account/two-factor"
          leftSection={<IconShieldLock size={16} aria-hidden />}
          rightSection={<Badge size="xs" variant="light" color={me.user.totpEnabled ? 'teal' : 'gray'}>{me.user.totpEnabled ? 'On' : 'Off'}</Badge>}
        >
          Two-factor authentication
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()} disabled={signingOut}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
