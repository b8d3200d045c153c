import { Anchor, Badge, Button, Group, Select, Stack, Switch, Tabs, Text } from '@mantine/core';
import { IconBuildingStore, IconPlus } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { productsApi, vendorsApi } from '../../api/endpoints.ts';
import type { Vendor } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDate } from '../../lib/format.ts';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { ChangesTab } from './ChangesTab.tsx';
import { countryName } from './labels.ts';
import { VendorDrawer } from './VendorDrawer.tsx';

type Row = Vendor & { countriesText: string; categoriesText: string };

/** Vendors and the sub-processor changes their edits imply, announced with advance notice on the Trust Hub. */
export function VendorsPage() {
  const org = useRequiredOrg();
  const isAdmin = canAdminister(org.role);
  const [includeRemoved, setIncludeRemoved] = useState(false);
  const resource = useResource(async () => {
    const [vendors, changes, products] = await Promise.all([vendorsApi.list(org.orgId, includeRemoved), vendorsApi.changes(org.orgId), productsApi.list(org.orgId)]);
    return { vendors: vendors.items, changes: changes.items, products: products.items };
  }, [org.orgId, includeRemoved]);
  const [kind, setKind] = useState<'all' | 'subprocessors' | 'other'>('all');
  const [drawer, setDrawer] = useState<{ editing: Vendor | null } | null>(null);
  const [tab, setTab] = useState<string | null>('vendors');

  const rows = useMemo<Row[] | undefined>(() => resource.data?.vendors
    .filter((v) => kind === 'all' || (kind === 'subprocessors') === v.subprocessor)
    .map((v) => ({ ...v, countriesText: v.countries.map(countryName).join(', '), categoriesText: v.dataCategories.join(', ') })), [resource.data, kind]);
  const table = useTableView(rows, { searchable: ['name', 'services', 'purpose', 'countriesText', 'categoriesText'], initialSort: { columnAccessor: 'name', direction: 'asc' } });
  const drafts = resource.data?.changes.filter((c) => c.status === 'draft').length ?? 0;

  return (
    <>
      <PageHeader
        title="Vendors"
        description="Who you depend on and who processes customer data. Changes to sub-processors are announced with advance notice on the Trust Hub."
        actions={isAdmin && <Button leftSection={<IconPlus size={16} />} onClick={() => setDrawer({ editing: null })} disabled={!resource.data}>Add vendor</Button>}
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
        <Tabs value={tab} onChange={setTab}>
          <Tabs.List mb="md">
            <Tabs.Tab value="vendors">Vendors</Tabs.Tab>
            <Tabs.Tab value="changes" rightSection={drafts ? <Badge size="sm" circle>{drafts}</Badge> : null}>Changes</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="vendors">
            <Stack>
              <Group gap="sm" align="flex-end" wrap="wrap">
                <SearchInput label="Filter vendors" placeholder="Filter by name, purpose, country" value={table.query} onChange={table.setQuery} />
                <Select aria-label="Filter by kind" w={{ base: '100%', xs: 220 }} allowDeselect={false} value={kind} onChange={(v) => setKind((v ?? 'all') as typeof kind)} comboboxProps={{ withinPortal: true }}
                  data={[{ value: 'all', label: 'All vendors' }, { value: 'subprocessors', label: 'Sub-processors' }, { value: 'other', label: 'Other vendors' }]} />
                <Switch label="Show removed" checked={includeRemoved} onChange={(e) => setIncludeRemoved(e.currentTarget.checked)} />
              </Group>
              <DataTable<Row>
                withTableBorder borderRadius="md" highlightOnHover minHeight={table.records.length ? undefined : 200}
                records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
                onRowClick={isAdmin ? ({ record }) => { if (!record.removedAt) setDrawer({ editing: record }); } : undefined}
                noRecordsText={resource.data.vendors.length ? 'Nothing matches the filters' : 'No vendors yet'} noRecordsIcon={<IconBuildingStore size={28} aria-hidden />}
                columns={[
                  {
                    accessor: 'name', title: 'Name', sortable: true, render: (v) => (
                      <Stack gap={0}>
                        <Text size="sm" fw={500}>{v.name}{v.removedAt ? ' (removed)' : ''}</Text>
                        {v.website && <Anchor size="xs" href={v.website} target="_blank" rel="noopener" onClick={(e) => e.stopPropagation()}>{v.website}</Anchor>}
                      </Stack>
                    ),
                  },
                  { accessor: 'services', title: 'Services', sortable: true, render: (v) => <Text size="sm" lineClamp={2}>{v.services || '—'}</Text> },
                  { accessor: 'purpose', title: 'Purpose', render: (v) => <Text size="sm" lineClamp={2}>{v.purpose || '—'}</Text> },
                  { accessor: 'countriesText', title: 'Countries', sortable: true, render: (v) => <Text size="sm" lineClamp={2}>{v.countriesText || '—'}</Text> },
                  { accessor: 'categoriesText', title: 'Data categories', render: (v) => <Text size="sm" lineClamp={2}>{v.categoriesText || '—'}</Text> },
                  { accessor: 'subprocessor', title: 'Sub-processor', sortable: true, width: 140, render: (v) => (v.subprocessor ? <Badge variant="light" tt="none">Yes</Badge> : 'No') },
                  { accessor: 'dpaDate', title: 'DPA', sortable: true, width: 120, render: (v) => (v.dpaDate ? formatDate(v.dpaDate) : '—') },
                ]}
              />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="changes">
            <ChangesTab orgId={org.orgId} changes={resource.data.changes} isAdmin={isAdmin} onChanged={() => void resource.reload()} />
          </Tabs.Panel>
        </Tabs>
      )}
      {resource.data && (
        <VendorDrawer opened={drawer !== null} orgId={org.orgId} editing={drawer?.editing ?? null} products={resource.data.products}
          onClose={() => setDrawer(null)} onSaved={() => void resource.reload()} />
      )}
    </>
  );
}
