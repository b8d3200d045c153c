import { Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export function EmptyState({ icon: IconComponent, title, children, action }: {
  icon: Icon; title: string; children: ReactNode; action?: ReactNode;
}) {
  return (
    <Paper withBorder radius="lg" p={{ base: 'lg', sm: 48 }} style={{ borderStyle: 'dashed' }}>
      <Stack align="center" gap="sm" ta="center" maw={520} mx="auto">
        <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
          <IconComponent size={30} stroke={1.6} />
        </ThemeIcon>
        <Title order={2} size="h4">{title}</Title>
        <Text c="dimmed">{children}</Text>
        {action}
      </Stack>
    </Paper>
  );
}
