import { Accordion, Button, Code, Drawer, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { checksApi } from '../../api/endpoints.ts';
import type { Check, CheckRun } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { CheckStatusBadge } from './CheckStatusBadge.tsx';

const triggers: Record<CheckRun['trigger'], string> = { schedule: 'Scheduled', manual: 'Run now', push: 'Pushed', cli: 'CLI' };

/** A check's runs, newest first, each with its assertions and output. */
export function RunHistory({ orgId, check, refreshKey, onClose }: { orgId: string; check: Check | null; refreshKey: number; onClose: () => void }) {
  const [runs, setRuns] = useState<CheckRun[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = (more?: string) => {
    if (!check) return;
    checksApi.runs(orgId, check.id, more).then((page) => {
      setRuns((cur) => (more ? [...(cur ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
    }, setError);
  };
  useEffect(() => { setRuns(null); setError(null); load(); }, [check?.id, refreshKey]);

  return (
    <Drawer opened={!!check} onClose={onClose} position="right" size="xl" title={<Title order={2} size="h4">{check ? `Runs of ${check.name}` : 'Runs'}</Title>}>
      {error ? <LoadError error={error} onRetry={() => load()} /> : !runs ? <Text c="dimmed">Loading…</Text> : runs.length === 0 ? <Text c="dimmed">No runs yet.</Text> : (
        <Stack>
          <Accordion variant="separated" multiple defaultValue={runs[0] ? [runs[0].id] : []}>
            {runs.map((r) => (
              <Accordion.Item key={r.id} value={r.id}>
                <Accordion.Control>
                  <Group gap="sm" wrap="nowrap">
                    <CheckStatusBadge status={r.status} />
                    <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap', flexShrink: 0 }}>{formatDateTime(r.startedAt)}</Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', flexShrink: 0 }}>{triggers[r.trigger]}</Text>
                    <Text size="sm" lineClamp={1}>{r.summary}</Text>
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Stack gap="sm">
                    <Text size="sm">{r.summary}</Text>
                    {r.assertions.length > 0 && (
                      <Table withTableBorder striped>
                        <Table.Thead><Table.Tr><Table.Th>Assertion</Table.Th><Table.Th>Expected</Table.Th><Table.Th>Actual</Table.Th><Table.Th>Result</Table.Th></Table.Tr></Table.Thead>
                        <Table.Tbody>
                          {r.assertions.map((a, i) => (
                            <Table.Tr key={i}>
                              <Table.Td>{a.name}</Table.Td><Table.Td><Code>{a.expected}</Code></Table.Td><Table.Td><Code>{a.actual}</Code></Table.Td>
                              <Table.Td><Text size="sm" c={a.passed ? 'teal' : 'red'} fw={500}>{a.passed ? 'Passed' : 'Failed'}</Text></Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    )}
                    <Code block style={{ maxHeight: 240, overflow: 'auto', whiteSpace: 'pre-wrap' }}>{r.output || '(no output)'}</Code>
                    {r.evidenceId && <Text size="xs" c="dimmed">Recorded as evidence {r.evidenceId}</Text>}
                  </Stack>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
          {cursor && <Button variant="default" onClick={() => load(cursor)}>Older runs</Button>}
        </Stack>
      )}
    </Drawer>
  );
}
