import type { ControlLifecycle } from '../../api/types.ts';

export const lifecycleColors: Record<ControlLifecycle, string> = {
  draft: 'gray', designed: 'blue', implemented: 'indigo', operating: 'teal', retired: 'dark',
};

/** "semi-annual" → "Semi-annual" for selects and badges. */
export const label = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
export const optionsOf = (values: readonly string[]) => values.map((v) => ({ value: v, label: label(v) }));
