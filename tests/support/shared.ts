import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * ../shared/oscal beside the repository: official OSCAL schemas and NIST content, for tests only.
 * A git worktree sits one level deeper (wt/<name>), so the nearest `shared/oscal` up the tree wins.
 */
const candidates = ['../../../shared/oscal', '../../../../shared/oscal'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
export const SHARED_OSCAL = candidates.find((p) => existsSync(p)) ?? candidates[0]!;
