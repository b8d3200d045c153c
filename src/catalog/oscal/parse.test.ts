import { SHARED_OSCAL } from '../../../tests/support/shared.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { OscalInputError } from './oscal.errors.ts';
import type { OscalControl, OscalDocument } from './oscal.schema.ts';
import { parseOscalDocument } from './parse.ts';

const SHARED = SHARED_OSCAL;
const NIST_CATALOG = `${SHARED}/nist-sp800-53-rev5/superseded/NIST_SP-800-53_rev5_catalog_v5.0.1_2021-06-08.json`;
const BASIC = `${SHARED}/examples/basic-catalog.json`;

function catalogOf(result: OscalDocument) {
  assert.equal(result.kind, 'catalog');
  if (result.kind !== 'catalog') throw new Error('unreachable');
  return result.doc;
}

function rejects(fn: () => unknown, expected: { pointer?: string; line?: number; column?: number; message?: RegExp }) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof OscalInputError, `expected OscalInputError, got ${String(error)}`);
    const { pointer, line, column } = error.location;
    if ('pointer' in expected) assert.equal(pointer, expected.pointer);
    if ('line' in expected) assert.equal(line, expected.line);
    if ('column' in expected) assert.equal(column, expected.column);
    if (expected.message) assert.match(error.message, expected.message);
    return;
  }
  assert.fail('expected an OscalInputError');
}

describe('parseOscalDocument on real OSCAL content', () => {
  test('the NIST SP 800-53 rev5 (5.0.1) catalog has 1,189 controls: 322 base controls + 867 enhancements, 182 of them withdrawn', () => {
    const catalog = catalogOf(parseOscalDocument(readFileSync(NIST_CATALOG, 'utf8'), NIST_CATALOG));
    let base = 0;
    let enhancements = 0;
    let withdrawn = 0;
    const walk = (controls: OscalControl[] | undefined, depth: number) => {
      for (const c of controls ?? []) {
        if (depth === 0) base++;
        else enhancements++;
        if (c.props?.some((p) => p.name === 'status' && p.value === 'withdrawn')) withdrawn++;
        walk(c.controls, depth + 1);
      }
    };
    for (const g of catalog.groups ?? []) walk(g.controls, 0);
    // The "1,189" counts every control and nested enhancement, withdrawn ones included.
    assert.equal(base + enhancements, 1189);
    assert.equal(base, 322);
    assert.equal(enhancements, 867);
    assert.equal(withdrawn, 182);
    assert.equal(catalog.groups?.length, 20);
    assert.equal(catalog.metadata['oscal-version'], '1.0.0');
  });

  test('the NIST basic example catalog parses, keeping unknown fields', () => {
    const catalog = catalogOf(parseOscalDocument(readFileSync(BASIC, 'utf8'), BASIC));
    assert.equal(catalog.groups?.[0]?.id, 's1');
    assert.match(String(catalog.metadata.remarks), /ISO\/IEC 27002/);
  });

  test('YAML of the same catalog parses to the same model', () => {
    const json = parseOscalDocument(readFileSync(BASIC, 'utf8'), BASIC);
    const yaml = parseOscalDocument(stringify(JSON.parse(readFileSync(BASIC, 'utf8'))), 'basic.yaml');
    assert.deepEqual(yaml, json);
  });
});

