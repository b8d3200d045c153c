import { ActionIcon, Badge, Button, Stack, Text, Tooltip } from '@mantine/core';
import { IconMailForward, IconPlus, IconX } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { invitationsApi } from '../../api/endpoints.ts';
import type { Invitation } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { RoleBadge } from '../../components/RoleBadge.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { InviteModal } from './InviteModal.tsx';

type Status = 'pending' | 'accepted' | 'revoked' | 'expired';
const statusColors: Record<Status, string> = { pending: 'blue', accepted: 'teal', revoked: 'gray', expired: 'orange' };

function statusOf(inv: Invitation): Status {
  if (inv.acceptedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  return new Date(inv.expiresAt).getTime() < Date.now() ? 'expired' : 'pending';
}

type Row = Invitation & { status: Status };

export function InvitationsSettings() {
  const org = useRequiredOrg();
  const admin = canAdminister(org.role);
  const resource = useResource(() => invitationsApi.list(org.orgId), [org.orgId]);
  const rows = useMemo<Row[] | undefined>(() => resource.data?.items.map((inv) => ({ ...inv, status: statusOf(inv) })), [resource.data]);
  const table = useTableView(rows, { searchable: ['email', 'role', 'status'], initialSort: { columnAccessor: 'createdAt', direction: 'desc' } });
  const [inviting, setInviting] = useState(false);
  const [revoking, setRevoking] = useState<Row | null>(null);

  return (
    <Stack>
      <SectionHeader
        title="Invitations"
        description={<>Invitation links are valid for 7 days. Without email delivery configured, find them in the <Link to={`/orgs/${org.orgId}/settings/outbox`}>outbox</Link>.</>}
        actions={
          <>
            <SearchInput label="Filter invitations" placeholder="Filter by email, role or status" value={table.query} onChange={table.setQuery} />
            {admin && <Button leftSection={<IconPlus size={16} />} onClick={() => setInviting(true)}>Invite</Button>}
          </>
        }
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
        <DataTable<Row>
          withTableBorder
          borderRadius="md"
          highlightOnHover
          minHeight={table.records.length ? undefined : 180}
          records={table.records}
          sortStatus={table.sortStatus}
          onSortStatusChange={table.setSortStatus}
          noRecordsText={table.query ? 'No invitations match the filter' : 'No invitations yet'}
          noRecordsIcon={<IconMailForward size={28} aria-hidden />}
          columns={[
            { accessor: 'email', title: 'Email', sortable: true, render: (r) => <Text size="sm" className="break-anywhere">{r.email}</Text> },
            { accessor: 'role', title: 'Role', sortable: true, width: 120, render: (r) => <RoleBadge role={r.role} /> },
            { accessor: 'status', title: 'Status', sortable: true, width: 120, render: (r) => <Badge variant="light" color={statusColors[r.status]}>{r.status}</Badge> },
            { accessor: 'createdAt', title: 'Sent', sortable: true, width: 180, render: (r) => formatDateTime(r.createdAt) },
            { accessor: 'expiresAt', title: 'Expires', sortable: true, width: 140, render: (r) => formatDate(r.expiresAt) },
            {
              accessor: 'actions', title: <span className="sr-only">Actions</span>, width: 60, textAlign: 'right',
              render: (r) => admin && r.status === 'pending' ? (
                <Tooltip label="Revoke invitation" withArrow>
                  <ActionIcon variant="subtle" color="red" aria-label={`Revoke invitation for ${r.email}`} onClick={() => setRevoking(r)}>
                    <IconX size={16} />
                  </ActionIcon>
                </Tooltip>
              ) : null,
            },
          ]}
        />
      )}
      <InviteModal
        opened={inviting}
        orgId={org.orgId}
        actorRole={org.role}
        onClose={() => setInviting(false)}
        onInvited={(inv) => resource.setData((cur) => ({ items: [inv, ...(cur?.items ?? [])] }))}
      />
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke invitation"
        confirmLabel="Revoke"
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await invitationsApi.revoke(org.orgId, revoking.id);
          await resource.reload();
          notifySuccess(`The invitation for ${revoking.email} no longer works.`);
        }}
      >
        The link sent to {revoking?.email} will stop working. You can invite them again later.
      </ConfirmModal>
    </Stack>
  );
}
