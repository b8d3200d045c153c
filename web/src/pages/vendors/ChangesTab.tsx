import { Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconSpeakerphone } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { vendorsApi } from '../../api/endpoints.ts';
import { CHANGE_KINDS, type ChangeKind, type ChangeStatus, type Objection, type SubprocessorChange } from '../../api/types.ts';
import { errorMessage } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { notifySuccess, notifyError } from '../../lib/notify.ts';
import { changeKindLabels, changeStatusColors, todayIso } from './labels.ts';

type Change = SubprocessorChange & { objections: Objection[] };

function AnnounceModal({ orgId, change, onClose, onDone }: { orgId: string; change: Change | null; onClose: () => void; onDone: () => void }) {
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const announce = async () => {
    setError(null);
    if (!date) return setError('Choose the date the change takes effect');
    if (date < todayIso()) return setError(`The change cannot take effect before today (${todayIso()})`);
    setBusy(true);
    try {
      await vendorsApi.announce(orgId, change!.id, date);
      notifySuccess('Subscribers, webhooks and the evidence log have it.', 'Change announced');
      onDone();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally { setBusy(false); }
  };
  return (
    <Modal opened={change !== null} onClose={onClose} title="Announce the change">
      <Stack>
        <Text size="sm">{change?.summary}</Text>
        <TextInput type="date" label="Takes effect on" description="Customers may object until this date." required min={todayIso()} value={date} onChange={(e) => setDate(e.currentTarget.value)} error={error} />
        <Group justify="flex-end"><Button variant="default" onClick={onClose}>Cancel</Button><Button loading={busy} onClick={() => void announce()}>Announce</Button></Group>
      </Stack>
    </Modal>
  );
}

/** Announced and draft changes of the public sub-processor list, with the objections customers sent. */
export function ChangesTab({ orgId, changes, isAdmin, onChanged }: { orgId: string; changes: Change[]; isAdmin: boolean; onChanged: () => void }) {
  const [status, setStatus] = useState<ChangeStatus | null>(null);
  const [kind, setKind] = useState<ChangeKind | null>(null);
  const [announcing, setAnnouncing] = useState<Change | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const records = useMemo(() => changes.filter((c) => (!status || c.status === status) && (!kind || c.kind === kind)), [changes, status, kind]);
  const withdraw = async (c: Change) => {
    try { await vendorsApi.withdraw(orgId, c.id); notifySuccess('Draft withdrawn.'); onChanged(); } catch (e) { notifyError(e); }
  };
  return (
    <Stack>
      <Group gap="sm">
        <Select aria-label="Filter by status" placeholder="Any status" clearable w={200} data={['draft', 'announced', 'withdrawn']} value={status} onChange={(v) => setStatus(v as ChangeStatus | null)} comboboxProps={{ withinPortal: true }} />
        <Select aria-label="Filter by kind" placeholder="Any kind" clearable w={200} data={CHANGE_KINDS.map((k) => ({ value: k, label: changeKindLabels[k] }))} value={kind} onChange={(v) => setKind(v as ChangeKind | null)} comboboxProps={{ withinPortal: true }} />
      </Group>
      <DataTable<Change>
        withTableBorder borderRadius="md" minHeight={records.length ? undefined : 180} records={records}
        noRecordsText={changes.length ? 'Nothing matches the filters' : 'No changes yet: saving a sub-processor creates one'} noRecordsIcon={<IconSpeakerphone size={28} aria-hidden />}
        rowExpansion={{ allowMultiple: true, expanded: { recordIds: expanded, onRecordIdsChange: setExpanded }, content: ({ record }) => (
          record.objections.length === 0 ? <Text size="sm" c="dimmed" p="sm">No objections.</Text> : (
            <Table m="sm" striped data-testid="objections">
              <Table.Thead><Table.Tr><Table.Th>From</Table.Th><Table.Th>Company</Table.Th><Table.Th>Reason</Table.Th><Table.Th>When</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>{record.objections.map((o) => (
                <Table.Tr key={o.id}><Table.Td>{o.name} ({o.email})</Table.Td><Table.Td>{o.company}</Table.Td><Table.Td>{o.reason}</Table.Td><Table.Td>{formatDateTime(o.createdAt)}</Table.Td></Table.Tr>
              ))}</Table.Tbody>
            </Table>
          )) }}
        columns={[
          { accessor: 'vendorName', title: 'Vendor', render: (c) => <Text size="sm" fw={500}>{c.vendorName}</Text> },
          { accessor: 'kind', title: 'Change', width: 130, render: (c) => changeKindLabels[c.kind] },
          { accessor: 'summary', title: 'Summary', render: (c) => <Text size="sm" lineClamp={2}>{c.summary}</Text> },
          { accessor: 'status', title: 'Status', width: 130, render: (c) => <Badge color={changeStatusColors[c.status]} variant="light" tt="none">{c.status}</Badge> },
          { accessor: 'effectiveAt', title: 'Takes effect', width: 130, render: (c) => (c.effectiveAt ? formatDate(c.effectiveAt) : '—') },
          { accessor: 'objections', title: 'Objections', width: 110, render: (c) => (c.status === 'announced' ? <Badge color={c.objections.length ? 'orange' : 'gray'} variant="light" tt="none">{c.objections.length}{c.objectionsOpen ? ' · open' : ''}</Badge> : '—') },
          {
            accessor: 'actions', title: '', width: 220, render: (c) => (isAdmin && c.status === 'draft' ? (
              <Group gap="xs" wrap="nowrap" onClick={(e) => e.stopPropagation()}>
                <Button size="xs" onClick={() => setAnnouncing(c)}>Announce</Button>
                <Button size="xs" variant="subtle" color="red" onClick={() => void withdraw(c)}>Withdraw</Button>
              </Group>
            ) : null),
          },
        ]}
      />
      <AnnounceModal orgId={orgId} change={announcing} onClose={() => setAnnouncing(null)} onDone={onChanged} />
    </Stack>
  );
}
