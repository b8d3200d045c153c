import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { starterFileSchema, type StarterFile } from './starter-file.schema.ts';

const STARTER_FILE = fileURLToPath(new URL('./starter-controls.json', import.meta.url));

let cached: StarterFile | undefined;

/** The built-in starter control set, validated once per process (a broken file stops start-up loudly). */
export async function loadStarterSet(): Promise<StarterFile> {
  if (cached) return cached;
  const parsed = starterFileSchema.safeParse(JSON.parse(await readFile(STARTER_FILE, 'utf8')));
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid starter control set ${STARTER_FILE}:\n${issues}`);
  }
  cached = parsed.data;
  return cached;
}
