import { Alert, Button, Code, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { tokensApi } from '../../api/endpoints.ts';
import type { ApiToken, CreatedToken, TokenScope } from '../../api/types.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';

const EXPIRY_OPTIONS = [
  { value: '7', label: '7 days' }, { value: '30', label: '30 days' }, { value: '90', label: '90 days' }, { value: '365', label: '1 year' },
];

/** Create a token, then show its secret once: the server keeps only a hash, so it cannot be shown again. */
export function CreateTokenModal({ opened, orgId, onClose, onCreated }: {
  opened: boolean; orgId: string; onClose: () => void; onCreated: (token: ApiToken) => void;
}) {
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', scope: 'read' as TokenScope, expiresInDays: '90' },
    validate: { name: requiredRule('Name') },
  });

  const close = () => { form.reset(); setCreated(null); setFormError(null); onClose(); };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const result = await tokensApi.create(orgId, { name: values.name.trim(), scope: values.scope, expiresInDays: Number(values.expiresInDays) });
      setCreated(result);
      onCreated(result.token);
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? 'Copy your new token' : 'Create API token'}
      // Clicking outside must not lose a secret that cannot be shown again.
      closeOnClickOutside={!created}
      closeOnEscape={!created}
    >
      {created ? (
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Shown only once">
            Store this token in your secret manager now. Attest keeps only a fingerprint and cannot show it again.
          </Alert>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Code block className="break-anywhere" style={{ flex: 1, whiteSpace: 'pre-wrap' }} data-testid="token-secret">{created.secret}</Code>
            <CopyValueButton value={created.secret} label="Copy token" />
          </Group>
          <Text size="sm" c="dimmed">Use it as <Code>Authorization: Bearer &lt;token&gt;</Code> against /api/v1.</Text>
          <Group justify="flex-end"><Button onClick={close}>I copied it</Button></Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <FormError message={formError} />
            <TextInput label="Name" description="Where the token is used, e.g. “CI evidence upload”." required data-autofocus {...form.getInputProps('name')} />
            <Select
              label="Access"
              allowDeselect={false}
              data={[{ value: 'read', label: 'Read only' }, { value: 'write', label: 'Read and write' }]}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('scope')}
            />
            <Select label="Expires after" allowDeselect={false} data={EXPIRY_OPTIONS} comboboxProps={{ withinPortal: true }} {...form.getInputProps('expiresInDays')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>Cancel</Button>
              <Button type="submit" loading={form.submitting}>Create token</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
