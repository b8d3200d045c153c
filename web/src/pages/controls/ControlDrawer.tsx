import { Button, Divider, Drawer, Group, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { controlsApi } from '../../api/endpoints.ts';
import {
  CONTROL_AUTOMATION, CONTROL_FREQUENCIES, CONTROL_LIFECYCLES, CONTROL_NATURES,
  type ControlDetail, type ControlInput, type Member, type RequirementRef,
} from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { optionsOf } from './labels.ts';
import { RequirementMapping } from './RequirementMapping.tsx';
import { ControlTimeline } from './ControlTimeline.tsx';

const EMPTY: ControlInput = { code: '', title: '', description: '', ownerUserId: null, frequency: 'quarterly', nature: 'preventive', automation: 'manual', lifecycle: 'draft', scope: [] };
const sameRefs = (a: RequirementRef[], b: RequirementRef[]) =>
  a.length === b.length && a.every((r) => b.some((x) => x.framework === r.framework && x.id === r.id));

/** Create or edit a control, its requirement mapping included; `controlId` null creates. */
export function ControlDrawer({ opened, orgId, controlId, members, frameworks, canEdit, onClose, onSaved }: {
  opened: boolean; orgId: string; controlId: string | null; members: Member[]; frameworks: { id: string; name: string }[];
  canEdit: boolean; onClose: () => void; onSaved: () => void;
}) {
  const [control, setControl] = useState<ControlDetail | null>(null);
  const [links, setLinks] = useState<RequirementRef[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ControlInput>({
    mode: 'controlled', initialValues: EMPTY,
    validate: { code: requiredRule('Code'), title: requiredRule('Title') },
  });

  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    setControl(null);
    if (!controlId) { form.setValues(EMPTY); form.resetDirty(EMPTY); setLinks([]); return; }
    controlsApi.get(orgId, controlId).then((c) => {
      setControl(c);
      const values: ControlInput = { code: c.code, title: c.title, description: c.description, ownerUserId: c.ownerUserId, frequency: c.frequency, nature: c.nature, automation: c.automation, lifecycle: c.lifecycle === 'retired' ? 'draft' : c.lifecycle, scope: c.scope };
      form.setValues(values);
      form.resetDirty(values);
      setLinks(c.requirements);
    }, (e: unknown) => setFormError(isApiError(e) ? e.detail : 'Could not load the control.'));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, controlId, orgId]);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      if (!control) {
        await controlsApi.create(orgId, { ...values, requirements: links });
        notifySuccess(`${values.code} created.`);
      } else {
        let version = control.version;
        if (form.isDirty()) version = (await controlsApi.update(orgId, control.id, { ...values, version })).version;
        if (!sameRefs(links, control.requirements)) await controlsApi.setRequirements(orgId, control.id, version, links);
        notifySuccess(`${values.code} saved.`);
      }
      onSaved();
      onClose();
    } catch (error) {
      // A taken code is the code field's problem; a stale version means reload before editing again.
      if (isApiError(error, 409) && /code/.test(error.detail)) form.setFieldError('code', error.detail);
      else setFormError(applyServerErrors(form, error));
    }
  });

  const readOnly = !canEdit;
  const retired = control?.lifecycle === 'retired';
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="lg" title={<Title order={2} size="h4">{controlId ? (control ? `${control.code} · ${control.title}` : 'Control') : 'New control'}</Title>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          {retired && <Text size="sm" c="orange">This control is retired. Choose a stage and save to bring it back.</Text>}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label="Code" required placeholder="IAM-01" readOnly={readOnly} data-autofocus {...form.getInputProps('code')} />
            <TextInput label="Title" required readOnly={readOnly} style={{ gridColumn: 'span 2' }} {...form.getInputProps('title')} />
          </SimpleGrid>
          <Textarea label="Description" autosize minRows={3} maxRows={10} readOnly={readOnly} {...form.getInputProps('description')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label="Owner" placeholder="No owner" clearable searchable readOnly={readOnly} comboboxProps={{ withinPortal: true }}
              data={members.map((m) => ({ value: m.userId, label: `${m.name} (${m.email})` }))} {...form.getInputProps('ownerUserId')} />
            <Select label="Stage" allowDeselect={false} readOnly={readOnly} comboboxProps={{ withinPortal: true }}
              data={optionsOf(CONTROL_LIFECYCLES.filter((l) => l !== 'retired'))} {...form.getInputProps('lifecycle')} />
            <Select label="Frequency" allowDeselect={false} readOnly={readOnly} comboboxProps={{ withinPortal: true }} data={optionsOf(CONTROL_FREQUENCIES)} {...form.getInputProps('frequency')} />
            <Group grow gap="xs">
              <Select label="Nature" allowDeselect={false} readOnly={readOnly} comboboxProps={{ withinPortal: true }} data={optionsOf(CONTROL_NATURES)} {...form.getInputProps('nature')} />
              <Select label="Automation" allowDeselect={false} readOnly={readOnly} comboboxProps={{ withinPortal: true }} data={optionsOf(CONTROL_AUTOMATION)} {...form.getInputProps('automation')} />
            </Group>
          </SimpleGrid>
          <TagsInput label="Products and systems in scope" placeholder="Type and press Enter" readOnly={readOnly} {...form.getInputProps('scope')} />
          <Divider label="Requirements this control satisfies" labelPosition="left" />
          <RequirementMapping orgId={orgId} value={links} onChange={setLinks} frameworks={frameworks} readOnly={readOnly} />
          {canEdit && (
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={onClose}>Cancel</Button>
              <Button type="submit" loading={form.submitting} disabled={!!controlId && !control}>{controlId ? 'Save' : 'Create control'}</Button>
            </Group>
          )}
        </Stack>
      </form>
      {control && (
        <Stack gap="sm" mt="xl">
          <Divider label="Timeline" labelPosition="left" />
          <ControlTimeline orgId={orgId} controlId={control.id} />
        </Stack>
      )}
    </Drawer>
  );
}
