import { ActionIcon, Button, CopyButton, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/** Copy to clipboard with visible confirmation; icon-only by default, labelled for screen readers. */
export function CopyValueButton({ value, label = 'Copy', withText = false }: { value: string; label?: string; withText?: boolean }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) =>
        withText ? (
          <Button size="xs" variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined}
            leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy}>
            {copied ? 'Copied' : label}
          </Button>
        ) : (
          <Tooltip label={copied ? 'Copied' : label} withArrow>
            <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={label}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )
      }
    </CopyButton>
  );
}
