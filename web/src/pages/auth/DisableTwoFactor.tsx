import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { authApi } from '../../api/endpoints.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';

/** Turning 2FA off needs a current code (or a recovery code), so a stolen session alone cannot do it. */
export function DisableTwoFactor({ onDisabled }: { onDisabled: () => void }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '' },
    validate: { code: (v) => (v.trim().length >= 6 ? null : 'Enter a code from your app or a recovery code') },
  });

  const submit = form.onSubmit(async ({ code }) => {
    setFormError(null);
    try {
      await authApi.disableTotp(code.trim());
      notifySuccess('Two-factor authentication is off.');
      onDisabled();
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  if (!open) {
    return (
      <Stack gap="sm">
        <Text size="sm" c="dimmed">You are asked for a code from your authenticator app each time you sign in.</Text>
        <Group><Button variant="default" color="red" onClick={() => setOpen(true)}>Turn off</Button></Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError message={formError} />
        <TextInput label="Code to confirm" description="A 6-digit code from your app, or a recovery code." autoComplete="one-time-code" autoFocus {...form.getInputProps('code')} />
        <Group>
          <Button type="submit" color="red" loading={form.submitting}>Turn off two-factor</Button>
          <Button variant="subtle" onClick={() => { setOpen(false); form.reset(); setFormError(null); }}>Cancel</Button>
        </Group>
      </Stack>
    </form>
  );
}
