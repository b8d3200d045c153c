import { Button, type ButtonProps } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { saveFile } from '../../api/client.ts';
import { ledgerApi } from '../../api/endpoints.ts';
import { notifyError } from '../../lib/notify.ts';

/**
 * Downloads the offline-verifiable proof bundle of one evidence log entry (entry, inclusion proof
 * and signed checkpoint) as `evidence-<index>.bundle.json`. The per-item action for anything
 * recorded in the log; anyone who can see the org may download it.
 */
export function ProofBundleButton({ orgId, index, label = 'Download proof bundle', ...props }: {
  orgId: string; index: number; label?: string;
} & Omit<ButtonProps, 'children' | 'onClick' | 'loading'>) {
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
    setBusy(true);
    try {
      saveFile(await ledgerApi.bundle(orgId, index));
    } catch (error) {
      notifyError(error, 'Could not download the proof bundle');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="light" leftSection={<IconDownload size={16} aria-hidden />} {...props} loading={busy} onClick={() => void onClick()}>
      {label}
    </Button>
  );
}
