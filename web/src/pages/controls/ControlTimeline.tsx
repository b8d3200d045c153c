import { Badge, Group, Text, Timeline } from '@mantine/core';
import { IconActivity, IconEdit, IconFilePlus, IconGavel, IconHeartbeat } from '@tabler/icons-react';
import { healthApi } from '../../api/endpoints.ts';
import type { TimelineItem } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { HealthBadge } from '../health/healthLabels.tsx';

const icons = { 'evidence.added': IconFilePlus, 'evidence.reviewed': IconGavel, 'check.result': IconActivity, 'control.changed': IconEdit, 'health.changed': IconHeartbeat };
const stateColor: Record<string, string> = { pass: 'teal', fail: 'red', error: 'red', accepted: 'teal', rejected: 'red', submitted: 'blue' };

function State({ item }: { item: TimelineItem }) {
  if (!item.state) return null;
  if (item.type === 'health.changed') return <HealthBadge health={item.state} />;
  return <Badge size="xs" variant="light" color={stateColor[item.state] ?? 'gray'}>{item.state}</Badge>;
}

/** A control's history, newest first: evidence added and reviewed (with log index), check results, edits, health changes. */
export function ControlTimeline({ orgId, controlId }: { orgId: string; controlId: string }) {
  const data = useResource(() => healthApi.timeline(orgId, controlId), [orgId, controlId]);
  if (data.error) return <LoadError error={data.error} onRetry={() => void data.reload()} />;
  if (!data.data) return <Text size="sm" c="dimmed">Loading the timeline…</Text>;
  if (!data.data.items.length) return <Text size="sm" c="dimmed">Nothing has happened to this control yet.</Text>;
  return (
    <Timeline bulletSize={22} lineWidth={2} aria-label="Control timeline">
      {data.data.items.map((item, i) => {
        const Icon = icons[item.type];
        return (
          <Timeline.Item key={i} bullet={<Icon size={13} />} title={<Group gap={6}><Text size="sm" fw={500} span>{item.summary}</Text><State item={item} /></Group>}>
            <Text size="xs" c="dimmed">
              {formatDateTime(item.at)}{item.actor ? ` · ${item.actor}` : ''}{item.ledgerIndex !== null ? ` · log entry #${item.ledgerIndex}` : ''}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
