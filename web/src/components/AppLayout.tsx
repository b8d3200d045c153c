import { AppShell, Burger, Group, ScrollArea, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconShieldCheckFilled } from '@tabler/icons-react';
import { useEffect, type ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { MainNav } from './MainNav.tsx';
import { OrgSwitcher } from './OrgSwitcher.tsx';
import { UserMenu } from './UserMenu.tsx';

/** The signed-in frame: header with org switcher and user menu, navigation, and the page. */
export function AppLayout({ children }: { children?: ReactNode }) {
  const [navOpen, nav] = useDisclosure(false);
  const location = useLocation();

  // On phones the navbar covers the page; close it once a link was followed.
  useEffect(() => { nav.close(); }, [location.pathname]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={navOpen ? 'Close navigation' : 'Open navigation'} />
            <UnstyledButton component={Link} to="/" aria-label="Attest home">
              <Group gap={8} wrap="nowrap">
                <ThemeIcon size={30} radius="md" aria-hidden>
                  <IconShieldCheckFilled size={18} />
                </ThemeIcon>
                <Text fw={700} size="lg" visibleFrom="xs">Attest</Text>
              </Group>
            </UnstyledButton>
            <OrgSwitcher visibleFrom="sm" ml="md" />
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <OrgSwitcher hiddenFrom="sm" mb="sm" />
        <AppShell.Section grow component={ScrollArea}>
          <MainNav />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <div style={{ maxWidth: 1200, margin: '0 auto' }}>{children ?? <Outlet />}</div>
      </AppShell.Main>
    </AppShell>
  );
}
