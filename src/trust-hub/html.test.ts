import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, hubShell, raw } from './html.ts';

test('interpolated text is escaped, raw and nested html are not', () => {
  const name = '<script>alert("x")</script> & co';
  const out = html`<p title="${name}">${name}</p>${raw('<hr>')}${[html`<i>${'a<b'}</i>`]}`.value;
  assert.equal(out, '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p><hr><i>a&lt;b</i>');
});

test('the shell refuses a colour that is not a hex value, so branding cannot inject CSS', () => {
  const page = hubShell({ brand: { name: 'Acme', slug: 'acme', accentColor: 'red;}body{display:none' }, title: 'Overview', body: html`<h1>Hi</h1>` });
  assert.ok(!page.includes('display:none'));
  assert.match(page, /^<!doctype html><html lang="en">/);
  assert.match(page, /<main id="main"><h1>Hi<\/h1><\/main>/);
});
