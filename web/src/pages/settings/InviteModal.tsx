import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { invitationsApi } from '../../api/endpoints.ts';
import type { Invitation, Role } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors, emailRule } from '../../lib/forms.ts';
import { grantableRoles, roleDescriptions } from '../../lib/roles.ts';
import { notifySuccess } from '../../lib/notify.ts';

export function InviteModal({ opened, orgId, actorRole, onClose, onInvited }: {
  opened: boolean; orgId: string; actorRole: Role; onClose: () => void; onInvited: (invitation: Invitation) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { email: '', role: 'editor' as Role },
    validate: { email: emailRule, role: (v) => (v ? null : 'Choose a role') },
  });

  const close = () => { form.reset(); setFormError(null); onClose(); };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const invitation = await invitationsApi.create(orgId, { email: values.email.trim(), role: values.role });
      notifySuccess(`${invitation.email} will get a link to join (also listed in the outbox).`, 'Invitation sent');
      onInvited(invitation);
      close();
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  const roles = grantableRoles(actorRole);
  return (
    <Modal opened={opened} onClose={close} title="Invite a colleague" size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput label="Email" type="email" placeholder="colleague@example.com" required data-autofocus {...form.getInputProps('email')} />
          <Select
            label="Role"
            required
            allowDeselect={false}
            data={roles}
            description={roleDescriptions[form.getValues().role]}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('role')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Send invitation</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
