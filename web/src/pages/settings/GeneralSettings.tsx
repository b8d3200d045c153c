import { Alert, Button, Card, Group, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { useEffect } from 'react';
import { orgsApi } from '../../api/endpoints.ts';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg, useSession } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';

export function GeneralSettings() {
  const org = useRequiredOrg();
  const { refresh } = useSession();
  const editable = canAdminister(org.role);
  const resource = useResource(() => orgsApi.get(org.orgId), [org.orgId]);

  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', requireTwoFactor: false },
    validate: { name: requiredRule('Organization name') },
  });

  useEffect(() => {
    if (resource.data) form.setInitialValues({ name: resource.data.name, requireTwoFactor: resource.data.requireTwoFactor });
    if (resource.data) form.reset();
  }, [resource.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = form.onSubmit(async (values) => {
    try {
      const updated = await orgsApi.update(org.orgId, { name: values.name.trim(), requireTwoFactor: values.requireTwoFactor });
      resource.setData(() => updated);
      notifySuccess('Organization settings saved.');
      // The org name also appears in the switcher, which reads the session.
      await refresh();
    } catch (error) {
      applyServerErrors(form, error, { toast: true });
    }
  });

  return (
    <Stack maw={640}>
      <SectionHeader title="General" description="The organization's name and sign-in policy." />
      {!editable && (
        <Alert variant="light" icon={<IconLock size={18} />}>Only owners and admins can change these settings.</Alert>
      )}
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton rows={2} /> : (
        <Card withBorder radius="lg" padding="lg">
          <form onSubmit={submit} noValidate>
            <Stack gap="lg">
              <TextInput label="Organization name" required disabled={!editable} {...form.getInputProps('name')} />
              <Switch
                label="Require two-factor authentication"
                description="Members without two-factor authentication must set it up the next time they sign in."
                disabled={!editable}
                {...form.getInputProps('requireTwoFactor', { type: 'checkbox' })}
              />
              {editable && (
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty() || form.submitting}>Discard</Button>
                  <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>Save changes</Button>
                </Group>
              )}
            </Stack>
          </form>
        </Card>
      )}
    </Stack>
  );
}
