import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { authApi, setupApi } from '../../api/endpoints.ts';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors, emailRule } from '../../lib/forms.ts';
import { TotpChallenge } from './TotpChallenge.tsx';

/** Only same-site paths are followed after sign-in, so a crafted ?next= cannot send people elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [step, setStep] = useState<'password' | 'totp'>('password');
  const [formError, setFormError] = useState<string | null>(null);
  const signedOut = (location.state as { signedOut?: boolean } | null)?.signedOut === true;

  useEffect(() => {
    // A fresh install has no accounts yet: send the first visitor to setup instead of a login that cannot work.
    setupApi.status().then((s) => {
      if (s.needsSetup) navigate(`/setup${location.search}`, { replace: true });
    }, () => { /* the login form still works; setup status is only a convenience */ });
    // Someone already (half-)signed in continues where they are instead of typing their password again.
    authApi.me().then((me) => {
      if (me.stage === 'totp') setStep('totp');
      else if (me.stage === 'enrol') navigate('/account/two-factor', { replace: true, state: { required: true, next } });
      else if (!signedOut) navigate(next, { replace: true });
    }, () => { /* not signed in: show the form */ });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const form = useForm({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: { email: emailRule, password: (v) => (v ? null : 'Enter your password') },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const result = await authApi.login({ email: values.email.trim(), password: values.password });
      if (result.status === 'ok') navigate(next, { replace: true });
      else if (result.status === 'totp_required') setStep('totp');
      else navigate('/account/two-factor', { replace: true, state: { required: true, next } });
    } catch (error) {
      form.setFieldValue('password', '');
      setFormError(applyServerErrors(form, error));
    }
  });

  if (step === 'totp') {
    return (
      <AuthLayout title="Two-factor authentication" subtitle="Enter the 6-digit code from your authenticator app.">
        <TotpChallenge onDone={() => navigate(next, { replace: true })} onCancel={() => setStep('password')} />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Sign in" subtitle="Welcome back. Sign in to your compliance workspace.">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {signedOut && !formError && (
            <Alert color="teal" variant="light" icon={<IconInfoCircle size={18} />}>You are signed out.</Alert>
          )}
          <FormError message={formError} />
          <TextInput label="Email" type="email" autoComplete="username" required autoFocus {...form.getInputProps('email')} />
          <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
          <Button type="submit" fullWidth loading={form.submitting}>Sign in</Button>
          <Text size="xs" c="dimmed" ta="center">Forgot your password? Ask an admin of your organization to help.</Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
