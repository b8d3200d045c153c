import { Anchor, Badge, Button, Drawer, Group, SimpleGrid, Skeleton, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconArrowRight, IconEdit, IconRobot, IconUser } from '@tabler/icons-react';
import { Link } from 'react-router';
import { certificationsApi } from '../../api/endpoints.ts';
import type { Certification } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { coveredRoleLabels, datesOf, issuerRoleLabels, kindLabels, statusLabels } from './labels.ts';
import { StatusBadge } from './StatusBadge.tsx';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text size="sm" component="div">{children}</Text>
    </Stack>
  );
}

/** One record in full, with its status history (newest first) and links to the evidence log entries. */
export function CertificationDetails({ orgId, id, frameworkName, version, canEdit, onClose, onEdit, onChangeStatus }: {
  orgId: string; id: string | null; frameworkName: string; version: number | undefined; canEdit: boolean; onClose: () => void;
  onEdit: (c: Certification) => void; onChangeStatus: (c: Certification) => void;
}) {
  const resource = useResource(() => (id ? certificationsApi.get(orgId, id) : Promise.resolve(null)), [orgId, id, version]);
  const c = resource.data;
  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="lg" title={<Text fw={600}>{c?.name ?? 'Certification'}</Text>}>
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !c ? <Skeleton height={300} /> : (
        <Stack gap="lg">
          <Group justify="space-between">
            <Group gap="xs"><StatusBadge status={c.status} /><Badge variant="outline" color="gray">{kindLabels[c.kind]}</Badge>{c.public && <Badge variant="outline">Public</Badge>}</Group>
            {canEdit && (
              <Group gap="xs">
                <Button size="xs" variant="default" leftSection={<IconEdit size={14} />} disabled={c.status === 'withdrawn'} onClick={() => onEdit(c)}>Edit</Button>
                <Button size="xs" disabled={!c.nextStatuses.length} onClick={() => onChangeStatus(c)}>Change status</Button>
              </Group>
            )}
          </Group>
          <SimpleGrid cols={2} spacing="md">
            <Field label="Framework">{frameworkName || c.frameworkId}</Field>
            <Field label="Dates">{datesOf(c)}</Field>
            <Field label="Valid until">{c.validUntil ? formatDate(c.validUntil) : 'No fixed end'}</Field>
            <Field label="Issuer">{c.issuer ? `${c.issuer.name} (${issuerRoleLabels[c.issuer.role].toLowerCase()})` : '—'}</Field>
            {c.details.program && <Field label="Programme and level">{c.details.program} {c.details.level}</Field>}
            {c.details.certificateNumber && <Field label="Certificate number">{c.details.certificateNumber}</Field>}
            {c.details.verificationId && <Field label="Verification id">{c.details.verificationId}</Field>}
            <Field label="Roles covered">{c.rolesCovered.map((r) => coveredRoleLabels[r]).join(', ') || '—'}</Field>
            <Field label="In scope">{c.inScope.map((p) => p.name).join(', ') || '—'}</Field>
            <Field label="Out of scope">{c.outOfScope.map((p) => p.name).join(', ') || '—'}</Field>
            <Field label="Locations">{c.locations.join(', ') || '—'}</Field>
          </SimpleGrid>
          {c.scopeNotes && <Field label="Scope notes">{c.scopeNotes}</Field>}
          <Title order={3} size="h5">History</Title>
          <Timeline active={c.history.length - 1} bulletSize={22} lineWidth={2} data-testid="status-history">
            {c.history.map((h) => (
              <Timeline.Item
                key={h.id}
                bullet={h.actor === 'system' ? <IconRobot size={13} /> : <IconUser size={13} />}
                title={<Group gap={6}>{h.from ? <>{statusLabels[h.from]} <IconArrowRight size={12} aria-label="to" /></> : 'Created as'} {statusLabels[h.to]}</Group>}
              >
                <Text size="sm">{h.reason}</Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(h.at)} · {h.actor}
                  {h.ledgerIndex !== null && <> · <Anchor component={Link} to={`/orgs/${orgId}/evidence-log`} size="xs">log entry {h.ledgerIndex}</Anchor></>}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Stack>
      )}
    </Drawer>
  );
}
