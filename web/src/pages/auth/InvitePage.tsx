import { Alert, Button, Center, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailOpened } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { authApi, invitationsApi } from '../../api/endpoints.ts';
import { errorMessage } from '../../api/client.ts';
import type { InvitationLookup, Me } from '../../api/types.ts';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { FormError } from '../../components/FormError.tsx';
import { RoleBadge } from '../../components/RoleBadge.tsx';
import { applyServerErrors, passwordRule, requiredRule } from '../../lib/forms.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';

type Loaded = { invitation: InvitationLookup; me: Me | null };

export function InvitePage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    // Only a full session counts as signed in; a half-finished sign-in is ignored here.
    Promise.all([invitationsApi.lookup(token), authApi.me().then((me) => (me.stage && me.stage !== 'full' ? null : me), () => null)])
      .then(([invitation, me]) => setLoaded({ invitation, me }), setLoadError);
  }, [token]);

  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', password: '' },
    validate: (values) => (loaded?.invitation.userExists ? {} : { name: requiredRule('Your name')(values.name), password: passwordRule(values.password) }),
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const body = loaded?.invitation.userExists ? {} : { name: values.name.trim(), password: values.password };
      const result = await invitationsApi.accept(token, body);
      notifySuccess(`You joined ${loaded?.invitation.orgName ?? 'the organization'}.`, 'Welcome to Attest');
      const home = `/orgs/${result.orgId}`;
      if (result.status === 'totp_enrolment_required') navigate('/account/two-factor', { replace: true, state: { required: true, next: home } });
      else navigate(home, { replace: true });
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  if (loadError) {
    return (
      <AuthLayout title="Invitation unavailable">
        <Alert color="orange" variant="light">{errorMessage(loadError)} Ask the person who invited you to send a new invitation.</Alert>
        <Button component={Link} to="/login" variant="default" fullWidth>Go to sign in</Button>
      </AuthLayout>
    );
  }
  if (!loaded) {
    return <AuthLayout title="Invitation"><Center py="lg"><Loader aria-label="Loading invitation" /></Center></AuthLayout>;
  }

  const { invitation, me } = loaded;
  const signedInAsInvitee = me?.user.email.toLowerCase() === invitation.email.toLowerCase();
  const subtitle = (
    <>You are invited to join <b>{invitation.orgName}</b> as <RoleBadge role={invitation.role} size="sm" />.</>
  );

  // Accepting while signed in as someone else would add the new account without signing it in.
  if (me && !signedInAsInvitee) {
    return (
      <AuthLayout title={`Join ${invitation.orgName}`} subtitle={subtitle}>
        <Alert color="orange" variant="light" icon={<IconMailOpened size={18} />}>
          This invitation is for {invitation.email}, but you are signed in as {me.user.email}.
        </Alert>
        <Button fullWidth onClick={() => void authApi.logout().then(() => setLoaded({ invitation, me: null }), notifyError)}>
          Sign out and continue
        </Button>
      </AuthLayout>
    );
  }

  if (invitation.userExists && !signedInAsInvitee) {
    return (
      <AuthLayout title={`Join ${invitation.orgName}`} subtitle={subtitle}>
        <Alert variant="light" icon={<IconMailOpened size={18} />}>
          {invitation.email} already has an Attest account. Sign in as {invitation.email} to accept.
        </Alert>
        <Button component={Link} to={`/login?next=${encodeURIComponent(`/invite/${token}`)}`} fullWidth>Sign in to accept</Button>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={`Join ${invitation.orgName}`} subtitle={subtitle} width={460}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput label="Email" value={invitation.email} readOnly variant="filled" description="Invitations are tied to this address." />
          {!invitation.userExists && (
            <>
              <TextInput label="Your name" autoComplete="name" required autoFocus {...form.getInputProps('name')} />
              <PasswordInput label="Choose a password" description="At least 12 characters." autoComplete="new-password" required {...form.getInputProps('password')} />
            </>
          )}
          {invitation.userExists && <Text size="sm">You are signed in as {me?.user.email}.</Text>}
          <Button type="submit" fullWidth loading={form.submitting}>Accept invitation</Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
