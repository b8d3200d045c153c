import { Anchor, Badge, Button, Code, Divider, Drawer, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconPlus } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { saveFile } from '../../api/client.ts';
import { evidenceApi } from '../../api/endpoints.ts';
import type { Control, Evidence } from '../../api/types.ts';
import { formatDateTime } from '../../lib/format.ts';
import { notifyError } from '../../lib/notify.ts';
import { ProofBundleButton } from '../ledger/ProofBundleButton.tsx';
import { formatBytes, formatPeriod, kindLabels, statusColors, statusLabels } from './labels.ts';
import { LegalHoldSwitch, ReviewPanel } from './ReviewPanel.tsx';
import { VerificationBadge } from './VerificationBadge.tsx';

const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <Stack gap={2}><Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text><Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>{children}</Text></Stack>
);

/** Everything about one evidence version: its fields, log entry and verification, its series, review and legal hold. */
export function EvidenceDrawer({ orgId, evidenceId, controls, canEdit, isAdmin, onClose, onChanged, onNewVersion, onOpen }: {
  orgId: string; evidenceId: string | null; controls: Control[]; canEdit: boolean; isAdmin: boolean;
  onClose: () => void; onChanged: (e: Evidence) => void; onNewVersion: (e: Evidence) => void; onOpen: (id: string) => void;
}) {
  const [item, setItem] = useState<Evidence | null>(null);
  const [versions, setVersions] = useState<Evidence[]>([]);
  const [refresh, setRefresh] = useState(0);
  useEffect(() => {
    setItem(null); setVersions([]);
    if (!evidenceId) return;
    let live = true;
    evidenceApi.get(orgId, evidenceId).then(async (e) => {
      if (!live) return;
      setItem(e);
      const series = await evidenceApi.list(orgId, { seriesId: e.seriesId }, null, 100);
      if (live) setVersions(series.items);
    }).catch((e: unknown) => notifyError(e, 'Could not load the evidence'));
    return () => { live = false; };
  }, [orgId, evidenceId]);

  const changed = (e: Evidence) => {
    setItem(e);
    setVersions((vs) => vs.map((v) => (v.id === e.id ? e : v)));
    setRefresh((n) => n + 1);
    onChanged(e);
  };
  const code = (id: string) => controls.find((c) => c.id === id);
  const download = async () => {
    try { saveFile(await evidenceApi.download(orgId, item!)); } catch (e) { notifyError(e, 'Could not download the file'); }
  };

  return (
    <Drawer opened={evidenceId !== null} onClose={onClose} position="right" size="lg" title={<Title order={2} size="h3">{item?.title ?? 'Evidence'}</Title>}>
      {!item ? <Loader aria-label="Loading evidence" /> : (
        <Stack gap="md">
          <Group gap="xs">
            <Badge variant="light" color={statusColors[item.status]}>{statusLabels[item.status]}</Badge>
            <Badge variant="outline" color="gray">{kindLabels[item.kind]}</Badge>
            <Badge variant="outline" color="gray">Version {item.version}</Badge>
            {item.legalHold && <Badge color="grape" variant="light">Legal hold</Badge>}
            <VerificationBadge orgId={orgId} evidenceId={item.id} refreshKey={refresh} />
          </Group>
          <Group gap="sm">
            {item.kind === 'file' && !item.purgedAt && <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => void download()}>Download file</Button>}
            {item.ledgerIndex !== null && <ProofBundleButton orgId={orgId} index={item.ledgerIndex} />}
            {canEdit && item.kind !== 'check' && <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => onNewVersion(item)}>Add a new version</Button>}
          </Group>
          {item.status === 'rejected' && item.reviewReason && <Text size="sm" c="red">Rejected: {item.reviewReason}</Text>}
          {canEdit && item.status === 'submitted' && <ReviewPanel orgId={orgId} evidence={item} onChanged={changed} />}
          <Divider />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Field label="Log index">{item.ledgerIndex ?? 'not logged'}</Field>
            <Field label="Collected">{formatDateTime(item.collectedAt)} by {item.collector.label} ({item.collector.kind})</Field>
            <Field label="Period">{formatPeriod(item) || 'none given'}</Field>
            <Field label="Controls">
              <Group gap={4}>{item.controlIds.map((id) => <Badge key={id} size="sm" variant="outline" tt="none">{code(id)?.code ?? id.slice(0, 8)}</Badge>)}</Group>
            </Field>
            {item.kind === 'file' && <Field label="File">{item.fileName} · {formatBytes(item.size)} · {item.mediaType}</Field>}
            {item.url && <Field label="Link"><Anchor href={item.url} target="_blank" rel="noreferrer noopener">{item.url}</Anchor></Field>}
            {item.checkStatus && <Field label="Check result">{item.checkStatus}</Field>}
            {item.reviewedAt && <Field label="Reviewed">{formatDateTime(item.reviewedAt)}</Field>}
            <Field label="Retained until">{item.purgedAt ? `file deleted ${formatDateTime(item.purgedAt)}` : item.retentionUntil}</Field>
          </SimpleGrid>
          {item.sha256 && <Field label="SHA-256"><Code style={{ wordBreak: 'break-all' }}>{item.sha256}</Code></Field>}
          {item.description && <Field label="Notes">{item.description}</Field>}
          {item.body && <Field label={item.kind === 'check' ? 'Output' : 'Attestation'}><Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{item.body}</Text></Field>}
          {isAdmin && <><Divider /><LegalHoldSwitch orgId={orgId} evidence={item} onChanged={changed} /></>}
          <Divider label="Versions" labelPosition="left" />
          <Table striped withTableBorder aria-label="Versions">
            <Table.Thead><Table.Tr><Table.Th>Version</Table.Th><Table.Th>Status</Table.Th><Table.Th>Log index</Table.Th><Table.Th>Collected</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {versions.map((v) => (
                <Table.Tr key={v.id} fw={v.id === item.id ? 600 : undefined}>
                  <Table.Td>{v.id === item.id ? `v${v.version} (this)` : <Anchor component="button" type="button" onClick={() => onOpen(v.id)}>v{v.version}</Anchor>}</Table.Td>
                  <Table.Td><Badge size="sm" variant="light" color={statusColors[v.status]}>{statusLabels[v.status]}</Badge></Table.Td>
                  <Table.Td>{v.ledgerIndex}</Table.Td>
                  <Table.Td>{formatDateTime(v.collectedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Drawer>
  );
}
