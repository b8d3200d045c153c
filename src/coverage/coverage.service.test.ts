// The service on the real engine and the shipped files, with the org's inputs given through its one loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../lib/errors.ts';
import { createCoverageService } from './coverage.service.ts';
import { loadBuiltInCoverageData } from './coverage.inputs.ts';
import type { CoverageInputs } from './coverage.types.ts';

const data = await loadBuiltInCoverageData();
const orgs: Record<string, CoverageInputs> = {
  soc2only: {
    ...data, scope: ['soc2-2017'],
    links: [{ controlId: 'c1', code: 'ROLES', title: 'Security roles', health: 'healthy', framework: 'iso27001-2013', requirementId: 'A.6.1.1' }],
  },
};
const service = createCoverageService({ inputs: { load: async (orgId) => orgs[orgId]! } });
const rejects = (p: Promise<unknown>, status: number, message: RegExp) =>
  assert.rejects(p, (e: unknown) => e instanceof AppError && e.status === status && message.test(e.message));

test('forOrg reports the scope; with whatIf every framework, the others flagged', async () => {
  assert.deepEqual((await service.forOrg('soc2only')).map((f) => [f.framework.id, f.whatIf]), [['soc2-2017', false]]);
  const all = await service.forOrg('soc2only', { whatIf: true });
  assert.equal(all.length, data.frameworks.length);
  assert.deepEqual(all.filter((f) => !f.whatIf).map((f) => f.framework.id), ['soc2-2017']);
});

test('a framework outside the scope needs whatIf; an unknown one is not found', async () => {
  await rejects(service.forOrg('soc2only', { framework: 'iso27001-2022' }), 400, /not in this organization's scope.*whatIf/);
  const [iso] = await service.forOrg('soc2only', { framework: 'iso27001-2022', whatIf: true });
  assert.equal(iso!.whatIf, true);
  assert.deepEqual(iso!.satisfied.map((r) => r.id), ['A.5.2']);
  await rejects(service.forOrg('soc2only', { framework: 'nope', whatIf: true }), 404, /Framework/);
});

test('explain returns every path of a requirement, with the control as linked', async () => {
  const e = await service.explain('soc2only', 'soc2-2017', 'CC1.3');
  assert.equal(e.status, 'partial');
  assert.equal(e.whatIf, false);
  assert.deepEqual(e.paths[0]!.control, { id: 'c1', code: 'ROLES', title: 'Security roles', health: 'healthy' });
  assert.deepEqual(e.paths[0]!.hops.map((h) => h.to.id), ['A.5.2', 'CC1.3']);
  const gap = await service.explain('soc2only', 'soc2-2017', 'CC9.2');
  assert.equal(gap.status, 'gap');
  assert.deepEqual(gap.paths, []);
  assert.match(gap.reason!, /No control is linked/);
  await rejects(service.explain('soc2only', 'soc2-2017', 'CC6'), 404, /Requirement/); // a group
  await rejects(service.explain('soc2only', 'soc2-2017', 'CC99.9'), 404, /Requirement/);
  await rejects(service.explain('soc2only', 'nope', 'CC6.1'), 404, /Framework/);
});
