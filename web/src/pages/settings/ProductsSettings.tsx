import { ActionIcon, Badge, Button, Checkbox, Group, Modal, Select, Stack, Text, Textarea, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArchive, IconEdit, IconPackage, IconPlus } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { productsApi } from '../../api/endpoints.ts';
import type { Product, ProductKind } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';

const KINDS: { value: ProductKind; label: string }[] = [{ value: 'product', label: 'Product' }, { value: 'service', label: 'Service' }, { value: 'system', label: 'System' }];
type Row = Product & { state: 'active' | 'archived' };

function ProductModal({ orgId, editing, opened, onClose, onSaved }: { orgId: string; editing: Product | null; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', slug: '', kind: 'product' as ProductKind, description: '', public: false },
    validate: { name: requiredRule('Name') },
  });
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    form.clearErrors();
    form.setValues(editing ? { name: editing.name, slug: editing.slug, kind: editing.kind, description: editing.description, public: editing.public } : { name: '', slug: '', kind: 'product', description: '', public: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, editing]);
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    const body = { name: v.name.trim(), kind: v.kind, description: v.description.trim(), public: v.public, ...(v.slug.trim() ? { slug: v.slug.trim() } : {}) };
    try {
      if (editing) await productsApi.update(orgId, editing.id, body);
      else await productsApi.create(orgId, body);
      notifySuccess(`${body.name} saved.`);
      onSaved();
      onClose();
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{editing ? `Edit ${editing.name}` : 'Add a product or service'}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Slug" description="Used in links; leave empty to derive it from the name" {...form.getInputProps('slug')} />
          <Select label="Kind" allowDeselect={false} data={KINDS} comboboxProps={{ withinPortal: true }} {...form.getInputProps('kind')} />
          <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
          <Checkbox label="Show on the Trust Hub" {...form.getInputProps('public', { type: 'checkbox' })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The org's products and services, which certification scopes (and later the Trust Hub) name. */
export function ProductsSettings() {
  const org = useRequiredOrg();
  const isAdmin = canAdminister(org.role);
  const resource = useResource(() => productsApi.list(org.orgId, true), [org.orgId]);
  const rows = resource.data?.items.map<Row>((p) => ({ ...p, state: p.archivedAt ? 'archived' : 'active' }));
  const table = useTableView(rows, { searchable: ['name', 'slug', 'kind', 'description'], initialSort: { columnAccessor: 'name', direction: 'asc' } });
  const [modal, setModal] = useState<{ editing: Product | null } | null>(null);
  const [removing, setRemoving] = useState<Product | null>(null);

  return (
    <Stack>
      <SectionHeader
        title="Products & services"
        description="What you offer or run. Certifications name them as in or out of scope."
        actions={<>
          <SearchInput label="Filter products" placeholder="Filter by name" value={table.query} onChange={table.setQuery} />
          {isAdmin && <Button leftSection={<IconPlus size={16} />} onClick={() => setModal({ editing: null })}>Add</Button>}
        </>}
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
        <DataTable<Row>
          withTableBorder borderRadius="md" highlightOnHover minHeight={table.records.length ? undefined : 180}
          records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
          noRecordsText={table.query ? 'Nothing matches the filter' : 'No products or services yet'} noRecordsIcon={<IconPackage size={28} aria-hidden />}
          columns={[
            { accessor: 'name', title: 'Name', sortable: true, render: (p) => <Stack gap={0}><Text size="sm" fw={500}>{p.name}</Text><Text size="xs" c="dimmed">{p.slug}</Text></Stack> },
            { accessor: 'kind', title: 'Kind', sortable: true, width: 110, render: (p) => <Badge variant="light" color="gray">{p.kind}</Badge> },
            { accessor: 'description', title: 'Description', render: (p) => <Text size="sm" lineClamp={2}>{p.description || '—'}</Text> },
            { accessor: 'public', title: 'Trust Hub', sortable: true, width: 110, render: (p) => (p.public ? 'Shown' : 'Hidden') },
            { accessor: 'state', title: 'Status', sortable: true, width: 110, render: (p) => <Badge variant="dot" color={p.state === 'active' ? 'teal' : 'gray'}>{p.state}</Badge> },
            {
              accessor: 'actions', title: <span className="sr-only">Actions</span>, width: 90, textAlign: 'right',
              render: (p) => isAdmin ? (
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Tooltip label="Edit" withArrow><ActionIcon variant="subtle" aria-label={`Edit ${p.name}`} onClick={() => setModal({ editing: p })}><IconEdit size={16} /></ActionIcon></Tooltip>
                  {p.state === 'active' && (
                    <Tooltip label="Remove" withArrow><ActionIcon variant="subtle" color="red" aria-label={`Remove ${p.name}`} onClick={() => setRemoving(p)}><IconArchive size={16} /></ActionIcon></Tooltip>
                  )}
                </Group>
              ) : null,
            },
          ]}
        />
      )}
      <ProductModal orgId={org.orgId} editing={modal?.editing ?? null} opened={modal !== null} onClose={() => setModal(null)} onSaved={() => void resource.reload()} />
      <ConfirmModal
        opened={removing !== null} title="Remove product" confirmLabel="Remove" onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          const result = await productsApi.remove(org.orgId, removing.id);
          await resource.reload();
          notifySuccess(result.outcome === 'archived' ? `${removing.name} is named by a certification scope, so it was archived instead of deleted.` : `${removing.name} was deleted.`);
        }}
      >
        “{removing?.name}” is deleted, or archived if a certification scope still names it.
      </ConfirmModal>
    </Stack>
  );
}
