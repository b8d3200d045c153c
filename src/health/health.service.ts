import { createHash } from 'node:crypto';
import type { Repos, Transact } from '../db/repos.ts';
import { NotFoundError } from '../lib/errors.ts';
import { controlHealth, evidenceTime, type ControlHealth, type HealthResult } from '../evidence/freshness.ts';
import type { CoverageService } from '../coverage/coverage.service.ts';
import type { FrameworkCoverage } from '../coverage/coverage.types.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { MonitoredControl } from './health.repo.ts';
import { buildTimeline } from './health.timeline.ts';

type Deps = {
  repos: Repos;
  transact: Transact;
  coverage: Pick<CoverageService, 'forOrg'>;
  notifications: Pick<NotificationsService, 'publishTx'>;
  /** The clock; tests move it instead of rewriting timestamps. */
  now?: () => Date;
};

export type ControlHealthView = HealthResult & { control: MonitoredControl };
export type HealthCounts = Record<'passing' | 'failing' | 'stale' | 'noEvidence' | 'total', number>;
export type FrameworkHealth = {
  framework: { id: string; name: string };
  requirements: number;
  /** Requirements met by at least one control, fully or partly, whose own health is the one named. */
  passing: number; failing: number; stale: number; noEvidence: number;
  gaps: number;
  /** Fully satisfied through a control that is passing: the requirement is met and shown to be met. */
  satisfiedAndPassing: number;
  fullyCoveredPercent: number | null;
};

const countKey = (h: ControlHealth) => (h === 'no-evidence' ? 'noEvidence' : h);
/** Notified states: a control that turns failing or stale is news; recovering is not. */
const NOTIFIED: Partial<Record<ControlHealth, 'control.failing' | 'control.stale'>> = { failing: 'control.failing', stale: 'control.stale' };

