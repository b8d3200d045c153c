import crypto from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalEntry, parseEntry } from '../ledger/canonical.ts';
import { InvalidInputError } from '../lib/errors.ts';
import { NDA_ACCEPTANCE_KIND, acceptanceRecord, ndaVersion } from './nda.ts';
import { accessRequestBody, documentKind, documentKinds, documentVisibility, ndaVersionBody } from './trust.schema.ts';

const nda = 'Mutual NDA v3\n\nThe recipient keeps the report confidential — “strictly”.\n';

test('an NDA version is the SHA-256 of its exact UTF-8 bytes', () => {
  const v = ndaVersion(nda, ' 2026-12 ');
  assert.deepEqual(v, { sha256: crypto.createHash('sha256').update(Buffer.from(nda, 'utf8')).digest('hex'), label: '2026-12' });
  // Known answer, so the encoding cannot drift unnoticed.
  assert.equal(ndaVersion('abc', 'x').sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  // Whitespace and Unicode normalisation are part of the text: different bytes, different version.
  assert.notEqual(ndaVersion(`${nda} `, 'x').sha256, v.sha256);
  assert.notEqual(ndaVersion('Caf\u00e9', 'x').sha256, ndaVersion('Cafe\u0301', 'x').sha256);
  for (const [text, label] of [['', 'x'], ['   \n', 'x'], [nda, ' '], [nda, 'x'.repeat(81)], ['bad \ud800 surrogate', 'x']] as const) {
    assert.throws(() => ndaVersion(text, label), InvalidInputError, JSON.stringify([text, label]));
  }
});

test('an acceptance record is plain JSON the evidence log accepts, without undefined fields', () => {
  const v = ndaVersion(nda, '2026-12');
  const base = { name: 'Zoë Ångström', email: 'zoe@customer.example', company: 'Customer AG', acceptedAt: new Date('2026-12-01T19:00:00.5Z'), ndaVersion: v.label, ndaSha256: v.sha256 };
  const minimal = acceptanceRecord(base);
  assert.deepEqual(minimal, { ...base, acceptedAt: '2026-12-01T19:00:00.500Z' });
  const full = acceptanceRecord({ ...base, documentId: 'doc-1', ip: '203.0.113.7', userAgent: `Mozilla/5.0 ${'x'.repeat(1000)}` });
  assert.equal(full.documentId, 'doc-1');
  assert.equal(full.ip, '203.0.113.7');
  assert.equal(String(full.userAgent).length, 512);
  for (const record of [minimal, full]) {
    const entry = { kind: NDA_ACCEPTANCE_KIND, time: '2026-12-01T19:00:01.000Z', record };
    assert.deepEqual(parseEntry(canonicalEntry(entry)), entry, 'round-trips through the ledger codec');
  }
  assert.ok(!Object.values(acceptanceRecord({ ...base, documentId: undefined })).includes(undefined as never));
  assert.ok(!('documentId' in acceptanceRecord({ ...base, documentId: undefined })));
  for (const bad of [{ acceptedAt: new Date('x') }, { ndaSha256: 'ABC' }, { ndaSha256: v.sha256.toUpperCase() }, { name: ' ' }, { company: '' }, { userAgent: '\udc00' }]) {
    assert.throws(() => acceptanceRecord({ ...base, ...bad }), InvalidInputError, JSON.stringify(bad));
  }
});

const request = {
  name: '  Dana Reviewer ', email: ' Dana@Customer.Example ', company: ' Customer & Sons ', reason: '  Vendor review for our 2027 renewal.\nSecond line.  ',
  acceptNda: true, ndaSha256: ndaVersion(nda, 'x').sha256,
};

test('an access request is trimmed, the email normalised, the NDA acceptance required', () => {
  const parsed = accessRequestBody.parse(request);
  assert.deepEqual(parsed, { ...request, name: 'Dana Reviewer', email: 'dana@customer.example', company: 'Customer & Sons', reason: 'Vendor review for our 2027 renewal.\nSecond line.' });
  const documentId = crypto.randomUUID();
  assert.equal(accessRequestBody.parse({ ...request, documentId }).documentId, documentId);
});

test('bad access requests fail on the named field', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ name: '' }, 'name'], [{ name: 'x'.repeat(121) }, 'name'], [{ name: 'Eve\u0000' }, 'name'],
    [{ email: 'not-an-email' }, 'email'], [{ email: `${'a'.repeat(250)}@x.example` }, 'email'],
    [{ company: '   ' }, 'company'], [{ company: 'x'.repeat(201) }, 'company'], [{ company: 'Evil\r\nBcc: x@y' }, 'company'],
    [{ reason: 'short' }, 'reason'], [{ reason: 'x'.repeat(2001) }, 'reason'], [{ reason: 'contains a bell \u0007 here' }, 'reason'],
    [{ acceptNda: false }, 'acceptNda'], [{ acceptNda: 'yes' }, 'acceptNda'], [{ acceptNda: undefined }, 'acceptNda'],
    [{ ndaSha256: 'abc' }, 'ndaSha256'], [{ documentId: 'doc-1' }, 'documentId'], [{ email: 42 }, 'email'],
  ];
  for (const [change, field] of cases) {
    const result = accessRequestBody.safeParse({ ...request, ...change });
    assert.equal(result.success, false, JSON.stringify(change));
    assert.ok(result.error!.issues.some((i) => i.path[0] === field), `${JSON.stringify(change)}: ${JSON.stringify(result.error!.issues)}`);
  }
});

test('an NDA version body keeps its text exactly and needs a label', () => {
  assert.deepEqual(ndaVersionBody.parse({ label: ' v3 ', text: '  Text\n' }), { label: 'v3', text: '  Text\n' });
  assert.equal(ndaVersionBody.safeParse({ label: 'v3', text: ' \n ' }).success, false);
  assert.equal(ndaVersionBody.safeParse({ label: '', text: 'Text' }).success, false);
});

test('document kinds carry a default visibility the visibility enum accepts', () => {
  for (const [kind, { visibility }] of Object.entries(documentKinds)) {
    assert.equal(documentKind.parse(kind), kind);
    assert.equal(documentVisibility.parse(visibility), visibility);
  }
  assert.equal(documentKinds['soc2-type2-report'].visibility, 'gated');
  assert.equal(documentKinds['soc3-report'].visibility, 'public');
  assert.equal(documentKind.safeParse('soc4').success, false);
  assert.equal(documentVisibility.safeParse('secret').success, false);
});
