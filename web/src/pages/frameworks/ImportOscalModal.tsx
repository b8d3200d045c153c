import { Button, FileInput, Group, Modal, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { frameworksApi } from '../../api/endpoints.ts';
import type { FrameworkImportResult } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors } from '../../lib/forms.ts';

const ID_PATTERN = /^[a-z0-9][a-z0-9.-]{0,79}$/;

/** Upload an OSCAL catalog or profile; shows upload progress, then the server's parse and write. */
export function ImportOscalModal({ opened, orgId, onClose, onImported }: {
  opened: boolean; orgId: string; onClose: () => void; onImported: (result: FrameworkImportResult) => void;
}) {
  const [sent, setSent] = useState<number | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { file: null as File | null, id: '' },
    validate: {
      file: (f) => (f ? null : 'Choose an OSCAL file'),
      id: (v) => (!v.trim() || ID_PATTERN.test(v.trim()) ? null : 'Lower-case letters, digits, dots and dashes'),
    },
  });
  const close = () => { form.reset(); setSent(null); setFormError(null); onClose(); };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setSent(0);
    try {
      const result = await frameworksApi.importOscal(orgId, values.file!, values.id.trim() || undefined, setSent);
      onImported(result);
      close();
    } catch (error) {
      setSent(null);
      // Faults in the document name its line or JSON pointer: they belong to the file field.
      const message = applyServerErrors({ getValues: () => ({}), setErrors: () => undefined }, error);
      if (message) form.setFieldError('file', message);
      else setFormError('The import failed.');
    }
  });

  const uploading = sent !== null;
  return (
    <Modal opened={opened} onClose={close} title="Import OSCAL" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            Import an OSCAL catalog or profile (JSON, YAML or XML). NIST SP 800-53, the FedRAMP baselines and the
            Australian ISM come in this way; profiles are resolved against catalogs this organization imported before.
            Importing again makes a new version and keeps the old one.
          </Text>
          <FileInput
            label="OSCAL file" placeholder="Choose a .json, .yaml or .xml file" accept=".json,.yaml,.yml,.xml,application/json,application/xml"
            leftSection={<IconFileUpload size={16} aria-hidden />} clearable withAsterisk {...form.getInputProps('file')}
          />
          <TextInput
            label="Framework id" description="Optional. Defaults to one derived from the document title; an existing id gets a new version."
            placeholder="e.g. nist-sp800-53-rev5" {...form.getInputProps('id')}
          />
          {uploading && (
            <Stack gap={4} aria-live="polite">
              <Progress value={Math.round((sent ?? 0) * 100)} animated={sent !== null && sent >= 1} aria-label="Upload progress" />
              <Text size="xs" c="dimmed">{sent !== null && sent >= 1 ? 'Uploaded; parsing and saving…' : `Uploading… ${Math.round((sent ?? 0) * 100)}%`}</Text>
            </Stack>
          )}
          <FormError message={formError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={uploading}>Cancel</Button>
            <Button type="submit" loading={uploading}>Import</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
