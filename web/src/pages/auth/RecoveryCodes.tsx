import { Alert, Button, Checkbox, Code, Group, SimpleGrid, Stack } from '@mantine/core';
import { IconAlertTriangle, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';

/** Shown exactly once after enrolment; the person must confirm they stored them before moving on. */
export function RecoveryCodes({ codes, onConfirmed }: { codes: string[]; onConfirmed: () => void }) {
  const [saved, setSaved] = useState(false);
  const text = codes.join('\n');

  const download = () => {
    const url = URL.createObjectURL(new Blob([`Attest recovery codes\n\n${text}\n`], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'attest-recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Save your recovery codes">
        Each code signs you in once if you lose your authenticator. They will not be shown again.
      </Alert>
      <SimpleGrid cols={2} spacing="xs" data-testid="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <Code key={code} ta="center" py={6} style={{ fontSize: 14 }}>{code}</Code>
        ))}
      </SimpleGrid>
      <Group gap="sm">
        <CopyValueButton value={text} label="Copy codes" withText />
        <Button variant="default" size="xs" leftSection={<IconDownload size={14} />} onClick={download}>Download</Button>
      </Group>
      <Checkbox label="I saved my recovery codes somewhere safe" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
      <Button disabled={!saved} onClick={onConfirmed}>Continue</Button>
    </Stack>
  );
}
