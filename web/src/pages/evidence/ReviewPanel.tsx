import { Alert, Button, Group, Stack, Switch, Text, Textarea } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { evidenceApi } from '../../api/endpoints.ts';
import type { Evidence } from '../../api/types.ts';
import { notifySuccess } from '../../lib/notify.ts';

/** Accept, or reject with a reason. The server refuses a review by the submitter; its message is shown here. */
export function ReviewPanel({ orgId, evidence, onChanged }: { orgId: string; evidence: Evidence; onChanged: (e: Evidence) => void }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'accepted' | 'rejected' | null>(null);

  const decide = async (decision: 'accepted' | 'rejected') => {
    setError(null);
    if (decision === 'rejected' && !reason.trim()) { setReasonError('Say why the evidence is rejected'); return; }
    setBusy(decision);
    try {
      const updated = await evidenceApi.review(orgId, evidence.id, decision, decision === 'rejected' ? reason.trim() : undefined);
      notifySuccess(decision === 'accepted' ? 'Evidence accepted.' : 'Evidence rejected.', evidence.title);
      setRejecting(false); setReason('');
      onChanged(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="xs">
      {rejecting && (
        <Textarea label="Reason for rejecting" required autosize minRows={2} value={reason} error={reasonError}
          onChange={(e) => { setReason(e.currentTarget.value); setReasonError(null); }} />
      )}
      {error && <Alert color="red" variant="light" role="alert">{error}</Alert>}
      <Group gap="sm">
        {!rejecting && <Button color="teal" leftSection={<IconCheck size={16} />} loading={busy === 'accepted'} onClick={() => void decide('accepted')}>Accept</Button>}
        {rejecting
          ? <><Button color="red" loading={busy === 'rejected'} onClick={() => void decide('rejected')}>Reject evidence</Button><Button variant="default" onClick={() => { setRejecting(false); setReasonError(null); }}>Back</Button></>
          : <Button variant="light" color="red" leftSection={<IconX size={16} />} onClick={() => setRejecting(true)}>Reject…</Button>}
      </Group>
    </Stack>
  );
}

/** Admins place or lift a legal hold; a hold keeps the file past its retention date and needs a reason. */
export function LegalHoldSwitch({ orgId, evidence, onChanged }: { orgId: string; evidence: Evidence; onChanged: (e: Evidence) => void }) {
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const apply = async (hold: boolean) => {
    setError(null);
    if (hold && !reason.trim()) { setError('Say why the evidence is on hold'); return; }
    setBusy(true);
    try {
      const updated = await evidenceApi.setLegalHold(orgId, evidence.id, hold, hold ? reason.trim() : undefined);
      notifySuccess(hold ? 'Legal hold placed: the file is kept past its retention date.' : 'Legal hold lifted.');
      setAsking(false); setReason('');
      onChanged(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Switch label="Legal hold" checked={evidence.legalHold || asking} disabled={busy}
        description={evidence.legalHold ? `On hold: ${evidence.legalHoldReason ?? ''}` : `Kept until ${evidence.retentionUntil}, then the file is deleted`}
        onChange={(e) => (e.currentTarget.checked ? setAsking(true) : evidence.legalHold ? void apply(false) : setAsking(false))} />
      {asking && !evidence.legalHold && (
        <Group align="flex-end" gap="sm">
          <Textarea label="Reason for the hold" autosize minRows={1} style={{ flex: 1 }} value={reason} error={error} onChange={(e) => { setReason(e.currentTarget.value); setError(null); }} />
          <Button loading={busy} onClick={() => void apply(true)}>Place hold</Button>
        </Group>
      )}
      {error && evidence.legalHold && <Text size="sm" c="red" role="alert">{error}</Text>}
    </Stack>
  );
}