/** A UUID derived from the transition, so a retried publish of the same change is the same event. */
function transitionEventId(orgId: string, controlId: string, transitionId: number): string {
  const h = createHash('sha256').update(`control-health:${orgId}:${controlId}:${transitionId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Which of a requirement's controls decides its health: any passing one carries it, then the worst of the rest. */
function requirementHealth(healths: (string | undefined)[]): ControlHealth {
  if (healths.includes('passing')) return 'passing';
  if (healths.includes('failing')) return 'failing';
  if (healths.includes('stale')) return 'stale';
  return 'no-evidence';
}

export function rollUp(fw: FrameworkCoverage): FrameworkHealth {
  const out: FrameworkHealth = {
    framework: fw.framework, requirements: fw.summary.requirements, passing: 0, failing: 0, stale: 0, noEvidence: 0,
    gaps: fw.summary.gaps, satisfiedAndPassing: 0, fullyCoveredPercent: fw.summary.fullyCoveredPercent,
  };
  for (const r of [...fw.satisfied, ...fw.partial]) {
    out[countKey(requirementHealth(r.paths.map((p) => p.control.health)))]++;
    if (r.status === 'satisfied' && r.paths.some((p) => p.carries === 'full' && p.control.health === 'passing')) out.satisfiedAndPassing++;
  }
  return out;
}

export function createHealthService(deps: Deps) {
  const { repos, transact } = deps;
  const clock = deps.now ?? (() => new Date());

  async function evaluate(r: Repos, orgId: string, now: Date): Promise<ControlHealthView[]> {
    // One after the other: inside a transaction both queries share one connection.
    const controls = await r.health.liveControls(orgId);
    const latest = await r.evidence.latestForControls(orgId);
    const byControl = new Map<string, typeof latest>();
    for (const e of latest) byControl.set(e.controlId, [...(byControl.get(e.controlId) ?? []), e]);
    return controls.map((control) => {
      const rows = byControl.get(control.id) ?? [];
      const newest = rows.reduce<(typeof rows)[number] | null>((a, e) => (!a || evidenceTime(e) > evidenceTime(a) ? e : a), null);
      const latestChecks = rows.filter((e) => e.checkId && e.checkStatus).map((e) => ({ checkId: e.checkId!, status: e.checkStatus!, collectedAt: e.collectedAt }));
      return { control, ...controlHealth({ frequency: control.frequency, newestAccepted: newest, latestChecks }, now) };
    });
  }

  async function monitorOrg(orgId: string, now = clock()) {
    return transact(async (tx) => {
      await tx.health.lockOrg(orgId);
      const current = await evaluate(tx, orgId, now);
      const stored = await tx.health.stored(orgId);
      const before = new Map(stored.map((s) => [s.controlId, s]));
      const published: { controlId: string; type: string; eventId: string }[] = [];
      let transitions = 0;
      for (const c of current) {
        const prev = before.get(c.control.id);
        if (prev?.health === c.health) continue;
        transitions++;
        const at = c.staleSince && c.health === 'stale' ? c.staleSince : now;
        const t = await tx.health.insertTransition({ orgId, controlId: c.control.id, fromHealth: prev?.health ?? null, toHealth: c.health, reason: c.reason, at });
        const type = NOTIFIED[c.health];
        if (!type) continue;
        const eventId = transitionEventId(orgId, c.control.id, t.id);
        await deps.notifications.publishTx(tx, orgId, {
          id: eventId, type, occurredAt: at,
          subject: { type: 'control', id: c.control.id, label: `${c.control.code} ${c.control.title}` },
          data: { code: c.control.code, health: c.health, previous: prev?.health ?? null, reason: c.reason, frequency: c.control.frequency,
            lastEvidenceAt: c.lastEvidenceAt?.toISOString() ?? null, staleSince: c.staleSince?.toISOString() ?? null },
          ...(c.control.ownerUserId ? { ownerUserIds: [c.control.ownerUserId] } : {}),
        });
        published.push({ controlId: c.control.id, type, eventId });
      }
      await tx.health.upsert(current.map((c) => ({ orgId, controlId: c.control.id, health: c.health, reason: c.reason, since: now, checkedAt: now })));
      return { controls: current.length, transitions, published };
    });
  }

  return {
    /** Each live control's health now, with the reason. */
    async controls(orgId: string) {
      const now = clock();
      const [views, stored] = await Promise.all([evaluate(repos, orgId, now), repos.health.stored(orgId)]);
      const since = new Map(stored.map((s) => [s.controlId, s]));
      return views.map((v) => ({ ...v, since: since.get(v.control.id)?.health === v.health ? since.get(v.control.id)!.since : null }));
    },
    /** For the coverage engine: each live control's health by id. */
    async byControl(orgId: string): Promise<Map<string, ControlHealth>> {
      return new Map((await evaluate(repos, orgId, clock())).map((v) => [v.control.id, v.health]));
    },
    /** Counts per state and, per in-scope framework, how many requirements rest on passing, failing or stale controls. */
    async summary(orgId: string) {
      const [views, coverage] = await Promise.all([evaluate(repos, orgId, clock()), deps.coverage.forOrg(orgId)]);
      const counts: HealthCounts = { passing: 0, failing: 0, stale: 0, noEvidence: 0, total: views.length };
      for (const v of views) counts[countKey(v.health)]++;
      return { counts, frameworks: coverage.map(rollUp), computedAt: clock() };
    },
    async timeline(orgId: string, controlId: string, limit = 200) {
      const control = await repos.controls.find(orgId, controlId);
      if (!control) throw new NotFoundError('Control');
      const [evidence, events, transitions] = await Promise.all([
        repos.health.evidenceOf(orgId, controlId, limit), repos.health.controlEvents(orgId, controlId, limit), repos.health.transitions(orgId, controlId, limit),
      ]);
      const reviewIdx = await repos.health.reviewLogIndexes(orgId, evidence.filter((e) => e.reviewedAt).map((e) => e.id));
      return { control: { id: control.id, code: control.code, title: control.title }, items: buildTimeline({ evidence, events, transitions, reviewIdx }).slice(0, limit) };
    },
    /** Recomputes one org, records transitions and publishes control.failing / control.stale once per transition. */
    monitorOrg,
    async monitorAll(now = clock()) {
      let published = 0;
      for (const orgId of await repos.health.monitoredOrgIds()) published += (await monitorOrg(orgId, now)).published.length;
      return { published };
    },
  };
}
export type HealthService = ReturnType<typeof createHealthService>;
