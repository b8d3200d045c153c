import { Anchor, Badge, Card, Grid, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { trustHubApi } from '../../api/endpoints.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { CommitmentsCard } from './CommitmentsCard.tsx';
import { HubSettingsForm, type HubDraft } from './HubSettingsForm.tsx';

/** Waits until typing pauses, so the preview is not reloaded on every keystroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The Trust Hub: settings and commitments beside a live preview of the public page. */
export function TrustHubPage() {
  const org = useRequiredOrg();
  const editable = canAdminister(org.role);
  const resource = useResource(() => trustHubApi.settings(org.orgId), [org.orgId]);
  const [draft, setDraft] = useState<HubDraft | null>(null);
  // Bumped after each save so the preview shows what was just stored (commitments included).
  const [revision, setRevision] = useState(0);
  const settled = useDebounced(draft, 400);
  const settings = resource.data;
  const src = settled ? `${trustHubApi.previewUrl(org.orgId, settled)}&r=${revision}` : null;

  return (
    <Stack>
      <SectionHeader
        title="Trust Hub"
        description="The public page where customers see your certifications, scope, commitments and security contact. It is computed from your program, never edited by hand."
        actions={settings ? (
          <Group gap="xs">
            <Badge variant="light" color={settings.published ? 'teal' : 'gray'}>{settings.published ? 'Published' : 'Not published'}</Badge>
            {settings.published && <Anchor href={settings.publicPath} target="_blank" rel="noopener">Open the public page</Anchor>}
          </Group>
        ) : undefined}
      />
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !settings ? <TableSkeleton rows={4} /> : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack>
              <HubSettingsForm orgId={org.orgId} settings={settings} editable={editable} onDraft={setDraft}
                onSaved={(saved) => { resource.setData(() => saved); setRevision((r) => r + 1); }} />
              <CommitmentsCard orgId={org.orgId} editable={editable} onChanged={() => setRevision((r) => r + 1)} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Card withBorder radius="lg" padding={0} style={{ position: 'sticky', top: 16, overflow: 'hidden' }}>
              <Text size="sm" fw={600} px="md" py="xs">Live preview</Text>
              {src && <iframe title="Trust Hub preview" src={src} style={{ width: '100%', height: '78vh', border: 0, display: 'block' }} />}
            </Card>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
