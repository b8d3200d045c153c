import { Anchor, Badge, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { BarChart, DonutChart } from '@mantine/charts';
import { IconHeartbeat } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { Link } from 'react-router';
import { healthApi } from '../../api/endpoints.ts';
import type { ControlHealthItem, HealthState } from '../../api/types.ts';

type Row = ControlHealthItem['control'] & Pick<ControlHealthItem, 'health' | 'reason' | 'lastEvidenceAt'> & { severity: number };
const SEVERITY: Record<HealthState, number> = { failing: 0, stale: 1, 'no-evidence': 2, passing: 3 };
const PAGE_SIZE = 15;
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { HEALTH_COLORS, HEALTH_LABELS, HealthBadge } from './healthLabels.tsx';

const STATES: HealthState[] = ['passing', 'failing', 'stale', 'no-evidence'];
const ATTENTION: HealthState[] = ['failing', 'stale', 'no-evidence'];

/** What is passing, failing or stale at a glance: per control, per framework, and the controls to act on. */
export function HealthPage() {
  const org = useRequiredOrg();
  const data = useResource(async () => {
    const [summary, controls] = await Promise.all([healthApi.summary(org.orgId), healthApi.controls(org.orgId)]);
    return { summary, controls: controls.items };
  }, [org.orgId]);
  const [show, setShow] = useState<'attention' | HealthState>('attention');
  const rows: Row[] = (data.data?.controls ?? []).filter((c) => (show === 'attention' ? ATTENTION.includes(c.health) : c.health === show))
    .map((c) => ({ ...c.control, health: c.health, reason: c.reason, lastEvidenceAt: c.lastEvidenceAt, severity: SEVERITY[c.health] }));
  const table = useTableView(rows, { searchable: [], initialSort: { columnAccessor: 'severity', direction: 'asc' } });
  const [page, setPage] = useState(1);
  const header = <PageHeader title="Health" description="Each control is passing, failing, stale or without evidence, from its newest accepted evidence, its checks and its frequency." />;
  if (data.error) return <>{header}<LoadError error={data.error} onRetry={() => void data.reload()} /></>;
  if (!data.data) return <>{header}<TableSkeleton rows={6} /></>;
  const { summary } = data.data;
  if (summary.counts.total === 0) {
    return <>{header}<EmptyState icon={IconHeartbeat} title="No controls to monitor" action={<Anchor component={Link} to={`/orgs/${org.orgId}/controls`}>Go to controls</Anchor>}>
      Adopt or create controls and add evidence; their health will appear here.
    </EmptyState></>;
  }
  const countOf = (s: HealthState) => (s === 'no-evidence' ? summary.counts.noEvidence : summary.counts[s]);
  const donut = STATES.map((s) => ({ name: HEALTH_LABELS[s], value: countOf(s), color: HEALTH_COLORS[s] })).filter((d) => d.value > 0);
  const bars = summary.frameworks.map((f) => ({ framework: f.framework.name, Passing: f.passing, Failing: f.failing, Stale: f.stale, 'No evidence': f.noEvidence, Gap: f.gaps }));

  return (
    <>
      {header}
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Paper withBorder radius="md" p="md" aria-label="Controls by health">
            <Title order={2} size="h5" mb="sm">Controls by health</Title>
            <Group align="center" wrap="nowrap">
              <DonutChart data={donut} size={150} thickness={24} withTooltip chartLabel={`${summary.counts.total} controls`} />
              <Stack gap={6}>
                {STATES.map((s) => (
                  <Group key={s} gap="xs" wrap="nowrap"><HealthBadge health={s} /><Text size="sm" fw={600} data-testid={`count-${s}`}>{countOf(s)}</Text></Group>
                ))}
              </Stack>
            </Group>
          </Paper>
          <Paper withBorder radius="md" p="md" style={{ gridColumn: 'span 2' }} aria-label="Requirements by framework">
            <Title order={2} size="h5" mb="sm">Requirements per in-scope framework</Title>
            {bars.length === 0 ? <Text size="sm" c="dimmed">No framework is in scope yet; choose frameworks under <Anchor component={Link} to={`/orgs/${org.orgId}/frameworks`}>Frameworks</Anchor>.</Text> : (
              <BarChart h={Math.max(140, 56 * bars.length)} data={bars} dataKey="framework" type="stacked" orientation="vertical" yAxisProps={{ width: 240 }} withLegend
                series={[
                  { name: 'Passing', color: HEALTH_COLORS.passing }, { name: 'Failing', color: HEALTH_COLORS.failing }, { name: 'Stale', color: HEALTH_COLORS.stale },
                  { name: 'No evidence', color: HEALTH_COLORS['no-evidence'] }, { name: 'Gap', color: 'gray.3' },
                ]} />
            )}
            <Text size="xs" c="dimmed" mt="xs">A requirement counts as passing when at least one control meeting it (directly or through a mapping) is passing.</Text>
          </Paper>
        </SimpleGrid>

        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap">
            <Title order={2} size="h4">{show === 'attention' ? 'Controls needing attention' : `${HEALTH_LABELS[show]} controls`}</Title>
            <SegmentedControl size="xs" value={show} onChange={(v) => { setShow(v as typeof show); setPage(1); }} aria-label="Which controls"
              data={[{ value: 'attention', label: 'Needs attention' }, ...STATES.map((s) => ({ value: s, label: HEALTH_LABELS[s] }))]} />
          </Group>
          <DataTable<Row>
            withTableBorder borderRadius="md" highlightOnHover minHeight={table.records.length ? undefined : 150} aria-label="Controls by health"
            records={table.records.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)}
            totalRecords={table.records.length} recordsPerPage={PAGE_SIZE} page={page} onPageChange={setPage} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
            noRecordsText={show === 'attention' ? 'Every control is passing' : 'No controls in this state'}
            columns={[
              { accessor: 'code', title: 'Code', sortable: true, width: 110, render: (c) => <Anchor component={Link} to={`/orgs/${org.orgId}/controls?open=${c.id}`} size="sm" fw={600} ff="monospace">{c.code}</Anchor> },
              { accessor: 'title', title: 'Control', sortable: true },
              { accessor: 'severity', title: 'Health', sortable: true, width: 130, render: (c) => <HealthBadge health={c.health} /> },
              { accessor: 'reason', title: 'Why', render: (c) => <Text size="sm">{c.reason}</Text> },
              { accessor: 'lastEvidenceAt', title: 'Last evidence', sortable: true, width: 130, render: (c) => formatDate(c.lastEvidenceAt) },
              { accessor: 'ownerEmail', title: 'Owner', sortable: true, width: 180, render: (c) => (c.ownerEmail ? <Text size="sm" truncate>{c.ownerEmail}</Text> : <Badge variant="outline" color="gray">Unowned</Badge>) },
            ]}
          />
          <Text size="xs" c="dimmed">Computed {formatDateTime(summary.computedAt)}. Owners hear of controls turning failing or stale through notification rules and webhooks.</Text>
        </Stack>
      </Stack>
    </>
  );
}
