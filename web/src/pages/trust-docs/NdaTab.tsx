import { Button, Code, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { trustDocsApi } from '../../api/endpoints.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { FormError } from '../../components/FormError.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { useResource } from '../../lib/useResource.ts';

/** The current NDA and an editor that publishes a new version (acceptances name the version's SHA-256). */
export function NdaTab({ orgId, isAdmin }: { orgId: string; isAdmin: boolean }) {
  const resource = useResource(() => trustDocsApi.ndas(orgId).then((r) => r.items), [orgId]);
  const current = resource.data?.find((n) => n.current);
  const form = useForm({ initialValues: { label: '', text: '' }, validate: { label: requiredRule('Version label'), text: (v) => (v.trim() ? null : 'Enter the NDA text') } });
  const [formError, setFormError] = useState<string | null>(null);
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      const nda = await trustDocsApi.publishNda(orgId, { label: v.label.trim(), text: v.text });
      notifySuccess(`NDA ${nda.label} is now current; new requests accept it.`);
      form.reset();
      await resource.reload();
    } catch (e) { setFormError(applyServerErrors(form, e)); }
  });
  if (resource.error) return <LoadError error={resource.error} onRetry={() => void resource.reload()} />;
  if (!resource.data) return <TableSkeleton />;
  return (
    <Stack maw={820}>
      {current ? (
        <Paper withBorder p="md">
          <Title order={3} size="h5">Current NDA: {current.label}</Title>
          <Text size="xs" c="dimmed">Published {formatDateTime(current.createdAt)} · SHA-256 <Code>{current.sha256}</Code></Text>
          <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>{current.text}</Text>
        </Paper>
      ) : <Text c="dimmed">No NDA yet: visitors cannot request gated documents until one is published.</Text>}
      {isAdmin && (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={3} size="h5">Publish a new version</Title>
            <FormError message={formError} />
            <TextInput label="Version label" placeholder="e.g. 2026-01" required {...form.getInputProps('label')} />
            <Textarea label="NDA text" description="Shown to visitors exactly as written; its SHA-256 is recorded with every acceptance." autosize minRows={8} required {...form.getInputProps('text')} />
            <Button type="submit" loading={form.submitting} w="fit-content">Publish</Button>
          </Stack>
        </form>
      )}
      {resource.data.length > 1 && <Text size="sm" c="dimmed">Earlier versions: {resource.data.filter((n) => !n.current).map((n) => n.label).join(', ')}</Text>}
    </Stack>
  );
}
