import type { ChangeKind, ChangeStatus } from '../../api/types.ts';

export const changeKindLabels: Record<ChangeKind, string> = { added: 'Addition', removed: 'Removal', 'country-added': 'New country', 'purpose-changed': 'New purpose' };
export const changeStatusColors: Record<ChangeStatus, string> = { draft: 'gray', announced: 'blue', withdrawn: 'red' };
const regions = new Intl.DisplayNames(['en'], { type: 'region' });
export const countryName = (code: string) => { try { return regions.of(code) ?? code; } catch { return code; } };
export const todayIso = () => new Date().toISOString().slice(0, 10);
