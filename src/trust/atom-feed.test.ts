import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readXml, type XmlElement } from '../catalog/oscal/xml-reader.ts';
import { InvalidInputError } from '../lib/errors.ts';
import { atomFeed, type AtomFeedInput } from './atom-feed.ts';
import { parseRfc3339 } from './security-txt.ts';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const input: AtomFeedInput = {
  id: 'tag:acme.example,2026:trust-hub',
  title: 'Acme <Trust> & "Co" &amp; ]]>',
  selfUrl: 'https://trust.acme.example/updates.atom?lang=en&v=1',
  alternateUrl: 'https://trust.acme.example/',
  updated: new Date('2026-10-01T00:00:00Z'),
  entries: [
    { id: 'tag:acme.example,2026:update/1', title: 'ISO 27001 certificate renewed', summary: 'Valid until 2029.', link: 'https://trust.acme.example/updates/1', updated: new Date('2026-09-01T08:00:00Z'), category: 'certification' },
    { id: 'tag:acme.example,2026:update/3', title: 'New subprocessor: <Mail & Co> ]]> &amp;', summary: 'We added "Mail & Co" <for email>.', link: 'https://trust.acme.example/updates/3', updated: new Date('2026-11-20T10:30:00Z'), category: 'subprocessor' },
    { id: 'tag:acme.example,2026:update/2', title: 'SOC 2 Type II report available', summary: 'Request access.', link: 'https://trust.acme.example/updates/2', updated: new Date('2026-10-15T12:00:00Z'), category: 'report' },
  ],
};

const children = (el: XmlElement, name: string) => el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
const only = (el: XmlElement, name: string) => {
  const found = children(el, name);
  assert.equal(found.length, 1, `<${el.name}> must have exactly one <${name}>`);
  return found[0]!;
};
const text = (el: XmlElement) => el.children.filter((c) => typeof c === 'string').join('');
/** type="html" text is escaped markup; what a reader shows is its HTML-decoded form. */
const shown = (el: XmlElement) => (el.attrs.type === 'html'
  ? text(el).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
  : text(el));
const validDate = (el: XmlElement) => {
  const ms = parseRfc3339(text(el));
  assert.ok(ms !== null, `"${text(el)}" is not an RFC 3339 date-time`);
  return ms;
};

test('the feed meets RFC 4287: ids, titles, dates, self link, author, entries newest first', () => {
  const xml = atomFeed(input);
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>'));
  const feed = readXml(xml, 'feed.atom');
  assert.equal(feed.name, 'feed');
  // The reader drops namespace declarations, so the default namespace is checked on the text.
  assert.match(xml, new RegExp(`<feed xmlns="${ATOM_NS.replace(/\./g, '\\.')}">`));
  assert.equal(text(only(feed, 'id')), input.id);
  assert.equal(shown(only(feed, 'title')), input.title, 'title with < & > " &amp; ]]> survives escaping');
  const feedUpdated = validDate(only(feed, 'updated'));
  assert.equal(feedUpdated, Date.parse('2026-11-20T10:30:00Z'), 'feed updated is at least its newest entry');
  const links = children(feed, 'link');
  assert.deepEqual(links.filter((l) => l.attrs.rel === 'self').map((l) => l.attrs.href), [input.selfUrl]);
  assert.deepEqual(links.filter((l) => l.attrs.rel === 'alternate').map((l) => l.attrs.href), [input.alternateUrl]);
  assert.ok(text(only(only(feed, 'author'), 'name')).length > 0, 'a feed-level author, since entries have none');

  const entries = children(feed, 'entry');
  assert.equal(entries.length, 3);
  const times = entries.map((e) => validDate(only(e, 'updated')));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  assert.ok(times.every((t) => t <= feedUpdated));
  assert.deepEqual(entries.map((e) => text(only(e, 'id'))), ['tag:acme.example,2026:update/3', 'tag:acme.example,2026:update/2', 'tag:acme.example,2026:update/1']);
  for (const entry of entries) {
    const source = input.entries.find((e) => e.id === text(only(entry, 'id')))!;
    assert.equal(shown(only(entry, 'title')), source.title);
    assert.equal(shown(only(entry, 'summary')), source.summary);
    assert.equal(only(entry, 'link').attrs.href, source.link);
    assert.equal(only(entry, 'category').attrs.term, source.category);
    assert.ok(!('label' in only(entry, 'category').attrs), 'no empty attributes');
  }
});

test('an empty feed is still valid and keeps its own update time', () => {
  const feed = readXml(atomFeed({ ...input, entries: [] }), 'feed.atom');
  assert.equal(children(feed, 'entry').length, 0);
  assert.equal(validDate(only(feed, 'updated')), input.updated.getTime());
});

test('bad feed input is refused with the field named', () => {
  const entry = input.entries[0]!;
  const cases: [Partial<AtomFeedInput>, string][] = [
    [{ id: 'acme-feed' }, 'id'],
    [{ title: '  ' }, 'title'],
    [{ title: 'bell \u0007' }, 'title'],
    [{ selfUrl: 'http://trust.acme.example/feed' }, 'selfUrl'],
    [{ alternateUrl: 'javascript:alert(1)' }, 'alternateUrl'],
    [{ updated: new Date('no') }, 'updated'],
    [{ entries: [{ ...entry, id: 'https://acme.example/1' }] }, 'entries.0.id'],
    [{ entries: [entry, { ...entry }] }, 'entries.1.id'],
    [{ entries: [{ ...entry, link: 'ftp://acme.example/x' }] }, 'entries.0.link'],
    [{ entries: [{ ...entry, updated: new Date(Number.NaN) }] }, 'entries.0.updated'],
    [{ entries: [{ ...entry, category: 'Has Spaces' }] }, 'entries.0.category'],
    [{ entries: [{ ...entry, summary: '' }] }, 'entries.0.summary'],
  ];
  for (const [change, path] of cases) {
    assert.throws(() => atomFeed({ ...input, ...change }), (e: unknown) =>
      e instanceof InvalidInputError && (e.fields ?? []).some((f) => f.path === path), JSON.stringify(change));
  }
});
