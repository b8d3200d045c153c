import { Badge, Button, FileInput, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileText, IconPlus, IconUpload } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { trustDocsApi } from '../../api/endpoints.ts';
import { DOCUMENT_KINDS, type DocumentKind, type DocumentVisibility, type TrustDocument } from '../../api/trust-docs.types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { FormError } from '../../components/FormError.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDate } from '../../lib/format.ts';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';

export const visibilityColors: Record<DocumentVisibility, string> = { public: 'teal', gated: 'blue', private: 'gray' };
const visibilityOptions = [
  { value: 'public', label: 'Public: anyone can download' }, { value: 'gated', label: 'Gated: NDA and approved request' }, { value: 'private', label: 'Private: members only' },
];

type Row = TrustDocument & { version: string };

export function DocumentsTab({ orgId, isAdmin }: { orgId: string; isAdmin: boolean }) {
  const resource = useResource(() => trustDocsApi.documents(orgId).then((r) => r.items), [orgId]);
  const [creating, setCreating] = useState(false);
  const [uploading, setUploading] = useState<TrustDocument | null>(null);
  const rows = resource.data?.map((d) => ({ ...d, version: d.current?.label ?? '' }));
  const table = useTableView<Row>(rows, { searchable: ['title', 'kind', 'version'], initialSort: { columnAccessor: 'title', direction: 'asc' } });
  const replace = (d: TrustDocument) => resource.setData((cur) => cur && (cur.some((x) => x.id === d.id) ? cur.map((x) => (x.id === d.id ? d : x)) : [...cur, d]));

  async function changeVisibility(d: TrustDocument, visibility: DocumentVisibility) {
    try {
      replace(await trustDocsApi.updateDocument(orgId, d.id, { visibility }));
      notifySuccess(`${d.title} is now ${visibility}.`);
    } catch (e) { notifyError(e); }
  }

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <SearchInput label="Filter documents" placeholder="Filter by title, kind, version" value={table.query} onChange={table.setQuery} />
        {isAdmin && <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>Add document</Button>}
      </Group>
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
        <DataTable<Row>
          withTableBorder borderRadius="md" highlightOnHover minHeight={table.records.length ? undefined : 200}
          records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
          noRecordsText={resource.data.length ? 'Nothing matches the filter' : 'No documents yet'} noRecordsIcon={<IconFileText size={28} aria-hidden />}
          columns={[
            { accessor: 'title', title: 'Document', sortable: true, render: (d) => <Stack gap={0}><Text size="sm" fw={500}>{d.title}</Text><Text size="xs" c="dimmed">{DOCUMENT_KINDS[d.kind]}</Text></Stack> },
            {
              accessor: 'visibility', title: 'Visibility', sortable: true, width: 200,
              render: (d) => (isAdmin
                ? <Select aria-label={`Visibility of ${d.title}`} size="xs" data={visibilityOptions.map((o) => ({ value: o.value, label: o.value[0]!.toUpperCase() + o.value.slice(1) }))} value={d.visibility} allowDeselect={false} onChange={(v) => v && v !== d.visibility && void changeVisibility(d, v as DocumentVisibility)} comboboxProps={{ withinPortal: true }} />
                : <Badge color={visibilityColors[d.visibility]} variant="light">{d.visibility}</Badge>),
            },
            { accessor: 'version', title: 'Current version', sortable: true, render: (d) => (d.current ? `${d.current.label} · ${d.current.pageCount} pages · ${formatDate(d.current.createdAt)}` : <Text size="sm" c="dimmed">No file yet (not shown on the hub)</Text>) },
            { accessor: 'versions', title: 'Versions', width: 90, render: (d) => d.versions.length },
            ...(isAdmin ? [{ accessor: 'actions', title: '', width: 150, render: (d: Row) => <Button size="xs" variant="light" leftSection={<IconUpload size={14} />} onClick={() => setUploading(d)}>Upload PDF</Button> }] : []),
          ]}
        />
      )}
      <CreateDocumentModal orgId={orgId} opened={creating} onClose={() => setCreating(false)} onCreated={(d) => { replace(d); setCreating(false); setUploading(d); }} />
      <UploadVersionModal orgId={orgId} document={uploading} onClose={() => setUploading(null)} onUploaded={(d) => { replace(d); setUploading(null); }} />
    </Stack>
  );
}

function CreateDocumentModal({ orgId, opened, onClose, onCreated }: { orgId: string; opened: boolean; onClose: () => void; onCreated: (d: TrustDocument) => void }) {
  const form = useForm({ initialValues: { title: '', kind: 'soc2-type2-report' as DocumentKind, visibility: '', description: '' }, validate: { title: requiredRule('Title') } });
  const [formError, setFormError] = useState<string | null>(null);
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      const d = await trustDocsApi.createDocument(orgId, { title: v.title.trim(), kind: v.kind, description: v.description.trim(), ...(v.visibility ? { visibility: v.visibility as DocumentVisibility } : {}) });
      notifySuccess(`${d.title} added. Upload its PDF next.`);
      form.reset();
      onCreated(d);
    } catch (e) { setFormError(applyServerErrors(form, e)); }
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Add a document">
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput label="Title" required {...form.getInputProps('title')} />
          <Select label="Kind" data={Object.entries(DOCUMENT_KINDS).map(([value, label]) => ({ value, label }))} allowDeselect={false} {...form.getInputProps('kind')} comboboxProps={{ withinPortal: true }} />
          <Select label="Visibility" description="Empty: the kind's usual visibility (SOC 3 public, audit reports gated)" clearable data={visibilityOptions} {...form.getInputProps('visibility')} comboboxProps={{ withinPortal: true }} />
          <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
          <Group justify="flex-end"><Button variant="default" onClick={onClose}>Cancel</Button><Button type="submit" loading={form.submitting}>Add</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}

function UploadVersionModal({ orgId, document, onClose, onUploaded }: { orgId: string; document: TrustDocument | null; onClose: () => void; onUploaded: (d: TrustDocument) => void }) {
  const form = useForm<{ label: string; file: File | null }>({ initialValues: { label: '', file: null }, validate: { label: requiredRule('Version label'), file: (f) => (f ? null : 'Choose a PDF') } });
  const [progress, setProgress] = useState<number | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const submit = form.onSubmit(async (v) => {
    if (!document || !v.file) return;
    setFormError(null);
    try {
      const d = await trustDocsApi.uploadVersion(orgId, document.id, v.label.trim(), v.file, setProgress);
      notifySuccess(`Version ${v.label} of ${d.title} published.`);
      form.reset();
      onUploaded(d);
    } catch (e) { setFormError(applyServerErrors(form, e)); } finally { setProgress(null); }
  });
  return (
    <Modal opened={document !== null} onClose={onClose} title={`Upload a PDF for ${document?.title ?? ''}`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput label="Version label" placeholder="e.g. FY2026" required {...form.getInputProps('label')} />
          <FileInput label="PDF file" accept="application/pdf" required clearable {...form.getInputProps('file')} />
          {progress !== null && <Text size="sm" c="dimmed">Uploading… {Math.round(progress * 100)}%</Text>}
          <Group justify="flex-end"><Button variant="default" onClick={onClose}>Cancel</Button><Button type="submit" loading={form.submitting}>Upload</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}
