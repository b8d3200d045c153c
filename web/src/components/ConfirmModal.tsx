import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { notifyError } from '../lib/notify.ts';

/** Confirmation for destructive actions; stays open and shows a toast if the action fails. */
export function ConfirmModal({ opened, title, children, confirmLabel, onConfirm, onClose }: {
  opened: boolean; title: string; children: ReactNode; confirmLabel: string;
  onConfirm: () => Promise<void>; onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      onClose();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{title}</Text>}>
      <Stack gap="lg">
        <Text size="sm">{children}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
          <Button color="red" onClick={() => void confirm()} loading={busy}>{confirmLabel}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
