import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { certificationsApi } from '../../api/endpoints.ts';
import type { Certification, CertificationStatus } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { statusLabels } from './labels.ts';

/** Moves a record to one of the statuses the server allows next; the reason goes into the history and the evidence log. */
export function ChangeStatusModal({ orgId, record, onClose, onChanged }: {
  orgId: string; record: Certification | null; onClose: () => void; onChanged: (c: Certification) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ mode: 'controlled', initialValues: { status: '' as CertificationStatus | '', reason: '' }, validate: { status: (v) => (v ? null : 'Choose the new status'), reason: requiredRule('Reason') } });
  useEffect(() => {
    if (record) { form.setValues({ status: record.nextStatuses[0] ?? '', reason: '' }); form.clearErrors(); setFormError(null); }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [record]);

  const submit = form.onSubmit(async (v) => {
    if (!record || !v.status) return;
    setFormError(null);
    try {
      const changed = await certificationsApi.changeStatus(orgId, record.id, { status: v.status, reason: v.reason.trim(), version: record.version });
      notifySuccess(`${changed.name} is now ${statusLabels[changed.status].toLowerCase()}.`);
      onChanged(changed);
      onClose();
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  return (
    <Modal opened={record !== null} onClose={onClose} title={<Text fw={600}>Change status of {record?.name}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <Text size="sm" c="dimmed">Now {record ? statusLabels[record.status].toLowerCase() : ''}. Every change is kept in the history and appended to the evidence log.</Text>
          <Select
            label="New status" required allowDeselect={false} comboboxProps={{ withinPortal: true }}
            data={(record?.nextStatuses ?? []).map((s) => ({ value: s, label: statusLabels[s] }))}
            {...form.getInputProps('status')}
          />
          <Textarea label="Reason" required autosize minRows={2} placeholder="e.g. Auditor issued the report on 14 Oct" {...form.getInputProps('reason')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Change status</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
