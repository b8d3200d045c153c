import { Button, Checkbox, Group, Modal, MultiSelect, Stack, TagsInput, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { notificationRulesApi } from '../../api/endpoints.ts';
import type { EventTypeInfo, NotificationRule } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { eventOptions } from './CreateWebhookModal.tsx';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Which events email whom: the org's admins, the people who own the subject (a control's owner), and fixed addresses. */
export function NotificationRuleModal({ opened, orgId, eventTypes, onClose, onCreated }: {
  opened: boolean; orgId: string; eventTypes: EventTypeInfo[]; onClose: () => void; onCreated: (rule: NotificationRule) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', events: [] as string[], toAdmins: false, toOwners: true, addresses: [] as string[] },
    validate: {
      name: requiredRule('Name'),
      events: (v) => (v.length ? null : 'Choose at least one event type'),
      addresses: (v, values) => v.find((a) => !EMAIL.test(a)) ? `Not an email address: ${v.find((a) => !EMAIL.test(a))}`
        : !values.toAdmins && !values.toOwners && v.length === 0 ? 'Choose who gets the email' : null,
    },
  });
  const close = () => { form.reset(); setFormError(null); onClose(); };
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const rule = await notificationRulesApi.create(orgId, { ...values, name: values.name.trim(), enabled: true });
      form.reset();
      onCreated(rule);
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  return (
    <Modal opened={opened} onClose={close} title="Add email rule" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput label="Name" placeholder="e.g. Failing controls to their owners" required data-autofocus {...form.getInputProps('name')} />
          <MultiSelect label="Events" data={eventOptions(eventTypes)} searchable clearable required comboboxProps={{ withinPortal: true }} {...form.getInputProps('events')} />
          <Checkbox label="Owners and admins of the organization" {...form.getInputProps('toAdmins', { type: 'checkbox' })} />
          <Checkbox label="The owner of what the event is about (e.g. the control’s owner)" {...form.getInputProps('toOwners', { type: 'checkbox' })} />
          <TagsInput label="Other addresses" description="Press Enter after each address." placeholder="security@example.com" {...form.getInputProps('addresses')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Add rule</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
