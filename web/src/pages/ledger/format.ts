/** Long base64 hashes and hex key ids, shortened for display (the full value stays copyable). */
export const shortHash = (value: string, chars = 12) => (value.length > chars + 1 ? `${value.slice(0, chars)}…` : value);

export const triggerLabels = { schedule: 'daily schedule', manual: 'run from the web', cli: 'attest log audit' } as const;
