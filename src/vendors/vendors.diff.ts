import type { ChangeKind } from './vendors.tables.ts';

/** The part of a vendor that the public sub-processor list shows. */
export type VendorState = { name: string; purpose: string; countries: string[]; subprocessor: boolean; removed: boolean };
export type ComputedChange = { kind: ChangeKind; summary: string; detail: Record<string, unknown> };

const listed = (v: VendorState | null) => v?.subprocessor === true && !v.removed;

/**
 * What a customer would be told about one vendor save: an addition, a removal, or for a vendor
 * that stays listed, countries where it now processes data and a new purpose. Countries it no
 * longer uses and edits of non-public fields are not changes customers object to.
 */
export function diffVendor(before: VendorState | null, after: VendorState): ComputedChange[] {
  const was = listed(before);
  const is = listed(after);
  if (!was && is) {
    return [{ kind: 'added', summary: `${after.name} becomes a sub-processor: ${after.purpose || 'purpose not stated'} (${after.countries.join(', ') || 'no country stated'}).`, detail: { purpose: after.purpose, countries: after.countries } }];
  }
  if (was && !is) return [{ kind: 'removed', summary: `${before!.name} is no longer a sub-processor.`, detail: {} }];
  if (!was || !is) return [];
  const out: ComputedChange[] = [];
  const added = after.countries.filter((c) => !before!.countries.includes(c));
  if (added.length) out.push({ kind: 'country-added', summary: `${after.name} will also process data in ${added.join(', ')}.`, detail: { countries: added } });
  if (after.purpose.trim() !== before!.purpose.trim()) {
    out.push({ kind: 'purpose-changed', summary: `${after.name} will process data for a new purpose: ${after.purpose}.`, detail: { from: before!.purpose, to: after.purpose } });
  }
  return out;
}

/** Calendar dates as YYYY-MM-DD in UTC, so notice windows do not shift with the server's time zone. */
export const todayUtc = (now: Date) => now.toISOString().slice(0, 10);
/** Objections are accepted through the whole effective day. */
export const objectionsOpen = (effectiveAt: string | null, now: Date) => effectiveAt !== null && todayUtc(now) <= effectiveAt;
