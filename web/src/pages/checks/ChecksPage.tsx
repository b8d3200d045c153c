import { ActionIcon, Anchor, Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconHistory, IconPencil, IconPlayerPlay, IconPlus, IconRobot } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { checksApi, controlsApi } from '../../api/endpoints.ts';
import type { Check } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { canAdminister, hasRole } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { CheckDrawer } from './CheckDrawer.tsx';
import { CheckStatusBadge } from './CheckStatusBadge.tsx';
import { RunHistory } from './RunHistory.tsx';

type Row = Check & { typeTitle: string; controlCodes: string };
const every = (m: number) => (m % 1440 === 0 ? `${m / 1440} d` : m % 60 === 0 ? `${m / 60} h` : `${m} min`);

/** Automated checks: what each tests, its last result, run now, history; editors configure them. */
export function ChecksPage() {
  const org = useRequiredOrg();
  const canEdit = hasRole(org.role, 'editor');
  const resource = useResource(async () => {
    const [checks, types, controls] = await Promise.all([checksApi.list(org.orgId), checksApi.types(org.orgId), controlsApi.list(org.orgId)]);
    return { checks: checks.items, types: types.items, controls: controls.items };
  }, [org.orgId]);
  const [drawer, setDrawer] = useState<{ editing: Check | null } | null>(null);
  const [history, setHistory] = useState<Check | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const [runCount, setRunCount] = useState(0);

  const rows = useMemo<Row[] | undefined>(() => {
    if (!resource.data) return undefined;
    const titles = new Map(resource.data.types.map((t) => [t.type, t.title]));
    const codes = new Map(resource.data.controls.map((c) => [c.id, c.code]));
    return resource.data.checks.map((c) => ({ ...c, typeTitle: titles.get(c.type) ?? c.type, controlCodes: c.controlIds.map((id) => codes.get(id) ?? '?').join(', ') }));
  }, [resource.data]);
  const table = useTableView(rows, { searchable: ['name', 'typeTitle', 'controlCodes'], initialSort: { columnAccessor: 'name', direction: 'asc' } });
  const replace = (c: Check) => resource.setData((cur) => cur && ({ ...cur, checks: cur.checks.some((x) => x.id === c.id) ? cur.checks.map((x) => (x.id === c.id ? c : x)) : [...cur.checks, c] }));

  const runNow = async (c: Check) => {
    setRunning(c.id);
    try {
      const run = await checksApi.run(org.orgId, c.id);
      const message = `${c.name}: ${run.summary}`;
      if (run.status === 'pass') notifySuccess(message, 'Check passed');
      else notifyError(new Error(message), run.status === 'fail' ? 'Check failed' : 'Check could not run');
      replace(await checksApi.get(org.orgId, c.id));
      setRunCount((n) => n + 1);
    } catch (e) {
      notifyError(e, 'Could not run the check');
    } finally {
      setRunning(null);
    }
  };

  return (
    <>
      <PageHeader
        title="Checks"
        description="Automated tests of your systems. Every run is recorded as evidence for the linked controls; failures notify you."
        actions={canEdit && <Button leftSection={<IconPlus size={16} />} onClick={() => setDrawer({ editing: null })} disabled={!resource.data}>New check</Button>}
      />
      <Stack>
        <SearchInput label="Filter checks" placeholder="Filter by name, type, control" value={table.query} onChange={table.setQuery} />
        {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
          <DataTable<Row>
            withTableBorder borderRadius="md" highlightOnHover
            minHeight={table.records.length ? undefined : 200}
            records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
            noRecordsText={resource.data.checks.length ? 'Nothing matches the filter' : 'No checks yet'}
            noRecordsIcon={<IconRobot size={28} aria-hidden />}
            columns={[
              {
                accessor: 'name', title: 'Check', sortable: true,
                render: (c) => (
                  <Stack gap={0}>
                    <Anchor component="button" type="button" size="sm" fw={500} ta="left" onClick={() => setHistory(c)}>{c.name}</Anchor>
                    <Text size="xs" c="dimmed">{c.typeTitle} · every {every(c.intervalMinutes)}</Text>
                  </Stack>
                ),
              },
              { accessor: 'lastStatus', title: 'Status', sortable: true, width: 130, render: (c) => <CheckStatusBadge status={c.lastStatus} /> },
              { accessor: 'lastRunAt', title: 'Last run', sortable: true, width: 170, render: (c) => (c.lastRunAt ? formatDateTime(c.lastRunAt) : '—') },
              { accessor: 'nextRunAt', title: 'Next due', sortable: true, width: 170, render: (c) => formatDateTime(c.nextRunAt) },
              { accessor: 'controlCodes', title: 'Controls', width: 180, render: (c) => <Text size="sm" lineClamp={2}>{c.controlCodes || '—'}</Text> },
              {
                accessor: 'actions', title: <Text span size="sm" className="sr-only">Actions</Text>, width: 130, textAlign: 'right',
                render: (c) => (
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    {canEdit && c.type !== 'push' && (
                      <Tooltip label="Run now"><ActionIcon variant="subtle" aria-label={`Run ${c.name} now`} loading={running === c.id} onClick={() => void runNow(c)}><IconPlayerPlay size={16} /></ActionIcon></Tooltip>
                    )}
                    <Tooltip label="Run history"><ActionIcon variant="subtle" aria-label={`Run history of ${c.name}`} onClick={() => setHistory(c)}><IconHistory size={16} /></ActionIcon></Tooltip>
                    {canEdit && <Tooltip label="Edit"><ActionIcon variant="subtle" aria-label={`Edit ${c.name}`} onClick={() => setDrawer({ editing: c })}><IconPencil size={16} /></ActionIcon></Tooltip>}
                  </Group>
                ),
              },
            ]}
          />
        )}
      </Stack>
      {resource.data && (
        <CheckDrawer
          opened={drawer !== null} orgId={org.orgId} editing={drawer?.editing ?? null} types={resource.data.types} controls={resource.data.controls}
          canAdminister={canAdminister(org.role)} onClose={() => setDrawer(null)} onSaved={replace}
        />
      )}
      <RunHistory orgId={org.orgId} check={history} refreshKey={runCount} onClose={() => setHistory(null)} />
    </>
  );
}
