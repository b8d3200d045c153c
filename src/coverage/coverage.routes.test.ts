// The coverage API through the real app (built-in catalogs and mappings, no control links yet).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newMember, newOrg, signIn } from '../../tests/support/factories.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

test('summary, framework lists and explanations for a viewer, from the org scope and its controls', async () => {
  const { org, owner } = await newOrg(t);
  const actor = { userId: owner.id, email: owner.email, ip: null };
  await t.app.services.catalog.setScope(org.id, ['soc2-2017', 'iso27001-2022'], actor);
  await t.app.services.controls.create(org.id, {
    code: 'IAM-01', title: 'Multi-factor authentication', description: '', ownerUserId: null, frequency: 'continuous', nature: 'preventive',
    automation: 'automated', lifecycle: 'operating', scope: [], requirements: [{ framework: 'iso27001-2022', id: 'A.8.5' }, { framework: 'soc2-2017', id: 'CC6.1' }],
  }, actor);
  const viewer = await signIn(t, (await newMember(t, org.id, 'viewer')).email);
  const base = `/api/v1/orgs/${org.id}/coverage`;

  const summary = await viewer.get(base);
  assert.equal(summary.statusCode, 200, summary.body);
  assert.deepEqual(summary.json().frameworks.map((f: { framework: { id: string } }) => f.framework.id).sort(), ['iso27001-2022', 'soc2-2017']);
  const soc2 = summary.json().frameworks.find((f: { framework: { id: string } }) => f.framework.id === 'soc2-2017');
  assert.equal(soc2.requirements, 61);
  assert.equal(soc2.satisfied, 1);
  assert.equal(soc2.satisfied + soc2.partial + soc2.gaps, 61);

  const detail = await viewer.get(`${base}/soc2-2017`);
  assert.equal(detail.statusCode, 200, detail.body);
  const body = detail.json();
  assert.deepEqual(Object.keys(body.gaps[0]).sort(), ['best', 'id', 'parentId', 'pathCount', 'reason', 'status', 'title']);
  assert.ok(body.groups.some((g: { id: string; requirements: number }) => g.id === 'CC6' && g.requirements > 0));

  const why = (await viewer.get(`${base}/soc2-2017/requirements/CC6.1`)).json();
  assert.equal(why.status, 'satisfied');
  assert.equal(why.paths[0].control.code, 'IAM-01');
  assert.deepEqual(why.paths[0].hops, []);

  // Outside the scope only as a what-if; requirement ids with spaces travel URL-encoded.
  assert.equal((await viewer.get(`${base}/gdpr`)).statusCode, 400);
  const art = await viewer.get(`${base}/gdpr/requirements/${encodeURIComponent('Art. 32')}?whatIf=true`);
  assert.equal(art.statusCode, 200, art.body);
  assert.deepEqual([art.json().requirement.id, art.json().status], ['Art. 32', 'gap']);
});

test('unknown frameworks and requirements are 404, malformed parameters 400', async () => {
  const { org, owner } = await newOrg(t);
  const agent = await signIn(t, owner.email);
  const base = `/api/v1/orgs/${org.id}/coverage`;
  for (const [url, status, code] of [
    [`${base}/no-such-framework`, 404, 'not_found'],
    [`${base}/soc2-2017/requirements/CC99.9`, 404, 'not_found'],
    [`${base}/soc2-2017/requirements/CC6`, 404, 'not_found'],
    [`${base}/SOC2`, 400, 'invalid_input'],
    [`${base}/soc2-2017?whatIf=maybe`, 400, 'invalid_input'],
  ] as const) {
    const res = await agent.get(url);
    assert.equal(res.statusCode, status, `${url}: ${res.body}`);
    assert.equal(res.json().code, code, url);
  }
});
