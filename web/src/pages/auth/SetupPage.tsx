import { Alert, Button, Center, Loader, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { setupApi } from '../../api/endpoints.ts';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors, emailRule, passwordRule, requiredRule } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';

/** First run: creates the first organization and its owner. The token comes from the server's startup output. */
export function SetupPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const tokenFromUrl = params.get('token') ?? '';
  const [needsSetup, setNeedsSetup] = useState<boolean | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    setupApi.status().then((s) => setNeedsSetup(s.needsSetup), () => setNeedsSetup(true));
  }, []);

  const form = useForm({
    mode: 'controlled',
    initialValues: { token: tokenFromUrl, orgName: '', name: '', email: '', password: '' },
    validate: {
      token: requiredRule('Setup token'),
      orgName: requiredRule('Organization name'),
      name: requiredRule('Your name'),
      email: emailRule,
      password: passwordRule,
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await setupApi.complete({ ...values, token: values.token.trim(), email: values.email.trim() });
      notifySuccess('Sign in with the account you just created.', `${values.orgName} is ready`);
      navigate('/login', { replace: true });
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  if (needsSetup === null) {
    return <AuthLayout title="Set up Attest"><Center py="lg"><Loader aria-label="Checking setup status" /></Center></AuthLayout>;
  }

  if (!needsSetup) {
    return (
      <AuthLayout title="Attest is set up">
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />}>
          This installation already has an organization. Sign in, or ask an admin for an invitation.
        </Alert>
        <Button component={Link} to="/login" fullWidth>Go to sign in</Button>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Set up Attest" subtitle="Create your organization and its first owner account." width={480}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          {!tokenFromUrl && (
            <TextInput label="Setup token" description="Printed by the server when it first starts." required autoComplete="off" {...form.getInputProps('token')} />
          )}
          {tokenFromUrl && form.errors.token && <FormError message={String(form.errors.token)} />}
          <TextInput label="Organization name" placeholder="Acme Inc." required autoFocus {...form.getInputProps('orgName')} />
          <TextInput label="Your name" autoComplete="name" required {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" autoComplete="username" required {...form.getInputProps('email')} />
          <PasswordInput label="Password" description="At least 12 characters. A passphrase works well." autoComplete="new-password" required {...form.getInputProps('password')} />
          <Button type="submit" fullWidth loading={form.submitting}>Create organization</Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
