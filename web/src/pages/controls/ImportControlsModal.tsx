import { Alert, Button, Checkbox, FileInput, Group, List, Modal, ScrollArea, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconUpload } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { errorMessage, isApiError, type FieldError } from '../../api/client.ts';
import { controlsApi } from '../../api/endpoints.ts';
import { notifySuccess } from '../../lib/notify.ts';

/** Import from CSV or OSCAL: all rows or none; every fault is listed with its line and column. */
export function ImportControlsModal({ opened, orgId, onClose, onImported }: { opened: boolean; orgId: string; onClose: () => void; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<'csv' | 'oscal'>('csv');
  const [allowUnknown, setAllowUnknown] = useState(false);
  const [faults, setFaults] = useState<{ message: string; errors: FieldError[] } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => { if (!opened) { setFile(null); setFaults(null); setAllowUnknown(false); } }, [opened]);
  const pick = (f: File | null) => {
    setFile(f);
    setFaults(null);
    if (f) setFormat(/\.json$/i.test(f.name) ? 'oscal' : 'csv');
  };

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setFaults(null);
    try {
      const r = await controlsApi.import(orgId, { format, content: await file.text(), allowUnknown });
      notifySuccess(`${r.created} created, ${r.updated} updated${r.unmapped.length ? `; ${r.unmapped.length} unknown requirement ids left unmapped` : ''}.`, 'Controls imported');
      onImported();
      onClose();
    } catch (e) {
      setFaults({ message: errorMessage(e), errors: isApiError(e) ? (e.errors ?? []) : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Import controls" size="lg">
      <Stack gap="md">
        <Text size="sm" c="dimmed">Rows update the control with the same code or create a new one. If any row has a fault, nothing is imported.</Text>
        <FileInput label="File" placeholder="controls.csv or an OSCAL component-definition (.json)" accept=".csv,.json,text/csv,application/json"
          leftSection={<IconUpload size={16} />} value={file} onChange={pick} clearable />
        <SegmentedControl value={format} onChange={(v) => setFormat(v as 'csv' | 'oscal')} data={[{ value: 'csv', label: 'CSV' }, { value: 'oscal', label: 'OSCAL JSON' }]} w="fit-content" />
        {format === 'oscal' && (
          <Checkbox checked={allowUnknown} onChange={(e) => setAllowUnknown(e.currentTarget.checked)}
            label="Import controls whose requirement ids no framework here knows, and leave those unmapped" />
        )}
        {faults && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title={faults.message} data-testid="import-faults">
            {faults.errors.length > 0 && (
              <ScrollArea.Autosize mah={220}>
                <List size="sm" spacing={2}>
                  {faults.errors.map((f, i) => <List.Item key={i}><Text span fw={600} size="sm">{f.path}</Text>: {f.message}</List.Item>)}
                </List>
              </ScrollArea.Autosize>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button onClick={() => void submit()} loading={busy} disabled={!file}>Import</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
