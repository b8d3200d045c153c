import { Badge, Button, Code, Stack, Text, Tooltip } from '@mantine/core';
import { IconRefresh, IconSend } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { webhooksApi } from '../../api/endpoints.ts';
import type { DeliveryStatus, WebhookDelivery, WebhookEndpoint } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';

const STATUS_COLOR: Record<DeliveryStatus, string> = { delivered: 'teal', pending: 'yellow', failed: 'red' };

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return <Badge variant="light" color={STATUS_COLOR[status]}>{status}</Badge>;
}

/** The delivery log of one endpoint: every event sent, its attempts and the receiver's last answer. */
export function WebhookDeliveries({ orgId, endpoint, reloadKey }: { orgId: string; endpoint: WebhookEndpoint; reloadKey: number }) {
  const resource = useResource(() => webhooksApi.deliveries(orgId, endpoint.id), [orgId, endpoint.id, reloadKey]);
  const table = useTableView(resource.data?.items, { searchable: ['eventType', 'status', 'error'], initialSort: { columnAccessor: 'createdAt', direction: 'desc' } });
  const [busy, setBusy] = useState<string | null>(null);

  const redeliver = async (d: WebhookDelivery) => {
    setBusy(d.id);
    try {
      await webhooksApi.redeliver(orgId, endpoint.id, d.id);
      notifySuccess(`${d.eventType} queued for another try.`);
      await resource.reload();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="xs" data-testid="webhook-deliveries">
      <SectionHeader
        title="Deliveries"
        description={<>Events sent to <Code>{endpoint.url}</Code>, newest first.</>}
        actions={<Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void resource.reload()} loading={resource.loading && !!resource.data}>Refresh</Button>}
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton rows={3} /> : (
        <DataTable<WebhookDelivery>
          withTableBorder
          borderRadius="md"
          minHeight={table.records.length ? undefined : 150}
          records={table.records}
          sortStatus={table.sortStatus}
          onSortStatusChange={table.setSortStatus}
          noRecordsText="Nothing sent yet: press Test to send a test event"
          noRecordsIcon={<IconSend size={28} aria-hidden />}
          columns={[
            { accessor: 'createdAt', title: 'Created', sortable: true, width: 180, render: (d) => formatDateTime(d.createdAt) },
            { accessor: 'eventType', title: 'Event', sortable: true, render: (d) => <Code>{d.eventType}</Code> },
            { accessor: 'status', title: 'Status', sortable: true, width: 130, render: (d) => <DeliveryStatusBadge status={d.status} /> },
            { accessor: 'attempts', title: 'Attempts', sortable: true, width: 95, textAlign: 'right' },
            {
              accessor: 'responseStatus', title: 'Last answer', width: 260,
              render: (d) => (
                <Stack gap={0}>
                  <Text size="sm">{d.responseStatus ? `HTTP ${d.responseStatus}` : d.attempts ? 'No answer' : '—'}{d.durationMs !== null ? ` · ${d.durationMs} ms` : ''}</Text>
                  {d.error && <Text size="xs" c="red" className="break-anywhere">{d.error}</Text>}
                  {d.status === 'pending' && d.nextAttemptAt && <Text size="xs" c="dimmed">Next try about {formatDateTime(d.nextAttemptAt)}</Text>}
                </Stack>
              ),
            },
            {
              accessor: 'actions', title: <span className="sr-only">Actions</span>, width: 120, textAlign: 'right',
              render: (d) => d.status === 'failed' ? (
                <Tooltip label="Send this event again" withArrow>
                  <Button size="xs" variant="light" loading={busy === d.id} onClick={() => void redeliver(d)} aria-label={`Redeliver ${d.eventType}`}>Redeliver</Button>
                </Tooltip>
              ) : null,
            },
          ]}
        />
      )}
    </Stack>
  );
}
