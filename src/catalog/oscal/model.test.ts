import { SHARED_OSCAL } from '../../../tests/support/shared.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { flattenCatalog, toOscalCatalog, type ExportableFramework } from './model.ts';
import type { OscalCatalog } from './oscal.schema.ts';
import { parseOscalDocument } from './parse.ts';
import { resolveProfile } from './resolve.ts';

const NIST = `${SHARED_OSCAL}/nist-sp800-53-rev5`;
const CATALOG = `${NIST}/superseded/NIST_SP-800-53_rev5_catalog_v5.0.1_2021-06-08.json`;
const ajv = new Ajv({ strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(`${SHARED_OSCAL}/schema/v1.2.1/oscal_catalog_schema.json`, 'utf8')));
const assertValid = (doc: { catalog: OscalCatalog }) => assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));

function nistCatalog(): OscalCatalog {
  const parsed = parseOscalDocument(readFileSync(CATALOG, 'utf8'), CATALOG);
  if (parsed.kind !== 'catalog') throw new Error('expected a catalog');
  return parsed.doc;
}

describe('flattenCatalog', () => {
  const flat = flattenCatalog(nistCatalog());
  const byId = new Map(flat.map((r) => [r.id, r]));

  test('20 families and 1,189 requirements (controls + enhancements, withdrawn included and flagged)', () => {
    assert.equal(flat.filter((r) => r.kind === 'group').length, 20);
    assert.equal(flat.filter((r) => r.kind === 'requirement').length, 1189);
    assert.equal(flat.filter((r) => r.attrs.status === 'withdrawn').length, 182);
    assert.deepEqual(flat.map((r) => r.sortKey), flat.map((_, n) => n));
  });

  test('enhancements hang under their control, with labels, classes and summaries', () => {
    assert.deepEqual(byId.get('ac'), { id: 'ac', parentId: null, kind: 'group', title: 'Access Control', summary: '', sortKey: 0, attrs: { class: 'family' } });
    const ac2_1 = byId.get('ac-2.1');
    assert.equal(ac2_1?.parentId, 'ac-2');
    assert.equal(ac2_1?.attrs.label, 'AC-2(1)');
    assert.equal(ac2_1?.attrs.class, 'SP800-53-enhancement');
    assert.equal(ac2_1?.summary, 'Support the management of system accounts using [organization-defined automated mechanisms].');
    assert.equal(byId.get('ac-1')?.summary, 'Develop, document, and disseminate to [organization-defined personnel or roles]:');
    assert.equal(byId.get('ac-1')?.parentId, 'ac');
    const withdrawn = byId.get('ac-2.10');
    assert.equal(withdrawn?.attrs.withdrawn, true);
    assert.equal(withdrawn?.summary, '');
  });

  test('parameter values set by a profile appear in the summary', () => {
    const catalog: OscalCatalog = {
      uuid: '00000000-0000-4000-8000-000000000001',
      metadata: { title: 'T', version: '1', 'oscal-version': '1.1.2', 'last-modified': '2024-01-01T00:00:00Z' },
      controls: [
        {
          id: 'x-1',
          title: 'X',
          params: [
            { id: 'p1', label: 'frequency', values: ['monthly'] },
            { id: 'p2', select: { 'how-many': 'one', choice: ['a', 'b'] } },
          ],
          parts: [{ name: 'statement', prose: '  Review {{ insert: param, p1 }} using {{ insert: param, p2 }}.  ' }],
        },
      ],
    };
    assert.equal(flattenCatalog(catalog)[0]?.summary, 'Review monthly using [Selection (one): a; b].');
  });
});

describe('toOscalCatalog', () => {
  const framework: ExportableFramework = {
    id: 'demo',
    name: 'Demo framework',
    version: 3,
    requirements: [
      { id: 'Chapter 1', parentId: null, kind: 'group', title: 'Governance' },
      { id: 'Art. 32', parentId: 'Chapter 1', kind: 'requirement', title: 'Security of processing', summary: 'Protect data.' },
      { id: '6.1', parentId: 'Art. 32', kind: 'requirement', title: 'Sub-point', summary: 'Encrypt it.' },
      { id: 'A.5.1', parentId: null, kind: 'requirement', title: 'Top level' },
    ],
  };
  const when = { lastModified: new Date('2025-01-01T00:00:00Z') };

  test('a small framework exports as a schema-valid OSCAL 1.2.1 catalog with a stable uuid', () => {
    const doc = toOscalCatalog(framework, when);
    assertValid(doc);
    assert.equal(doc.catalog.metadata['oscal-version'], '1.2.1');
    assert.deepEqual(toOscalCatalog(framework, when), doc, 'reproducible');
    assert.notEqual(toOscalCatalog({ ...framework, version: 4 }).catalog.uuid, doc.catalog.uuid);
    assert.match(doc.catalog.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const control = doc.catalog.groups?.[0]?.controls?.[0];
    assert.equal(control?.id, 'Art._32');
    assert.deepEqual(control?.props, [{ name: 'label', value: 'Art. 32' }]);
    assert.equal(control?.controls?.[0]?.id, '_6.1');
    assert.equal(doc.catalog.controls?.[0]?.id, 'A.5.1');
  });

  test('round trip: flattening the export gives back titles, labels, summaries and nesting', () => {
    const flat = flattenCatalog(toOscalCatalog(framework, when).catalog);
    assert.deepEqual(
      flat.map((r) => [r.attrs.label, r.kind, r.title, r.summary]),
      [
        ['Chapter 1', 'group', 'Governance', ''],
        ['Art. 32', 'requirement', 'Security of processing', 'Protect data.'],
        ['6.1', 'requirement', 'Sub-point', 'Encrypt it.'],
        ['A.5.1', 'requirement', 'Top level', ''],
      ],
    );
    assert.equal(flat[2]?.parentId, 'Art._32');
  });

  test('a resolved NIST profile and a built-in catalog export as schema-valid catalogs', async () => {
    const profileFile = `${NIST}/profiles/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json`;
    const parsed = parseOscalDocument(readFileSync(profileFile, 'utf8'), profileFile);
    if (parsed.kind !== 'profile') throw new Error('expected a profile');
    const resolved = await resolveProfile(parsed.doc, {
      fileName: profileFile,
      resolveHref: (href) => (href.endsWith('.json') ? { text: readFileSync(CATALOG, 'utf8'), fileName: CATALOG } : undefined),
    });
    const flat = flattenCatalog(resolved);
    const exported = toOscalCatalog({ id: 'nist-800-53-moderate', name: resolved.metadata.title, version: resolved.metadata.version, requirements: flat });
    assertValid(exported);
    assert.equal(flat.filter((r) => r.kind === 'requirement').length, 287);

    const builtIn = JSON.parse(readFileSync(new URL('../../../catalogs/iso27001-2022.json', import.meta.url), 'utf8'));
    const doc = toOscalCatalog(builtIn);
    assertValid(doc);
    assert.equal(flattenCatalog(doc.catalog).length, builtIn.requirements.length);
  });
});
