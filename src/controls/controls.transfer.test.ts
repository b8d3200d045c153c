// CSV and OSCAL component-definition import/export on a real database, the OSCAL export checked against the official schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { SHARED_OSCAL } from '../../tests/support/shared.ts';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg, signIn } from '../../tests/support/factories.ts';
import type { Agent } from '../../tests/support/agent.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validateComponentDefinition = ajv.compile(JSON.parse(readFileSync(`${SHARED_OSCAL}/schema/v1.2.1/oscal_component_schema.json`, 'utf8')));
const EXAMPLE = `${SHARED_OSCAL}/examples/component-definition/example-component-definition.json`;

const base = (orgId: string) => `/api/v1/orgs/${orgId}/controls`;
const HEADER = 'code,title,description,owner_email,frequency,nature,automation,lifecycle,scope,requirements';

async function setup() {
  const { org, owner } = await newOrg(t);
  return { org, owner, agent: await signIn(t, owner.email) };
}
const importFile = (agent: Agent, orgId: string, format: 'csv' | 'oscal', content: string, allowUnknown = false) =>
  agent.post(`${base(orgId)}/import`, { format, content, allowUnknown });
const exportFile = async (agent: Agent, orgId: string, format: 'csv' | 'oscal') => {
  const res = await agent.get(`${base(orgId)}/export?format=${format}`);
  assert.equal(res.statusCode, 200, res.body);
  return res;
};
const count = async (orgId: string) => Number((await t.app.services.database.pool.query(
  'SELECT (SELECT count(*) FROM controls WHERE org_id = $1) + (SELECT count(*) FROM control_requirements WHERE org_id = $1) AS n', [orgId])).rows[0].n);

/** A control set using every field, including ids that are not OSCAL tokens (PCI's "1.2.1", GDPR's "Art. 32"). */
async function seed(agent: Agent, orgId: string, ownerEmail: string) {
  const csv = [
    HEADER,
    `ENC-01,Encryption at rest,"Databases and backups are encrypted with keys held in the cloud KMS; keys rotate yearly.",${ownerEmail},annual,preventive,automated,operating,"db;backups","soc2-2017:CC6.1;pci-dss-4.0.1:1.2.1;gdpr:Art. 32"`,
    `INC-02,"Incident response, tested",Runbook rehearsed twice a year.,,semi-annual,corrective,manual,designed,,iso27001-2022:A.5.24`,
    'OLD-03,Retired practice,,,monthly,detective,manual,retired,,',
    'NEW-04,Not yet mapped,"Multi-line\ndescription here",,event-driven,detective,manual,draft,api,',
  ].join('\n');
  const res = await importFile(agent, orgId, 'csv', csv);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { created: 4, updated: 0, unmapped: [] });
}

