import { Badge, Button, Card, Code, Group, List, Progress, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleDashed, IconPlayerPlay, IconShieldCheck } from '@tabler/icons-react';
import type { LedgerAudit } from '../../api/types.ts';
import { formatDateTime } from '../../lib/format.ts';
import { triggerLabels } from './format.ts';

/** The newest recorded audit as a clear verdict, with what was checked and every stored problem. */
export function AuditCard({ audit, running, canRun, onRun }: {
  audit: LedgerAudit | null; running: boolean; canRun: boolean; onRun: () => void;
}) {
  const verdict = !audit
    ? { label: 'Never audited', color: 'gray', icon: IconCircleDashed }
    : audit.ok
      ? { label: 'Verified', color: 'teal', icon: IconShieldCheck }
      : { label: 'Problems found', color: 'red', icon: IconAlertTriangle };
  return (
    <Card withBorder radius="lg" padding="lg" h="100%" data-testid="audit-card">
      <Stack gap="md" h="100%">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2}>
            <Title order={2} size="h5">Last audit</Title>
            <Text size="xs" c="dimmed">Recomputes every entry, tree node, checkpoint root and signature</Text>
          </Stack>
          <ThemeIcon variant="light" color={verdict.color} size={38} radius="md" aria-hidden>
            <verdict.icon size={22} stroke={1.7} />
          </ThemeIcon>
        </Group>
        <Group gap="sm" align="center">
          <Badge size="xl" radius="sm" variant="light" color={verdict.color} data-testid="audit-verdict"
            leftSection={<verdict.icon size={16} aria-hidden />} styles={{ label: { textTransform: 'none' } }}>
            {verdict.label}
          </Badge>
        </Group>
        {audit ? (
          <Stack gap={4}>
            <Text size="sm">{formatDateTime(audit.finishedAt)} <Text span c="dimmed" size="sm">· {triggerLabels[audit.trigger]}</Text></Text>
            <Text size="sm" c="dimmed">
              {audit.treeSize.toLocaleString()} {audit.treeSize === 1 ? 'entry' : 'entries'} and {audit.checkpoints.toLocaleString()} {audit.checkpoints === 1 ? 'checkpoint' : 'checkpoints'} checked
            </Text>
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">No audit has been recorded yet. A scheduled audit runs daily{canRun ? ', or run one now' : ''}.</Text>
        )}
        {audit && !audit.ok && (
          <Stack gap={6} aria-label="Problems">
            <Text size="sm" fw={600}>{audit.problemCount} {audit.problemCount === 1 ? 'problem' : 'problems'}</Text>
            <List size="sm" spacing={6} styles={{ itemWrapper: { minWidth: 0 } }} data-testid="audit-problems">
              {audit.problems.map((p, i) => (
                <List.Item key={`${p.code}-${i}`} icon={<IconAlertTriangle size={14} color="var(--mantine-color-red-7)" aria-hidden />}>
                  <Code>{p.code}</Code> <Text span size="sm" className="break-anywhere">{p.message}</Text>
                </List.Item>
              ))}
            </List>
            {audit.problemCount > audit.problems.length && (
              <Text size="xs" c="dimmed">and {audit.problemCount - audit.problems.length} more; run <Code>bin/attest log audit</Code> for the full list.</Text>
            )}
          </Stack>
        )}
        {running && (
          <Stack gap={4} role="status" aria-live="polite">
            <Progress value={100} animated striped size="sm" aria-label="Audit in progress" />
            <Text size="xs" c="dimmed">Recomputing the log from its stored entries…</Text>
          </Stack>
        )}
        {canRun && (
          <Group mt="auto">
            <Button leftSection={<IconPlayerPlay size={16} aria-hidden />} loading={running} onClick={onRun}>Run audit now</Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
