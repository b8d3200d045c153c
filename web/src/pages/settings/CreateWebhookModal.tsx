import { Button, Group, Modal, MultiSelect, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { webhooksApi } from '../../api/endpoints.ts';
import type { EventTypeInfo, WebhookWithSecret } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors } from '../../lib/forms.ts';

export const ALL_EVENTS = '*';

export const eventOptions = (types: EventTypeInfo[]) => [
  { value: ALL_EVENTS, label: 'All events (*)' },
  ...types.map((t) => ({ value: t.type, label: t.type })),
];

/** Create an endpoint; the caller shows the returned secret once. */
export function CreateWebhookModal({ opened, orgId, eventTypes, onClose, onCreated }: {
  opened: boolean; orgId: string; eventTypes: EventTypeInfo[]; onClose: () => void; onCreated: (created: WebhookWithSecret) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { url: '', description: '', events: [] as string[] },
    validate: {
      url: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? null : 'Enter a full URL, e.g. https://hooks.example.com/attest'),
      events: (v) => (v.length ? null : 'Choose at least one event type'),
    },
  });
  const close = () => { form.reset(); setFormError(null); onClose(); };
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const created = await webhooksApi.create(orgId, { url: values.url.trim(), description: values.description.trim(), events: values.events });
      form.reset();
      onCreated(created);
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  return (
    <Modal opened={opened} onClose={close} title="Add webhook endpoint" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput label="Endpoint URL" description="An https:// URL on a public address. Redirects are not followed." placeholder="https://hooks.example.com/attest" required data-autofocus {...form.getInputProps('url')} />
          <TextInput label="Description" placeholder="e.g. Pager alerts for failing controls" {...form.getInputProps('description')} />
          <MultiSelect
            label="Events"
            description="What this endpoint receives."
            placeholder={form.values.events.length ? undefined : 'Choose event types'}
            data={eventOptions(eventTypes)}
            searchable
            clearable
            required
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('events')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Add endpoint</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
