import { Anchor, Button, Group, MultiSelect, Select, Stack, Text } from '@mantine/core';
import { IconCertificate2, IconPlus } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { certificationsApi, productsApi } from '../../api/endpoints.ts';
import { CERTIFICATION_STATUSES, type Certification, type CertificationStatus } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDate } from '../../lib/format.ts';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { CertificationDetails } from './CertificationDetails.tsx';
import { CertificationDrawer } from './CertificationDrawer.tsx';
import { ChangeStatusModal } from './ChangeStatusModal.tsx';
import { datesOf, kindLabels, statusLabels } from './labels.ts';
import { StatusBadge } from './StatusBadge.tsx';

type Row = Certification & { frameworkName: string; dates: string; scope: string };

/**
 * The register of certifications, attestation reports and authorizations: what the org holds,
 * what is in progress, and for which products and locations. Admins add, edit and move statuses.
 */
export function CertificationsPage() {
  const org = useRequiredOrg();
  const isAdmin = canAdminister(org.role);
  const resource = useResource(async () => {
    const [certs, frameworks, products] = await Promise.all([
      certificationsApi.list(org.orgId), certificationsApi.frameworks(org.orgId), productsApi.list(org.orgId, true),
    ]);
    return { certs: certs.items, frameworks: frameworks.items, products: products.items };
  }, [org.orgId]);
  const [statuses, setStatuses] = useState<CertificationStatus[]>([]);
  const [framework, setFramework] = useState<string | null>(null);
  const [drawer, setDrawer] = useState<{ editing: Certification | null } | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const [changing, setChanging] = useState<Certification | null>(null);

  const frameworkNames = useMemo(() => new Map((resource.data?.frameworks ?? []).map((f) => [f.id, f.name])), [resource.data]);
  const rows = useMemo<Row[] | undefined>(() => resource.data?.certs
    .filter((c) => (!statuses.length || statuses.includes(c.status)) && (!framework || c.frameworkId === framework))
    .map((c) => ({
      ...c, frameworkName: frameworkNames.get(c.frameworkId) ?? c.frameworkId, dates: datesOf(c),
      scope: [...c.inScope.map((p) => p.name), ...c.outOfScope.map((p) => `${p.name} out of scope`), ...c.locations].join(' '),
    })), [resource.data, statuses, framework, frameworkNames]);
  const table = useTableView(rows, { searchable: ['name', 'frameworkName', 'scope', 'locations'], initialSort: { columnAccessor: 'name', direction: 'asc' } });
  const usedFrameworks = [...new Set((resource.data?.certs ?? []).map((c) => c.frameworkId))].map((id) => ({ value: id, label: frameworkNames.get(id) ?? id }));

  const replace = (c: Certification) => resource.setData((cur) => cur && ({ ...cur, certs: cur.certs.some((x) => x.id === c.id) ? cur.certs.map((x) => (x.id === c.id ? c : x)) : [...cur.certs, c] }));
  const viewed = resource.data?.certs.find((c) => c.id === viewing);

  return (
    <>
      <PageHeader
        title="Certifications"
        description="Certificates, attestation reports and authorizations, with their scope. Lapsed ones are marked expired automatically."
        actions={isAdmin && <Button leftSection={<IconPlus size={16} />} onClick={() => setDrawer({ editing: null })} disabled={!resource.data}>Add</Button>}
      />
      <Stack>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <SearchInput label="Filter the register" placeholder="Filter by name, framework, scope" value={table.query} onChange={table.setQuery} />
          <MultiSelect
            aria-label="Filter by status" placeholder={statuses.length ? undefined : 'Any status'} clearable w={{ base: '100%', xs: 260 }} comboboxProps={{ withinPortal: true }}
            data={CERTIFICATION_STATUSES.map((s) => ({ value: s, label: statusLabels[s] }))} value={statuses} onChange={(v) => setStatuses(v as CertificationStatus[])}
          />
          <Select aria-label="Filter by framework" placeholder="Any framework" clearable w={{ base: '100%', xs: 240 }} data={usedFrameworks} value={framework} onChange={setFramework} comboboxProps={{ withinPortal: true }} />
        </Group>
        {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton /> : (
          <DataTable<Row>
            withTableBorder
            borderRadius="md"
            highlightOnHover
            minHeight={table.records.length ? undefined : 200}
            records={table.records}
            sortStatus={table.sortStatus}
            onSortStatusChange={table.setSortStatus}
            onRowClick={({ record }) => setViewing(record.id)}
            noRecordsText={resource.data.certs.length ? 'Nothing matches the filters' : 'No certifications yet'}
            noRecordsIcon={<IconCertificate2 size={28} aria-hidden />}
            columns={[
              {
                accessor: 'name', title: 'Name', sortable: true,
                render: (c) => (
                  <Stack gap={0}>
                    <Anchor component="button" type="button" size="sm" fw={500} ta="left" onClick={(e) => { e.stopPropagation(); setViewing(c.id); }}>{c.name}</Anchor>
                    <Text size="xs" c="dimmed">{kindLabels[c.kind]}{c.details.program ? ` · ${c.details.program} ${c.details.level ?? ''}` : ''}</Text>
                  </Stack>
                ),
              },
              { accessor: 'frameworkName', title: 'Framework', sortable: true, render: (c) => <Text size="sm" lineClamp={2}>{c.frameworkName}</Text> },
              { accessor: 'status', title: 'Status', sortable: true, width: 160, render: (c) => <StatusBadge status={c.status} /> },
              { accessor: 'dates', title: 'Dates', width: 190 },
              { accessor: 'validUntil', title: 'Valid until', sortable: true, width: 130, render: (c) => (c.validUntil ? formatDate(c.validUntil) : '—') },
              {
                accessor: 'scope', title: 'Scope', width: 220,
                render: (c) => (c.inScope.length || c.outOfScope.length || c.locations.length ? (
                  <Stack gap={0}>
                    {c.inScope.length > 0 && <Text size="sm" lineClamp={1}>{c.inScope.map((p) => p.name).join(', ')}</Text>}
                    {c.outOfScope.length > 0 && <Text size="xs" c="dimmed" lineClamp={1}>Out of scope: {c.outOfScope.map((p) => p.name).join(', ')}</Text>}
                    {c.locations.length > 0 && <Text size="xs" c="dimmed" lineClamp={1}>{c.locations.join(', ')}</Text>}
                  </Stack>
                ) : '—'),
              },
            ]}
          />
        )}
      </Stack>
      {resource.data && (
        <CertificationDrawer
          opened={drawer !== null}
          orgId={org.orgId}
          editing={drawer?.editing ?? null}
          frameworks={resource.data.frameworks}
          products={resource.data.products}
          onClose={() => setDrawer(null)}
          onSaved={replace}
        />
      )}
      <CertificationDetails
        orgId={org.orgId}
        id={drawer || changing ? null : viewing}
        frameworkName={viewed ? (frameworkNames.get(viewed.frameworkId) ?? viewed.frameworkId) : ''}
        version={viewed?.version}
        canEdit={isAdmin}
        onClose={() => setViewing(null)}
        onEdit={(c) => setDrawer({ editing: c })}
        onChangeStatus={(c) => setChanging(c)}
      />
      <ChangeStatusModal orgId={org.orgId} record={changing} onClose={() => setChanging(null)} onChanged={replace} />
    </>
  );
}
