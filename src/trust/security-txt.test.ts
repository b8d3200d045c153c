import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../lib/errors.ts';
import { checkSecurityTxt, parseRfc3339, securityTxt, type SecurityTxtInput } from './security-txt.ts';

const now = new Date('2026-12-01T12:00:00Z');
const full: SecurityTxtInput = {
  contacts: ['mailto:security@acme.example', 'https://acme.example/report', 'tel:+1-201-555-0123'],
  expires: new Date('2027-06-01T00:00:00.000Z'),
  encryption: 'https://acme.example/pgp-key.txt',
  acknowledgments: 'https://acme.example/hall-of-fame',
  policy: 'https://acme.example/disclosure-policy',
  hiring: 'https://acme.example/jobs',
  preferredLanguages: ['en', 'de', 'fr-CA'],
  canonical: ['https://trust.acme.example/.well-known/security.txt'],
};

test('a full file has every field once in RFC 9116 form and passes the strict checker', () => {
  const text = securityTxt(full, now);
  assert.deepEqual(checkSecurityTxt(text, now), []);
  const lines = text.split('\n');
  assert.equal(lines.at(-1), '', 'ends with a line break');
  assert.deepEqual(lines.filter((l) => l.startsWith('Contact: ')), full.contacts.map((c) => `Contact: ${c}`));
  assert.deepEqual(lines.filter((l) => /^Expires:/i.test(l)), ['Expires: 2027-06-01T00:00:00Z']);
  assert.ok(lines.includes('Preferred-Languages: en, de, fr-CA'));
  assert.ok(lines.includes('Canonical: https://trust.acme.example/.well-known/security.txt'));
  assert.equal(parseRfc3339('2027-06-01T00:00:00Z'), full.expires.getTime());
});

test('a minimal file needs only a contact, an expiry and the canonical URI', () => {
  const text = securityTxt({ contacts: ['mailto:sec@acme.example'], expires: new Date('2027-01-01T00:00:00Z'), canonical: ['https://acme.example/.well-known/security.txt'] }, now);
  assert.deepEqual(checkSecurityTxt(text, now), []);
  assert.doesNotMatch(text, /Policy|Hiring|Encryption|Preferred-Languages/);
});

test('the generator refuses what the RFC forbids or advises against, naming the field', () => {
  const cases: [Partial<SecurityTxtInput>, string][] = [
    [{ contacts: [] }, 'contacts'],
    [{ contacts: ['security@acme.example'] }, 'contacts.0'],
    [{ contacts: ['http://acme.example/report'] }, 'contacts.0'],
    [{ contacts: ['mailto:nobody'] }, 'contacts.0'],
    [{ contacts: ['tel:call-me'] }, 'contacts.0'],
    [{ contacts: ['mailto:a@b.example\nExpires: 2099-01-01T00:00:00Z'] }, 'contacts.0'],
    [{ expires: new Date('2026-11-30T00:00:00Z') }, 'expires'],
    [{ expires: now }, 'expires'],
    [{ expires: new Date('2027-12-02T12:00:00Z') }, 'expires'],
    [{ expires: new Date('garbage') }, 'expires'],
    [{ canonical: [] }, 'canonical'],
    [{ canonical: ['http://acme.example/.well-known/security.txt'] }, 'canonical.0'],
    [{ policy: 'ftp://acme.example/policy' }, 'policy'],
    [{ hiring: 'not a url' }, 'hiring'],
    [{ encryption: 'http://acme.example/key' }, 'encryption'],
    [{ preferredLanguages: ['en', 'not a tag!'] }, 'preferredLanguages.1'],
  ];
  for (const [change, path] of cases) {
    assert.throws(() => securityTxt({ ...full, ...change }, now), (e: unknown) => {
      assert.ok(e instanceof InvalidInputError, JSON.stringify(change));
      assert.ok(e.fields?.some((f) => f.path === path), `${JSON.stringify(change)} -> ${JSON.stringify(e.fields)}`);
      return true;
    });
  }
  assert.equal(checkSecurityTxt(securityTxt({ ...full, encryption: 'openpgp4fpr:5f2de5521c63a801ab59ccb603d49de44b29100f' }, now), now).length, 0);
});

test('the checker catches files that break the format', () => {
  const good = securityTxt(full, now);
  const broken: [string, RegExp][] = [
    [good.replace(/\n$/, ''), /end with a line break/],
    [good.replace(/^Expires:.*\n/m, ''), /Expires must appear exactly once \(found 0\)/],
    [good.replace(/^(Expires:.*\n)/m, '$1$1'), /exactly once \(found 2\)/],
    [good.replace(/^Contact:.*\n/gm, ''), /Contact must appear at least once/],
    [good.replace(/^Expires: .*$/m, 'Expires: Tue, 01 Jun 2027 00:00:00 GMT'), /not an RFC 3339/],
    [good.replace(/^Expires: .*$/m, 'Expires: 2027-02-30T00:00:00Z'), /not an RFC 3339/],
    [good.replace(/^Expires: .*$/m, 'Expires: 2026-01-01T00:00:00Z'), /in the past/],
    [good.replace('Contact: ', 'Contact:'), /exactly one space/],
    [good.replace('Policy: ', 'Policy:  '), /exactly one space/],
    [good.replace('Contact: mailto', 'Contact: http'), /must start with/],
    [good.replace('Canonical: https', 'Canonical: http'), /must start with https/],
    [`${good}Favourite-Colour: blue\n`, /unknown field/],
    [`${good}Preferred-Languages: en\n`, /at most once/],
    [good.replace(/\n/g, '\r'), /carriage return/],
  ];
  for (const [text, expected] of broken) {
    const problems = checkSecurityTxt(text, now);
    assert.ok(problems.some((p) => expected.test(p)), `${expected} not in ${JSON.stringify(problems)}`);
  }
  // CRLF line endings, comments, blank lines and any letter case of field names are allowed.
  assert.deepEqual(checkSecurityTxt(`# hi\r\n\r\ncontact: mailto:a@b.example\r\nEXPIRES: 2027-01-01T10:00:00+02:00\r\n`, now), []);
});
