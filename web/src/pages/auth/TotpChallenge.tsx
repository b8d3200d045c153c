import { Anchor, Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { authApi } from '../../api/endpoints.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors } from '../../lib/forms.ts';
import { CodeInput } from '../../components/CodeInput.tsx';

/** Second sign-in step. Recovery codes go to the same endpoint; only the input changes. */
export function TotpChallenge({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '' },
    validate: {
      code: (v) => (useRecovery ? (v.trim().length >= 8 ? null : 'Enter one of your recovery codes') : /^\d{6}$/.test(v) ? null : 'Enter the 6-digit code'),
    },
  });

  const submit = form.onSubmit(async ({ code }) => {
    setFormError(null);
    try {
      await authApi.loginTotp(code.trim());
      onDone();
    } catch (error) {
      form.setFieldValue('code', '');
      setFormError(applyServerErrors(form, error));
    }
  });

  const switchMode = () => {
    setUseRecovery((v) => !v);
    form.reset();
    setFormError(null);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError message={formError} />
        {useRecovery ? (
          <TextInput key="recovery" label="Recovery code" placeholder="xxxxx-xxxxx" autoComplete="off" autoFocus {...form.getInputProps('code')} />
        ) : (
          <CodeInput key="totp" label="Authentication code" {...form.getInputProps('code')} />
        )}
        <Button type="submit" fullWidth loading={form.submitting}>Verify</Button>
        <Group justify="space-between">
          <Anchor component="button" type="button" size="sm" onClick={switchMode}>
            {useRecovery ? 'Use an authenticator code' : 'Use a recovery code'}
          </Anchor>
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onCancel}>Back</Anchor>
        </Group>
      </Stack>
    </form>
  );
}
