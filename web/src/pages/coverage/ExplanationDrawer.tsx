import { Badge, Drawer, Group, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconArrowDown, IconChecklist, IconFileText } from '@tabler/icons-react';
import { coverageApi } from '../../api/endpoints.ts';
import type { CoveragePath, CoverageRequirementRef } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { useResource } from '../../lib/useResource.ts';
import { HealthBadge } from '../health/healthLabels.tsx';
import { StatusBadge } from './coverageLabels.tsx';

const relationshipWords: Record<string, string> = {
  'equivalent-to': 'is equivalent to', 'equal-to': 'is equal to', 'subset-of': 'is a subset of', 'superset-of': 'is a superset of', 'intersects-with': 'intersects with',
};
const words = (r: string) => relationshipWords[r] ?? r.replace(/-/g, ' ');

function Req({ r }: { r: CoverageRequirementRef }) {
  return <><Text size="sm" fw={600} span>{r.framework} {r.id}</Text> <Text size="sm" span>{r.title}</Text></>;
}

/** One path read top to bottom: control → requirement it is linked to → each mapping → the requirement asked about. */
export function ExplanationChain({ path }: { path: CoveragePath }) {
  return (
    <Timeline bulletSize={22} lineWidth={2} active={path.hops.length + 1}>
      <Timeline.Item bullet={<IconChecklist size={13} />} title={<Group gap={6}><Text size="sm" fw={700} ff="monospace" span>{path.control.code}</Text><Text size="sm" span>{path.control.title}</Text><HealthBadge health={path.control.health} /></Group>}>
        <Text size="xs" c="dimmed">Control, linked directly to</Text>
      </Timeline.Item>
      <Timeline.Item bullet={<IconFileText size={13} />} title={<Req r={path.requirement} />}>
        {path.hops.length === 0 && <Text size="xs" c="dimmed">the requirement itself</Text>}
      </Timeline.Item>
      {path.hops.map((h, i) => (
        <Timeline.Item key={i} bullet={<IconArrowDown size={13} />} title={<Req r={h.to} />}>
          <Text size="xs"><Text span fw={600} size="xs">{words(h.relationship)}</Text>{h.direction === 'inverse' ? ' (mapping read in reverse)' : ''} · carries {h.carries === 'full' ? 'fully' : 'partly'}</Text>
          {h.rationale && <Text size="xs" c="dimmed">“{h.rationale}”</Text>}
          <Text size="xs" c="dimmed">Mapping: {h.source}</Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** Why one requirement is satisfied, partly covered or a gap: every explanation path as a chain. */
export function ExplanationDrawer({ orgId, frameworkId, requirementId, onClose }: { orgId: string; frameworkId: string; requirementId: string | null; onClose: () => void }) {
  const data = useResource(async () => (requirementId ? coverageApi.explain(orgId, frameworkId, requirementId) : null), [orgId, frameworkId, requirementId]);
  const e = data.data;
  return (
    <Drawer opened={requirementId !== null} onClose={onClose} position="right" size="lg" title={<Title order={2} size="h4">{requirementId ?? ''}{e ? ` · ${e.requirement.title}` : ''}</Title>}>
      {data.error ? <LoadError error={data.error} onRetry={() => void data.reload()} /> : !e ? <TableSkeleton rows={4} /> : (
        <Stack gap="md">
          <Group gap="xs"><StatusBadge status={e.status} />{e.whatIf && <Badge variant="outline" color="gray">What-if</Badge>}</Group>
          {e.reason && <Text size="sm">{e.reason}</Text>}
          {e.paths.length === 0 && <Text size="sm" c="dimmed">No control reaches this requirement, directly or through a mapping.</Text>}
          {e.paths.map((p, i) => (
            <Paper key={i} withBorder radius="md" p="md" aria-label={`Explanation path ${i + 1}`}>
              <Group justify="space-between" mb="sm"><Text size="sm" fw={600}>Path {i + 1}</Text><Badge variant="light" color={p.carries === 'full' ? 'teal' : 'yellow'}>{p.carries === 'full' ? 'Carries fully' : 'Carries partly'}</Badge></Group>
              <ExplanationChain path={p} />
            </Paper>
          ))}
        </Stack>
      )}
    </Drawer>
  );
}
