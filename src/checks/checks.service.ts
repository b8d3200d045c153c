import crypto from 'node:crypto';
import type { Repos, Transact } from '../db/repos.ts';
import type { SecretBox } from '../lib/secrets.ts';
import type { JobSender } from '../jobs/jobs.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { hasRole, type Role } from '../lib/roles.ts';
import { decodeCursor, pageResult } from '../lib/pagination.ts';
import { z } from 'zod';
import type { Collector, EvidenceService } from '../evidence/evidence.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { CheckOutcome } from './plugins/check-plugin.ts';
import type { CheckPolicy } from './plugins/policy.ts';
import { checkDefinitionSchema, describePlugins, getPlugin } from './plugins/registry.ts';
import { extractSecrets, keepUnchangedSecrets, redactConfig, type SecretEntry } from './plugins/secrets.ts';
import type { CheckRow, CheckRunRow, DueCheck } from './checks.repo.ts';
import { PUSH_TYPE, type CheckView, type CreateCheckBody, type RunView, type UpdateCheckBody } from './checks.schema.ts';
import { evidenceBody, evidenceTitle, outcomeOf } from './checks.run.ts';

export const CHECKS_SCHEDULE_JOB = 'checks.schedule';
export const CHECKS_RUN_JOB = 'checks.run';
export type CheckTrigger = CheckRunRow['trigger'];
/** Who acts: a member through the API (with their role), or the operator at the CLI. */
export type CheckActor = { userId: string | null; email: string | null; role: Role; via?: 'session' | 'token' };

const SECRETS_PURPOSE = 'check-secrets';
// These read the server's own files or run its programs: only admins may set them up.
const ADMIN_TYPES = new Set(['file', 'logfile', 'command']);
const CLAIM_BATCH = 500;
const runCursor = z.tuple([z.string(), z.string().uuid()]);
type Config = Record<string, unknown>;

