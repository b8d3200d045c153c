import { Anchor, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { IconChartBar } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { Link } from 'react-router';
import { coverageApi } from '../../api/endpoints.ts';
import type { CoverageSummaryItem } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { percent } from './coverageLabels.tsx';

/** Coverage per in-scope framework, and a what-if for any framework the org has not adopted. */
export function CoveragePage() {
  const org = useRequiredOrg();
  const data = useResource(() => coverageApi.summary(org.orgId, true), [org.orgId]);
  const [whatIf, setWhatIf] = useState<string | null>(null);
  const header = <PageHeader title="Coverage" description="How much of each framework your controls satisfy, directly or through expert mappings between frameworks." />;
  if (data.error) return <>{header}<LoadError error={data.error} onRetry={() => void data.reload()} /></>;
  if (!data.data) return <>{header}<TableSkeleton rows={6} /></>;
  const inScope = data.data.frameworks.filter((f) => !f.whatIf);
  const others = data.data.frameworks.filter((f) => f.whatIf);
  const picked = others.find((f) => f.framework.id === whatIf);
  const link = (f: CoverageSummaryItem) => `/orgs/${org.orgId}/coverage/${encodeURIComponent(f.framework.id)}${f.whatIf ? '?whatIf=true' : ''}`;
  const bars = inScope.map((f) => ({ framework: f.framework.name, 'Fully covered': f.fullyCoveredPercent ?? 0, 'At least partly': Math.max(0, (f.atLeastPartlyPercent ?? 0) - (f.fullyCoveredPercent ?? 0)) }));

  return (
    <>
      {header}
      <Stack gap="lg">
        {inScope.length === 0 ? (
          <EmptyState icon={IconChartBar} title="No framework in scope" action={<Button component={Link} to={`/orgs/${org.orgId}/frameworks`}>Choose frameworks</Button>}>
            Put frameworks in scope to see how far your controls cover them, or try a what-if below.
          </EmptyState>
        ) : (
          <Paper withBorder radius="md" p="md" aria-label="Coverage chart">
            <Title order={2} size="h5" mb="sm">Requirements covered per in-scope framework (%)</Title>
            <BarChart h={Math.max(140, 56 * bars.length)} data={bars} dataKey="framework" type="stacked" orientation="vertical" yAxisProps={{ width: 240 }} xAxisProps={{ domain: [0, 100] }}
              withLegend valueFormatter={(v) => `${v.toFixed(1)} %`}
              series={[{ name: 'Fully covered', color: 'teal.6' }, { name: 'At least partly', color: 'yellow.5', label: 'Partly covered' }]} />
          </Paper>
        )}
        {inScope.length > 0 && (
          <DataTable<CoverageSummaryItem>
            withTableBorder borderRadius="md" highlightOnHover aria-label="Coverage per framework" idAccessor={(f) => f.framework.id} records={inScope}
            columns={[
              { accessor: 'framework.name', title: 'Framework', render: (f) => <Anchor component={Link} to={link(f)} fw={600} size="sm">{f.framework.name}</Anchor> },
              { accessor: 'requirements', title: 'Requirements', textAlign: 'right', width: 135 },
              { accessor: 'satisfied', title: 'Satisfied', textAlign: 'right', width: 100 },
              { accessor: 'partial', title: 'Partly', textAlign: 'right', width: 90 },
              { accessor: 'gaps', title: 'Gaps', textAlign: 'right', width: 80 },
              { accessor: 'fullyCoveredPercent', title: 'Fully %', textAlign: 'right', width: 100, render: (f) => percent(f.fullyCoveredPercent) },
              { accessor: 'atLeastPartlyPercent', title: 'At least partly %', textAlign: 'right', width: 165, render: (f) => percent(f.atLeastPartlyPercent) },
            ]}
          />
        )}
        <Paper withBorder radius="md" p="md" aria-label="What-if">
          <Title order={2} size="h5" mb={4}>What if we adopted another framework?</Title>
          <Text size="sm" c="dimmed" mb="sm">See how much of a framework outside your scope your current controls already cover.</Text>
          <Group align="flex-end" gap="md" wrap="wrap">
            <Select label="Framework outside the scope" placeholder="Choose a framework" searchable w={340} value={whatIf} onChange={setWhatIf}
              data={others.map((f) => ({ value: f.framework.id, label: f.framework.name }))} comboboxProps={{ withinPortal: true }} />
            {picked && (
              <SimpleGrid cols={3} spacing="lg">
                <Stack gap={0}><Text size="xs" c="dimmed">Fully covered</Text><Text fw={700} data-testid="whatif-full">{percent(picked.fullyCoveredPercent)}</Text></Stack>
                <Stack gap={0}><Text size="xs" c="dimmed">At least partly</Text><Text fw={700}>{percent(picked.atLeastPartlyPercent)}</Text></Stack>
                <Stack gap={0}><Text size="xs" c="dimmed">Requirements</Text><Text fw={700}>{picked.requirements}</Text></Stack>
              </SimpleGrid>
            )}
            {picked && <Button variant="light" component={Link} to={link(picked)}>Open what-if <Badge ml={6} size="xs" variant="outline">not in scope</Badge></Button>}
          </Group>
        </Paper>
      </Stack>
    </>
  );
}
