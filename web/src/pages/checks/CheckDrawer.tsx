import { Button, Checkbox, Drawer, Group, JsonInput, MultiSelect, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useMemo, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { checksApi } from '../../api/endpoints.ts';
import type { Check, CheckTypeInfo, Control } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { notifySuccess } from '../../lib/notify.ts';
import { type ConfigField, fieldsOf, toConfig, toFormValues } from './configFields.ts';

type Values = { name: string; type: string; intervalMinutes: number | string; controlIds: string[]; cfg: Record<string, unknown> };

/** Create or edit a check; the settings form is built from the type's JSON Schema. `editing` null creates. */
export function CheckDrawer({ opened, orgId, editing, types, controls, canAdminister, onClose, onSaved }: {
  opened: boolean; orgId: string; editing: Check | null; types: CheckTypeInfo[]; controls: Control[]; canAdminister: boolean;
  onClose: () => void; onSaved: (c: Check) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled', initialValues: { name: '', type: 'http', intervalMinutes: 60, controlIds: [], cfg: {} },
    validate: { name: (v) => (v.trim() ? null : 'Name is required'), intervalMinutes: (v) => (Number(v) >= 1 ? null : 'At least 1 minute') },
  });
  const type = types.find((t) => t.type === form.values.type);
  const fields = useMemo(() => (type ? fieldsOf(type.configSchema, type.secretFields) : []), [type]);

  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    const t = types.find((x) => x.type === (editing?.type ?? 'http'));
    const f = t ? fieldsOf(t.configSchema, t.secretFields) : [];
    form.setValues({
      name: editing?.name ?? '', type: editing?.type ?? 'http', intervalMinutes: editing?.intervalMinutes ?? 60,
      controlIds: editing?.controlIds ?? [], cfg: toFormValues(f, editing?.config ?? {}),
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, editing]);

  const changeType = (next: string | null) => {
    if (!next) return;
    const t = types.find((x) => x.type === next);
    form.setValues({ type: next, cfg: t ? toFormValues(fieldsOf(t.configSchema, t.secretFields), {}) : {} });
  };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const { config, errors } = toConfig(fields, values.cfg, editing?.secretsStored ?? []);
    if (Object.keys(errors).length) { form.setErrors(Object.fromEntries(Object.entries(errors).map(([k, v]) => [`cfg.${k}`, v]))); return; }
    try {
      const body = { name: values.name, config, intervalMinutes: Number(values.intervalMinutes), controlIds: values.controlIds };
      const saved = editing ? await checksApi.update(orgId, editing.id, { ...body, version: editing.version }) : await checksApi.create(orgId, { ...body, type: values.type });
      notifySuccess(`${saved.name} ${editing ? 'saved' : 'created'}.`);
      onSaved(saved);
      onClose();
    } catch (error) {
      if (isApiError(error) && error.errors?.length) {
        const fieldErrors: Record<string, string> = {};
        for (const e of error.errors) {
          const [head, key] = e.path.replace(/^body\./, '').split('.');
          if (head === 'config' && key) fieldErrors[`cfg.${key}`] = e.message;
          else if (head && head in values) fieldErrors[head] = e.message;
        }
        form.setErrors(fieldErrors);
        if (!Object.keys(fieldErrors).length) setFormError(error.detail);
      } else setFormError(isApiError(error) ? error.detail : 'Could not save the check.');
    }
  });

  const adminOnly = new Set(['file', 'logfile', 'command']);
  const typeOptions = types.map((t) => ({ value: t.type, label: t.title, disabled: adminOnly.has(t.type) && !canAdminister }));
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="lg" title={<Title order={2} size="h4">{editing ? editing.name : 'New check'}</Title>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label="Type" allowDeselect={false} disabled={!!editing} data={typeOptions} value={form.values.type} onChange={changeType} comboboxProps={{ withinPortal: true }} />
            <NumberInput label={form.values.type === 'push' ? 'Expect a result every (minutes)' : 'Run every (minutes)'} min={1} required {...form.getInputProps('intervalMinutes')} />
          </SimpleGrid>
          {type && <Text size="sm" c="dimmed">{type.description}{adminOnly.has(type.type) ? ' Only admins can set up this type.' : ''}</Text>}
          <MultiSelect label="Controls this check produces evidence for" searchable clearable comboboxProps={{ withinPortal: true }}
            data={controls.map((c) => ({ value: c.id, label: `${c.code} · ${c.title}` }))} {...form.getInputProps('controlIds')} />
          {fields.length > 0 && <Title order={3} size="h5">Settings</Title>}
          {fields.map((f) => <ConfigInput key={`${form.values.type}.${f.key}`} field={f} stored={editing?.secretsStored.includes(f.key) ?? false} props={form.getInputProps(`cfg.${f.key}`, f.kind === 'boolean' ? { type: 'checkbox' } : undefined)} />)}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>{editing ? 'Save' : 'Create check'}</Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}

function ConfigInput({ field, stored, props }: { field: ConfigField; stored: boolean; props: ReturnType<ReturnType<typeof useForm>['getInputProps']> }) {
  const common = { label: field.label, description: field.description, required: field.required, placeholder: field.placeholder };
  switch (field.kind) {
    case 'secret': return <PasswordInput {...common} required={field.required && !stored} placeholder={stored ? 'stored — leave empty to keep' : undefined} autoComplete="new-password" {...props} />;
    case 'boolean': return <Checkbox label={field.label} description={field.description} {...props} />;
    case 'number': return <NumberInput {...common} {...props} />;
    case 'choice': return <Select {...common} clearable data={field.options ?? []} comboboxProps={{ withinPortal: true }} {...props} />;
    case 'longtext': return <Textarea {...common} autosize minRows={2} maxRows={8} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} {...props} />;
    case 'json': return <JsonInput {...common} autosize minRows={2} maxRows={10} formatOnBlur placeholder={field.placeholder ?? 'JSON, e.g. [] or {}'} {...props} />;
    default: return <TextInput {...common} {...props} />;
  }
}
