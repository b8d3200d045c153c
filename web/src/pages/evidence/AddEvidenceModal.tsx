import { Button, Group, Modal, MultiSelect, Progress, SimpleGrid, Stack, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useForm } from '@mantine/form';
import { IconFile, IconFileUpload, IconLink, IconUpload, IconWriting, IconX } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { evidenceApi } from '../../api/endpoints.ts';
import type { Control, CreatedEvidence, Evidence, EvidenceMetaInput } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { formatBytes, kindLabels } from './labels.ts';

type Kind = 'file' | 'link' | 'text';
type Values = { title: string; description: string; controlIds: string[]; periodStart: string; periodEnd: string; url: string; body: string };
const EMPTY: Values = { title: '', description: '', controlIds: [], periodStart: '', periodEnd: '', url: '', body: '' };

/** Add evidence (a file by drag-and-drop with upload progress, a link or a written attestation), or a new version of `series`. */
export function AddEvidenceModal({ opened, orgId, controls, series, maxBytes, onClose, onAdded }: {
  opened: boolean; orgId: string; controls: Control[]; series: Evidence | null; maxBytes?: number;
  onClose: () => void; onAdded: (e: Evidence) => void;
}) {
  const [kind, setKind] = useState<Kind>('file');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const form = useForm<Values>({
    mode: 'controlled', initialValues: EMPTY,
    validate: {
      title: (v) => (kind === 'file' && !v.trim() ? null : requiredRule('Title')(v)),
      controlIds: (v) => (v.length ? null : 'Link the evidence to at least one control'),
      periodEnd: (v, all) => (v && all.periodStart && v < all.periodStart ? 'The period ends before it starts' : null),
      url: (v) => (kind !== 'link' ? null : /^https?:\/\/\S+$/i.test(v.trim()) ? null : 'Enter an http(s) link'),
      body: (v) => (kind !== 'text' || v.trim() ? null : 'Write the attestation'),
    },
  });

  useEffect(() => {
    if (!opened) return;
    const start: Values = series
      ? { ...EMPTY, title: series.title, controlIds: series.controlIds, description: series.description }
      : EMPTY;
    form.setValues(start);
    form.resetDirty(start);
    form.clearErrors();
    setKind(series && series.kind !== 'check' ? series.kind : 'file');
    setFile(null); setFileError(null); setFormError(null); setProgress(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, series?.id]);

  const close = () => {
    abort.current?.abort();
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    if (kind === 'file' && !file) { setFileError('Drop a file here or choose one'); return; }
    const meta: EvidenceMetaInput = {
      title: values.title.trim() || file?.name || '', description: values.description.trim(), controlIds: values.controlIds,
      ...(values.periodStart ? { periodStart: values.periodStart } : {}), ...(values.periodEnd ? { periodEnd: values.periodEnd } : {}),
      ...(series ? { seriesId: series.seriesId } : {}),
    };
    try {
      let r: CreatedEvidence;
      if (kind === 'file') {
        abort.current = new AbortController();
        setProgress(0);
        r = await evidenceApi.uploadFile(orgId, file!, meta, setProgress, abort.current.signal);
      } else if (kind === 'link') r = await evidenceApi.addLink(orgId, values.url.trim(), meta);
      else r = await evidenceApi.addText(orgId, values.body.trim(), meta);
      notifySuccess(r.duplicate ? `This is the same as evidence already held (log entry ${r.evidence.ledgerIndex}).` : `Evidence added as log entry ${r.evidence.ledgerIndex}.`, r.evidence.title);
      onAdded(r.evidence);
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      setFormError(applyServerErrors(form, e));
    } finally {
      setProgress(null);
      abort.current = null;
    }
  });

  const uploading = progress !== null;
  return (
    <Modal opened={opened} onClose={close} size="lg" title={series ? `New version of “${series.title}”` : 'Add evidence'}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Tabs value={kind} onChange={(v) => v && setKind(v as Kind)} keepMounted={false}>
            <Tabs.List>
              {(['file', 'link', 'text'] as const).map((k) => (
                <Tabs.Tab key={k} value={k} disabled={!!series && series.kind !== k} leftSection={k === 'file' ? <IconFile size={16} /> : k === 'link' ? <IconLink size={16} /> : <IconWriting size={16} />}>
                  {kindLabels[k]}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="file" pt="md">
              <Dropzone multiple={false} disabled={uploading} {...(maxBytes ? { maxSize: maxBytes } : {})}
                onDrop={(files: File[]) => { setFile(files[0] ?? null); setFileError(null); }}
                onReject={(rejections: { errors: { message: string }[] }[]) => setFileError(rejections[0]?.errors[0]?.message ?? 'That file cannot be uploaded')}
                inputProps={{ 'aria-label': 'Evidence file' }}>
                <Group justify="center" gap="md" mih={110} style={{ pointerEvents: 'none' }}>
                  <Dropzone.Accept><IconUpload size={40} aria-hidden /></Dropzone.Accept>
                  <Dropzone.Reject><IconX size={40} aria-hidden /></Dropzone.Reject>
                  <Dropzone.Idle><IconFileUpload size={40} aria-hidden stroke={1.5} /></Dropzone.Idle>
                  <Stack gap={2}>
                    <Text size="md" fw={500}>{file ? file.name : 'Drop the file here, or click to choose one'}</Text>
                    <Text size="sm" c="dimmed">{file ? `${formatBytes(file.size)} · stored by its SHA-256 and recorded in the evidence log` : 'Exports, screenshots, reports: any type, stored as it is'}</Text>
                  </Stack>
                </Group>
              </Dropzone>
              {fileError && <Text size="sm" c="red" mt={6} role="alert">{fileError}</Text>}
              {uploading && (
                <Stack gap={4} mt="sm">
                  <Progress value={progress * 100} animated aria-label="Upload progress" />
                  <Text size="xs" c="dimmed" data-testid="upload-progress">{progress < 1 ? `Uploading… ${Math.round(progress * 100)}%` : 'Uploaded; recording it in the evidence log…'}</Text>
                </Stack>
              )}
            </Tabs.Panel>
            <Tabs.Panel value="link" pt="md">
              <TextInput label="Link" placeholder="https://…" required {...form.getInputProps('url')} />
            </Tabs.Panel>
            <Tabs.Panel value="text" pt="md">
              <Textarea label="Attestation" description="A statement in your own words, e.g. who reviewed what and when" autosize minRows={4} required {...form.getInputProps('body')} />
            </Tabs.Panel>
          </Tabs>
          <TextInput label="Title" placeholder={kind === 'file' ? 'Defaults to the file name' : undefined} required={kind !== 'file'} {...form.getInputProps('title')} />
          <MultiSelect label="Controls" placeholder="Which controls this supports" searchable required
            data={controls.filter((c) => c.lifecycle !== 'retired').map((c) => ({ value: c.id, label: `${c.code} · ${c.title}` }))}
            {...form.getInputProps('controlIds')} />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TextInput type="date" label="Period from" {...form.getInputProps('periodStart')} />
            <TextInput type="date" label="Period to" {...form.getInputProps('periodEnd')} />
          </SimpleGrid>
          <Textarea label="Notes" autosize minRows={2} {...form.getInputProps('description')} />
          <FormError message={formError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>{uploading ? 'Cancel upload' : 'Cancel'}</Button>
            <Button type="submit" loading={form.submitting} leftSection={<IconUpload size={16} />}>{kind === 'file' ? 'Upload' : 'Add evidence'}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
