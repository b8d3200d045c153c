import { Badge, Button, Group, Menu, Select, Stack, Text } from '@mantine/core';
import { IconDownload, IconListCheck, IconPlus } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { saveFile } from '../../api/client.ts';
import { controlsApi, productsApi, responsibilitiesApi } from '../../api/endpoints.ts';
import type { Responsibility } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { notifyError } from '../../lib/notify.ts';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { ResponsibilityDrawer } from './ResponsibilityDrawer.tsx';

type Row = Responsibility & { criteriaText: string; productsText: string };

/** Complementary user entity controls: what customers must do on their side, per product, with the criteria they support. */
export function ResponsibilitiesPage() {
  const org = useRequiredOrg();
  const isAdmin = canAdminister(org.role);
  const resource = useResource(async () => {
    const [items, products, frameworks] = await Promise.all([responsibilitiesApi.list(org.orgId), productsApi.list(org.orgId), controlsApi.frameworks(org.orgId)]);
    return { items: items.items, products: products.items, frameworks: frameworks.items };
  }, [org.orgId]);
  const [product, setProduct] = useState<string | null>(null);
  const [state, setState] = useState<string | null>(null);
  const [drawer, setDrawer] = useState<{ editing: Responsibility | null } | null>(null);
  const rows = useMemo<Row[] | undefined>(() => resource.data?.items
    .filter((r) => (!product || r.products.length === 0 || r.products.some((p) => p.id === product)) && (!state || (state === 'published') === r.published))
    .map((r) => ({ ...r, criteriaText: r.criteria.map((c) => `${c.framework} ${c.id}`).join(', '), productsText: r.products.map((p) => p.name).join(', ') })), [resource.data, product, state]);
  const table = useTableView(rows, { searchable: ['statement', 'criteriaText', 'productsText'], initialSort: { columnAccessor: 'statement', direction: 'asc' } });
  const exportAs = async (format: 'csv' | 'pdf') => { try { saveFile(await responsibilitiesApi.export(org.orgId, format)); } catch (e) { notifyError(e); } };

  return (
    <>
      <PageHeader
        title="Customer responsibilities"
        description="What customers must do on their side (complementary user entity controls), shown on the Trust Hub per product."
        actions={(
          <Group gap="xs">
            <Menu position="bottom-end">
              <Menu.Target><Button variant="default" leftSection={<IconDownload size={16} />}>Export</Button></Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => void exportAs('csv')}>CSV</Menu.Item>
                <Menu.Item onClick={() => void exportAs('pdf')}>PDF</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {isAdmin && <Button leftSection={<IconPlus size={16} />} onClick={() => setDrawer({ editing: null })} disabled={!resource.data}>Add</Button>}
          </Group>
        )}
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
        <Stack>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <SearchInput label="Filter responsibilities" placeholder="Filter by statement, criterion, product" value={table.query} onChange={table.setQuery} />
            <Select aria-label="Filter by product" placeholder="Any product" clearable w={{ base: '100%', xs: 220 }} data={resource.data.products.map((p) => ({ value: p.id, label: p.name }))} value={product} onChange={setProduct} comboboxProps={{ withinPortal: true }} />
            <Select aria-label="Filter by state" placeholder="Published or draft" clearable w={{ base: '100%', xs: 200 }} data={[{ value: 'published', label: 'Published' }, { value: 'draft', label: 'Draft' }]} value={state} onChange={setState} comboboxProps={{ withinPortal: true }} />
          </Group>
          <DataTable<Row>
            withTableBorder borderRadius="md" highlightOnHover minHeight={table.records.length ? undefined : 200}
            records={table.records} sortStatus={table.sortStatus} onSortStatusChange={table.setSortStatus}
            onRowClick={isAdmin ? ({ record }) => setDrawer({ editing: record }) : undefined}
            noRecordsText={resource.data.items.length ? 'Nothing matches the filters' : 'No customer responsibilities yet'} noRecordsIcon={<IconListCheck size={28} aria-hidden />}
            columns={[
              { accessor: 'statement', title: 'Statement', sortable: true, render: (r) => <Text size="sm">{r.statement}</Text> },
              { accessor: 'criteriaText', title: 'Criteria', width: 260, render: (r) => <Group gap={4}>{r.criteria.map((c) => <Badge key={`${c.framework}:${c.id}`} variant="light" tt="none">{c.id}</Badge>)}</Group> },
              { accessor: 'productsText', title: 'Products', width: 200, render: (r) => <Text size="sm">{r.productsText || 'All products'}</Text> },
              { accessor: 'published', title: 'State', sortable: true, width: 120, render: (r) => <Badge color={r.published ? 'green' : 'gray'} variant="light">{r.published ? 'Published' : 'Draft'}</Badge> },
            ]}
          />
        </Stack>
      )}
      {resource.data && (
        <ResponsibilityDrawer opened={drawer !== null} orgId={org.orgId} editing={drawer?.editing ?? null} products={resource.data.products} frameworks={resource.data.frameworks}
          onClose={() => setDrawer(null)} onSaved={() => void resource.reload()} />
      )}
    </>
  );
}