export function createChecksService(deps: {
  repos: Repos; transact: Transact; secrets: SecretBox; jobs: JobSender;
  evidence: Pick<EvidenceService, 'addCheckResult'>;
  notifications: Pick<NotificationsService, 'publishTx'>;
  policy: CheckPolicy; maxTimeoutSeconds: number;
}) {
  const { repos, transact, secrets } = deps;
  const pluginFor = (type: string) => (type === PUSH_TYPE ? { secretFields: [] as string[] } : getPlugin(type) ?? { secretFields: [] as string[] });

  function openSecrets(row: Pick<CheckRow, 'sealedSecrets'>): SecretEntry[] {
    return row.sealedSecrets ? JSON.parse(secrets.open(row.sealedSecrets, SECRETS_PURPOSE)) as SecretEntry[] : [];
  }
  /** The config as stored: secret fields redacted, their values sealed apart. */
  function sealConfig(type: string, config: Config) {
    const split = extractSecrets(pluginFor(type), config);
    return { config: split.config, sealedSecrets: split.secrets.length ? secrets.seal(JSON.stringify(split.secrets), SECRETS_PURPOSE) : null };
  }
  function validate(type: string, config: Config): void {
    if (type === PUSH_TYPE) {
      if (Object.keys(config).length) throw new InvalidInputError('A push check has no settings.', [{ path: 'config', message: 'Leave the config empty for a push check' }]);
      return;
    }
    const parsed = checkDefinitionSchema.safeParse({ type, config });
    if (!parsed.success) {
      throw new InvalidInputError('The check settings are not valid.', parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'config', message: i.message })));
    }
  }
  function mayConfigure(type: string, actor: CheckActor) {
    const needed: Role = ADMIN_TYPES.has(type) ? 'admin' : 'editor';
    if (!hasRole(actor.role, needed)) throw new ForbiddenError(`${type} checks read the server's files or run its programs: this needs the ${needed} role or higher.`);
  }
  async function checkControls(orgId: string, ids: readonly string[]) {
    const unique = [...new Set(ids)];
    const found = await repos.controls.existingIds(orgId, unique);
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length) throw new InvalidInputError('Some linked controls do not exist.', missing.map((id) => ({ path: 'controlIds', message: `No control ${id}` })));
    return unique;
  }
  async function find(orgId: string, id: string) {
    const row = await repos.checks.find(orgId, id);
    if (!row) throw new NotFoundError('Check');
    return row;
  }
  function view(row: CheckRow, controlIds: string[]): CheckView {
    const stored = openSecrets(row).map((s) => s.path.join('.'));
    return {
      id: row.id, name: row.name, type: row.type, config: redactConfig(pluginFor(row.type), row.config as Config), secretsStored: stored,
      intervalMinutes: row.intervalMinutes, timeoutSeconds: row.timeoutSeconds, enabled: row.enabled, controlIds,
      createdBy: row.createdBy, createdAt: row.createdAt, updatedAt: row.updatedAt, version: row.version,
      nextRunAt: row.nextRunAt, lastStatus: row.lastStatus, lastRunAt: row.lastRunAt,
    };
  }
  const runView = (r: CheckRunRow): RunView => ({
    id: r.id, checkId: r.checkId, trigger: r.trigger, startedAt: r.startedAt, finishedAt: r.finishedAt, status: r.status,
    summary: r.summary, assertions: r.assertions as RunView['assertions'], output: r.output, evidenceId: r.evidenceId,
  });

  /** Records one run: its evidence (for the linked live controls), the run row, the check's last status, and a notification when it did not pass. */
  async function record(row: CheckRow, trigger: CheckTrigger, outcome: CheckOutcome, startedAt: Date, collector: Collector): Promise<RunView> {
    const orgId = row.orgId;
    const linked = (await repos.checks.controlIds(orgId, [row.id])).get(row.id) ?? [];
    const live = await repos.controls.existingIds(orgId, linked);
    const evidence = await deps.evidence.addCheckResult(orgId, {
      checkId: row.id, status: outcome.status, title: evidenceTitle(row, outcome), output: evidenceBody(row, outcome),
      controlIds: linked.filter((id) => live.has(id)), collectedAt: outcome.observedAt,
    }, collector);
    const finishedAt = new Date();
    const runId = crypto.randomUUID();
    return transact(async (tx) => {
      const run = await tx.checks.insertRun({
        orgId, id: runId, checkId: row.id, trigger, startedAt, finishedAt, status: outcome.status, summary: outcome.summary,
        assertions: outcome.assertions, output: outcome.output, evidenceId: evidence.id,
      });
      // A pushed result restarts the wait for the next one.
      const nextRunAt = row.type === PUSH_TYPE && trigger === 'push' ? new Date(finishedAt.getTime() + row.intervalMinutes * 60_000) : undefined;
      await tx.checks.recordResult(orgId, row.id, { status: outcome.status, at: startedAt, ...(nextRunAt ? { nextRunAt } : {}) });
      if (outcome.status !== 'pass') {
        const owners = [];
        for (const id of linked.slice(0, 50)) {
          const c = await tx.controls.find(orgId, id);
          if (c?.ownerUserId) owners.push(c.ownerUserId);
        }
        // The run id is the event id: a retried job publishes the same run once.
        await deps.notifications.publishTx(tx, orgId, {
          id: runId, type: 'check.failed', subject: { type: 'check', id: row.id, label: row.name },
          data: { status: outcome.status, summary: outcome.summary, trigger, runId, evidenceId: evidence.id }, occurredAt: finishedAt, ownerUserIds: [...new Set(owners)],
        });
      }
      return runView(run);
    });
  }

  async function execute(row: CheckRow, trigger: CheckTrigger, collector: Collector) {
    const startedAt = new Date();
    const outcome = await outcomeOf(row, openSecrets(row), { policy: deps.policy, maxTimeoutSeconds: deps.maxTimeoutSeconds });
    return record(row, trigger, outcome, startedAt, collector);
  }

  return {
    /** The plug-in types and `push`, with the JSON Schema of their settings (the UI builds its forms from it). */
    types: () => [
      ...describePlugins().map((p) => ({ ...p, secretFields: [...p.secretFields], configSchema: p.configSchema as Record<string, unknown> })),
      { type: PUSH_TYPE, title: 'Pushed by a pipeline', description: 'A CI pipeline runs the check and posts its result with an API token; no result within the interval is an error.', secretFields: [], configSchema: { type: 'object', properties: {}, additionalProperties: false } },
    ],
    async list(orgId: string, opts: { includeDisabled: boolean } = { includeDisabled: false }) {
      const rows = await repos.checks.list(orgId, opts);
      const links = await repos.checks.controlIds(orgId, rows.map((r) => r.id));
      return rows.map((r) => view(r, links.get(r.id) ?? []));
    },
    async get(orgId: string, id: string) {
      const row = await find(orgId, id);
      return view(row, (await repos.checks.controlIds(orgId, [id])).get(id) ?? []);
    },
    async create(orgId: string, input: CreateCheckBody, actor: CheckActor) {
      mayConfigure(input.type, actor);
      validate(input.type, input.config);
      const controlIds = await checkControls(orgId, input.controlIds);
      const sealed = sealConfig(input.type, input.config);
      // A push check is given its first interval to report; others are due at once.
      const nextRunAt = input.type === PUSH_TYPE ? new Date(Date.now() + input.intervalMinutes * 60_000) : new Date();
      const row = await transact((tx) => tx.checks.insert({
        orgId, name: input.name, type: input.type, ...sealed, intervalMinutes: input.intervalMinutes,
        timeoutSeconds: Math.min(input.timeoutSeconds ?? deps.maxTimeoutSeconds, deps.maxTimeoutSeconds), enabled: input.enabled,
        createdBy: actor.userId, nextRunAt,
      }, controlIds));
      return view(row, controlIds);
    },
    async update(orgId: string, id: string, input: UpdateCheckBody, actor: CheckActor) {
      const current = await find(orgId, id);
      mayConfigure(current.type, actor);
      let sealed: ReturnType<typeof sealConfig> | undefined;
      if (input.config) {
        const kept = keepUnchangedSecrets(pluginFor(current.type), input.config, openSecrets(current));
        if (kept.missing.length) throw new InvalidInputError('Enter the secret values again.', kept.missing.map((p) => ({ path: `config.${p}`, message: 'No stored value to keep' })));
        validate(current.type, kept.config);
        sealed = sealConfig(current.type, kept.config);
      }
      const controlIds = input.controlIds ? await checkControls(orgId, input.controlIds) : undefined;
      return transact(async (tx) => {
        const row = await tx.checks.update(orgId, id, input.version, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(sealed ?? {}),
          ...(input.intervalMinutes !== undefined ? { intervalMinutes: input.intervalMinutes } : {}),
          ...(input.timeoutSeconds !== undefined ? { timeoutSeconds: Math.min(input.timeoutSeconds, deps.maxTimeoutSeconds) } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        });
        if (!row) throw new ConflictError('Someone changed this check since you read it; reload and try again.');
        if (controlIds) await tx.checks.setControls(orgId, id, controlIds);
        return view(row, controlIds ?? (await tx.checks.controlIds(orgId, [id])).get(id) ?? []);
      });
    },
    /** Checks are disabled, not deleted: their runs and evidence stay. */
    async disable(orgId: string, id: string, actor: CheckActor) {
      const current = await find(orgId, id);
      mayConfigure(current.type, actor);
      if (!current.enabled) return;
      await repos.checks.update(orgId, id, current.version, { enabled: false });
    },
    /** Runs the check in this process now and records the run, its evidence and any failure notification. */
    async runNow(orgId: string, id: string, trigger: 'manual' | 'cli', actor: CheckActor) {
      const row = await find(orgId, id);
      if (row.type === PUSH_TYPE) throw new ConflictError('A push check is run by the pipeline that posts its results.');
      const collector: Collector = trigger === 'cli' ? { kind: 'cli', userId: null, label: 'cli' } : { kind: actor.via === 'token' ? 'token' : 'user', userId: actor.userId, label: actor.email ?? actor.userId ?? 'user' };
      return execute(row, trigger, collector);
    },
    /** A result a CI pipeline ran itself and posted with its API token. */
    async recordPush(orgId: string, id: string, outcome: CheckOutcome, actor: CheckActor) {
      const row = await find(orgId, id);
      if (!row.enabled) throw new ConflictError('This check is disabled.');
      const collector: Collector = { kind: actor.via === 'token' ? 'token' : 'user', userId: actor.userId, label: actor.email ?? actor.userId ?? 'pipeline' };
      return record(row, 'push', outcome, new Date(), collector);
    },
    async history(orgId: string, id: string, page: { cursor?: string | undefined; limit: number }) {
      await find(orgId, id);
      const rows = await repos.checks.runs(orgId, id, decodeCursor(page.cursor, runCursor), page.limit);
      const result = pageResult(rows, page.limit, (r) => [r.startedAt.toISOString(), r.id]);
      return { items: result.items.map(runView), nextCursor: result.nextCursor };
    },

    /** The minute tick: claims due checks once across nodes and queues one run job each. Returns what it claimed. */
    async scheduleDue(): Promise<DueCheck[]> {
      const claimed: DueCheck[] = [];
      for (;;) {
        const due = await repos.checks.claimDue(CLAIM_BATCH);
        for (const d of due) await deps.jobs.send(CHECKS_RUN_JOB, { orgId: d.orgId, id: d.id });
        claimed.push(...due);
        if (due.length < CLAIM_BATCH) return claimed;
      }
    },
    /** The run job: a check disabled since it was claimed is skipped. */
    async runScheduled(orgId: string, id: string) {
      const row = await repos.checks.find(orgId, id);
      if (!row?.enabled) return null;
      return execute(row, 'schedule', { kind: 'check', userId: null, label: 'scheduler' });
    },
  };
}
export type ChecksService = ReturnType<typeof createChecksService>;
