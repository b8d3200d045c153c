import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controlHealth, maxEvidenceAgeMs } from './freshness.ts';

const now = new Date('2026-12-01T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

test('a quarterly control is fresh inside its window and grace, stale after', () => {
  const fresh = controlHealth({ frequency: 'quarterly', newestAccepted: { periodEnd: null, collectedAt: daysAgo(95) }, latestChecks: [] }, now);
  assert.equal(fresh.health, 'passing');
  const stale = controlHealth({ frequency: 'quarterly', newestAccepted: { periodEnd: null, collectedAt: daysAgo(103) }, latestChecks: [] }, now);
  assert.equal(stale.health, 'stale');
  assert.ok(stale.staleSince && stale.staleSince < now);
});

test('the period end counts, not the upload time', () => {
  const r = controlHealth({ frequency: 'monthly', newestAccepted: { periodEnd: daysAgo(40), collectedAt: daysAgo(1) }, latestChecks: [] }, now);
  assert.equal(r.health, 'stale');
});

test('a failing check makes the control failing even with fresh evidence; no evidence is its own state', () => {
  const failing = controlHealth({ frequency: 'daily', newestAccepted: { periodEnd: null, collectedAt: daysAgo(0) }, latestChecks: [{ checkId: 'c', status: 'fail', collectedAt: now }] }, now);
  assert.equal(failing.health, 'failing');
  assert.equal(controlHealth({ frequency: 'daily', newestAccepted: null, latestChecks: [] }, now).health, 'no-evidence');
});

test('event-driven controls never go stale; daily ones do after two days', () => {
  assert.equal(maxEvidenceAgeMs('event-driven'), null);
  assert.equal(controlHealth({ frequency: 'event-driven', newestAccepted: { periodEnd: null, collectedAt: daysAgo(900) }, latestChecks: [] }, now).health, 'passing');
  assert.equal(controlHealth({ frequency: 'daily', newestAccepted: { periodEnd: null, collectedAt: daysAgo(2.5) }, latestChecks: [] }, now).health, 'stale');
});
