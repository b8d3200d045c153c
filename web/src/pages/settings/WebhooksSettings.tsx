import { ActionIcon, Badge, Button, Group, Menu, Stack, Text, Tooltip } from '@mantine/core';
import { IconDots, IconKey, IconPlayerPause, IconPlayerPlay, IconPlus, IconSend, IconTrash, IconWebhook } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { webhooksApi } from '../../api/endpoints.ts';
import type { WebhookEndpoint, WebhookWithSecret } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { CreateWebhookModal } from './CreateWebhookModal.tsx';
import { WebhookDeliveries } from './WebhookDeliveries.tsx';
import { WebhookSecretModal } from './WebhookSecretModal.tsx';

export function WebhooksSettings() {
  const org = useRequiredOrg();
  const resource = useResource(() => webhooksApi.list(org.orgId), [org.orgId]);
  const table = useTableView(resource.data?.items, { searchable: ['url', 'description'], initialSort: { columnAccessor: 'createdAt', direction: 'desc' } });
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<WebhookWithSecret | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [deliveriesKey, setDeliveriesKey] = useState(0);
  const selected = resource.data?.items.find((e) => e.id === selectedId) ?? null;

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      notifySuccess(done);
      await resource.reload();
      setDeliveriesKey((k) => k + 1);
    } catch (error) {
      notifyError(error);
    }
  };
  const sendTest = (e: WebhookEndpoint) => {
    setSelectedId(e.id);
    void act(() => webhooksApi.sendTest(org.orgId, e.id), 'Test event queued. Refresh the deliveries to see the answer.');
  };

  return (
    <Stack>
      <SectionHeader
        title="Webhooks"
        description="Attest POSTs signed JSON to these endpoints when controls fail or go stale, checks fail, evidence is rejected or sub-processors change."
        actions={
          <>
            <SearchInput label="Filter endpoints" placeholder="Filter by URL" value={table.query} onChange={table.setQuery} />
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>Add endpoint</Button>
          </>
        }
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
        <DataTable<WebhookEndpoint>
          withTableBorder
          borderRadius="md"
          highlightOnHover
          minHeight={table.records.length ? undefined : 180}
          records={table.records}
          sortStatus={table.sortStatus}
          onSortStatusChange={table.setSortStatus}
          onRowClick={({ record }) => setSelectedId(record.id)}
          rowStyle={(e) => (e.id === selectedId ? { background: 'var(--mantine-color-blue-light)' } : undefined)}
          noRecordsText={table.query ? 'No endpoints match the filter' : 'No webhook endpoints yet'}
          noRecordsIcon={<IconWebhook size={28} aria-hidden />}
          columns={[
            {
              accessor: 'url', title: 'Endpoint', sortable: true,
              render: (e) => (
                <Stack gap={0}>
                  <Text size="sm" fw={500} className="break-anywhere">{e.url}</Text>
                  {e.description && <Text size="xs" c="dimmed">{e.description}</Text>}
                </Stack>
              ),
            },
            { accessor: 'events', title: 'Events', width: 230, render: (e) => <Group gap={4}>{e.events.map((t) => <Badge key={t} size="sm" variant="outline" tt="none">{t}</Badge>)}</Group> },
            { accessor: 'enabled', title: 'State', sortable: true, width: 125, render: (e) => <Badge variant="dot" color={e.enabled ? 'teal' : 'gray'}>{e.enabled ? 'enabled' : 'paused'}</Badge> },
            {
              accessor: 'lastDeliveryAt', title: 'Last delivery', sortable: true, width: 190,
              render: (e) => e.lastDeliveryStatus ? (
                <Stack gap={0}>
                  <Badge size="sm" variant="light" color={e.lastDeliveryStatus === 'delivered' ? 'teal' : 'red'}>{e.lastDeliveryStatus}</Badge>
                  <Text size="xs" c="dimmed">{formatDateTime(e.lastDeliveryAt)}</Text>
                </Stack>
              ) : <Text size="sm" c="dimmed">Never</Text>,
            },
            {
              accessor: 'actions', title: <span className="sr-only">Actions</span>, width: 150, textAlign: 'right',
              render: (e) => (
                <Group gap={4} justify="flex-end" wrap="nowrap" onClick={(ev) => ev.stopPropagation()}>
                  <Button size="xs" variant="light" leftSection={<IconSend size={14} />} onClick={() => sendTest(e)} aria-label={`Send test event to ${e.url}`}>Test</Button>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Tooltip label="More actions" withArrow>
                        <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${e.url}`}><IconDots size={16} /></ActionIcon>
                      </Tooltip>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item leftSection={e.enabled ? <IconPlayerPause size={14} /> : <IconPlayerPlay size={14} />}
                        onClick={() => void act(() => webhooksApi.update(org.orgId, e.id, { enabled: !e.enabled }), e.enabled ? 'Endpoint paused.' : 'Endpoint enabled.')}>
                        {e.enabled ? 'Pause' : 'Enable'}
                      </Menu.Item>
                      <Menu.Item leftSection={<IconKey size={14} />} onClick={() => setRotating(e)}>Rotate secret</Menu.Item>
                      <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(e)}>Delete</Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Group>
              ),
            },
          ]}
        />
      )}
      {selected ? <WebhookDeliveries orgId={org.orgId} endpoint={selected} reloadKey={deliveriesKey} /> : resource.data?.items.length ? (
        <Text size="sm" c="dimmed">Select an endpoint to see its deliveries.</Text>
      ) : null}
      <CreateWebhookModal
        opened={creating}
        orgId={org.orgId}
        eventTypes={resource.data?.eventTypes ?? []}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          setShown(created);
          setSelectedId(created.endpoint.id);
          resource.setData((cur) => cur && { ...cur, items: [created.endpoint, ...cur.items] });
        }}
      />
      <WebhookSecretModal secret={shown?.secret ?? null} url={shown?.endpoint.url ?? ''} onClose={() => setShown(null)} />
      <ConfirmModal
        opened={rotating !== null}
        title="Rotate signing secret"
        confirmLabel="Rotate"
        onClose={() => setRotating(null)}
        onConfirm={async () => {
          if (!rotating) return;
          setShown(await webhooksApi.rotateSecret(org.orgId, rotating.id));
          await resource.reload();
        }}
      >
        Deliveries to {rotating?.url} are signed with a new secret from now on; the receiver must switch to it.
      </ConfirmModal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete endpoint"
        confirmLabel="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await webhooksApi.remove(org.orgId, deleting.id);
          if (selectedId === deleting.id) setSelectedId(null);
          await resource.reload();
          notifySuccess('Endpoint deleted. Its delivery history is kept.');
        }}
      >
        {deleting?.url} will receive nothing more. Its delivery history stays on record.
      </ConfirmModal>
    </Stack>
  );
}
