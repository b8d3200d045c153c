import { ActionIcon, Badge, Button, Group, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { IconBell, IconPlus, IconTrash } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { notificationRulesApi, webhooksApi } from '../../api/endpoints.ts';
import type { NotificationRule } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { NotificationRuleModal } from './NotificationRuleModal.tsx';

const recipients = (r: NotificationRule) => [...(r.toAdmins ? ['Owners and admins'] : []), ...(r.toOwners ? ['Subject owner'] : []), ...r.addresses];

export function NotificationsSettings() {
  const org = useRequiredOrg();
  const resource = useResource(async () => {
    const [rules, hooks] = await Promise.all([notificationRulesApi.list(org.orgId), webhooksApi.list(org.orgId)]);
    return { items: rules.items, eventTypes: hooks.eventTypes };
  }, [org.orgId]);
  const table = useTableView(resource.data?.items, { searchable: ['name'], initialSort: { columnAccessor: 'name', direction: 'asc' } });
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<NotificationRule | null>(null);

  const toggle = async (r: NotificationRule) => {
    try {
      const updated = await notificationRulesApi.update(org.orgId, r.id, { enabled: !r.enabled });
      resource.setData((cur) => cur && { ...cur, items: cur.items.map((x) => (x.id === r.id ? updated : x)) });
    } catch (error) {
      notifyError(error);
    }
  };

  return (
    <Stack>
      <SectionHeader
        title="Email notifications"
        description="Rules that email people when an event happens. Without SMTP configured, the emails land in the Outbox."
        actions={<Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>Add rule</Button>}
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton rows={3} /> : (
        <DataTable<NotificationRule>
          withTableBorder
          borderRadius="md"
          minHeight={table.records.length ? undefined : 160}
          records={table.records}
          sortStatus={table.sortStatus}
          onSortStatusChange={table.setSortStatus}
          noRecordsText="No email rules yet"
          noRecordsIcon={<IconBell size={28} aria-hidden />}
          columns={[
            { accessor: 'name', title: 'Rule', sortable: true, render: (r) => <Text size="sm" fw={500}>{r.name}</Text> },
            { accessor: 'events', title: 'Events', width: 230, render: (r) => <Group gap={4}>{r.events.map((t) => <Badge key={t} size="sm" variant="outline" tt="none">{t}</Badge>)}</Group> },
            { accessor: 'addresses', title: 'Emails', render: (r) => <Text size="sm" className="break-anywhere">{recipients(r).join(', ')}</Text> },
            {
              accessor: 'enabled', title: 'On', sortable: true, width: 80,
              render: (r) => <Switch checked={r.enabled} onChange={() => void toggle(r)} aria-label={`${r.enabled ? 'Turn off' : 'Turn on'} ${r.name}`} />,
            },
            {
              accessor: 'actions', title: <span className="sr-only">Actions</span>, width: 60, textAlign: 'right',
              render: (r) => (
                <Tooltip label="Delete rule" withArrow>
                  <ActionIcon variant="subtle" color="red" aria-label={`Delete rule ${r.name}`} onClick={() => setDeleting(r)}><IconTrash size={16} /></ActionIcon>
                </Tooltip>
              ),
            },
          ]}
        />
      )}
      <NotificationRuleModal
        opened={creating}
        orgId={org.orgId}
        eventTypes={resource.data?.eventTypes ?? []}
        onClose={() => setCreating(false)}
        onCreated={(rule) => {
          setCreating(false);
          resource.setData((cur) => cur && { ...cur, items: [rule, ...cur.items] });
          notifySuccess(`${rule.name} added.`);
        }}
      />
      <ConfirmModal
        opened={deleting !== null}
        title="Delete rule"
        confirmLabel="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await notificationRulesApi.remove(org.orgId, deleting.id);
          await resource.reload();
        }}
      >
        Nobody will be emailed by “{deleting?.name}” any more.
      </ConfirmModal>
    </Stack>
  );
}
