import { SHARED_OSCAL } from '../../../tests/support/shared.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { OscalInputError } from './oscal.errors.ts';
import { catalogSchema, type OscalCatalog, type OscalControl, type OscalParam } from './oscal.schema.ts';
import { parseOscalDocument } from './parse.ts';
import { resolveProfile, type ResolveOptions } from './resolve.ts';

const NIST = `${SHARED_OSCAL}/nist-sp800-53-rev5`;
const CATALOG = `${NIST}/superseded/NIST_SP-800-53_rev5_catalog_v5.0.1_2021-06-08.json`;
const ajv = new Ajv({ strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validateCatalog = ajv.compile(JSON.parse(readFileSync(`${SHARED_OSCAL}/schema/v1.2.1/oscal_catalog_schema.json`, 'utf8')));

// The profiles name the (5.1.1) catalog by a relative path we do not have; like `--resolve-with`,
// the test maps the JSON rlink to the full catalog that is here.
const withNistCatalog: ResolveOptions['resolveHref'] = (href) =>
  href.endsWith('NIST_SP-800-53_rev5_catalog.json') ? { text: readFileSync(CATALOG, 'utf8'), fileName: CATALOG } : undefined;

async function resolveFile(file: string, options: Partial<ResolveOptions> = {}): Promise<OscalCatalog> {
  const parsed = parseOscalDocument(readFileSync(file, 'utf8'), file);
  assert.equal(parsed.kind, 'profile');
  if (parsed.kind !== 'profile') throw new Error('unreachable');
  return resolveProfile(parsed.doc, { fileName: file, resolveHref: withNistCatalog, ...options });
}

function controlsOf(catalog: OscalCatalog): OscalControl[] {
  const out: OscalControl[] = [];
  const walk = (cs: OscalControl[] | undefined) => {
    for (const c of cs ?? []) {
      out.push(c);
      walk(c.controls);
    }
  };
  const groups = (gs: OscalCatalog['groups']) => {
    for (const g of gs ?? []) {
      walk(g.controls);
      groups(g.groups);
    }
  };
  walk(catalog.controls);
  groups(catalog.groups);
  return out;
}

function assertSchemaValid(catalog: OscalCatalog) {
  const ok = validateCatalog({ catalog });
  assert.ok(ok, JSON.stringify(validateCatalog.errors?.slice(0, 3)));
  assert.ok(catalogSchema.safeParse(catalog).success);
}

describe('resolving the NIST SP 800-53 rev5 baselines', () => {
  for (const [level, resolvedFile] of [
    ['MODERATE', 'NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json'],
    ['LOW', 'NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json'],
    ['HIGH', 'NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json'],
    ['PRIVACY', 'NIST_SP-800-53_rev5_PRIVACY-baseline-resolved-profile_catalog.json'],
  ] as const) {
    test(`${level}: the same controls, groups and shared parameters as NIST's resolved catalog`, async () => {
      const warnings: string[] = [];
      const ours = await resolveFile(`${NIST}/profiles/NIST_SP-800-53_rev5_${level}-baseline_profile.json`, { warn: (m) => warnings.push(m) });
      const official = JSON.parse(readFileSync(`${NIST}/resolved/${resolvedFile}`, 'utf8')).catalog as OscalCatalog;
      assert.deepEqual(warnings, []);
      // Same ids in the same document order, nested the same way (enhancements in their control).
      const shape = (c: OscalCatalog) => controlsOf(c).map((x) => `${x.id}>${(x.controls ?? []).map((k) => k.id).join(',')}`);
      assert.deepEqual(shape(ours), shape(official));
      assert.deepEqual(ours.groups?.map((g) => [g.id, g.title]), official.groups?.map((g) => [g.id, g.title]));
      // Our catalog is 5.0.1 and NIST resolved against 5.1.1, whose parameters were renamed to
      // ODP ids; every parameter id both share must carry the same label, selection and values.
      const params = (c: OscalCatalog) => new Map(controlsOf(c).flatMap((x) => (x.params ?? []).map((p): [string, OscalParam] => [p.id, p])));
      const theirs = params(official);
      let shared = 0;
      for (const [id, p] of params(ours)) {
        const q = theirs.get(id);
        if (!q) continue;
        shared++;
        assert.deepEqual([p.label, p.select, p.values], [q.label, q.select, q.values], id);
      }
      assert.ok(shared > 0);
      assertSchemaValid(ours);
    });
  }

  test('MODERATE in detail: 287 controls, parameters, metadata and pruned back-matter', async () => {
    const ours = await resolveFile(`${NIST}/profiles/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json`, { now: new Date('2025-01-01T00:00:00Z') });
    const controls = new Map(controlsOf(ours).map((c) => [c.id, c]));
    assert.equal(controls.size, 287);
    assert.ok(controls.has('ac-2.13') && !controls.has('ac-2.6') && !controls.has('pm-1'));
    const param = (control: string, id: string) => controls.get(control)?.params?.find((p) => p.id === id);
    assert.equal(param('ac-1', 'ac-1_prm_1')?.label, 'organization-defined personnel or roles');
    assert.equal(param('at-2', 'at-2_prm_1')?.label, 'organization-defined frequency');
    assert.deepEqual(param('ac-1', 'ac-1_prm_2')?.select, { 'how-many': 'one-or-more', choice: ['Organization-level', 'Mission/business process-level', 'System-level'] });
    assert.equal(ours.metadata.title, 'NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE');
    assert.equal(ours.metadata['last-modified'], '2025-01-01T00:00:00.000Z');
    assert.deepEqual(ours.metadata.links?.at(-1), { href: 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json', rel: 'source-profile' });
    const resources = ours['back-matter']?.resources ?? [];
    assert.ok(resources.length > 0 && resources.length < 192);
    assert.ok(!resources.some((r) => r.uuid === '84cbf061-eb87-4ec1-8112-1f529232e907'), 'the import resource is not carried over');
    const again = await resolveFile(`${NIST}/profiles/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json`, { now: new Date('2025-01-01T00:00:00Z') });
    assert.deepEqual(again, ours);
  });
});

describe('profile resolution rules on small documents', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'oscal-resolve-'));
  const meta = (title: string) => ({ title, version: '1', 'oscal-version': '1.1.2', 'last-modified': '2024-01-01T00:00:00Z' });
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const control = (id: string, extra: Partial<OscalControl> = {}): OscalControl => ({ id, title: id.toUpperCase(), ...extra });
  const write = (name: string, doc: unknown) => {
    writeFileSync(path.join(dir, name), JSON.stringify(doc));
    return path.join(dir, name);
  };
  write('base.json', {
    catalog: {
      uuid: uuid(1),
      metadata: meta('Base'),
      groups: [
        {
          id: 'g1',
          title: 'G1',
          controls: [
            control('a-1', {
              params: [{ id: 'a-1_prm_1', label: 'frequency' }],
              parts: [{ id: 'a-1_smt', name: 'statement', prose: 'Do it {{ insert: param, a-1_prm_1 }}.', parts: [{ id: 'a-1_smt.a', name: 'item' }] }, { id: 'a-1_gdn', name: 'guidance', prose: 'G' }],
              props: [{ name: 'label', value: 'A-1' }, { name: 'sort-id', value: 'a-01', class: 'x' }],
              controls: [control('a-1.1'), control('a-1.2')],
            }),
            control('a-2', { controls: [control('a-2.1')] }),
          ],
        },
        { id: 'g2', title: 'G2', controls: [control('b-1')] },
      ],
    },
  });

  const run = async (profile: Record<string, unknown>, options: Partial<ResolveOptions> = {}) => {
    const file = write(`p-${Math.random().toString(36).slice(2)}.json`, { profile: { uuid: uuid(99), metadata: meta('P'), ...profile } });
    return resolveFile(file, { resolveHref: undefined, ...options });
  };
  const ids = (c: OscalCatalog) => controlsOf(c).map((x) => x.id);

  test('include-all, exclude, with-child-controls and matching', async () => {
    assert.deepEqual(ids(await run({ imports: [{ href: 'base.json', 'include-all': {} }] })), ['a-1', 'a-1.1', 'a-1.2', 'a-2', 'a-2.1', 'b-1']);
    const sel = await run({
      imports: [{ href: 'base.json', 'include-controls': [{ 'with-ids': ['a-1'], 'with-child-controls': 'yes' }, { matching: [{ pattern: 'b-*' }] }], 'exclude-controls': [{ 'with-ids': ['a-1.2'] }] }],
      merge: { 'as-is': true },
    });
    assert.deepEqual(ids(sel), ['a-1', 'a-1.1', 'b-1']);
    assert.deepEqual(sel.groups?.map((g) => g.id), ['g1', 'g2']);
    // An enhancement brings its control; flat merge drops the groups.
    const withParent = await run({ imports: [{ href: 'base.json', 'include-controls': [{ 'with-ids': ['a-2.1', 'b-1'] }] }], merge: { flat: {} } });
    assert.equal(withParent.groups, undefined);
    assert.deepEqual(withParent.controls?.map((c) => c.id), ['a-2', 'b-1']);
    assert.deepEqual(ids(withParent), ['a-2', 'a-2.1', 'b-1']);
    // Unless that control is excluded: then the enhancement moves up.
    const orphan = await run({ imports: [{ href: 'base.json', 'include-controls': [{ 'with-ids': ['a-2.1'] }], 'exclude-controls': [{ 'with-ids': ['a-2'] }] }] });
    assert.deepEqual(orphan.controls?.map((c) => c.id), ['a-2.1']);
  });

  test('set-parameters and alters', async () => {
    const out = await run({
      imports: [{ href: 'base.json', 'include-controls': [{ 'with-ids': ['a-1'] }] }],
      modify: {
        'set-parameters': [{ 'param-id': 'a-1_prm_1', values: ['monthly'], props: [{ name: 'origin', value: 'profile' }] }],
        alters: [
          {
            'control-id': 'a-1',
            removes: [{ 'by-name': 'guidance' }, { 'by-class': 'x' }],
            adds: [
              { position: 'after', 'by-id': 'a-1_smt.a', parts: [{ id: 'a-1_smt.b', name: 'item', prose: 'B' }] },
              { position: 'starting', props: [{ name: 'baseline', value: 'yes' }] },
            ],
          },
        ],
      },
    });
    const a1 = controlsOf(out)[0] as OscalControl;
    assert.deepEqual(a1.params, [{ id: 'a-1_prm_1', label: 'frequency', values: ['monthly'], props: [{ name: 'origin', value: 'profile' }] }]);
    assert.deepEqual(a1.parts?.map((p) => p.id), ['a-1_smt']);
    assert.deepEqual(a1.parts?.[0]?.parts?.map((p) => p.id), ['a-1_smt.a', 'a-1_smt.b']);
    assert.deepEqual(a1.props, [{ name: 'baseline', value: 'yes' }, { name: 'label', value: 'A-1' }]);
    assertSchemaValid(out);
  });

  test('a profile importing a profile, through a back-matter resource', async () => {
    write('inner.json', { profile: { uuid: uuid(2), metadata: meta('Inner'), imports: [{ href: 'base.json', 'include-all': {} }], merge: { 'as-is': true } } });
    const out = await run({
      imports: [{ href: `#${uuid(3)}`, 'exclude-controls': [{ matching: [{ pattern: 'a-?.?' }] }], 'include-all': {} }],
      merge: { 'as-is': true },
      'back-matter': { resources: [{ uuid: uuid(3), rlinks: [{ href: 'inner.xml', 'media-type': 'application/oscal.profile+xml' }, { href: 'inner.json', 'media-type': 'application/oscal.profile+json' }] }] },
    });
    assert.deepEqual(ids(out), ['a-1', 'a-2', 'b-1']);
  });

  test('an import cycle is detected and an unresolvable href named', async () => {
    write('loop-a.json', { profile: { uuid: uuid(10), metadata: meta('A'), imports: [{ href: 'loop-b.json', 'include-all': {} }] } });
    write('loop-b.json', { profile: { uuid: uuid(11), metadata: meta('B'), imports: [{ href: 'loop-a.json', 'include-all': {} }] } });
    await assert.rejects(resolveFile(path.join(dir, 'loop-a.json')), (e: unknown) => e instanceof OscalInputError && /cycle: loop-a\.json → loop-b\.json → loop-a\.json/.test(e.message));
    await assert.rejects(run({ imports: [{ href: 'https://example.org/nowhere.json', 'include-all': {} }] }), (e: unknown) =>
      e instanceof OscalInputError && e.message.includes('"https://example.org/nowhere.json"') && e.location.pointer === '/profile/imports/0/href');
    await assert.rejects(run({ imports: [{ href: '#not-there', 'include-all': {} }] }), /"#not-there"/);
  });

  test('hrefs the caller resolves, and an XML profile', async () => {
    const xml = `<profile xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="${uuid(20)}">
  <metadata><title>X</title><last-modified>2024-01-01T00:00:00Z</last-modified><version>1</version><oscal-version>1.1.2</oscal-version></metadata>
  <import href="db:framework/base"><include-controls with-child-controls="yes"><with-id>a-2</with-id></include-controls></import>
  <merge><as-is>true</as-is></merge>
  <modify><alter control-id="a-2"><add position="ending"><prop name="note" value="n"/></add></alter></modify>
</profile>`;
    const parsed = parseOscalDocument(xml, 'x.xml');
    assert.equal(parsed.kind, 'profile');
    if (parsed.kind !== 'profile') return;
    const asked: string[] = [];
    const out = await resolveProfile(parsed.doc, {
      fileName: 'x.xml',
      resolveHref: (href) => {
        asked.push(href);
        return { text: readFileSync(path.join(dir, 'base.json'), 'utf8'), fileName: 'base.json' };
      },
    });
    assert.deepEqual(asked, ['db:framework/base']);
    assert.deepEqual(ids(out), ['a-2', 'a-2.1']);
    assert.deepEqual(controlsOf(out)[0]?.props, [{ name: 'note', value: 'n' }]);
  });
});
