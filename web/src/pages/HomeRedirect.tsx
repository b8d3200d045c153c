import { Navigate } from 'react-router';
import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useSession } from '../lib/session.tsx';

/** "/" opens the first organization; someone with none (e.g. all memberships removed) is told so. */
export function HomeRedirect() {
  const { me } = useSession();
  const first = me.memberships[0];
  if (first) return <Navigate to={`/orgs/${first.orgId}`} replace />;
  return (
    <Center h="100dvh" p="md">
      <Stack align="center" gap="sm" maw={420} ta="center">
        <Title order={1} size="h3">You are not in an organization</Title>
        <Text c="dimmed">Ask an admin of your organization to invite {me.user.email}, then open the link in the email.</Text>
        <Button component="a" href="/account/two-factor" variant="default">Account security</Button>
      </Stack>
    </Center>
  );
}
