import { ActionIcon, Badge, Button, Code, Stack, Text, Tooltip } from '@mantine/core';
import { IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { tokensApi } from '../../api/endpoints.ts';
import type { ApiToken } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { CreateTokenModal } from './CreateTokenModal.tsx';

type Row = ApiToken & { state: 'active' | 'revoked' | 'expired' };

export function TokensSettings() {
  const org = useRequiredOrg();
  const resource = useResource(() => tokensApi.list(org.orgId), [org.orgId]);
  const rows = useMemo<Row[] | undefined>(() => resource.data?.items.map((t) => ({
    ...t,
    state: t.revokedAt ? 'revoked' : t.expiresAt && new Date(t.expiresAt).getTime() < Date.now() ? 'expired' : 'active',
  })), [resource.data]);
  const table = useTableView(rows, { searchable: ['name', 'prefix', 'scope', 'state'], initialSort: { columnAccessor: 'createdAt', direction: 'desc' } });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Row | null>(null);

  return (
    <Stack>
      <SectionHeader
        title="API tokens"
        description="Tokens let scripts and CI use the API with your access to this organization. They never have a higher role than yours."
        actions={
          <>
            <SearchInput label="Filter tokens" placeholder="Filter by name or prefix" value={table.query} onChange={table.setQuery} />
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>Create token</Button>
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
          noRecordsText={table.query ? 'No tokens match the filter' : 'No API tokens yet'}
          noRecordsIcon={<IconKey size={28} aria-hidden />}
          columns={[
            {
              accessor: 'name', title: 'Name', sortable: true,
              render: (t) => (
                <Stack gap={0}>
                  <Text size="sm" fw={500}>{t.name}</Text>
                  <Code fz="xs" w="fit-content">{t.prefix}…</Code>
                </Stack>
              ),
            },
            { accessor: 'scope', title: 'Access', sortable: true, width: 110, render: (t) => <Badge variant="light" color={t.scope === 'write' ? 'orange' : 'blue'}>{t.scope}</Badge> },
            { accessor: 'state', title: 'Status', sortable: true, width: 110, render: (t) => <Badge variant="dot" color={t.state === 'active' ? 'teal' : 'gray'}>{t.state}</Badge> },
            { accessor: 'lastUsedAt', title: 'Last used', sortable: true, width: 180, render: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never') },
            { accessor: 'expiresAt', title: 'Expires', sortable: true, width: 130, render: (t) => (t.expiresAt ? formatDate(t.expiresAt) : 'Never') },
            {
              accessor: 'actions', title: <span className="sr-only">Actions</span>, width: 60, textAlign: 'right',
              render: (t) => t.state === 'active' ? (
                <Tooltip label="Revoke token" withArrow>
                  <ActionIcon variant="subtle" color="red" aria-label={`Revoke token ${t.name}`} onClick={() => setRevoking(t)}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              ) : null,
            },
          ]}
        />
      )}
      <CreateTokenModal
        opened={creating}
        orgId={org.orgId}
        onClose={() => setCreating(false)}
        onCreated={(token) => resource.setData((cur) => ({ items: [token, ...(cur?.items ?? [])] }))}
      />
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke token"
        confirmLabel="Revoke"
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await tokensApi.revoke(org.orgId, revoking.id);
          await resource.reload();
          notifySuccess(`${revoking.name} can no longer be used.`);
        }}
      >
        Anything using “{revoking?.name}” will get 401 errors from now on. This cannot be undone.
      </ConfirmModal>
    </Stack>
  );
}
