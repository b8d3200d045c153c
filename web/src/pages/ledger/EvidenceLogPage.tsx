import { Anchor, Button, Card, Code, Grid, Group, List, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconHash, IconKey, IconListNumbers, IconShieldLock, IconSignature, IconTerminal2 } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState, type ReactNode } from 'react';
import { ledgerApi, publicLogKeysUrl } from '../../api/endpoints.ts';
import type { LedgerAudit, LedgerCheckpoint, LedgerStatus, Page } from '../../api/types.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useTableView } from '../../lib/useTableView.ts';
import { AuditCard } from './AuditCard.tsx';
import { EntryLookup } from './EntryLookup.tsx';
import { shortHash } from './format.ts';

type Overview = { status: LedgerStatus; audit: LedgerAudit | null; checkpoints: Page<LedgerCheckpoint> };
const AUDIT_TOAST = 'ledger-audit-result';
const VERIFY_COMMAND = 'bin/attest verify BUNDLE --key KEYFILE';

/**
 * The org's evidence log: how big it is, its signed checkpoints, the latest audit (admins can run
 * one or sign a checkpoint now), entry lookup with proof bundles, and how to verify them offline.
 */
export function EvidenceLogPage() {
  const org = useRequiredOrg();
  const isAdmin = canAdminister(org.role);
  const resource = useResource<Overview>(async () => {
    const [status, audit, checkpoints] = await Promise.all([
      ledgerApi.status(org.orgId), ledgerApi.latestAudit(org.orgId), ledgerApi.checkpoints(org.orgId),
    ]);
    return { status, audit, checkpoints };
  }, [org.orgId]);
  const [auditing, setAuditing] = useState(false);
  const [signing, setSigning] = useState(false);

  const runAudit = async () => {
    setAuditing(true);
    // One audit toast at a time: a new result replaces the previous one.
    notifications.hide(AUDIT_TOAST);
    try {
      const audit = await ledgerApi.runAudit(org.orgId);
      resource.setData((cur) => (cur ? { ...cur, audit } : cur));
      if (audit.ok) {
        notifications.show({
          id: AUDIT_TOAST, color: 'teal', title: 'Audit passed: verified', autoClose: 5000,
          message: `${audit.treeSize.toLocaleString()} entries and ${audit.checkpoints.toLocaleString()} checkpoints check out.`,
        });
      } else {
        notifications.show({
          id: AUDIT_TOAST, color: 'red', title: 'Audit found problems', autoClose: 10_000,
          message: `${audit.problemCount} ${audit.problemCount === 1 ? 'problem' : 'problems'}, e.g. ${audit.problems[0]?.message ?? 'see the list'}.`,
        });
      }
    } catch (error) {
      notifyError(error, 'The audit could not run');
    } finally {
      setAuditing(false);
    }
  };

  const signCheckpoint = async () => {
    setSigning(true);
    try {
      const cp = await ledgerApi.signCheckpoint(org.orgId);
      notifySuccess(`Tree of ${cp.treeSize.toLocaleString()} entries, root ${shortHash(cp.rootHash)}.`, 'Checkpoint signed');
      await resource.reload();
    } catch (error) {
      notifyError(error, 'Could not sign a checkpoint');
    } finally {
      setSigning(false);
    }
  };

  const header = (
    <PageHeader
      title="Evidence log"
      description="Tamper-evident and append-only: entries are hashed into a Merkle tree, and signed checkpoints let anyone verify them offline."
      actions={isAdmin && resource.data && resource.data.status.treeSize > 0 ? (
        <Button variant="default" leftSection={<IconSignature size={16} aria-hidden />} loading={signing} onClick={() => void signCheckpoint()}>
          Sign checkpoint now
        </Button>
      ) : undefined}
    />
  );

  if (resource.error) return <>{header}<LoadError error={resource.error} onRetry={() => void resource.reload()} /></>;
  if (!resource.data) {
    return (
      <>
        {header}
        <Stack gap="lg" aria-busy="true" aria-label="Loading">
          <SimpleGrid cols={{ base: 1, md: 2 }}><Skeleton height={220} radius="lg" /><Skeleton height={220} radius="lg" /></SimpleGrid>
          <TableSkeleton rows={4} />
        </Stack>
      </>
    );
  }

  const { status, audit, checkpoints } = resource.data;
  if (status.treeSize === 0) {
    return (
      <>
        {header}
        <EmptyState icon={IconShieldLock} title="The evidence log is empty">
          Evidence, control results and approvals are recorded here as they happen. Once the first entry is in, you can
          audit the log, sign checkpoints and download proof bundles that anyone can verify offline.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      {header}
      <Stack gap="xl">
        <Grid gap="lg" align="stretch">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <SummaryCard status={status} checkpointCount={checkpoints.items.length} moreCheckpoints={!!checkpoints.nextCursor} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <AuditCard audit={audit} running={auditing} canRun={isAdmin} onRun={() => void runAudit()} />
          </Grid.Col>
        </Grid>

        <CheckpointsTable checkpoints={checkpoints.items} loading={resource.loading} />

        <Grid gap="lg" align="stretch">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <EntryLookup orgId={org.orgId} treeSize={status.treeSize} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <VerifyHowTo slug={status.slug} />
          </Grid.Col>
        </Grid>
      </Stack>
    </>
  );
}

function SummaryCard({ status, checkpointCount, moreCheckpoints }: { status: LedgerStatus; checkpointCount: number; moreCheckpoints: boolean }) {
  const cp = status.latestCheckpoint;
  const pending = cp ? status.treeSize - cp.treeSize : status.treeSize;
  return (
    <Card withBorder radius="lg" padding="lg" h="100%" data-testid="log-summary">
      <Stack gap="lg">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} miw={0}>
            <Title order={2} size="h5">Log summary</Title>
            <Text size="xs" c="dimmed" className="break-anywhere">Origin <Code fz="xs">{status.origin}</Code></Text>
          </Stack>
          <ThemeIcon variant="light" size={38} radius="md" aria-hidden><IconShieldLock size={22} stroke={1.7} /></ThemeIcon>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="lg" verticalSpacing="lg">
          <Stat icon={IconListNumbers} label="Entries">
            <Text fz={28} fw={700} lh={1.1} data-testid="tree-size">{status.treeSize.toLocaleString()}</Text>
            <Text size="xs" c="dimmed">
              {pending > 0 ? `${pending.toLocaleString()} not yet in a signed checkpoint` : 'all covered by the latest checkpoint'}
            </Text>
          </Stat>
          <Stat icon={IconSignature} label="Checkpoints">
            <Text fz={28} fw={700} lh={1.1}>{checkpointCount.toLocaleString()}{moreCheckpoints ? '+' : ''}</Text>
            <Text size="xs" c="dimmed">{cp ? `latest signed ${formatDateTime(cp.createdAt)}` : 'none signed yet'}</Text>
          </Stat>
          <Stat icon={IconHash} label="Latest root hash">
            {cp ? (
              <Group gap={4} wrap="nowrap">
                <Tooltip label={cp.rootHash} withArrow multiline maw={360}>
                  <Code fz="sm">{shortHash(cp.rootHash, 16)}</Code>
                </Tooltip>
                <CopyValueButton value={cp.rootHash} label="Copy root hash" />
              </Group>
            ) : <Text size="sm" c="dimmed">—</Text>}
            {cp && <Text size="xs" c="dimmed">tree size {cp.treeSize.toLocaleString()}</Text>}
          </Stat>
          <Stat icon={IconKey} label="Signing key">
            {status.activeKeyId ? (
              <Group gap={4} wrap="nowrap">
                <Code fz="sm">{shortHash(status.activeKeyId, 16)}</Code>
                <CopyValueButton value={status.activeKeyId} label="Copy key id" />
              </Group>
            ) : <Text size="sm" c="dimmed">created with the first checkpoint</Text>}
            <Text size="xs" c="dimmed">Ed25519</Text>
          </Stat>
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

function Stat({ icon: Icon, label, children }: { icon: typeof IconKey; label: string; children: ReactNode }) {
  return (
    <Stack gap={6} miw={0}>
      <Group gap={6}>
        <Icon size={14} color="var(--mantine-color-dimmed)" aria-hidden />
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.04em' }}>{label}</Text>
      </Group>
      {children}
    </Stack>
  );
}

function CheckpointsTable({ checkpoints, loading }: { checkpoints: LedgerCheckpoint[]; loading: boolean }) {
  const table = useTableView(checkpoints, { searchable: ['rootHash', 'keyId'], initialSort: { columnAccessor: 'treeSize', direction: 'desc' } });
  return (
    <Stack gap={0}>
      <SectionHeader title="Signed checkpoints" description="Each checkpoint commits to the whole log at that size; later ones must be consistent with earlier ones." />
      <DataTable<LedgerCheckpoint>
        withTableBorder
        borderRadius="md"
        striped
        fetching={loading}
        idAccessor="treeSize"
        minHeight={table.records.length ? undefined : 160}
        maxHeight={420}
        records={table.records}
        sortStatus={table.sortStatus}
        onSortStatusChange={table.setSortStatus}
        noRecordsText="No checkpoints signed yet"
        noRecordsIcon={<IconSignature size={28} aria-hidden />}
        columns={[
          { accessor: 'treeSize', title: 'Tree size', sortable: true, width: 120, render: (c) => <Text size="sm" fw={600}>{c.treeSize.toLocaleString()}</Text> },
          {
            accessor: 'rootHash', title: 'Root hash', sortable: true,
            render: (c) => (
              <Group gap={4} wrap="nowrap">
                <Code style={{ whiteSpace: 'nowrap' }}>{c.rootHash}</Code>
                <CopyValueButton value={c.rootHash} label="Copy root hash" />
              </Group>
            ),
          },
          { accessor: 'createdAt', title: 'Signed at', sortable: true, width: 190, render: (c) => formatDateTime(c.createdAt) },
          { accessor: 'keyId', title: 'Key', sortable: true, width: 150, render: (c) => <Tooltip label={c.keyId} withArrow><Code>{shortHash(c.keyId, 10)}</Code></Tooltip> },
        ]}
      />
    </Stack>
  );
}

function VerifyHowTo({ slug }: { slug: string }) {
  const keysUrl = publicLogKeysUrl(slug);
  return (
    <Card withBorder radius="lg" padding="lg" h="100%">
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon variant="light" size={32} radius="md" aria-hidden><IconTerminal2 size={18} /></ThemeIcon>
          <Stack gap={0}>
            <Title order={2} size="h5">Verify offline</Title>
            <Text size="xs" c="dimmed">No account or network needed, only the Attest CLI</Text>
          </Stack>
        </Group>
        <List type="ordered" size="sm" spacing="xs">
          <List.Item>Download an entry's proof bundle (look it up on the left).</List.Item>
          <List.Item>
            Download the log's public keys: <Anchor href={keysUrl} download={`${slug}-log-keys.json`}>{keysUrl}</Anchor>
          </List.Item>
          <List.Item>Run:</List.Item>
        </List>
        <Group gap={4} wrap="nowrap">
          <Code block style={{ flex: 1 }}>{VERIFY_COMMAND}</Code>
          <CopyValueButton value={VERIFY_COMMAND} label="Copy command" />
        </Group>
        <Group>
          <Button component="a" href={keysUrl} download={`${slug}-log-keys.json`} variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
            Download public keys
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
