import { Badge, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { trustDocsApi } from '../../api/endpoints.ts';
import type { Grant, GrantStatus } from '../../api/trust-docs.types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';

const statusColors: Record<GrantStatus, string> = { pending: 'yellow', approved: 'teal', rejected: 'gray', revoked: 'red', expired: 'gray' };

/** The queue: pending requests to approve or reject, grants to revoke or send a fresh link for. */
export function GrantsTab({ orgId }: { orgId: string }) {
  const resource = useResource(() => trustDocsApi.grants(orgId).then((r) => r.items), [orgId]);
  const [status, setStatus] = useState<string>('pending');
  const [busy, setBusy] = useState<string | null>(null);
  const rows = resource.data?.filter((g) => status === 'all' || g.status === status);
  const table = useTableView<Grant>(rows, { searchable: ['name', 'email', 'company', 'reason'], initialSort: { columnAccessor: 'createdAt', direction: 'desc' } });
  const replace = (g: Grant) => resource.setData((cur) => cur?.map((x) => (x.id === g.id ? g : x)));

  async function act(g: Grant, action: 'approve' | 'reject' | 'revoke' | 'resendLink', done: string) {
    setBusy(`${g.id}:${action}`);
    try {
      replace(await trustDocsApi[action](orgId, g.id));
      notifySuccess(done);
    } catch (e) { notifyError(e); } finally { setBusy(null); }
  }

  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <SearchInput label="Filter requests" placeholder="Filter by name, email, company" value={table.query} onChange={table.setQuery} />
        <SegmentedControl aria-label="Status" value={status} onChange={setStatus} data={[
          { value: 'pending', label: 'Pending' }, { value: 'approved', label: 'Approved' }, { value: 'expired', label: 'Expired' },
          { value: 'rejected', label: 'Rejected' }, { value: 'revoked', label: 'Revoked' }, { value: 'all', label: 'All' },
        ]} />
      </Group>
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
        <DataTable<Grant>
          withTableBorder borderRadius="md" minHeight={table.records.length ? undefined : 200}
          records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
          noRecordsText="No requests here" noRecordsIcon={<IconInbox size={28} aria-hidden />}
          columns={[
            { accessor: 'name', title: 'Requester', sortable: true, render: (g) => <Stack gap={0}><Text size="sm" fw={500}>{g.name}</Text><Text size="xs" c="dimmed">{g.email} · {g.company}</Text></Stack> },
            { accessor: 'reason', title: 'Reason', render: (g) => <Text size="sm" lineClamp={3}>{g.reason}</Text> },
            { accessor: 'createdAt', title: 'Requested', sortable: true, width: 170, render: (g) => formatDateTime(g.createdAt) },
            { accessor: 'status', title: 'Status', sortable: true, width: 200, render: (g) => <Stack gap={0}><Badge color={statusColors[g.status]} variant="light">{g.status}</Badge>{g.decidedBy && <Text size="xs" c="dimmed">by {g.decidedBy}</Text>}{g.expiresAt && g.status === 'approved' && <Text size="xs" c="dimmed">until {formatDateTime(g.expiresAt)}</Text>}</Stack> },
            {
              accessor: 'actions', title: '', width: 230,
              render: (g) => (
                <Group gap="xs">
                  {g.status === 'pending' && <Button size="xs" loading={busy === `${g.id}:approve`} onClick={() => void act(g, 'approve', `Approved: a link was emailed to ${g.email}.`)}>Approve</Button>}
                  {g.status === 'pending' && <Button size="xs" variant="default" loading={busy === `${g.id}:reject`} onClick={() => void act(g, 'reject', 'Request rejected.')}>Reject</Button>}
                  {g.status === 'approved' && <Button size="xs" variant="default" loading={busy === `${g.id}:resendLink`} onClick={() => void act(g, 'resendLink', `A new link was emailed to ${g.email}.`)}>Send new link</Button>}
                  {(g.status === 'approved' || g.status === 'pending') && <Button size="xs" color="red" variant="light" loading={busy === `${g.id}:revoke`} onClick={() => void act(g, 'revoke', 'Access revoked; open sessions end now.')}>Revoke</Button>}
                </Group>
              ),
            },
          ]}
        />
      )}
    </Stack>
  );
}
