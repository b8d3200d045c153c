import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { SessionProvider, useSession } from '../../lib/session.tsx';
import { AppLayout } from '../../components/AppLayout.tsx';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EnrolTwoFactor } from './EnrolTwoFactor.tsx';
import { DisableTwoFactor } from './DisableTwoFactor.tsx';

/**
 * One URL for two situations: a signed-in person managing 2FA from the user menu (inside the app
 * shell), and someone mid-sign-in whose organization requires 2FA (no full session yet).
 */
export function TwoFactorRoute() {
  return (
    <SessionProvider signedOut={<RequiredEnrolment />}>
      <AppLayout>
        <TwoFactorSettings />
      </AppLayout>
    </SessionProvider>
  );
}

function RequiredEnrolment() {
  const navigate = useNavigate();
  const location = useLocation();
  const next = (location.state as { next?: string } | null)?.next ?? '/';
  return (
    <AuthLayout
      title="Set up two-factor authentication"
      subtitle="Your organization requires a second factor. It takes a minute with any authenticator app."
      width={520}
    >
      <EnrolTwoFactor onFinished={() => navigate(next, { replace: true })} onUnauthorized={() => navigate('/login', { replace: true })} />
    </AuthLayout>
  );
}

function TwoFactorSettings() {
  const { me, refresh } = useSession();
  const [enrolling, setEnrolling] = useState(false);
  const enabled = me.user.totpEnabled;

  return (
    <Stack maw={720}>
      <PageHeader title="Two-factor authentication" description="Protect your account with a code from an authenticator app in addition to your password." />
      <Card withBorder radius="lg" padding="lg">
        <Stack gap="md">
          <Group justify="space-between">
            <Group gap="sm">
              <IconShieldCheck size={22} aria-hidden />
              <Title order={2} size="h4">Authenticator app</Title>
            </Group>
            <Badge color={enabled ? 'teal' : 'gray'} variant="light" size="lg">{enabled ? 'On' : 'Off'}</Badge>
          </Group>
          {enabled && <DisableTwoFactor onDisabled={() => void refresh()} />}
          {!enabled && !enrolling && (
            <>
              <Text size="sm" c="dimmed">
                Use an app such as 1Password, Google Authenticator or Authy. You will also get recovery codes for when your phone is not at hand.
              </Text>
              <Group><Button onClick={() => setEnrolling(true)}>Set up two-factor authentication</Button></Group>
            </>
          )}
          {!enabled && enrolling && <EnrolTwoFactor onFinished={() => { setEnrolling(false); void refresh(); }} />}
        </Stack>
      </Card>
      {!enabled && (
        <Alert variant="light" color="yellow">Some organizations require two-factor authentication; you will be asked to set it up when you sign in to them.</Alert>
      )}
    </Stack>
  );
}
