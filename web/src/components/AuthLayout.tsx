import { Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconShieldCheckFilled } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** Centered card for the screens people see before they are fully signed in. */
export function AuthLayout({ title, subtitle, children, width = 420 }: {
  title: string; subtitle?: ReactNode; children: ReactNode; width?: number;
}) {
  useDocumentTitle(`${title} · Attest`);
  return (
    <Center mih="100dvh" p="md" bg="var(--mantine-color-body)" style={{ backgroundImage: 'radial-gradient(circle at 20% 0%, var(--mantine-color-indigo-light), transparent 45%)' }}>
      <Stack w="100%" maw={width} gap="lg">
        <Group gap={8} justify="center">
          <ThemeIcon size={34} radius="md" aria-hidden>
            <IconShieldCheckFilled size={20} />
          </ThemeIcon>
          <Text fw={700} size="xl">Attest</Text>
        </Group>
        <Paper withBorder shadow="sm" radius="lg" p={{ base: 'lg', sm: 'xl' }}>
          <Stack gap="lg">
            <Stack gap={4}>
              <Title order={1} size="h3">{title}</Title>
              {subtitle && <Text c="dimmed" size="sm">{subtitle}</Text>}
            </Stack>
            {children}
          </Stack>
        </Paper>
      </Stack>
    </Center>
  );
}
