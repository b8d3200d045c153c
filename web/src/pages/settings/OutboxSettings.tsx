import { Alert, Anchor, Badge, Card, Group, Stack, Text } from '@mantine/core';
import { IconInfoCircle, IconMail } from '@tabler/icons-react';
import { Fragment } from 'react';
import { outboxApi } from '../../api/endpoints.ts';
import type { OutboxMessage } from '../../api/types.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/FullPageStates.tsx';
import { SectionHeader } from '../../components/SectionHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { useResource } from '../../lib/useResource.ts';

const URL_PATTERN = /(https?:\/\/[^\s]+)/g;

/** Message text with links made clickable and copyable, so an invitation can be passed on by hand. */
function MessageText({ text }: { text: string }) {
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} className="break-anywhere">
      {text.split(URL_PATTERN).map((part, i) => (
        <Fragment key={i}>
          {i % 2 === 1 ? (
            <>
              <Anchor href={part} target="_blank" rel="noreferrer">{part}</Anchor>
              <CopyValueButton value={part} label="Copy link" />
            </>
          ) : part}
        </Fragment>
      ))}
    </Text>
  );
}

export function OutboxSettings() {
  const org = useRequiredOrg();
  const resource = useResource(() => outboxApi.list(org.orgId), [org.orgId]);
  const items: OutboxMessage[] = resource.data?.items ?? [];

  return (
    <Stack>
      <SectionHeader title="Outbox" description="Email Attest sent for this organization." />
      {resource.data?.smtpConfigured ? (
        <Alert variant="light" color="teal" icon={<IconInfoCircle size={18} />}>Email delivery is configured; these messages were also sent by email.</Alert>
      ) : (
        <Alert variant="light" icon={<IconInfoCircle size={18} />}>
          Email delivery (SMTP) is not configured, so messages are kept only here. Copy an invitation link from a message to pass it on.
        </Alert>
      )}
      {resource.error ? <LoadError error={resource.error} onRetry={() => void resource.reload()} /> : !resource.data ? <TableSkeleton rows={3} /> : items.length === 0 ? (
        <EmptyState icon={IconMail} title="No messages">Invitations and notifications sent to people will appear here.</EmptyState>
      ) : (
        <Stack gap="sm" data-testid="outbox">
          {items.map((m) => (
            <Card key={m.id} withBorder radius="md" padding="md" component="article" aria-label={m.subject}>
              <Group justify="space-between" align="flex-start" gap="xs" mb="xs">
                <Stack gap={0}>
                  <Text fw={600}>{m.subject}</Text>
                  <Text size="xs" c="dimmed">To {m.to}</Text>
                </Stack>
                <Group gap={6}>
                  {m.sentAt && <Badge size="xs" variant="light" color="teal">Sent</Badge>}
                  <Text size="xs" c="dimmed">{formatDateTime(m.createdAt)}</Text>
                </Group>
              </Group>
              <MessageText text={m.text} />
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
