import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `shared/oscal` (official OSCAL schemas and NIST content, for tests only) beside the checkout,
 * or beside a folder above it: a git worktree sits one level deeper than the main checkout.
 */
function findShared(): string {
  let dir = fileURLToPath(new URL('../../', import.meta.url));
  for (;;) {
    const parent = path.dirname(dir);
    const candidate = path.join(parent, 'shared', 'oscal');
    if (existsSync(candidate) || parent === dir) return existsSync(candidate) ? candidate : fileURLToPath(new URL('../../../shared/oscal', import.meta.url));
    dir = parent;
  }
}
export const SHARED_OSCAL = findShared();
