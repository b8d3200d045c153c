import { Button, Center, Code, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilter, IconList } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { auditLogApi } from '../../api/endpoints.ts';
import type { AuditEvent, Page } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { notifyError } from '../../lib/notify.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';

const detailText = (detail: AuditEvent['detail']) => (detail && Object.keys(detail).length ? JSON.stringify(detail) : '');

/**
 * The action filter goes to the server (it spans the whole log); the text filter and sorting
 * apply to the rows loaded so far.
 */
export function SecurityLogSettings() {
  const org = useRequiredOrg();
  const [action, setAction] = useState('');
  const [debouncedAction] = useDebouncedValue(action.trim(), 350);
  const resource = useResource<Page<AuditEvent>>(
    () => auditLogApi.list(org.orgId, { action: debouncedAction || undefined }),
    [org.orgId, debouncedAction],
  );
  const table = useTableView(resource.data?.items, {
    searchable: ['action', 'actorEmail', 'ip', 'targetType', 'targetId'],
    initialSort: { columnAccessor: 'at', direction: 'desc' },
  });
  const [loadingMore, setLoadingMore] = useState(false);

  const loadMore = async () => {
    const cursor = resource.data?.nextCursor;
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const next = await auditLogApi.list(org.orgId, { cursor, action: debouncedAction || undefined });
      resource.setData((cur) => ({ items: [...(cur?.items ?? []), ...next.items], nextCursor: next.nextCursor }));
    } catch (error) {
      notifyError(error, 'Could not load older events');
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <Stack>
      <SectionHeader
        title="Security log"
        description="Sign-ins, membership changes, invitations and token use, newest first."
        actions={
          <>
            <TextInput
              aria-label="Action"
              placeholder="Action, e.g. login.failure"
              value={action}
              onChange={(e) => setAction(e.currentTarget.value)}
              leftSection={<IconFilter size={16} aria-hidden />}
              w={{ base: '100%', xs: 240 }}
            />
            <SearchInput label="Filter loaded events" placeholder="Filter by person, IP or target" value={table.query} onChange={table.setQuery} />
          </>
        }
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton rows={8} /> : (
        <DataTable<AuditEvent>
          withTableBorder
          borderRadius="md"
          striped
          fetching={resource.loading}
          minHeight={table.records.length ? undefined : 180}
          records={table.records}
          sortStatus={table.sortStatus}
          onSortStatusChange={table.setSortStatus}
          noRecordsText={debouncedAction || table.query ? 'No events match the filters' : 'No events yet'}
          noRecordsIcon={<IconList size={28} aria-hidden />}
          columns={[
            { accessor: 'at', title: 'When', sortable: true, width: 180, render: (e) => formatDateTime(e.at) },
            { accessor: 'action', title: 'Action', sortable: true, render: (e) => <Code>{e.action}</Code> },
            { accessor: 'actorEmail', title: 'Who', sortable: true, render: (e) => <Text size="sm" className="break-anywhere">{e.actorEmail ?? 'System'}</Text> },
            { accessor: 'ip', title: 'IP address', sortable: true, width: 140, render: (e) => e.ip ?? '—' },
            {
              accessor: 'targetType', title: 'Target', sortable: true,
              render: (e) => (
                <Stack gap={0}>
                  <Text size="sm">{e.targetType ?? '—'}</Text>
                  {detailText(e.detail) && <Text size="xs" c="dimmed" className="break-anywhere" lineClamp={2}>{detailText(e.detail)}</Text>}
                </Stack>
              ),
            },
          ]}
        />
      )}
      {resource.data?.nextCursor && (
        <Center><Button variant="default" onClick={() => void loadMore()} loading={loadingMore}>Load more</Button></Center>
      )}
    </Stack>
  );
}
