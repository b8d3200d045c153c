// The coverage API through the real app (built-in catalogs and mappings, no control links yet).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newMember, newOrg, signIn } from '../../tests/support/factories.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

test('summary, framework lists and explanations for a viewer', async () => {
  const { org } = await newOrg(t);
  const viewer = await signIn(t, (await newMember(t, org.id, 'viewer')).email);
  const base = `/api/v1/orgs/${org.id}/coverage`;

  const summary = await viewer.get(base);
  assert.equal(summary.statusCode, 200, summary.body);
  const soc2 = summary.json().frameworks.find((f: { framework: { id: string } }) => f.framework.id === 'soc2-2017');
  assert.deepEqual(soc2, { framework: { id: 'soc2-2017', name: soc2.framework.name }, whatIf: false, requirements: 61, satisfied: 0, partial: 0, gaps: 61, fullyCoveredPercent: 0, atLeastPartlyPercent: 0 });

  const detail = await viewer.get(`${base}/soc2-2017?whatIf=true`);
  assert.equal(detail.statusCode, 200, detail.body);
  const body = detail.json();
  assert.equal(body.gaps.length, 61);
  assert.deepEqual(Object.keys(body.gaps[0]).sort(), ['best', 'id', 'parentId', 'pathCount', 'reason', 'status', 'title']);
  assert.ok(body.groups.some((g: { id: string; requirements: number }) => g.id === 'CC6' && g.requirements > 0));

  // Requirement ids with spaces travel URL-encoded.
  const art = await viewer.get(`${base}/gdpr/requirements/${encodeURIComponent('Art. 32')}`);
  assert.equal(art.statusCode, 200, art.body);
  assert.deepEqual([art.json().requirement.id, art.json().status, art.json().paths], ['Art. 32', 'gap', []]);
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
