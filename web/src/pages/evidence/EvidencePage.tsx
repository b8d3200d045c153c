import { Badge, Button, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFile, IconFileCheck, IconLink, IconPlus, IconRobot, IconWriting } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { controlsApi, evidenceApi, type EvidenceFilters } from '../../api/endpoints.ts';
import { EVIDENCE_KINDS, EVIDENCE_STATUSES, type Evidence, type EvidenceKind, type EvidenceStatus, type Page } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDate } from '../../lib/format.ts';
import { notifyError } from '../../lib/notify.ts';
import { canAdminister, hasRole } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { ProofBundleButton } from '../ledger/ProofBundleButton.tsx';
import { AddEvidenceModal } from './AddEvidenceModal.tsx';
import { EvidenceDrawer } from './EvidenceDrawer.tsx';
import { formatPeriod, kindLabels, statusColors, statusLabels } from './labels.ts';
import { VerificationBadge } from './VerificationBadge.tsx';

const PAGE = 50;
const kindIcons = { file: IconFile, link: IconLink, text: IconWriting, check: IconRobot } as const;
const options = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((v) => ({ value: v, label: labels[v] }));

/** The org's evidence, newest first: filter on the server, page by cursor, sort what is loaded, open one to review it. */
export function EvidencePage() {
  const org = useRequiredOrg();
  const canEdit = hasRole(org.role, 'editor');
  const isAdmin = canAdminister(org.role);
  const [filters, setFilters] = useState<Omit<EvidenceFilters, 'q'>>({});
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const first = useResource<Page<Evidence>>(() => evidenceApi.list(org.orgId, { ...filters, q }, null, PAGE), [org.orgId, filters.controlId, filters.status, filters.kind, q]);
  const [rows, setRows] = useState<Evidence[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  useEffect(() => { setRows(first.data?.items ?? []); setCursor(first.data?.nextCursor ?? null); }, [first.data]);
  const controls = useResource(() => controlsApi.list(org.orgId), [org.orgId]);
  const controlList = controls.data?.items ?? [];
  const table = useTableView(rows, { searchable: [], initialSort: { columnAccessor: 'createdAt', direction: 'desc' } });
  const [open, setOpen] = useState<string | null>(null);
  const [adding, setAdding] = useState<{ series: Evidence | null } | null>(null);
  const set = (patch: Partial<EvidenceFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const filtered = Object.values(filters).some(Boolean) || q;

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const next = await evidenceApi.list(org.orgId, { ...filters, q }, cursor, PAGE);
      setRows((r) => [...r, ...next.items.filter((n) => !r.some((x) => x.id === n.id))]);
      setCursor(next.nextCursor);
    } catch (e) { notifyError(e, 'Could not load more evidence'); } finally { setLoadingMore(false); }
  };
  const changed = (e: Evidence) => setRows((r) => r.map((x) => (x.id === e.id ? e : x)));
  const added = (e: Evidence) => {
    setAdding(null);
    void first.reload();
    setOpen(e.id);
  };
  const codeOf = (id: string) => controlList.find((c) => c.id === id)?.code ?? id.slice(0, 8);

  return (
    <>
      <PageHeader title="Evidence"
        description="Files, links, attestations and check results that show your controls operate. Each version is recorded in the evidence log and can be verified offline."
        actions={canEdit ? <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding({ series: null })}>Add evidence</Button> : undefined} />
      <Stack gap="md">
        <Group gap="sm" wrap="wrap" align="flex-end">
          <SearchInput label="Search evidence" placeholder="Search title, file name, notes" value={search} onChange={setSearch} />
          <Select aria-label="Control" placeholder="Any control" clearable searchable w={240} value={filters.controlId ?? null} onChange={(v) => set({ controlId: v })}
            data={controlList.map((c) => ({ value: c.id, label: `${c.code} · ${c.title}` }))} />
          <Select aria-label="Status" placeholder="Any status" clearable w={170} data={options(EVIDENCE_STATUSES, statusLabels)} value={filters.status ?? null} onChange={(v) => set({ status: v as EvidenceStatus | null })} />
          <Select aria-label="Kind" placeholder="Any kind" clearable w={160} data={options(EVIDENCE_KINDS, kindLabels)} value={filters.kind ?? null} onChange={(v) => set({ kind: v as EvidenceKind | null })} />
        </Group>
        {first.error ? <LoadError error={first.error} onRetry={() => void first.reload()} /> : !first.data ? <TableSkeleton /> : rows.length === 0 && !filtered ? (
          <EmptyState icon={IconFileCheck} title="No evidence yet"
            action={canEdit ? <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding({ series: null })}>Add evidence</Button> : undefined}>
            Upload last quarter's access review, link a CI run, or write an attestation. Automated checks add their results here too.
          </EmptyState>
        ) : (
          <>
            <DataTable<Evidence>
              withTableBorder borderRadius="md" highlightOnHover minHeight={table.records.length ? undefined : 180}
              records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
              // The row's own buttons (the proof bundle) act by themselves and do not open the drawer.
              onRowClick={({ record, event }) => { if (!(event.target as HTMLElement).closest('button')) setOpen(record.id); }}
              noRecordsText="No evidence matches the filters" noRecordsIcon={<IconFileCheck size={28} aria-hidden />}
              columns={[
                {
                  accessor: 'title', title: 'Evidence', sortable: true,
                  render: (e) => {
                    const KindIcon = kindIcons[e.kind];
                    return (
                      <Group gap="xs" wrap="nowrap">
                        <Tooltip label={kindLabels[e.kind]} withArrow><KindIcon size={18} aria-label={kindLabels[e.kind]} /></Tooltip>
                        <Stack gap={0} miw={0} maw={210}>
                          <Text size="sm" fw={500} truncate>{e.title}{e.version > 1 ? <Text span size="xs" c="dimmed"> · v{e.version}</Text> : null}</Text>
                          <Text size="xs" c="dimmed" truncate>{e.fileName ?? e.url ?? e.collector.label} · added {formatDate(e.createdAt)}</Text>
                        </Stack>
                      </Group>
                    );
                  },
                },
                { accessor: 'controlIds', title: 'Controls', width: 90, render: (e) => <Group gap={4}>{e.controlIds.map((id) => <Badge key={id} size="sm" variant="outline" tt="none">{codeOf(id)}</Badge>)}</Group> },
                { accessor: 'periodEnd', title: 'Period', sortable: true, width: 125, render: (e) => <Text size="xs">{formatPeriod(e)}</Text> },
                { accessor: 'status', title: 'Review', sortable: true, width: 150, render: (e) => <Badge size="sm" variant="light" color={statusColors[e.status]}>{statusLabels[e.status]}</Badge> },
                {
                  accessor: 'ledgerIndex', title: 'Log entry', sortable: true, width: 145,
                  render: (e) => (
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" ff="monospace" data-testid="log-index" miw={28}>{e.ledgerIndex ?? '—'}</Text>
                      <VerificationBadge orgId={org.orgId} evidenceId={e.id} />
                    </Group>
                  ),
                },
                {
                  accessor: 'actions', title: <span className="sr-only">Actions</span>, width: 150, textAlign: 'right',
                  render: (e) => e.ledgerIndex === null ? null : (
                    <ProofBundleButton orgId={org.orgId} index={e.ledgerIndex} size="compact-sm" label="Proof bundle" aria-label={`Download proof bundle of ${e.title}`} />
                  ),
                },
              ]}
            />
            {cursor && <Group justify="center"><Button variant="default" loading={loadingMore} onClick={() => void loadMore()}>Load more</Button></Group>}
          </>
        )}
      </Stack>
      <EvidenceDrawer orgId={org.orgId} evidenceId={open} controls={controlList} canEdit={canEdit} isAdmin={isAdmin}
        onClose={() => setOpen(null)} onChanged={changed} onOpen={setOpen} onNewVersion={(e) => setAdding({ series: e })} />
      <AddEvidenceModal opened={adding !== null} orgId={org.orgId} controls={controlList} series={adding?.series ?? null}
        onClose={() => setAdding(null)} onAdded={added} />
    </>
  );
}
