import { Badge, Loader, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { evidenceApi } from '../../api/endpoints.ts';
import type { EvidenceVerification } from '../../api/types.ts';
import { verificationColors, verificationLabels } from './labels.ts';

// Verification reads the log entry, its checkpoint and (files) re-hashes the stored bytes, so the
// page asks for a few at a time and remembers answers per item for as long as the tab lives.
const cache = new Map<string, Promise<EvidenceVerification>>();
const MAX_IN_FLIGHT = 3;
let inFlight = 0;
const waiting: (() => void)[] = [];

async function limited<T>(run: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
  inFlight++;
  try {
    return await run();
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}

export function loadVerification(orgId: string, id: string, fresh = false): Promise<EvidenceVerification> {
  const key = `${orgId}:${id}`;
  let p = fresh ? undefined : cache.get(key);
  if (!p) {
    p = limited(() => evidenceApi.verification(orgId, id));
    // A failed lookup is not remembered, so the next render may try again.
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

/** The item's verification state against the evidence log, looked up when the badge is shown. */
export function VerificationBadge({ orgId, evidenceId, refreshKey = 0 }: { orgId: string; evidenceId: string; refreshKey?: number }) {
  const [v, setV] = useState<EvidenceVerification | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setFailed(false);
    loadVerification(orgId, evidenceId, refreshKey > 0).then((r) => { if (live) setV(r); }, () => { if (live) setFailed(true); });
    return () => { live = false; };
  }, [orgId, evidenceId, refreshKey]);
  if (failed) return <Badge variant="outline" color="gray">Unknown</Badge>;
  if (!v) return <Loader size="xs" aria-label="Checking the log" />;
  return (
    <Tooltip label={v.detail} withArrow multiline w={280}>
      <Badge size="sm" variant="light" color={verificationColors[v.state]} data-verification={v.state}>{verificationLabels[v.state]}</Badge>
    </Tooltip>
  );
}
