import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';

/** Shows a signing secret once (after creation or rotation); the server keeps it sealed and never returns it again. */
export function WebhookSecretModal({ secret, url, onClose }: { secret: string | null; url: string; onClose: () => void }) {
  return (
    <Modal opened={secret !== null} onClose={onClose} title="Copy the signing secret" closeOnClickOutside={false} closeOnEscape={false} size="lg">
      <Stack gap="md">
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Shown only once">
          Store this secret with the receiver at {url}. Attest keeps it encrypted and cannot show it again; rotate it if it is lost.
        </Alert>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Code block className="break-anywhere" style={{ flex: 1, whiteSpace: 'pre-wrap' }} data-testid="webhook-secret">{secret}</Code>
          <CopyValueButton value={secret ?? ''} label="Copy secret" />
        </Group>
        <Text size="sm" c="dimmed">
          Deliveries are signed as in the Standard Webhooks specification: verify the <Code>webhook-signature</Code> header
          (HMAC-SHA256 of <Code>webhook-id.webhook-timestamp.body</Code>) with any Standard Webhooks library.
        </Text>
        <Group justify="flex-end"><Button onClick={onClose}>I copied it</Button></Group>
      </Stack>
    </Modal>
  );
}
