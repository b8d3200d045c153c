/**
 * The Trust Hub's update feed (Atom, RFC 4287) via the `feed` package. Entry ids are tag: URIs
 * (RFC 4151) so they stay stable when the host name changes. `feed` writes entry titles and
 * summaries as `type="html"` CDATA, so plain text is HTML-escaped first: a reader then shows
 * "A < B & C" literally instead of interpreting it as markup.
 */
import { Feed } from 'feed';
import { InvalidInputError, type FieldError } from '../lib/errors.ts';

export type AtomEntryInput = { id: string; title: string; summary: string; link: string; updated: Date; category: string };
export type AtomFeedInput = {
  id: string; title: string; selfUrl: string; alternateUrl: string; updated: Date; entries: AtomEntryInput[];
  /** RFC 4287 wants an author on the feed when entries have none; defaults to the title. */
  authorName?: string;
};
export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

const TAG_URI = /^tag:[A-Za-z0-9.@-]+,\d{4}(-\d{2}(-\d{2})?)?:[\x21-\x7e]+$/;
const CATEGORY = /^[a-z0-9][a-z0-9-]{0,63}$/;
// Characters XML 1.0 cannot carry at all, even escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to name the forbidden control characters
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const MAX_ENTRIES = 1000;

export function atomFeed(input: AtomFeedInput): string {
  const errors: FieldError[] = [];
  const need = (ok: boolean, path: string, message: string) => { if (!ok) errors.push({ path, message }); };
  need(TAG_URI.test(input.id) || isHttps(input.id), 'id', 'The feed id must be a tag: or https URI.');
  need(isText(input.title), 'title', 'The feed title must be 1-300 characters of text.');
  need(input.authorName === undefined || isText(input.authorName), 'authorName', 'The author name must be 1-300 characters of text.');
  need(isHttps(input.selfUrl), 'selfUrl', 'The self link must be an https URL.');
  need(isHttps(input.alternateUrl), 'alternateUrl', 'The alternate link must be an https URL.');
  need(isDate(input.updated), 'updated', 'The feed update time must be a valid date.');
  need(input.entries.length <= MAX_ENTRIES, 'entries', `At most ${MAX_ENTRIES} entries.`);
  const ids = new Set<string>();
  input.entries.forEach((e, i) => {
    const at = `entries.${i}`;
    need(TAG_URI.test(e.id), `${at}.id`, 'The entry id must be a tag: URI such as tag:acme.example,2026:update/42.');
    need(!ids.has(e.id), `${at}.id`, 'Entry ids must be unique.');
    ids.add(e.id);
    need(isText(e.title), `${at}.title`, 'The entry title must be 1-300 characters of text.');
    need(isText(e.summary, 5000), `${at}.summary`, 'The summary must be 1-5000 characters of text.');
    need(isHttps(e.link), `${at}.link`, 'The entry link must be an https URL.');
    need(isDate(e.updated), `${at}.updated`, 'The entry update time must be a valid date.');
    need(CATEGORY.test(e.category), `${at}.category`, 'The category must be a lower-case slug.');
  });
  if (errors.length) throw new InvalidInputError('The feed is invalid.', errors);

  const entries = [...input.entries].sort((a, b) => b.updated.getTime() - a.updated.getTime());
  // A feed cannot have changed before its newest entry did.
  const newest = entries[0]?.updated.getTime() ?? 0;
  const feed = new Feed({
    id: input.id, title: plainText(input.title), updated: new Date(Math.max(input.updated.getTime(), newest)),
    link: input.alternateUrl, feedLinks: { atom: input.selfUrl }, generator: 'Attest',
    author: { name: plainText(input.authorName ?? input.title) },
  });
  for (const e of entries) {
    feed.addItem({ id: e.id, title: escapeHtml(e.title), description: escapeHtml(e.summary), link: e.link, date: e.updated, category: [{ term: e.category }] });
  }
  return feed.atom1();
}

/**
 * xml-js (under `feed`) turns "&amp;" in element text back into "&" before escaping, so a title
 * that literally contains "&amp;" would lose characters. Doubling each such sequence undoes that
 * one step exactly; the text then reaches the XML unchanged.
 */
function plainText(text: string): string {
  return text.replace(/&amp;/g, '&amp;amp;');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isText(value: string, max = 300): boolean {
  return value.trim().length > 0 && value.length <= max && !XML_FORBIDDEN.test(value);
}

function isDate(value: Date): boolean {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

function isHttps(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && !/[\s<>"]/.test(value);
  } catch {
    return false;
  }
}
