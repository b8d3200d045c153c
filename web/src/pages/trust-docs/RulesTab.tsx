import { Button, Group, Modal, MultiSelect, NumberInput, Paper, Select, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBuilding, IconPlus } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { trustDocsApi } from '../../api/endpoints.ts';
import { CUSTOMER_PLANS, type AccessRules, type CustomerAccount, type CustomerPlan } from '../../api/trust-docs.types.ts';
import { LoadError } from '../../components/FullPageStates.tsx';
import { FormError } from '../../components/FormError.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useResource } from '../../lib/useResource.ts';

const planLabel = (p: CustomerPlan) => p[0]!.toUpperCase() + p.slice(1);

/** Auto-approval: requests from allow-listed domains, or from customers on chosen plans, are approved at once. */
export function RulesTab({ orgId }: { orgId: string }) {
  const resource = useResource(async () => {
    const [rules, accounts] = await Promise.all([trustDocsApi.rules(orgId), trustDocsApi.accounts(orgId)]);
    return { rules, accounts: accounts.items };
  }, [orgId]);
  const form = useForm<AccessRules>({ initialValues: { allowedDomains: [], autoApprovePlans: [], grantDays: 30 } });
  const [formError, setFormError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  // The form starts from the saved rules once they arrive (and again after a reload).
  useEffect(() => { if (resource.data) form.setValues(resource.data.rules); }, [resource.data?.rules]);

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      const rules = await trustDocsApi.setRules(orgId, v);
      resource.setData((cur) => cur && { ...cur, rules });
      notifySuccess('Rules saved.');
    } catch (e) { setFormError(applyServerErrors(form, e)); }
  });
  async function remove(a: CustomerAccount) {
    try {
      await trustDocsApi.deleteAccount(orgId, a.id);
      resource.setData((cur) => cur && { ...cur, accounts: cur.accounts.filter((x) => x.id !== a.id) });
      notifySuccess(`${a.companyName} removed.`);
    } catch (e) { notifyError(e); }
  }

  if (resource.error) return <LoadError error={resource.error} onRetry={() => void resource.reload()} />;
  if (!resource.data) return <TableSkeleton />;
  return (
    <Stack>
      <Paper withBorder p="md" maw={820}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={3} size="h5">Auto-approval rules</Title>
            <FormError message={formError} />
            <TagsInput label="Allowed email domains" description="Requests from these exact domains are approved at once. Press Enter after each." placeholder="customer.example" {...form.getInputProps('allowedDomains')} />
            <MultiSelect label="Customer plans approved at once" description="A requester whose email domain belongs to a customer account on one of these plans" data={CUSTOMER_PLANS.map((p) => ({ value: p, label: planLabel(p) }))} {...form.getInputProps('autoApprovePlans')} comboboxProps={{ withinPortal: true }} />
            <NumberInput label="Grant lifetime (days)" min={1} max={365} w={200} {...form.getInputProps('grantDays')} />
            <Button type="submit" loading={form.submitting} w="fit-content">Save rules</Button>
          </Stack>
        </form>
      </Paper>
      <Group justify="space-between"><Title order={3} size="h5">Customer accounts</Title><Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>Add customer</Button></Group>
      <DataTable<CustomerAccount>
        withTableBorder borderRadius="md" minHeight={resource.data.accounts.length ? undefined : 160} records={resource.data.accounts}
        noRecordsText="No customer accounts yet" noRecordsIcon={<IconBuilding size={28} aria-hidden />}
        columns={[
          { accessor: 'companyName', title: 'Company' },
          { accessor: 'emailDomains', title: 'Email domains', render: (a) => a.emailDomains.join(', ') },
          { accessor: 'plan', title: 'Plan', width: 130, render: (a) => planLabel(a.plan) },
          { accessor: 'actions', title: '', width: 110, render: (a) => <Button size="xs" color="red" variant="subtle" onClick={() => void remove(a)}>Remove</Button> },
        ]}
      />
      <AccountModal orgId={orgId} opened={adding} onClose={() => setAdding(false)} onCreated={(a) => { resource.setData((cur) => cur && { ...cur, accounts: [...cur.accounts, a] }); setAdding(false); }} />
      <Text size="xs" c="dimmed">Auto-approved grants are recorded in the evidence log with the rule that approved them.</Text>
    </Stack>
  );
}

function AccountModal({ orgId, opened, onClose, onCreated }: { orgId: string; opened: boolean; onClose: () => void; onCreated: (a: CustomerAccount) => void }) {
  const form = useForm<{ companyName: string; emailDomains: string[]; plan: CustomerPlan }>({
    initialValues: { companyName: '', emailDomains: [], plan: 'pro' },
    validate: { companyName: requiredRule('Company name'), emailDomains: (v) => (v.length ? null : 'Add at least one email domain') },
  });
  const [formError, setFormError] = useState<string | null>(null);
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      const a = await trustDocsApi.createAccount(orgId, { ...v, companyName: v.companyName.trim() });
      notifySuccess(`${a.companyName} added.`);
      form.reset();
      onCreated(a);
    } catch (e) { setFormError(applyServerErrors(form, e)); }
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Add a customer account">
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput label="Company name" required {...form.getInputProps('companyName')} />
          <TagsInput label="Email domains" placeholder="customer.example" required {...form.getInputProps('emailDomains')} />
          <Select label="Plan" data={CUSTOMER_PLANS.map((p) => ({ value: p, label: planLabel(p) }))} allowDeselect={false} {...form.getInputProps('plan')} comboboxProps={{ withinPortal: true }} />
          <Group justify="flex-end"><Button variant="default" onClick={onClose}>Cancel</Button><Button type="submit" loading={form.submitting}>Add</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}
