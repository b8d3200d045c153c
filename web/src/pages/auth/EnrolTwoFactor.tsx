import { Button, Center, Code, Group, Image, Loader, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { authApi } from '../../api/endpoints.ts';
import { isApiError } from '../../api/client.ts';
import type { TotpEnrolment } from '../../api/types.ts';
import { CodeInput } from '../../components/CodeInput.tsx';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { applyServerErrors } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { RecoveryCodes } from './RecoveryCodes.tsx';

type Props = { onFinished: () => void; onUnauthorized?: () => void };

/** Scan (or type) the secret, prove it with a first code, then keep the recovery codes. */
export function EnrolTwoFactor({ onFinished, onUnauthorized }: Props) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  const start = () => {
    setStartError(null);
    authApi.enrolTotp().then(setEnrolment, (error: unknown) => {
      if (isApiError(error, 401) && onUnauthorized) onUnauthorized();
      else setStartError(error);
    });
  };
  // Each start replaces the pending secret on the server; StrictMode's double effect must not start twice.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '' },
    validate: { code: (v) => (/^\d{6}$/.test(v) ? null : 'Enter the 6-digit code from your app') },
  });

  const submit = form.onSubmit(async ({ code }) => {
    setFormError(null);
    try {
      const result = await authApi.confirmTotp(code);
      setRecoveryCodes(result.recoveryCodes);
    } catch (error) {
      form.setFieldValue('code', '');
      setFormError(applyServerErrors(form, error));
    }
  });

  if (recoveryCodes) {
    return (
      <RecoveryCodes
        codes={recoveryCodes}
        onConfirmed={() => { notifySuccess('Two-factor authentication is on.'); onFinished(); }}
      />
    );
  }
  if (startError) return <LoadError error={startError} onRetry={start} />;
  if (!enrolment) return <Center py="xl"><Loader aria-label="Preparing two-factor setup" /></Center>;

  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xl">
      <Stack gap="sm" align="center">
        <Paper withBorder p="xs" radius="md" bg="white">
          <Image src={enrolment.qrDataUrl} alt="QR code to add Attest to your authenticator app" w={184} h={184} />
        </Paper>
        <Text size="xs" c="dimmed" ta="center">Can't scan? Enter this key in your app:</Text>
        <Group gap={4} wrap="nowrap" maw="100%">
          <Code data-testid="totp-secret" aria-label="Setup key" className="break-anywhere" style={{ fontSize: 13 }}>{enrolment.secret}</Code>
          <CopyValueButton value={enrolment.secret} label="Copy setup key" />
        </Group>
      </Stack>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">1. Scan the QR code with your authenticator app.</Text>
          <Text size="sm">2. Enter the 6-digit code it shows to confirm.</Text>
          <FormError message={formError} />
          <CodeInput label="Verification code" autoFocus={false} {...form.getInputProps('code')} />
          <Button type="submit" loading={form.submitting}>Turn on two-factor</Button>
        </Stack>
      </form>
    </SimpleGrid>
  );
}
