import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useDocumentTitle } from '@mantine/hooks';

export function NotFoundPage({ standalone = false }: { standalone?: boolean }) {
  useDocumentTitle('Not found · Attest');
  return (
    <Center h={standalone ? '100dvh' : 320} p="md">
      <Stack align="center" gap="sm" ta="center">
        <Text c="dimmed" fw={700} size="xl">404</Text>
        <Title order={1} size="h3">This page does not exist</Title>
        <Text c="dimmed" maw={420}>The link may be mistyped, or the organization may not be one you belong to.</Text>
        <Button component={Link} to="/" variant="light">Go to your workspace</Button>
      </Stack>
    </Center>
  );
}
