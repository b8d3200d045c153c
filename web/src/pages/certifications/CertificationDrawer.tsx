import { Autocomplete, Button, Checkbox, Divider, Drawer, Group, MultiSelect, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { certificationsApi } from '../../api/endpoints.ts';
import {
  CERTIFICATION_KINDS, COVERED_ROLES, ISSUER_ROLES, type Certification, type CertificationDetails, type CertificationInput, type CertificationKind,
  type CertificationStatus, type CoveredRole, type FrameworkChoice, type IssuerRole, type Product,
} from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { applyServerErrors } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { coveredRoleLabels, defaultIssuerRole, issuerRoleLabels, kindLabels, LEVELS, PROGRAMS, statusLabels } from './labels.ts';

type Values = {
  name: string; frameworkId: string; kind: CertificationKind; status: CertificationStatus;
  asOf: string; periodStart: string; periodEnd: string; issuedOn: string; expiresOn: string; certificateNumber: string; verificationId: string; program: string; level: string;
  issuerName: string; issuerRole: IssuerRole; rolesCovered: CoveredRole[]; inScope: string[]; outOfScope: string[]; locations: string[]; scopeNotes: string; public: boolean;
};

/** Which kind-specific fields each kind shows (and which of them it cannot do without). */
const FIELDS: Record<CertificationKind, { show: (keyof Values)[]; required: (keyof Values)[] }> = {
  certificate: { show: ['certificateNumber', 'issuedOn', 'expiresOn'], required: [] },
  'soc2-type1': { show: ['asOf'], required: ['asOf'] },
  'soc2-type2': { show: ['periodStart', 'periodEnd'], required: ['periodStart', 'periodEnd'] },
  soc3: { show: ['periodStart', 'periodEnd'], required: ['periodStart', 'periodEnd'] },
  'attestation-of-compliance': { show: ['issuedOn', 'expiresOn'], required: [] },
  'code-of-conduct': { show: ['verificationId', 'issuedOn', 'expiresOn'], required: [] },
  'government-authorization': { show: ['program', 'level', 'issuedOn', 'expiresOn'], required: ['program', 'level'] },
  other: { show: ['issuedOn', 'expiresOn'], required: [] },
};
const LABELS: Partial<Record<keyof Values, string>> = {
  asOf: 'As of', periodStart: 'Period start', periodEnd: 'Period end', issuedOn: 'Issued on', expiresOn: 'Expires on',
  certificateNumber: 'Certificate number', verificationId: 'Verification id', program: 'Programme', level: 'Level',
};
const ISSUED_LABEL: Partial<Record<CertificationKind, string>> = { 'attestation-of-compliance': 'Assessment date', 'government-authorization': 'Authorized on' };

const blank: Values = {
  name: '', frameworkId: '', kind: 'soc2-type2', status: 'planned', asOf: '', periodStart: '', periodEnd: '', issuedOn: '', expiresOn: '',
  certificateNumber: '', verificationId: '', program: '', level: '', issuerName: '', issuerRole: 'auditor', rolesCovered: [], inScope: [], outOfScope: [],
  locations: [], scopeNotes: '', public: false,
};

function valuesOf(c: Certification): Values {
  const d = c.details;
  return {
    ...blank, name: c.name, frameworkId: c.frameworkId, kind: c.kind, status: c.status,
    asOf: d.asOf ?? '', periodStart: d.periodStart ?? '', periodEnd: d.periodEnd ?? '', issuedOn: d.issuedOn ?? '', expiresOn: d.expiresOn ?? '',
    certificateNumber: d.certificateNumber ?? '', verificationId: d.verificationId ?? '', program: d.program ?? '', level: d.level ?? '',
    issuerName: c.issuer?.name ?? '', issuerRole: c.issuer?.role ?? defaultIssuerRole[c.kind], rolesCovered: c.rolesCovered,
    inScope: c.inScope.map((p) => p.id), outOfScope: c.outOfScope.map((p) => p.id), locations: c.locations, scopeNotes: c.scopeNotes, public: c.public,
  };
}

function inputOf(v: Values): CertificationInput {
  const fields: Record<string, string | null> = { kind: v.kind };
  for (const f of FIELDS[v.kind].show) fields[f] = (v[f] as string).trim() || null;
  const details = fields as unknown as CertificationDetails;
  return {
    frameworkId: v.frameworkId.trim(), name: v.name.trim(), details, issuer: v.issuerName.trim() ? { name: v.issuerName.trim(), role: v.issuerRole } : null,
    rolesCovered: v.rolesCovered, inScope: v.inScope, outOfScope: v.outOfScope, scopeNotes: v.scopeNotes.trim(), locations: v.locations, public: v.public,
  };
}

/** Create or edit a record; the kind decides which dates and identifiers the form asks for. */
export function CertificationDrawer({ opened, orgId, editing, frameworks, products, onClose, onSaved }: {
  opened: boolean; orgId: string; editing: Certification | null; frameworks: FrameworkChoice[]; products: Product[];
  onClose: () => void; onSaved: (c: Certification) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: blank,
    validate: (v) => {
      const errors: Record<string, string> = {};
      if (!v.name.trim()) errors.name = 'Name is required';
      if (!v.frameworkId.trim()) errors.frameworkId = 'Choose a framework';
      for (const f of FIELDS[v.kind].required) if (!(v[f] as string).trim()) errors[f] = `${LABELS[f]} is required for a ${kindLabels[v.kind]}`;
      if (v.periodStart && v.periodEnd && v.periodStart > v.periodEnd) errors.periodEnd = 'The period must end after it starts';
      if (v.issuedOn && v.expiresOn && v.issuedOn > v.expiresOn) errors.expiresOn = 'The expiry date must be after the issue date';
      const both = v.inScope.filter((id) => v.outOfScope.includes(id));
      if (both.length) errors.outOfScope = 'A product cannot be both in and out of scope';
      return errors;
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

  const kind = form.getValues().kind;
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      const saved = editing
        ? await certificationsApi.update(orgId, editing.id, { ...inputOf(v), version: editing.version })
        : await certificationsApi.create(orgId, { ...inputOf(v), status: v.status });
      notifySuccess(`${saved.name} ${editing ? 'saved' : 'added to the register'}.`);
      onSaved(saved);
      onClose();
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    }
  });

  const productOptions = products.map((p) => ({ value: p.id, label: p.archivedAt ? `${p.name} (archived)` : p.name }));
  const frameworkOptions = frameworks.map((f) => ({ value: f.id, label: f.name }));
  const dateField = (f: keyof Values) => (
    <TextInput key={f} type="date" label={f === 'issuedOn' ? (ISSUED_LABEL[kind] ?? LABELS[f]) : LABELS[f]} required={FIELDS[kind].required.includes(f)} {...form.getInputProps(f)} />
  );
  const shown = FIELDS[kind].show;

  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="lg" title={<Text fw={600}>{editing ? `Edit ${editing.name}` : 'Add to the register'}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput label="Name" description="As customers should read it, e.g. “SOC 2 Type II” or “FedRAMP High”." required data-autofocus {...form.getInputProps('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label="Framework" required searchable data={frameworkOptions} nothingFoundMessage="No such framework" comboboxProps={{ withinPortal: true }} {...form.getInputProps('frameworkId')} />
            <Select
              label="Kind" required allowDeselect={false} comboboxProps={{ withinPortal: true }}
              data={CERTIFICATION_KINDS.map((k) => ({ value: k, label: kindLabels[k] }))}
              {...form.getInputProps('kind')}
              onChange={(k) => {
                if (!k) return;
                form.setFieldValue('kind', k as CertificationKind);
                if (!form.getValues().issuerName) form.setFieldValue('issuerRole', defaultIssuerRole[k as CertificationKind]);
              }}
            />
          </SimpleGrid>
          {!editing && (
            <Select
              label="Status" description="Later changes go through “Change status”, with a reason." allowDeselect={false} comboboxProps={{ withinPortal: true }}
              data={(['planned', 'in-process', 'audit-complete', 'certified', 'attested', 'expired'] as const).map((s) => ({ value: s, label: statusLabels[s] }))}
              {...form.getInputProps('status')}
            />
          )}
          <Divider label={kindLabels[kind]} labelPosition="left" />
          <SimpleGrid cols={{ base: 1, sm: 2 }} data-testid="kind-fields">
            {shown.includes('program') && (
              <Autocomplete label="Programme" required data={PROGRAMS} comboboxProps={{ withinPortal: true }} {...form.getInputProps('program')} />
            )}
            {shown.includes('level') && (
              <Autocomplete label="Level" required data={LEVELS[form.getValues().program] ?? []} comboboxProps={{ withinPortal: true }} {...form.getInputProps('level')} />
            )}
            {shown.includes('certificateNumber') && <TextInput label="Certificate number" {...form.getInputProps('certificateNumber')} />}
            {shown.includes('verificationId') && <TextInput label="Verification id" description="Given by the monitoring body" {...form.getInputProps('verificationId')} />}
            {shown.filter((f) => ['asOf', 'periodStart', 'periodEnd', 'issuedOn', 'expiresOn'].includes(f)).map(dateField)}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Issuer" description="Auditor, assessor, certification or monitoring body" {...form.getInputProps('issuerName')} />
            <Select label="Issuer role" allowDeselect={false} comboboxProps={{ withinPortal: true }} data={ISSUER_ROLES.map((r) => ({ value: r, label: issuerRoleLabels[r] }))} {...form.getInputProps('issuerRole')} />
          </SimpleGrid>
          <MultiSelect label="Roles covered" data={COVERED_ROLES.map((r) => ({ value: r, label: coveredRoleLabels[r] }))} comboboxProps={{ withinPortal: true }} {...form.getInputProps('rolesCovered')} />
          <Divider label="Scope" labelPosition="left" />
          <MultiSelect label="Products and services in scope" searchable data={productOptions} nothingFoundMessage="Add products under Settings → Products & services" comboboxProps={{ withinPortal: true }} {...form.getInputProps('inScope')} />
          <MultiSelect label="Explicitly out of scope" searchable data={productOptions} comboboxProps={{ withinPortal: true }} {...form.getInputProps('outOfScope')} />
          <TagsInput label="Locations" description="Data centres or regions in scope; press Enter after each" {...form.getInputProps('locations')} />
          <Textarea label="Scope notes" autosize minRows={2} {...form.getInputProps('scopeNotes')} />
          <Checkbox label="Show on the Trust Hub" {...form.getInputProps('public', { type: 'checkbox' })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>{editing ? 'Save' : 'Add'}</Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}