describe('parseOscalDocument rejects bad input precisely', () => {
  test('a control without id, by JSON pointer', () => {
    const data = JSON.parse(readFileSync(NIST_CATALOG, 'utf8'));
    delete data.catalog.groups[3].controls[0].id;
    rejects(() => parseOscalDocument(JSON.stringify(data), 'nist.json'), {
      pointer: '/catalog/groups/3/controls/0/id',
      message: /Required field "id" is missing/,
    });
  });

  test('a nested part without a name and a bad uuid', () => {
    const data = JSON.parse(readFileSync(BASIC, 'utf8'));
    delete data.catalog.groups[0].groups[0].controls[0].parts[0].name;
    rejects(() => parseOscalDocument(JSON.stringify(data), 'b.json'), { pointer: '/catalog/groups/0/groups/0/controls/0/parts/0/name' });
    data.catalog.uuid = 'not-a-uuid';
    rejects(() => parseOscalDocument(JSON.stringify(data), 'b.json'), { pointer: '/catalog/uuid' });
  });

  test('broken JSON reports line and column', () => {
    const text = '{\n  "catalog": {\n    "uuid": "x",,\n  }\n}';
    rejects(() => parseOscalDocument(text, 'broken.json'), { line: 3, column: 17, message: /broken\.json:3:17: JSON syntax error/ });
    rejects(() => parseOscalDocument('{"catalog": {"uuid": "x"', 'cut.json'), { line: 1, column: 25 });
  });

  test('YAML errors carry the line', () => {
    rejects(() => parseOscalDocument('catalog:\n  uuid: [unclosed\n  metadata: x\n', 'bad.yaml'), { message: /bad\.yaml:\d+:\d+: YAML syntax error/ });
    const yaml = [
      'catalog:',
      '  uuid: 74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724',
      '  metadata: {title: T, version: "1", oscal-version: 1.1.2, last-modified: "2024-01-01T00:00:00Z"}',
      '  controls:',
      '    - id: c-1',
      '      title: One',
      '    - title: Two',
    ].join('\n');
    rejects(() => parseOscalDocument(yaml, 'c.yaml'), { pointer: '/catalog/controls/1/id', line: 7 });
  });

  test('neither catalog nor profile', () => {
    rejects(() => parseOscalDocument('{"component-definition": {}}', 'x.json'), { pointer: '', message: /component-definition/ });
  });
});

describe('OSCAL XML', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724">
  <metadata>
    <title>Demo &amp; test</title>
    <last-modified>2024-02-01T13:57:28Z</last-modified>
    <version>1.1</version>
    <oscal-version>1.1.2</oscal-version>
  </metadata>
  <group id="s1" class="family">
    <title>Organization</title>
    <control id="s1.1" class="SP800-53">
      <title>Roles</title>
      <param id="s1.1_prm_1">
        <label>frequency</label>
        <guideline><p>How often.</p></guideline>
      </param>
      <param id="s1.1_prm_2"><select how-many="one"><choice>daily</choice><choice>weekly</choice></select></param>
      <prop name="label" value="S1.1"/>
      <part id="s1.1_smt" name="statement">
        <p>Review <em>all</em> roles <insert type="param" id-ref="s1.1_prm_1"/>.</p>
        <part id="s1.1_smt.a" name="item"><prop name="label" value="a."/><p>Item a.</p></part>
      </part>
      <control id="s1.1.1"><title>Enhancement</title></control>
    </control>
  </group>
</catalog>`;

  test('a catalog converts to the JSON model shape', () => {
    const catalog = catalogOf(parseOscalDocument(xml, 'demo.xml'));
    assert.equal(catalog.metadata.title, 'Demo & test');
    const control = catalog.groups?.[0]?.controls?.[0];
    assert.deepEqual(control?.params, [
      { id: 's1.1_prm_1', label: 'frequency', guidelines: [{ prose: 'How often.' }] },
      { id: 's1.1_prm_2', select: { 'how-many': 'one', choice: ['daily', 'weekly'] } },
    ]);
    assert.deepEqual(control?.props, [{ name: 'label', value: 'S1.1' }]);
    assert.equal(control?.parts?.[0]?.prose, 'Review *all* roles {{ insert: param, s1.1_prm_1 }}.');
    assert.deepEqual(control?.parts?.[0]?.parts?.[0], { id: 's1.1_smt.a', name: 'item', props: [{ name: 'label', value: 'a.' }], prose: 'Item a.' });
    assert.equal(control?.controls?.[0]?.id, 's1.1.1');
    assert.equal(catalog.groups?.[0]?.class, 'family');
  });

  test('model errors carry the JSON pointer and the line of the element', () => {
    rejects(() => parseOscalDocument(xml.replace('<control id="s1.1.1">', '<control>'), 'demo.xml'), {
      pointer: '/catalog/groups/0/controls/0/controls/0/id',
      line: 23,
    });
  });

  test('malformed XML reports line and column', () => {
    rejects(() => parseOscalDocument(xml.replace('</group>', '</grup>'), 'demo.xml'), { line: 25, message: /Expected <\/group>/ });
    rejects(() => parseOscalDocument('<catalog>\n<!DOCTYPE x>', 'dtd.xml'), { line: 2 });
  });
});
