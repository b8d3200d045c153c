import { ActionIcon, Badge, Button, Group, Menu, Select, Stack, Text, Tooltip } from '@mantine/core';
import { IconArchive, IconChecklist, IconDownload, IconPlus, IconSparkles, IconUpload } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { saveFile } from '../../api/client.ts';
import { controlsApi, membersApi, type ControlFilters } from '../../api/endpoints.ts';
import { CONTROL_FREQUENCIES, CONTROL_LIFECYCLES, type Control, type ControlLifecycle, type Member } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDate } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { canAdminister, hasRole } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { AdoptStarterModal } from './AdoptStarterModal.tsx';
import { ControlDrawer } from './ControlDrawer.tsx';
import { ImportControlsModal } from './ImportControlsModal.tsx';
import { label, lifecycleColors, optionsOf } from './labels.ts';

type Reference = { members: Member[]; frameworks: { id: string; name: string }[] };

/** The org's controls: filter, sort, edit with the requirement mapping, adopt starter controls, import and export. */
export function ControlsPage() {
  const org = useRequiredOrg();
  const canEdit = hasRole(org.role, 'editor');
  const isAdmin = canAdminister(org.role);
  const [filters, setFilters] = useState<ControlFilters>({});
  const controls = useResource(() => controlsApi.list(org.orgId, filters), [org.orgId, filters.lifecycle, filters.owner, filters.frequency, filters.framework]);
  const reference = useResource<Reference>(async () => {
    const [members, frameworks] = await Promise.all([membersApi.list(org.orgId, null, 200), controlsApi.frameworks(org.orgId)]);
    return { members: members.items, frameworks: frameworks.items };
  }, [org.orgId]);
  const table = useTableView(controls.data?.items, { searchable: ['code', 'title', 'description', 'ownerEmail'], initialSort: { columnAccessor: 'code', direction: 'asc' } });
  // ?open=<id> (links from the health dashboard) opens that control's drawer.
  const [params] = useSearchParams();
  const [editing, setEditing] = useState<{ id: string | null } | null>(() => (params.get('open') ? { id: params.get('open') } : null));
  const [retiring, setRetiring] = useState<Control | null>(null);
  const [adopting, setAdopting] = useState(false);
  const [importing, setImporting] = useState(false);
  const members = reference.data?.members ?? [];
  const frameworks = reference.data?.frameworks ?? [];
  const frameworkName = (id: string) => frameworks.find((f) => f.id === id)?.name ?? id;
  const set = (patch: ControlFilters) => setFilters((f) => ({ ...f, ...patch }));
  const filtered = Object.values(filters).some(Boolean) || table.query;

  const exportAs = async (format: 'csv' | 'oscal') => {
    try {
      saveFile(await controlsApi.export(org.orgId, format));
    } catch (e) { notifyError(e); }
  };

  return (
    <>
      <PageHeader
        title="Controls"
        description="What your organization does to meet its frameworks: who owns each control, how often it runs, and which requirements it satisfies."
        actions={
          <>
            {isAdmin && <Button variant="light" leftSection={<IconSparkles size={16} />} onClick={() => setAdopting(true)}>Adopt starter controls</Button>}
            {isAdmin && <Button variant="default" leftSection={<IconUpload size={16} />} onClick={() => setImporting(true)}>Import</Button>}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target><Button variant="default" leftSection={<IconDownload size={16} />}>Export</Button></Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => void exportAs('csv')}>CSV</Menu.Item>
                <Menu.Item onClick={() => void exportAs('oscal')}>OSCAL component-definition</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {canEdit && <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ id: null })}>New control</Button>}
          </>
        }
      />
      <Stack gap="md">
        <Group gap="sm" wrap="wrap" align="flex-end">
          <SearchInput label="Search controls" placeholder="Search code, title, owner" value={table.query} onChange={table.setQuery} />
          <Select aria-label="Stage" placeholder="Any stage" clearable w={150} data={optionsOf(CONTROL_LIFECYCLES)} value={filters.lifecycle ?? null} onChange={(v) => set({ lifecycle: v as ControlLifecycle | null })} />
          <Select aria-label="Owner" placeholder="Any owner" clearable searchable w={200} data={members.map((m) => ({ value: m.userId, label: m.name || m.email }))} value={filters.owner ?? null} onChange={(v) => set({ owner: v })} />
          <Select aria-label="Frequency" placeholder="Any frequency" clearable w={160} data={optionsOf(CONTROL_FREQUENCIES)} value={filters.frequency ?? null} onChange={(v) => set({ frequency: v })} />
          <Select aria-label="Framework" placeholder="Any framework" clearable searchable w={240} data={frameworks.map((f) => ({ value: f.id, label: f.name }))} value={filters.framework ?? null} onChange={(v) => set({ framework: v })} />
        </Group>
        {controls.error ? <LoadError error={controls.error} onRetry={() => void controls.reload()} /> : !controls.data ? <TableSkeleton /> : controls.data.items.length === 0 && !filtered ? (
          <EmptyState icon={IconChecklist} title="No controls yet"
            action={isAdmin ? <Button leftSection={<IconSparkles size={16} />} onClick={() => setAdopting(true)}>Adopt starter controls</Button> : undefined}>
            Start from Attest's starter set mapped to your frameworks, import a spreadsheet, or create controls one by one.
          </EmptyState>
        ) : (
          <DataTable<Control>
            withTableBorder borderRadius="md" highlightOnHover minHeight={table.records.length ? undefined : 180}
            records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
            onRowClick={({ record }) => setEditing({ id: record.id })}
            noRecordsText="No controls match the filters" noRecordsIcon={<IconChecklist size={28} aria-hidden />}
            columns={[
              { accessor: 'code', title: 'Code', sortable: true, width: 100, render: (c) => <Text size="sm" fw={600} ff="monospace">{c.code}</Text> },
              { accessor: 'title', title: 'Control', sortable: true, render: (c) => <Stack gap={0}><Text size="sm" fw={500}>{c.title}</Text><Text size="xs" c="dimmed" lineClamp={1}>{c.description}</Text></Stack> },
              { accessor: 'lifecycle', title: 'Stage', sortable: true, width: 125, render: (c) => <Badge variant="light" color={lifecycleColors[c.lifecycle]}>{label(c.lifecycle)}</Badge> },
              { accessor: 'ownerEmail', title: 'Owner', sortable: true, width: 170, render: (c) => (c.ownerEmail ? <Text size="sm" truncate>{c.ownerEmail}</Text> : <Text size="sm" c="dimmed">Unowned</Text>) },
              { accessor: 'frequency', title: 'Frequency', sortable: true, width: 115, render: (c) => label(c.frequency) },
              { accessor: 'frameworks', title: 'Frameworks', width: 150, render: (c) => <Group gap={4}>{c.frameworks.map((f) => <Tooltip key={f} label={frameworkName(f)} withArrow><Badge size="sm" variant="outline" tt="none">{f}</Badge></Tooltip>)}</Group> },
              { accessor: 'requirementCount', title: 'Links', sortable: true, width: 75, textAlign: 'right' },
              { accessor: 'updatedAt', title: 'Updated', sortable: true, width: 115, render: (c) => formatDate(c.updatedAt) },
              {
                accessor: 'actions', title: <span className="sr-only">Actions</span>, width: 56, textAlign: 'right',
                render: (c) => canEdit && c.lifecycle !== 'retired' ? (
                  <Tooltip label="Retire control" withArrow>
                    <ActionIcon variant="subtle" color="gray" aria-label={`Retire ${c.code}`} onClick={(e) => { e.stopPropagation(); setRetiring(c); }}>
                      <IconArchive size={16} />
                    </ActionIcon>
                  </Tooltip>
                ) : null,
              },
            ]}
          />
        )}
      </Stack>
      <ControlDrawer opened={editing !== null} orgId={org.orgId} controlId={editing?.id ?? null} members={members} frameworks={frameworks}
        canEdit={canEdit} onClose={() => setEditing(null)} onSaved={() => void controls.reload()} />
      <AdoptStarterModal opened={adopting} orgId={org.orgId} frameworks={frameworks} onClose={() => setAdopting(false)} onAdopted={() => void controls.reload()} />
      <ImportControlsModal opened={importing} orgId={org.orgId} onClose={() => setImporting(false)} onImported={() => void controls.reload()} />
      <ConfirmModal opened={retiring !== null} title="Retire control" confirmLabel="Retire" onClose={() => setRetiring(null)}
        onConfirm={async () => {
          if (!retiring) return;
          await controlsApi.retire(org.orgId, retiring.id, retiring.version);
          await controls.reload();
          notifySuccess(`${retiring.code} retired. It stays on record and no longer counts towards coverage.`);
        }}>
        “{retiring?.title}” will no longer count towards framework coverage. It is kept on record and can be brought back later.
      </ConfirmModal>
    </>
  );
}
