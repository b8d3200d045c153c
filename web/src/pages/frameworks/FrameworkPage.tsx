import { Anchor, Badge, Button, Collapse, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { saveFile } from '../../api/client.ts';
import { frameworksApi } from '../../api/endpoints.ts';
import type { RequirementNode } from '../../api/types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { notifyError } from '../../lib/notify.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { RequirementDrawer } from './RequirementDrawer.tsx';
import { originLabels } from './FrameworksPage.tsx';

function Node({ node, depth, onOpen }: { node: RequirementNode; depth: number; onOpen: (id: string) => void }) {
  // Groups near the top start open (unless huge); requirements with enhancements start closed.
  const [open, setOpen] = useState(node.kind === 'group' && depth <= 1 && node.children.length < 60);
  const hasChildren = node.children.length > 0;
  const label = typeof node.attrs.label === 'string' ? node.attrs.label : node.id;
  return (
    <div>
      <Group gap={6} wrap="nowrap" pl={depth * 20} py={4} align="flex-start">
        {hasChildren
          ? <UnstyledButton aria-label={`${open ? 'Collapse' : 'Expand'} ${label}`} aria-expanded={open} onClick={() => setOpen((o) => !o)} mt={2}>
              {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
            </UnstyledButton>
          : <span style={{ width: 16, flex: 'none' }} />}
        <UnstyledButton onClick={() => (node.kind === 'group' && hasChildren ? setOpen((o) => !o) : onOpen(node.id))} style={{ flex: 1 }}>
          {/* Some catalogs repeat the id in the title ("Clause 4 Context…"): show it once. */}
          {!node.title.startsWith(label) && <><Text size="sm" fw={node.kind === 'group' ? 700 : 500} span>{label}</Text>{' '}</>}
          <Text size="sm" span fw={node.kind === 'group' && node.title.startsWith(label) ? 700 : undefined}>{node.title}</Text>
          {node.kind === 'requirement' && node.summary && <Text size="xs" c="dimmed" lineClamp={1}>{node.summary}</Text>}
        </UnstyledButton>
        {node.kind === 'requirement' && hasChildren && <Anchor size="xs" component="button" onClick={() => onOpen(node.id)}>Details</Anchor>}
      </Group>
      {hasChildren && <Collapse expanded={open}>{open && node.children.map((c) => <Node key={c.id} node={c} depth={depth + 1} onOpen={onOpen} />)}</Collapse>}
    </div>
  );
}

/** One framework: its requirement tree, a search over it, and a drawer with a requirement's details. */
export function FrameworkPage() {
  const org = useRequiredOrg();
  const { frameworkId = '' } = useParams();
  const resource = useResource(() => frameworksApi.show(org.orgId, frameworkId), [org.orgId, frameworkId]);
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 250);
  const hits = useResource(async () => (debounced.length >= 2 ? frameworksApi.search(org.orgId, debounced, frameworkId) : null), [org.orgId, frameworkId, debounced]);
  const [selected, setSelected] = useState<string | null>(null);

  const exportCatalog = async () => {
    try { saveFile(await frameworksApi.exportOscal(org.orgId, frameworkId)); } catch (error) { notifyError(error, 'Could not export'); }
  };
  const f = resource.data;
  const header = (
    <PageHeader
      title={f?.name ?? 'Framework'}
      description={f ? <>{f.frameworkVersion} · {f.publisher} · {f.requirementCount.toLocaleString()} requirements · version {f.version} <Badge size="xs" variant="light">{originLabels[f.origin]}</Badge>{f.inScope && <> <Badge size="xs" color="teal">In scope</Badge></>}</> : undefined}
      actions={<>
        <Button variant="default" component={Link} to={`/orgs/${org.orgId}/frameworks`}>All frameworks</Button>
        {f && <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={() => void exportCatalog()}>Export OSCAL</Button>}
      </>}
    />
  );
  if (resource.error) return <>{header}<LoadError error={resource.error} onRetry={() => void resource.reload()} /></>;
  if (!f) return <>{header}<TableSkeleton rows={10} /></>;
  return (
    <>
      {header}
      <Stack gap="md">
        <SearchInput label="Search requirements" placeholder="Search id, title or summary" value={query} onChange={setQuery} />
        {debounced.length >= 2 ? (
          <Paper withBorder radius="md" p="sm" aria-label="Search results">
            {!hits.data ? <Text size="sm" c="dimmed">Searching…</Text>
              : !hits.data.length ? <Text size="sm" c="dimmed">No requirement matches “{debounced}”.</Text>
              : hits.data.map((h) => (
                <UnstyledButton key={h.requirementId} display="block" py={4} onClick={() => setSelected(h.requirementId)}>
                  <Text size="sm" span fw={600}>{h.requirementId}</Text> <Text size="sm" span>{h.title}</Text>
                  {h.summary && <Text size="xs" c="dimmed" lineClamp={1}>{h.summary}</Text>}
                </UnstyledButton>
              ))}
          </Paper>
        ) : (
          <Paper withBorder radius="md" p="sm" aria-label="Requirement tree">
            {f.requirements.map((n) => <Node key={n.id} node={n} depth={0} onOpen={setSelected} />)}
          </Paper>
        )}
      </Stack>
      <RequirementDrawer orgId={org.orgId} frameworkId={frameworkId} requirementId={selected} onClose={() => setSelected(null)} />
    </>
  );
}
