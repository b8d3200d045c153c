import { ActionIcon, Badge, Button, Card, Group, Modal, Select, Stack, Switch, Text, Textarea, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconShieldCheck, IconTrash } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { trustHubApi } from '../../api/endpoints.ts';
import type { HubCommitment } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';

const CATEGORIES = [{ value: 'security', label: 'Security' }, { value: 'privacy', label: 'Privacy' }];

function AddCommitmentModal({ orgId, opened, onClose, onSaved }: { orgId: string; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { statement: '', category: 'security' as 'security' | 'privacy', controlId: '', published: false },
    validate: { statement: requiredRule('Statement') },
  });
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      await trustHubApi.createCommitment(orgId, { statement: v.statement.trim(), category: v.category, controlId: v.controlId.trim() || null, published: v.published });
      notifySuccess(v.published ? 'Commitment published on the Trust Hub.' : 'Commitment saved as a draft.');
      form.reset();
      onSaved();
      onClose();
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Add a commitment</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <Textarea label="Statement" required data-autofocus autosize minRows={2} {...form.getInputProps('statement')} />
          <Select label="Category" allowDeselect={false} data={CATEGORIES} comboboxProps={{ withinPortal: true }} {...form.getInputProps('category')} />
          <Textarea label="Backing control id" description="Optional: the control whose latest check result is shown beside it" autosize minRows={1} {...form.getInputProps('controlId')} />
          <Switch label="Publish now" {...form.getInputProps('published', { type: 'checkbox' })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Security and privacy commitments; publishing one is recorded in the evidence log. */
export function CommitmentsCard({ orgId, editable, onChanged }: { orgId: string; editable: boolean; onChanged: () => void }) {
  const resource = useResource(() => trustHubApi.commitments(orgId), [orgId]);
  const table = useTableView(resource.data?.items, { searchable: ['statement', 'category'], initialSort: { columnAccessor: 'position', direction: 'asc' } });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<HubCommitment | null>(null);
  const changed = () => { void resource.reload(); onChanged(); };

  async function togglePublished(c: HubCommitment) {
    try {
      await trustHubApi.updateCommitment(orgId, c.id, { published: !c.published });
      notifySuccess(c.published ? 'Commitment withdrawn from the Trust Hub.' : 'Commitment published on the Trust Hub.');
      changed();
    } catch (error) {
      notifyError(error);
    }
  }

  return (
    <Card withBorder radius="lg" padding="lg">
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>Security and privacy commitments</Text>
          {editable && <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>Add</Button>}
        </Group>
        {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton rows={2} /> : (
          <DataTable<HubCommitment>
            withTableBorder borderRadius="md" minHeight={table.records.length ? undefined : 150}
            records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
            noRecordsText="No commitments yet" noRecordsIcon={<IconShieldCheck size={28} aria-hidden />}
            columns={[
              { accessor: 'statement', title: 'Statement', sortable: true, render: (c) => <Text size="sm">{c.statement}</Text> },
              { accessor: 'category', title: 'Category', sortable: true, width: 110, render: (c) => <Badge variant="light" color={c.category === 'security' ? 'blue' : 'grape'}>{c.category}</Badge> },
              {
                accessor: 'published', title: 'On the hub', sortable: true, width: 120,
                render: (c) => <Switch size="sm" aria-label={`Publish "${c.statement}"`} checked={c.published} disabled={!editable} onChange={() => void togglePublished(c)} />,
              },
              {
                accessor: 'actions', title: <span className="sr-only">Actions</span>, width: 60, textAlign: 'right',
                render: (c) => editable ? <Tooltip label="Delete" withArrow><ActionIcon variant="subtle" color="red" aria-label={`Delete "${c.statement}"`} onClick={() => setRemoving(c)}><IconTrash size={16} /></ActionIcon></Tooltip> : null,
              },
            ]}
          />
        )}
      </Stack>
      <AddCommitmentModal orgId={orgId} opened={adding} onClose={() => setAdding(false)} onSaved={changed} />
      <ConfirmModal
        opened={removing !== null} title="Delete commitment" confirmLabel="Delete" onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await trustHubApi.deleteCommitment(orgId, removing.id);
          notifySuccess('Commitment deleted.');
          setRemoving(null);
          changed();
        }}
      >
        {`Delete “${removing?.statement ?? ''}”? A published commitment is withdrawn from the hub first.`}
      </ConfirmModal>
    </Card>
  );
}
