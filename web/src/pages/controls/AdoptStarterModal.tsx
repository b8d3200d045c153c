import { Alert, Badge, Button, Group, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { controlsApi } from '../../api/endpoints.ts';
import type { StarterControl } from '../../api/types.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { label } from './labels.ts';

/** Choose frameworks, preview the starter controls mapped to them, and adopt the selected ones as drafts. */
export function AdoptStarterModal({ opened, orgId, frameworks, onClose, onAdopted }: {
  opened: boolean; orgId: string; frameworks: { id: string; name: string }[]; onClose: () => void; onAdopted: () => void;
}) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [preview, setPreview] = useState<StarterControl[] | null>(null);
  const [selected, setSelected] = useState<StarterControl[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => { if (!opened) { setChosen([]); setPreview(null); setSelected([]); } }, [opened]);
  useEffect(() => {
    if (!chosen.length) { setPreview(null); return; }
    let live = true;
    controlsApi.starter(orgId, chosen).then((r) => {
      if (!live) return;
      setPreview(r.items);
      setSelected(r.items.filter((i) => !i.adopted));
    }, (e: unknown) => notifyError(e));
    return () => { live = false; };
  }, [orgId, chosen]);

  const adopt = async () => {
    setBusy(true);
    try {
      const r = await controlsApi.adopt(orgId, chosen, selected.map((s) => s.code));
      notifySuccess(`${r.adopted.length} starter control${r.adopted.length === 1 ? '' : 's'} adopted as drafts.`, 'Starter controls adopted');
      onAdopted();
      onClose();
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Adopt starter controls" size="xl">
      <Stack gap="md">
        <Text size="sm" c="dimmed">Attest ships common controls, already mapped to the built-in frameworks. Adopted controls start as drafts you can edit.</Text>
        <MultiSelect label="Frameworks" placeholder="Choose the frameworks you work towards" searchable comboboxProps={{ withinPortal: true }}
          data={frameworks.map((f) => ({ value: f.id, label: f.name }))} value={chosen} onChange={setChosen} />
        {preview && (preview.length === 0 ? <Alert color="gray">No starter controls map to these frameworks.</Alert> : (
          <DataTable<StarterControl>
            withTableBorder borderRadius="md" maxHeight={360} idAccessor="code" records={preview}
            selectedRecords={selected} onSelectedRecordsChange={setSelected} isRecordSelectable={(r) => !r.adopted}
            columns={[
              { accessor: 'code', title: 'Code', width: 100 },
              { accessor: 'title', title: 'Control', render: (r) => <Stack gap={0}><Text size="sm">{r.title}</Text><Text size="xs" c="dimmed">{r.domain}</Text></Stack> },
              { accessor: 'frequency', title: 'Frequency', width: 120, render: (r) => label(r.frequency) },
              { accessor: 'requirements', title: 'Maps to', width: 180, render: (r) => <Text size="xs">{r.requirements.map((q) => q.id).join(', ')}</Text> },
              { accessor: 'adopted', title: '', width: 90, render: (r) => (r.adopted ? <Badge color="teal" variant="light">Adopted</Badge> : null) },
            ]}
          />
        ))}
        <Group justify="space-between">
          <Text size="sm" c="dimmed">{preview ? `${selected.length} selected` : ''}</Text>
          <Group>
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button onClick={() => void adopt()} loading={busy} disabled={!selected.length}>Adopt {selected.length || ''} controls</Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
