/** The per-control timeline, merged from evidence, the security log and health transitions; database-free. */
import type { HealthRepo, HealthTransitionRow } from './health.repo.ts';

type EvidenceEntry = Awaited<ReturnType<HealthRepo['evidenceOf']>>[number];
type ControlEvent = Awaited<ReturnType<HealthRepo['controlEvents']>>[number];

export type TimelineItem = {
  at: Date;
  type: 'evidence.added' | 'evidence.reviewed' | 'check.result' | 'control.changed' | 'health.changed';
  summary: string;
  actor: string | null;
  evidenceId: string | null;
  ledgerIndex: number | null;
  /** The new state for health changes, the check status for check results, the decision for reviews. */
  state: string | null;
  detail: Record<string, unknown>;
};

const controlVerb: Record<string, string> = {
  'control.created': 'Control created', 'control.updated': 'Control edited', 'control.links_changed': 'Requirement links changed',
  'control.retired': 'Control retired', 'control.imported': 'Control imported',
};

export function buildTimeline(input: { evidence: EvidenceEntry[]; events: ControlEvent[]; transitions: HealthTransitionRow[]; reviewIdx: Map<string, number> }): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const e of input.evidence) {
    const base = { actor: e.collectorLabel, evidenceId: e.id, detail: { kind: e.kind, version: e.version, seriesId: e.seriesId } };
    if (e.kind === 'check') {
      items.push({ ...base, at: e.collectedAt, type: 'check.result', summary: `Check result ${e.checkStatus ?? ''}: ${e.title}`.replace('  ', ' '), ledgerIndex: e.ledgerIndex, state: e.checkStatus });
    } else {
      items.push({ ...base, at: e.createdAt, type: 'evidence.added', summary: `Evidence ${e.version > 1 ? `version ${e.version} ` : ''}added: ${e.title}`, ledgerIndex: e.ledgerIndex, state: e.status === 'submitted' ? 'submitted' : null });
    }
    if (e.reviewedAt && e.status !== 'submitted') {
      items.push({
        at: e.reviewedAt, type: 'evidence.reviewed', summary: `Evidence ${e.status}: ${e.title}${e.reviewReason ? ` (${e.reviewReason})` : ''}`,
        actor: null, evidenceId: e.id, ledgerIndex: input.reviewIdx.get(e.id) ?? null, state: e.status, detail: { reason: e.reviewReason },
      });
    }
  }
  for (const ev of input.events) {
    items.push({ at: ev.at, type: 'control.changed', summary: controlVerb[ev.action] ?? ev.action, actor: ev.actorEmail, evidenceId: null, ledgerIndex: null, state: null, detail: { action: ev.action, ...ev.detail } });
  }
  for (const t of input.transitions) {
    items.push({
      at: t.at, type: 'health.changed', summary: `Health ${t.fromHealth ? `${t.fromHealth} → ` : ''}${t.toHealth}: ${t.reason}`,
      actor: null, evidenceId: null, ledgerIndex: null, state: t.toHealth, detail: { from: t.fromHealth, to: t.toHealth },
    });
  }
  return items.sort((a, b) => b.at.getTime() - a.at.getTime());
}
