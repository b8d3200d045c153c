import { Button, Checkbox, Drawer, Group, MultiSelect, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { vendorsApi } from '../../api/endpoints.ts';
import type { Product, Vendor, VendorInput, VendorSaved } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { changeKindLabels } from './labels.ts';

type Values = Omit<VendorInput, 'dpaDate' | 'website'> & { dpaDate: string; website: string };
const blank: Values = { name: '', services: '', purpose: '', countries: [], dataCategories: [], subprocessor: false, dpaDate: '', website: '', productIds: [] };
const valuesOf = (v: Vendor): Values => ({ ...v, dpaDate: v.dpaDate ?? '', website: v.website ?? '' });

/** Add or edit a vendor; the answer lists the sub-processor changes the save implies, to announce from the Changes tab. */
export function VendorDrawer({ opened, orgId, editing, products, onClose, onSaved }: {
  opened: boolean; orgId: string; editing: Vendor | null; products: Product[]; onClose: () => void; onSaved: (saved: VendorSaved) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: blank,
    validate: {
      name: (v) => (v.trim() ? null : 'Name is required'),
      purpose: (v, all) => (all.subprocessor && !v.trim() ? 'A sub-processor needs a purpose' : null),
      countries: (v) => (v.every((c) => /^[A-Za-z]{2}$/.test(c)) ? null : 'Use two-letter ISO 3166 codes, e.g. DE, US'),
      website: (v) => (!v.trim() || /^https?:\/\/\S+$/i.test(v.trim()) ? null : 'Enter a full URL, e.g. https://vendor.example'),
    },
  });
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    form.setValues(editing ? valuesOf(editing) : blank);
    form.resetDirty();
    form.clearErrors();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, editing]);

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    const body: VendorInput = { ...v, name: v.name.trim(), countries: v.countries.map((c) => c.toUpperCase()), dpaDate: v.dpaDate || null, website: v.website.trim() || null };
    try {
      const saved = editing ? await vendorsApi.update(orgId, editing.id, body) : await vendorsApi.create(orgId, body);
      const drafts = saved.changes.map((c) => changeKindLabels[c.kind].toLowerCase());
      notifySuccess(drafts.length ? `Draft change (${drafts.join(', ')}) ready to announce under Changes.` : 'No public change to announce.', `${saved.vendor.name} saved`);
      onSaved(saved);
      onClose();
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="lg" title={<Text fw={600}>{editing ? `Edit ${editing.name}` : 'Add a vendor'}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Services" description="What the vendor provides, e.g. “Cloud hosting”" {...form.getInputProps('services')} />
          <Textarea label="Purpose of processing" autosize minRows={2} required={form.getValues().subprocessor} {...form.getInputProps('purpose')} />
          <TagsInput label="Countries of processing" description="ISO 3166 two-letter codes; press Enter after each" {...form.getInputProps('countries')} />
          <TagsInput label="Data categories" description="e.g. Customer content, Account data" {...form.getInputProps('dataCategories')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput type="date" label="DPA signed on" {...form.getInputProps('dpaDate')} />
            <TextInput label="Website" placeholder="https://" {...form.getInputProps('website')} />
          </SimpleGrid>
          <MultiSelect label="Products it serves" searchable data={products.map((p) => ({ value: p.id, label: p.name }))} comboboxProps={{ withinPortal: true }} {...form.getInputProps('productIds')} />
          <Checkbox label="Sub-processor (processes customer data; listed on the Trust Hub once announced)" {...form.getInputProps('subprocessor', { type: 'checkbox' })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>{editing ? 'Save' : 'Add'}</Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}
