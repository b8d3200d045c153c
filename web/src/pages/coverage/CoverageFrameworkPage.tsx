import { Accordion, Badge, Button, Group, Progress, SegmentedControl, Stack, Text, UnstyledButton } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { coverageApi } from '../../api/endpoints.ts';
import type { CoverageCounts, CoverageRequirementItem, CoverageStatus, FrameworkCoverage } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { HealthBadge } from '../health/healthLabels.tsx';
import { ExplanationDrawer } from './ExplanationDrawer.tsx';
import { percent, StatusBadge } from './coverageLabels.tsx';

type GroupRow = FrameworkCoverage['groups'][number];
const UNGROUPED = '__ungrouped';

function Bar({ c }: { c: CoverageCounts }) {
  const full = c.requirements ? (c.satisfied / c.requirements) * 100 : 0;
  const part = c.requirements ? (c.partial / c.requirements) * 100 : 0;
  return (
    <Progress.Root size="lg" w={160} aria-label={`${percent(c.fullyCoveredPercent)} fully covered`}>
      <Progress.Section value={full} color="teal" />
      <Progress.Section value={part} color="yellow" />
    </Progress.Root>
  );
}

/** One framework: each group's roll-up, its requirements with their status, and why (the explanation drawer). */
export function CoverageFrameworkPage() {
  const org = useRequiredOrg();
  const { frameworkId = '' } = useParams();
  const [params] = useSearchParams();
  const whatIf = params.get('whatIf') === 'true';
  const data = useResource(() => coverageApi.framework(org.orgId, frameworkId, whatIf), [org.orgId, frameworkId, whatIf]);
  const [filter, setFilter] = useState<'all' | CoverageStatus>('all');
  const [selected, setSelected] = useState<string | null>(null);
  const f = data.data;
  const header = (
    <PageHeader title={f ? `Coverage · ${f.framework.name}` : 'Coverage'}
      description={f ? <>{f.summary.satisfied} satisfied, {f.summary.partial} partly covered, {f.summary.gaps} gaps of {f.summary.requirements} requirements · {percent(f.summary.fullyCoveredPercent)} fully covered{f.whatIf && <> <Badge size="xs" variant="outline" color="gray">What-if: not in scope</Badge></>}</> : undefined}
      actions={<Button variant="default" component={Link} to={`/orgs/${org.orgId}/coverage`}>All frameworks</Button>} />
  );
  if (data.error) return <>{header}<LoadError error={data.error} onRetry={() => void data.reload()} /></>;
  if (!f) return <>{header}<TableSkeleton rows={8} /></>;
  const all = [...f.satisfied, ...f.partial, ...f.gaps].filter((r) => filter === 'all' || r.status === filter);
  const byParent = new Map<string, CoverageRequirementItem[]>();
  for (const r of all) byParent.set(r.parentId ?? UNGROUPED, [...(byParent.get(r.parentId ?? UNGROUPED) ?? []), r]);
  const childGroups = new Map<string, GroupRow[]>();
  for (const g of f.groups.filter((x) => x.requirements > 0)) childGroups.set(g.parentId ?? UNGROUPED, [...(childGroups.get(g.parentId ?? UNGROUPED) ?? []), g]);
  const requirementRow = (r: CoverageRequirementItem) => (
    <UnstyledButton key={r.id} display="block" w="100%" py={6} onClick={() => setSelected(r.id)} aria-label={`${r.id} ${r.title}`}>
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm"><Text span fw={600}>{r.id}</Text> {r.title}</Text>
          {r.best ? <Text size="xs" c="dimmed">via {r.best.control.code}{r.best.hops.length ? ` and ${r.best.hops.length} mapping hop${r.best.hops.length > 1 ? 's' : ''}` : ''}{r.pathCount > 1 ? ` · ${r.pathCount} paths` : ''}</Text> : r.reason && <Text size="xs" c="dimmed" lineClamp={1}>{r.reason}</Text>}
        </Stack>
        <Group gap={6} wrap="nowrap">{r.best && <HealthBadge health={r.best.control.health} />}<StatusBadge status={r.status} /></Group>
      </Group>
    </UnstyledButton>
  );
  // A group opens onto its sub-groups, then the requirements directly in it.
  const groupItem = (g: GroupRow): ReactNode => {
    const subs = childGroups.get(g.id) ?? [];
    const own = byParent.get(g.id) ?? [];
    return (
      <Accordion.Item key={g.id} value={g.id}>
        <Accordion.Control>
          <Group justify="space-between" wrap="nowrap" pr="sm">
            <Text size="sm" fw={600} lineClamp={1}>{g.title}</Text>
            <Group gap="sm" wrap="nowrap"><Text size="xs" c="dimmed">{g.satisfied}/{g.requirements} · {percent(g.fullyCoveredPercent)}</Text><Bar c={g} /></Group>
          </Group>
        </Accordion.Control>
        <Accordion.Panel>
          {subs.length > 0 && <Accordion multiple variant="contained" radius="md" mb={own.length ? 'sm' : 0}>{subs.map(groupItem)}</Accordion>}
          {own.map(requirementRow)}
          {!subs.length && !own.length && <Text size="sm" c="dimmed">No requirement in this group matches the filter.</Text>}
        </Accordion.Panel>
      </Accordion.Item>
    );
  };
  return (
    <>
      {header}
      <Stack gap="md">
        <SegmentedControl w="fit-content" value={filter} onChange={(v) => setFilter(v as typeof filter)} aria-label="Show requirements"
          data={[{ value: 'all', label: 'All' }, { value: 'satisfied', label: 'Satisfied' }, { value: 'partial', label: 'Partly covered' }, { value: 'gap', label: 'Gaps' }]} />
        <Accordion multiple variant="separated" radius="md" aria-label="Groups">
          {(childGroups.get(UNGROUPED) ?? []).map(groupItem)}
          {byParent.has(UNGROUPED) && (
            <Accordion.Item value={UNGROUPED}>
              <Accordion.Control><Text size="sm" fw={600}>Not in a group</Text></Accordion.Control>
              <Accordion.Panel>{byParent.get(UNGROUPED)!.map(requirementRow)}</Accordion.Panel>
            </Accordion.Item>
          )}
        </Accordion>
      </Stack>
      <ExplanationDrawer orgId={org.orgId} frameworkId={frameworkId} requirementId={selected} onClose={() => setSelected(null)} />
    </>
  );
}
