import { Alert, Button, Card, ColorInput, Group, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { useEffect } from 'react';
import { trustHubApi } from '../../api/endpoints.ts';
import type { HubSettings } from '../../api/types.ts';
import { applyServerErrors, requiredRule } from '../../lib/forms.ts';
import { notifySuccess } from '../../lib/notify.ts';

export type HubDraft = { displayName: string; accentColor: string; intro: string };
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const nullable = (text: string) => (text.trim() ? text.trim() : null);

function valuesOf(s: HubSettings) {
  return {
    published: s.published, displayName: s.displayName, accentColor: s.accentColor, intro: s.intro,
    hosts: s.hosts.join('\n'), securityContacts: s.securityContacts.join('\n'),
    expires: s.securityTxt.expires ? s.securityTxt.expires.slice(0, 10) : '', policy: s.securityTxt.policy ?? '', encryption: s.securityTxt.encryption ?? '',
    acknowledgments: s.securityTxt.acknowledgments ?? '', hiring: s.securityTxt.hiring ?? '', preferredLanguages: s.securityTxt.preferredLanguages.join(', '),
  };
}

/** The hub's settings; field errors from the server land beside their inputs, the rest in a toast. */
export function HubSettingsForm({ orgId, settings, editable, onSaved, onDraft }: {
  orgId: string; settings: HubSettings; editable: boolean; onSaved: (s: HubSettings) => void; onDraft: (d: HubDraft) => void;
}) {
  const form = useForm({
    mode: 'controlled',
    initialValues: valuesOf(settings),
    validate: {
      displayName: requiredRule('Display name'),
      accentColor: (v: string) => (/^#[0-9a-fA-F]{6}$/.test(v) ? null : 'Use a colour like #1c7ed6'),
      expires: (v: string) => (v === '' || !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? null : 'Use a date like 2027-06-30'),
    },
  });
  useEffect(() => {
    form.setInitialValues(valuesOf(settings));
    form.reset();
  }, [settings]); // eslint-disable-line react-hooks/exhaustive-deps
  const { displayName, accentColor, intro } = form.getValues();
  useEffect(() => { onDraft({ displayName, accentColor, intro }); }, [displayName, accentColor, intro]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = form.onSubmit(async (v) => {
    try {
      const saved = await trustHubApi.saveSettings(orgId, {
        version: settings.version, published: v.published, displayName: v.displayName.trim(), accentColor: v.accentColor, intro: v.intro.trim(),
        hosts: lines(v.hosts.toLowerCase()), securityContacts: lines(v.securityContacts),
        securityTxt: {
          expires: v.expires ? `${v.expires}T00:00:00Z` : null, policy: nullable(v.policy), encryption: nullable(v.encryption),
          acknowledgments: nullable(v.acknowledgments), hiring: nullable(v.hiring),
          preferredLanguages: v.preferredLanguages.split(',').map((l) => l.trim()).filter(Boolean),
        },
      });
      onSaved(saved);
      notifySuccess(saved.published ? 'Trust Hub settings saved. The hub is published.' : 'Trust Hub settings saved. The hub is not published.');
    } catch (error) {
      applyServerErrors(form, error, { toast: true });
    }
  });

  return (
    <Card withBorder radius="lg" padding="lg">
      <form onSubmit={submit} noValidate aria-label="Trust Hub settings">
        <Stack gap="md">
          {!editable && <Alert variant="light" icon={<IconLock size={18} />}>Only owners and admins can change the Trust Hub.</Alert>}
          <Switch label="Published" description={`Customers can open ${settings.publicPath}`} disabled={!editable} {...form.getInputProps('published', { type: 'checkbox' })} />
          <TextInput label="Display name" required disabled={!editable} {...form.getInputProps('displayName')} />
          <ColorInput label="Accent colour" format="hex" disabled={!editable} {...form.getInputProps('accentColor')} />
          <Textarea label="Introduction" autosize minRows={2} maxRows={6} disabled={!editable} {...form.getInputProps('intro')} />
          <Textarea label="Custom host names" description="One per line, e.g. trust.example.com; point its DNS at this server" autosize minRows={1} disabled={!editable} {...form.getInputProps('hosts')} />
          <Textarea label="Security contacts" description="One per line: mailto:, https: or tel: addresses" autosize minRows={1} disabled={!editable} {...form.getInputProps('securityContacts')} />
          <TextInput label="security.txt expires on" type="date" description="Less than a year ahead; without it no security.txt is served" disabled={!editable} {...form.getInputProps('expires')} />
          <TextInput label="Disclosure policy URL" placeholder="https://" disabled={!editable} {...form.getInputProps('policy')} />
          <TextInput label="Encryption key URL" placeholder="https://" disabled={!editable} {...form.getInputProps('encryption')} />
          <TextInput label="Acknowledgments URL" placeholder="https://" disabled={!editable} {...form.getInputProps('acknowledgments')} />
          <TextInput label="Hiring URL" placeholder="https://" disabled={!editable} {...form.getInputProps('hiring')} />
          <TextInput label="Preferred languages" description="Comma-separated language tags, e.g. en, de" disabled={!editable} {...form.getInputProps('preferredLanguages')} />
          {editable && (
            <Group justify="flex-end">
              <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty() || form.submitting}>Discard</Button>
              <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>Save settings</Button>
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}
