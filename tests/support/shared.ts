import { fileURLToPath } from 'node:url';

/** ../shared/oscal beside the repository: official OSCAL schemas and NIST content, for tests only. */
export const SHARED_OSCAL = fileURLToPath(new URL('../../../shared/oscal', import.meta.url));
