import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffVendor, objectionsOpen, type VendorState } from './vendors.diff.ts';

const base: VendorState = { name: 'Cloudy', purpose: 'Hosting', countries: ['DE'], subprocessor: true, removed: false };

test('a vendor that becomes a sub-processor is an addition, naming purpose and countries', () => {
  const [c, ...rest] = diffVendor(null, base);
  assert.equal(rest.length, 0);
  assert.equal(c!.kind, 'added');
  assert.match(c!.summary, /Cloudy becomes a sub-processor: Hosting \(DE\)/);
  assert.deepEqual(diffVendor({ ...base, subprocessor: false }, base).map((x) => x.kind), ['added']);
});

test('a vendor that is not a sub-processor changes nothing public', () => {
  assert.deepEqual(diffVendor(null, { ...base, subprocessor: false }), []);
  assert.deepEqual(diffVendor({ ...base, subprocessor: false }, { ...base, subprocessor: false, countries: ['US'], purpose: 'Other' }), []);
});

test('removing a listed vendor, or clearing its flag, is a removal', () => {
  assert.deepEqual(diffVendor(base, { ...base, removed: true }).map((x) => x.kind), ['removed']);
  assert.deepEqual(diffVendor(base, { ...base, subprocessor: false }).map((x) => x.kind), ['removed']);
});

test('new countries and a new purpose are separate changes; dropped countries and same purpose are none', () => {
  const changes = diffVendor(base, { ...base, countries: ['DE', 'US', 'IE'], purpose: 'Hosting and backups' });
  assert.deepEqual(changes.map((x) => x.kind), ['country-added', 'purpose-changed']);
  assert.deepEqual(changes[0]!.detail, { countries: ['US', 'IE'] });
  assert.deepEqual(changes[1]!.detail, { from: 'Hosting', to: 'Hosting and backups' });
  assert.deepEqual(diffVendor(base, { ...base, countries: [] }), []);
  assert.deepEqual(diffVendor(base, { ...base, purpose: ' Hosting ' }), []);
});

test('objections are open through the whole effective day (UTC) and closed the day after', () => {
  const now = new Date('2026-12-10T23:59:00Z');
  assert.equal(objectionsOpen('2026-12-10', now), true);
  assert.equal(objectionsOpen('2026-12-09', now), false);
  assert.equal(objectionsOpen(null, now), false);
});
