// The frameworks API over HTTP: import (JSON, YAML, a 10 MB catalog), faults as problem+json with
// their pointer or line, the requirement tree, search, requirement detail with mappings, export, scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stringify as toYaml } from 'yaml';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newMember, newOrg, signIn } from '../../tests/support/factories.ts';
import type { Agent } from '../../tests/support/agent.ts';
import { SHARED_OSCAL } from '../../tests/support/shared.ts';

const CATALOG = `${SHARED_OSCAL}/nist-sp800-53-rev5/superseded/NIST_SP-800-53_rev5_catalog_v5.0.1_2021-06-08.json`;
let t: TestApp;
let agent: Agent;
let orgId: string;
before(async () => {
  t = await startTestApp();
  const { org, owner } = await newOrg(t);
  orgId = org.id;
  agent = await signIn(t, owner.email);
});
after(async () => { await t?.close(); });

const upload = (path: string, text: string, type = 'application/json') => agent.request('POST', `/api/v1/orgs/${orgId}${path}`, text, { 'content-type': type });

test('a 10 MB catalog imports over HTTP; the list, tree, search and export show it', async () => {
  const doc = JSON.parse(readFileSync(CATALOG, 'utf8'));
  // Three renamed copies of every family make a ~10 MB catalog of 4,756 controls.
  const groups = doc.catalog.groups;
  const copy = (prefix: string) => JSON.parse(JSON.stringify(groups).replace(/"id": ?"([a-z0-9_.-]+)"/g, `"id":"${prefix}$1"`));
  doc.catalog.groups = [...groups, ...copy('x1-'), ...copy('x2-'), ...copy('x3-')];
  const text = JSON.stringify(doc, null, 2);
  assert.ok(text.length > 10_000_000, `only ${text.length} bytes`);
  const res = await upload('/frameworks/import?id=nist-big&fileName=big.json', text);
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual([res.json().id, res.json().requirementCount, res.json().version], ['nist-big', 4 * 1189, 1]);

  const list = (await agent.get(`/api/v1/orgs/${orgId}/frameworks`)).json();
  assert.equal(list.find((f: { id: string }) => f.id === 'nist-big').requirementCount, 4756);
  const tree = (await agent.get(`/api/v1/orgs/${orgId}/frameworks/nist-big`)).json();
  assert.equal(tree.requirements.length, 80);
  assert.equal(tree.requirements[0].children[0].id, 'ac-1');
  const hits = (await agent.get(`/api/v1/orgs/${orgId}/requirements?q=x2-ac-2&framework=nist-big`)).json();
  assert.ok(hits.some((h: { requirementId: string }) => h.requirementId === 'x2-ac-2'));
  const exported = await agent.get(`/api/v1/orgs/${orgId}/frameworks/nist-big/export`);
  assert.equal(exported.statusCode, 200);
  assert.match(String(exported.headers['content-disposition']), /nist-big\.oscal-catalog\.json/);
});

test('YAML imports; malformed documents are 400 problems naming the line or pointer', async () => {
  const tiny = { catalog: { uuid: crypto.randomUUID(), metadata: { title: 'Tiny YAML', version: '1', 'oscal-version': '1.2.1', 'last-modified': '2026-01-01T00:00:00Z' }, groups: [{ id: 'g', title: 'G', controls: [{ id: 'g-1', title: 'One', parts: [{ name: 'statement', prose: 'Do the thing.' }] }] }] } };
  const ok = await upload('/frameworks/import', toYaml(tiny), 'application/yaml');
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(ok.json().id, 'tiny-yaml');

  const syntax = await upload('/frameworks/import?fileName=broken.json', '{\n "catalog": {\n   "uuid": 1,,\n }\n}');
  assert.equal(syntax.statusCode, 400);
  assert.match(syntax.headers['content-type'] as string, /problem\+json/);
  assert.match(syntax.json().detail, /broken\.json:3:/);

  tiny.catalog.groups[0]!.controls[0]!.id = 'bad id';
  const field = await upload('/frameworks/import?fileName=field.json', JSON.stringify(tiny));
  assert.equal(field.statusCode, 400);
  assert.deepEqual(field.json().errors.map((e: { path: string }) => e.path), ['/catalog/groups/0/controls/0/id']);
  const yamlField = await upload('/frameworks/import?fileName=field.yaml', toYaml(tiny), 'application/yaml');
  assert.equal(yamlField.statusCode, 400);
  assert.match(yamlField.json().detail, /field\.yaml:\d+ at \/catalog\/groups\/0\/controls\/0\/id/);
  const list = (await agent.get(`/api/v1/orgs/${orgId}/frameworks`)).json();
  assert.equal(list.filter((f: { id: string }) => f.id === 'tiny-yaml').length, 1);
  assert.equal(list.find((f: { id: string }) => f.id === 'tiny-yaml').version, 1);
});

