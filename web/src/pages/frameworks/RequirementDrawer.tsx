import { Badge, Code, Drawer, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { frameworksApi } from '../../api/endpoints.ts';
import type { RelatedRequirement, RequirementDetail } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { useResource } from '../../lib/useResource.ts';

function MappingTable({ rows, label, empty }: { rows: RelatedRequirement[]; label: string; empty: string }) {
  if (!rows.length) return <Text size="sm" c="dimmed">{empty}</Text>;
  return (
    <Table aria-label={label} striped withTableBorder verticalSpacing={6}>
      <Table.Thead><Table.Tr><Table.Th>Relationship</Table.Th><Table.Th>Framework</Table.Th><Table.Th>Requirement</Table.Th></Table.Tr></Table.Thead>
      <Table.Tbody>
        {rows.map((m) => (
          <Table.Tr key={`${m.framework}/${m.id}/${m.relationship}/${m.source}`}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}><Badge variant="light" size="sm" tt="none" styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}>{m.relationship}</Badge></Table.Td>
            <Table.Td><Text size="sm">{m.framework}</Text></Table.Td>
            <Table.Td>
              <Text size="sm" fw={600}>{m.id}</Text>
              <Text size="sm">{m.title ?? 'Not in your frameworks'}</Text>
              {m.rationale && <Text size="xs" c="dimmed">{m.rationale}</Text>}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Attrs({ attrs }: { attrs: Record<string, unknown> }) {
  const entries = Object.entries(attrs).filter(([k]) => k !== 'label');
  if (!entries.length) return null;
  return (
    <Group gap={6}>
      {entries.map(([k, v]) => <Badge key={k} variant="outline" color="gray" size="sm">{k}: {Array.isArray(v) ? v.join(', ') : String(v)}</Badge>)}
    </Group>
  );
}

function Body({ r }: { r: RequirementDetail }) {
  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Text size="sm" c="dimmed">{r.framework} · version {r.frameworkVersion}</Text>
        <Title order={2} size="h4">{r.title}</Title>
        <Attrs attrs={r.attrs} />
      </Stack>
      {r.summary && <Text size="sm">{r.summary}</Text>}
      {r.statement && (
        <Stack gap={4}>
          <Title order={3} size="h6">Official statement</Title>
          <Code block style={{ whiteSpace: 'pre-wrap' }}>{r.statement}</Code>
        </Stack>
      )}
      <Stack gap={4}>
        <Title order={3} size="h6">Controls</Title>
        {r.controls.length
          ? r.controls.map((c) => <Text key={c.id} size="sm"><b>{c.id}</b> {c.title}</Text>)
          : <Text size="sm" c="dimmed">No controls satisfy this requirement yet.</Text>}
      </Stack>
      <Stack gap={4}>
        <Title order={3} size="h6">Maps to</Title>
        <MappingTable rows={r.mappings.outgoing} label="Maps to" empty="No mappings from this requirement." />
      </Stack>
      <Stack gap={4}>
        <Title order={3} size="h6">Mapped from</Title>
        <MappingTable rows={r.mappings.incoming} label="Mapped from" empty="No mappings to this requirement." />
      </Stack>
    </Stack>
  );
}

/** A requirement's text, its controls, and its mappings both ways. */
export function RequirementDrawer({ orgId, frameworkId, requirementId, onClose }: {
  orgId: string; frameworkId: string; requirementId: string | null; onClose: () => void;
}) {
  const resource = useResource(
    async () => (requirementId ? frameworksApi.requirement(orgId, frameworkId, requirementId) : null),
    [orgId, frameworkId, requirementId],
  );
  return (
    <Drawer opened={requirementId !== null} onClose={onClose} position="right" size="xl" title={<Text fw={700}>{requirementId}</Text>}>
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} />
        : resource.data ? <Body r={resource.data} /> : <Loader aria-label="Loading requirement" />}
    </Drawer>
  );
}
