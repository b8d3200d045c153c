import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';

/** Form-level error (not tied to one field), announced to screen readers when it appears. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
      {message}
    </Alert>
  );
}
