import { Button, Checkbox, Drawer, Group, Input, MultiSelect, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { responsibilitiesApi } from '../../api/endpoints.ts';
import type { Product, RequirementRef, Responsibility, ResponsibilityInput } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { RequirementMapping } from '../controls/RequirementMapping.tsx';

const blank: ResponsibilityInput = { statement: '', criteria: [], productIds: [], published: false };

/** Write a customer responsibility, pick the criteria it supports and the products it applies to. */
export function ResponsibilityDrawer({ opened, orgId, editing, products, frameworks, onClose, onSaved }: {
  opened: boolean; orgId: string; editing: Responsibility | null; products: Product[]; frameworks: { id: string; name: string }[];
  onClose: () => void; onSaved: (r: Responsibility) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ResponsibilityInput>({
    mode: 'controlled', initialValues: blank,
    validate: { statement: (v) => (v.trim() ? null : 'Write what the customer must do') },
  });
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    form.setValues(editing ? { statement: editing.statement, criteria: editing.criteria, productIds: editing.products.map((p) => p.id), published: editing.published } : blank);
    form.clearErrors();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, editing]);

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      const body = { ...v, statement: v.statement.trim() };
      const saved = editing ? await responsibilitiesApi.update(orgId, editing.id, { ...body, version: editing.version }) : await responsibilitiesApi.create(orgId, body);
      notifySuccess(saved.published ? 'Published on the Trust Hub and recorded in the evidence log.' : 'Saved as a draft.', 'Customer responsibility saved');
      onSaved(saved);
      onClose();
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });
  const criteriaError = form.errors.criteria;

  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="lg" title={<Text fw={600}>{editing ? 'Edit customer responsibility' : 'Add a customer responsibility'}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <Textarea label="Statement" description="What the customer must do on its side, e.g. “Enable two-factor authentication alongside usernames and passwords”." autosize minRows={3} required data-autofocus {...form.getInputProps('statement')} />
          <Input.Wrapper label="Criteria" description="The framework requirements this responsibility supports" error={criteriaError}>
            <RequirementMapping orgId={orgId} frameworks={frameworks} value={form.getValues().criteria} onChange={(next: RequirementRef[]) => form.setFieldValue('criteria', next)} />
          </Input.Wrapper>
          <MultiSelect label="Products" description="Leave empty when it applies to every product" searchable data={products.map((p) => ({ value: p.id, label: p.public ? p.name : `${p.name} (not public)` }))} comboboxProps={{ withinPortal: true }} {...form.getInputProps('productIds')} />
          <Checkbox label="Published on the Trust Hub" {...form.getInputProps('published', { type: 'checkbox' })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>{editing ? 'Save' : 'Add'}</Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}
