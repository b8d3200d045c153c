import { Badge, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { trustDocsApi } from '../../api/endpoints.ts';
import type { TrustDownload } from '../../api/trust-docs.types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';

type Row = TrustDownload & { title: string; who: string };

/** Every download: gated ones name the recipient and the download id stamped on their copy. */
export function DownloadsTab({ orgId }: { orgId: string }) {
  const resource = useResource(async () => {
    const [downloads, documents] = await Promise.all([trustDocsApi.downloads(orgId), trustDocsApi.documents(orgId)]);
    const titles = new Map(documents.items.map((d) => [d.id, d.title]));
    return downloads.items.map((d) => ({ ...d, title: titles.get(d.documentId) ?? d.documentId, who: d.email ? `${d.name} ${d.email} ${d.company}` : '' }));
  }, [orgId]);
  const table = useTableView<Row>(resource.data, { searchable: ['title', 'who', 'id'], initialSort: { columnAccessor: 'at', direction: 'desc' } });
  return (
    <Stack>
      <SearchInput label="Filter downloads" placeholder="Filter by document, recipient, download id" value={table.query} onChange={table.setQuery} />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
        <DataTable<Row>
          withTableBorder borderRadius="md" minHeight={table.records.length ? undefined : 200}
          records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
          noRecordsText="No downloads yet" noRecordsIcon={<IconDownload size={28} aria-hidden />}
          columns={[
            { accessor: 'at', title: 'When', sortable: true, width: 180, render: (d) => formatDateTime(d.at) },
            { accessor: 'title', title: 'Document', sortable: true },
            { accessor: 'visibility', title: 'Access', width: 100, render: (d) => <Badge variant="light" color={d.visibility === 'gated' ? 'blue' : 'teal'}>{d.visibility}</Badge> },
            { accessor: 'who', title: 'Recipient', render: (d) => (d.email ? <Stack gap={0}><Text size="sm">{d.name}</Text><Text size="xs" c="dimmed">{d.email} · {d.company}</Text></Stack> : <Text size="sm" c="dimmed">Anonymous (public)</Text>) },
            { accessor: 'id', title: 'Download id', render: (d) => <Text size="xs" ff="monospace">{d.id}</Text> },
            { accessor: 'ledgerIndex', title: 'Log entry', width: 100, render: (d) => (d.ledgerIndex ?? '—') },
          ]}
        />
      )}
    </Stack>
  );
}
