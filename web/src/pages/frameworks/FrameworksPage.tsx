import { Anchor, Badge, Button, Group, Switch, Text } from '@mantine/core';
import { IconCertificate, IconFileImport } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { Link } from 'react-router';
import { frameworksApi } from '../../api/endpoints.ts';
import type { Framework } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { ImportOscalModal } from './ImportOscalModal.tsx';

export const originLabels: Record<Framework['origin'], string> = { builtin: 'Built-in', 'oscal-catalog': 'OSCAL catalog', 'oscal-profile': 'OSCAL profile' };

/** Every framework the org sees (built-in and imported); admins choose which are in scope and import OSCAL. */
export function FrameworksPage() {
  const org = useRequiredOrg();
  const isAdmin = canAdminister(org.role);
  const resource = useResource(() => frameworksApi.list(org.orgId), [org.orgId]);
  const view = useTableView(resource.data, { searchable: ['name', 'id', 'publisher'], initialSort: { columnAccessor: 'name', direction: 'asc' } });
  const [importing, setImporting] = useState(false);
  const [saving, setSaving] = useState<string | null>(null);

  const toggle = async (f: Framework, inScope: boolean) => {
    const current = (resource.data ?? []).filter((x) => x.inScope).map((x) => x.id);
    const next = inScope ? [...current, f.id] : current.filter((id) => id !== f.id);
    setSaving(f.id);
    try {
      const { frameworkIds } = await frameworksApi.setScope(org.orgId, next);
      resource.setData((rows) => rows?.map((r) => ({ ...r, inScope: frameworkIds.includes(r.id) })));
      notifySuccess(`${f.name} is ${inScope ? 'now in' : 'no longer in'} scope.`);
    } catch (error) {
      notifyError(error, 'Could not change the scope');
    } finally {
      setSaving(null);
    }
  };

  const header = (
    <PageHeader
      title="Frameworks"
      description="Built-in catalogs and the OSCAL catalogs and profiles your organization imported. Put the ones you follow in scope."
      actions={isAdmin ? <Button leftSection={<IconFileImport size={16} aria-hidden />} onClick={() => setImporting(true)}>Import OSCAL</Button> : undefined}
    />
  );
  const modal = (
    <ImportOscalModal
      opened={importing} orgId={org.orgId} onClose={() => setImporting(false)}
      onImported={(r) => { notifySuccess(`${r.name}: ${r.requirementCount.toLocaleString()} requirements (version ${r.version}).`, 'Framework imported'); void resource.reload(); }}
    />
  );
  if (resource.error) return <>{header}<LoadError error={resource.error} onRetry={() => void resource.reload()} /></>;
  if (!resource.data) return <>{header}<TableSkeleton rows={8} /></>;
  if (!resource.data.length) {
    return <>{header}{modal}<EmptyState icon={IconCertificate} title="No frameworks yet">Import an OSCAL catalog to get started.</EmptyState></>;
  }

  return (
    <>
      {header}
      {modal}
      <Group mb="md"><SearchInput label="Filter frameworks" value={view.query} onChange={view.setQuery} /></Group>
      <DataTable<Framework>
        withTableBorder borderRadius="md" striped highlightOnHover idAccessor="id" aria-label="Frameworks"
        records={view.records} sortStatus={view.sortStatus} onSortStatusChange={view.setSortStatus}
        noRecordsText="No framework matches the filter"
        columns={[
          {
            accessor: 'name', title: 'Framework', sortable: true,
            render: (f) => (
              <div>
                <Anchor component={Link} to={`/orgs/${org.orgId}/frameworks/${encodeURIComponent(f.id)}`} fw={600}>{f.name}</Anchor>
                <Text size="xs" c="dimmed">{f.id} · {f.publisher}</Text>
              </div>
            ),
          },
          { accessor: 'frameworkVersion', title: 'Edition', sortable: true },
          { accessor: 'version', title: 'Version', sortable: true, textAlign: 'right' },
          { accessor: 'origin', title: 'Source', sortable: true, noWrap: true, render: (f) => <Badge variant="light" tt="none" styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }} color={f.origin === 'builtin' ? 'gray' : 'indigo'}>{originLabels[f.origin]}</Badge> },
          { accessor: 'requirementCount', title: 'Requirements', sortable: true, textAlign: 'right', render: (f) => f.requirementCount.toLocaleString() },
          {
            accessor: 'inScope', title: 'In scope', sortable: true,
            render: (f) => isAdmin
              ? <Switch checked={f.inScope} disabled={saving !== null} aria-label={`${f.name} in scope`} onChange={(e) => void toggle(f, e.currentTarget.checked)} />
              : <Badge variant={f.inScope ? 'filled' : 'outline'} color={f.inScope ? 'teal' : 'gray'}>{f.inScope ? 'In scope' : 'Not in scope'}</Badge>,
          },
        ]}
      />
    </>
  );
}