test('requirement detail: mappings both ways with titles, and a controls array', async () => {
  const res = await agent.get(`/api/v1/orgs/${orgId}/frameworks/iso27001-2022/requirements/${encodeURIComponent('A.5.1')}`);
  assert.equal(res.statusCode, 200, res.body);
  const r = res.json();
  assert.equal(r.id, 'A.5.1');
  assert.ok(r.mappings.incoming.some((m: { framework: string; title: string | null }) => m.framework === 'iso27001-2013' && m.title), 'incoming from 2013');
  assert.ok(r.mappings.outgoing.some((m: { framework: string }) => m.framework === 'soc2-2017'), 'outgoing to SOC 2');
  assert.deepEqual(r.controls, []);
  assert.equal((await agent.get(`/api/v1/orgs/${orgId}/frameworks/iso27001-2022/requirements/nope`)).statusCode, 404);
  assert.equal((await agent.get(`/api/v1/orgs/${orgId}/frameworks/nope`)).statusCode, 404);
});

test('scope: admins set it, viewers read it, unknown ids are named', async () => {
  const put = await agent.request('PUT', `/api/v1/orgs/${orgId}/scope`, { frameworkIds: ['gdpr', 'soc2-2017'] });
  assert.equal(put.statusCode, 200, put.body);
  const viewer = await signIn(t, (await newMember(t, orgId, 'viewer')).email);
  assert.deepEqual((await viewer.get(`/api/v1/orgs/${orgId}/scope`)).json().frameworkIds, ['gdpr', 'soc2-2017']);
  const inScope = (await viewer.get(`/api/v1/orgs/${orgId}/frameworks`)).json().filter((f: { inScope: boolean }) => f.inScope).map((f: { id: string }) => f.id);
  assert.deepEqual(inScope.sort(), ['gdpr', 'soc2-2017']);
  const bad = await agent.request('PUT', `/api/v1/orgs/${orgId}/scope`, { frameworkIds: ['gdpr', 'no-such'] });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().errors.map((e: { path: string }) => e.path), ['/frameworkIds/1']);
  assert.equal((await viewer.request('PUT', `/api/v1/orgs/${orgId}/scope`, { frameworkIds: [] })).statusCode, 403);
});

test('mapping export and re-import over HTTP', async () => {
  const exported = await agent.get(`/api/v1/orgs/${orgId}/mappings/export?from=global-cbpr`);
  assert.equal(exported.statusCode, 200);
  const doc = exported.json();
  assert.ok(doc['mapping-collection'].mappings[0].maps.length > 0);
  const res = await upload('/mappings/import?fileName=cbpr.json', JSON.stringify(doc));
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().mappingCount, doc['mapping-collection'].mappings[0].maps.length);
  const none = await agent.get(`/api/v1/orgs/${orgId}/mappings/export?from=no-such`);
  assert.equal(none.statusCode, 400);
});

test('XML imports over HTTP keep the statement; an XML fault names its line', async () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724">
  <metadata><title>XML demo</title><last-modified>2024-02-01T13:57:28Z</last-modified><version>1.1</version><oscal-version>1.1.2</oscal-version></metadata>
  <group id="s1"><title>Organization</title>
    <control id="s1.1"><title>Roles</title>
      <param id="s1.1_prm_1"><label>frequency</label></param>
      <part id="s1.1_smt" name="statement"><p>Review roles <insert type="param" id-ref="s1.1_prm_1"/>.</p></part>
    </control>
  </group>
</catalog>`;
  const res = await upload('/frameworks/import?fileName=demo.xml', xml, 'application/xml');
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual([res.json().id, res.json().requirementCount], ['xml-demo', 1]);
  const r = (await agent.get(`/api/v1/orgs/${orgId}/frameworks/xml-demo/requirements/s1.1`)).json();
  assert.equal(r.statement, 'Review roles [frequency].');
  const bad = await upload('/frameworks/import?fileName=demo.xml', xml.replace('</group>', '</grup>'), 'application/xml');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().detail, /demo\.xml:9/);
});