test('CSV import reports every fault with its line and column, and writes nothing', async () => {
  const { org, agent } = await setup();
  const before = await count(org.id);
  const csv = [
    HEADER,
    'GOOD-01,Fine row,,,daily,preventive,manual,draft,,soc2-2017:CC6.1',
    'BAD 02,,,nobody@example.test,hourly,preventive,manual,draft,,soc2-2017:CC6.1',
    'GOOD-01,Same code again,,,daily,preventive,manual,draft,,',
    '',
    'GOOD-04,"Unknown refs,',
    'over two lines",,,daily,preventive,sometimes,draft,,soc2-2017:CC42;nonsense',
  ].join('\n');
  const res = await importFile(agent, org.id, 'csv', csv);
  assert.equal(res.statusCode, 400, res.body);
  const faults = res.json().errors.map((e: { path: string }) => e.path).sort();
  assert.deepEqual(faults, [
    'line 3, column code', 'line 3, column frequency', 'line 3, column title',
    'line 4, column code',
    'line 6, column automation', 'line 6, column requirements',
  ].sort());
  assert.match(res.json().detail, /6 faults; nothing was imported/);
  assert.equal(await count(org.id), before);

  // Once the rows are valid, unknown owners and requirements are still faults, with their place.
  const second = await importFile(agent, org.id, 'csv', [HEADER, 'A-1,T,,nobody@example.test,daily,preventive,manual,draft,,soc2-2017:CC42'].join('\n'));
  assert.deepEqual(second.json().errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`), [
    'line 2, column owner_email: nobody@example.test is not a member of this organization.',
    'line 2, column requirements: Unknown requirement: soc2-2017:CC42.',
  ]);
  const header = await importFile(agent, org.id, 'csv', 'code,name\nA,B\n');
  assert.deepEqual(header.json().errors.map((e: { path: string }) => e.path), ['line 1, column 2', 'line 1', 'line 1', 'line 1', 'line 1']);
  const broken = await importFile(agent, org.id, 'csv', `${HEADER}\nA,"unclosed,daily\n`);
  assert.equal(broken.statusCode, 400);
  assert.match(broken.json().errors[0].message, /Not valid CSV/);
  assert.equal(await count(org.id), before);
});

test('CSV import upserts by code and leaves other controls alone', async () => {
  const { org, owner, agent } = await setup();
  await seed(agent, org.id, owner.email);
  const res = await importFile(agent, org.id, 'csv', [HEADER, 'INC-02,Incident response,,,quarterly,corrective,manual,operating,,soc2-2017:CC7.4', 'ADD-05,Added,,,daily,preventive,manual,draft,,'].join('\n'));
  assert.deepEqual(res.json(), { created: 1, updated: 1, unmapped: [] });
  const items = (await agent.get(`${base(org.id)}?includeRetired=true`)).json().items;
  assert.deepEqual(items.map((i: { code: string }) => i.code), ['ADD-05', 'ENC-01', 'INC-02', 'NEW-04', 'OLD-03']);
  const inc = (await agent.get(`${base(org.id)}/${items.find((i: { code: string }) => i.code === 'INC-02').id}`)).json();
  assert.equal(inc.frequency, 'quarterly');
  assert.equal(inc.version, 2);
  assert.deepEqual(inc.requirements, [{ framework: 'soc2-2017', id: 'CC7.4' }]);
  const logged = await t.app.services.database.pool.query(`SELECT count(*)::int AS n FROM security_events WHERE org_id = $1 AND action = 'control.imported'`, [org.id]);
  assert.equal(logged.rows[0].n, 6);
});

test('CSV export round-trips: export, import into another org, export again gives the same file', async () => {
  const a = await setup();
  await seed(a.agent, a.org.id, a.owner.email);
  const exported = await exportFile(a.agent, a.org.id, 'csv');
  assert.match(String(exported.headers['content-type']), /^text\/csv/);
  assert.match(String(exported.headers['content-disposition']), /attachment; filename=".*-controls\.csv"/);
  assert.ok(exported.body.startsWith(`${HEADER}\n`));
  assert.match(exported.body, /"soc2-2017:CC6\.1;pci-dss-4\.0\.1:1\.2\.1;gdpr:Art\. 32"|gdpr:Art\. 32;pci-dss-4\.0\.1:1\.2\.1;soc2-2017:CC6\.1/);

  const b = await setup();
  // The owner of org A's control is a member of org B too, so the owner column resolves.
  await t.app.services.repos.orgs.addMember(b.org.id, a.owner.id, 'editor');
  const res = await importFile(b.agent, b.org.id, 'csv', exported.body);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((await exportFile(b.agent, b.org.id, 'csv')).body, exported.body);
});

test('OSCAL export is valid against the official component schema and round-trips', async () => {
  const a = await setup();
  await seed(a.agent, a.org.id, a.owner.email);
  const res = await exportFile(a.agent, a.org.id, 'oscal');
  const doc = JSON.parse(res.body);
  assert.ok(validateComponentDefinition(doc as object), JSON.stringify(validateComponentDefinition.errors?.slice(0, 5), null, 1));
  const [component] = doc['component-definition'].components;
  assert.equal(component.title, "The organization's control set");
  const bySource = Object.fromEntries(component['control-implementations'].map((ci: { source: string; 'implemented-requirements': { 'control-id': string }[] }) =>
    [ci.source, ci['implemented-requirements'].map((r) => r['control-id'])]));
  assert.deepEqual(bySource['urn:attest:framework:soc2-2017'], ['CC6.1']);
  assert.deepEqual(bySource['urn:attest:framework:pci-dss-4.0.1'], ['_1.2.1'], 'ids that are not OSCAL tokens are made tokens');
  assert.deepEqual(bySource['urn:attest:framework:gdpr'], ['_Art._32']);
  assert.deepEqual(bySource['urn:attest:controls'], ['NEW-04', 'OLD-03'], 'unmapped controls travel too');
  const enc = component['control-implementations'].find((ci: { source: string }) => ci.source.endsWith('gdpr'))['implemented-requirements'][0];
  assert.equal(enc.description, 'Databases and backups are encrypted with keys held in the cloud KMS; keys rotate yearly.');
  const props = Object.fromEntries(enc.props.filter((p: { name: string }) => p.name !== 'scope').map((p: { name: string; value: string }) => [p.name, p.value]));
  assert.deepEqual({ code: props['control-code'], frequency: props.frequency, lifecycle: props.lifecycle, id: props['requirement-id'] }, { code: 'ENC-01', frequency: 'annual', lifecycle: 'operating', id: 'Art. 32' });

  const b = await setup();
  await t.app.services.repos.orgs.addMember(b.org.id, a.owner.id, 'viewer');
  const imported = await importFile(b.agent, b.org.id, 'oscal', res.body);
  assert.equal(imported.statusCode, 200, imported.body);
  assert.deepEqual(imported.json(), { created: 4, updated: 0, unmapped: [] });
  assert.equal((await exportFile(b.agent, b.org.id, 'csv')).body, (await exportFile(a.agent, a.org.id, 'csv')).body);
});

test('the official NIST example: refused naming its unknown 800-53 ids, or imported unmapped with allowUnknown', async () => {
  const { org, agent } = await setup();
  const text = readFileSync(EXAMPLE, 'utf8');
  const refused = await importFile(agent, org.id, 'oscal', text);
  assert.equal(refused.statusCode, 400, refused.body);
  const messages = refused.json().errors.map((e: { message: string }) => e.message).join('\n');
  assert.match(messages, /Unknown requirement: #ba047e56-faef-430c-bafb-c54e9a87c6e8:sc-8\./);
  assert.match(messages, /sa-4\.9/);
  assert.equal(await count(org.id), 0);

  const allowed = await importFile(agent, org.id, 'oscal', text, true);
  assert.equal(allowed.statusCode, 200, allowed.body);
  assert.equal(allowed.json().created, 3);
  assert.deepEqual(allowed.json().unmapped.map((r: { id: string }) => r.id), ['sc-8', 'sc-8.1', 'sa-4.9']);
  const items = (await agent.get(base(org.id))).json().items;
  assert.deepEqual(items.map((i: { code: string; requirementCount: number }) => [i.code, i.requirementCount]), [['MONGODB-SA-4.9', 0], ['MONGODB-SC-8', 0], ['MONGODB-SC-8.1', 0]]);
  assert.match(items[1].description, /MongoDB's implementation of SC-8/);
  assert.equal(items[1].lifecycle, 'draft');
});

test('malformed OSCAL is refused with a JSON path', async () => {
  const { org, agent } = await setup();
  const notJson = await importFile(agent, org.id, 'oscal', '{"component-definition": ');
  assert.match(notJson.json().errors[0].message, /Not valid JSON/);
  const wrong = await importFile(agent, org.id, 'oscal', JSON.stringify({ 'component-definition': { components: [{ title: 'X', 'control-implementations': [{ source: 'urn:attest:framework:soc2-2017', 'implemented-requirements': [{ 'control-id': '' }] }] }] } }));
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.json().errors[0].path, /^\$\.component-definition\.components\.0\.control-implementations\.0\.implemented-requirements\.0\.control-id/);
  assert.equal(await count(org.id), 0);
});
