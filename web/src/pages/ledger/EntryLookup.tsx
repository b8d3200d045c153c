import { Badge, Button, Card, Code, Group, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage, isApiError } from '../../api/client.ts';
import { ledgerApi } from '../../api/endpoints.ts';
import type { LedgerEntry } from '../../api/types.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { ProofBundleButton } from './ProofBundleButton.tsx';

/** Look up one entry by index: what it recorded, its leaf hash, and its proof bundle. */
export function EntryLookup({ orgId, treeSize }: { orgId: string; treeSize: number }) {
  const [value, setValue] = useState<number | string>(Math.max(0, treeSize - 1));
  const [entry, setEntry] = useState<LedgerEntry | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const index = typeof value === 'number' ? value : Number.parseInt(value, 10);
    if (!Number.isInteger(index) || index < 0) { setError('Enter an entry index (0 or more).'); return; }
    setBusy(true);
    setError(null);
    try {
      setEntry(await ledgerApi.entry(orgId, index));
    } catch (err) {
      setEntry(null);
      setError(isApiError(err, 404) ? `There is no entry ${index}; the log has entries 0 to ${treeSize - 1}.` : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder radius="lg" padding="lg">
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={2} size="h5">Look up an entry</Title>
          <Text size="xs" c="dimmed">Each entry has a permanent index; its proof bundle lets anyone verify it offline.</Text>
        </Stack>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Group align="flex-start" gap="sm">
            <NumberInput label="Entry index" aria-label="Entry index" value={value} onChange={setValue} min={0} max={Math.max(0, treeSize - 1)}
              allowDecimal={false} allowNegative={false} w={160} error={error} description={`0 – ${Math.max(0, treeSize - 1)}`} />
            <Button type="submit" mt={25} variant="default" leftSection={<IconSearch size={16} aria-hidden />} loading={busy}>Look up</Button>
          </Group>
        </form>
        {entry && (
          <Stack gap="sm" data-testid="entry-details">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <Field label="Index"><Text size="sm" fw={600}>#{entry.index}</Text></Field>
              <Field label="Kind"><Badge variant="light" styles={{ label: { textTransform: 'none' } }}>{entry.parsed?.kind ?? entry.kind}</Badge></Field>
              <Field label="Time"><Text size="sm">{formatDateTime(entry.parsed?.time ?? entry.createdAt)}</Text></Field>
            </SimpleGrid>
            <Field label="Leaf hash">
              <Group gap={4} wrap="nowrap">
                <Code className="break-anywhere">{entry.leafHash}</Code>
                <CopyValueButton value={entry.leafHash} label="Copy leaf hash" />
              </Group>
            </Field>
            <Field label="Record">
              <Code block style={{ maxHeight: 260, overflow: 'auto' }}>
                {entry.parsed ? JSON.stringify(entry.parsed.record, null, 2) : '(the stored bytes are not a valid entry; run an audit)'}
              </Code>
            </Field>
            <Group>
              <ProofBundleButton orgId={orgId} index={entry.index} />
            </Group>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={4} miw={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.04em' }}>{label}</Text>
      {children}
    </Stack>
  );
}
