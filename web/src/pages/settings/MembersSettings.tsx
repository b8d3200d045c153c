import { ActionIcon, Badge, Button, Center, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { IconTrash, IconUsers } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { membersApi } from '../../api/endpoints.ts';
import type { Member, Page, Role } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { RoleBadge } from '../../components/RoleBadge.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDate } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { canAdminister, grantableRoles, hasRole } from '../../lib/roles.ts';
import { useRequiredOrg, useSession } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';

export function MembersSettings() {
  const org = useRequiredOrg();
  const { me } = useSession();
  const admin = canAdminister(org.role);
  const resource = useResource<Page<Member>>(() => membersApi.list(org.orgId), [org.orgId]);
  const table = useTableView(resource.data?.items, {
    searchable: ['name', 'email', 'role'],
    initialSort: { columnAccessor: 'name', direction: 'asc' },
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);

  const loadMore = async () => {
    const cursor = resource.data?.nextCursor;
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const next = await membersApi.list(org.orgId, cursor);
      resource.setData((cur) => ({ items: [...(cur?.items ?? []), ...next.items], nextCursor: next.nextCursor }));
    } catch (error) {
      notifyError(error, 'Could not load more members');
    } finally {
      setLoadingMore(false);
    }
  };

  const changeRole = async (member: Member, role: Role) => {
    try {
      await membersApi.changeRole(org.orgId, member.userId, role);
      resource.setData((cur) => cur && { ...cur, items: cur.items.map((m) => (m.userId === member.userId ? { ...m, role } : m)) });
      notifySuccess(`${member.name || member.email} is now ${role}.`);
    } catch (error) {
      notifyError(error, 'Could not change the role');
    }
  };

  // Admins cannot act on people above them (the server refuses); their own row is left alone too.
  const manageable = (m: Member) => admin && m.userId !== me.user.id && hasRole(org.role, m.role);

  return (
    <Stack>
      <SectionHeader
        title="Members"
        description="People with access to this organization and what they can do."
        actions={<SearchInput label="Filter members" placeholder="Filter by name, email or role" value={table.query} onChange={table.setQuery} />}
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
        <DataTable<Member>
          withTableBorder
          borderRadius="md"
          highlightOnHover
          minHeight={resource.data.items.length ? undefined : 180}
          idAccessor="userId"
          records={table.records}
          sortStatus={table.sortStatus}
          onSortStatusChange={table.setSortStatus}
          noRecordsText={table.query ? 'No members match the filter' : 'No members'}
          noRecordsIcon={<IconUsers size={28} aria-hidden />}
          columns={[
            {
              accessor: 'name', title: 'Member', sortable: true,
              render: (m) => (
                <Stack gap={0}>
                  <Group gap={6}>
                    <Text size="sm" fw={500}>{m.name || '—'}</Text>
                    {m.userId === me.user.id && <Badge size="xs" variant="outline">You</Badge>}
                    {m.disabled && <Badge size="xs" color="red" variant="light">Disabled</Badge>}
                  </Group>
                  <Text size="xs" c="dimmed">{m.email}</Text>
                </Stack>
              ),
            },
            {
              accessor: 'role', title: 'Role', sortable: true, width: 170,
              render: (m) => manageable(m) ? (
                <Select
                  aria-label={`Role of ${m.name || m.email}`}
                  size="xs"
                  data={grantableRoles(org.role)}
                  value={m.role}
                  allowDeselect={false}
                  onChange={(v) => v && v !== m.role && void changeRole(m, v as Role)}
                  w={130}
                />
              ) : <RoleBadge role={m.role} />,
            },
            {
              accessor: 'totpEnabled', title: '2FA', sortable: true, width: 90,
              render: (m) => <Badge size="sm" variant="light" color={m.totpEnabled ? 'teal' : 'gray'}>{m.totpEnabled ? 'On' : 'Off'}</Badge>,
            },
            { accessor: 'joinedAt', title: 'Joined', sortable: true, width: 140, render: (m) => formatDate(m.joinedAt) },
            {
              accessor: 'actions', title: <Text component="span" className="sr-only">Actions</Text>, width: 60, textAlign: 'right',
              render: (m) => manageable(m) ? (
                <Tooltip label="Remove from organization" withArrow>
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove ${m.name || m.email}`} onClick={() => setRemoving(m)}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              ) : null,
            },
          ]}
        />
      )}
      {resource.data?.nextCursor && (
        <Center><Button variant="default" onClick={() => void loadMore()} loading={loadingMore}>Load more</Button></Center>
      )}
      <ConfirmModal
        opened={removing !== null}
        title="Remove member"
        confirmLabel="Remove"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await membersApi.remove(org.orgId, removing.userId);
          resource.setData((cur) => cur && { ...cur, items: cur.items.filter((m) => m.userId !== removing.userId) });
          notifySuccess(`${removing.email} no longer has access.`);
        }}
      >
        {removing?.name || removing?.email} will lose access to {org.orgName} immediately. Their account and the security log remain.
      </ConfirmModal>
    </Stack>
  );
}
