import { startTestApp } from '../tests/support/app.ts';
import { testPostgres } from './test-postgres.ts';

/** The document exactly as the running server serves it at /api/openapi.json. */
export async function generateOpenApi(): Promise<string> {
  const pg = await testPostgres();
  const t = await startTestApp({}, pg.adminUrl);
  try {
    const res = await t.server.inject({ method: 'GET', url: '/api/openapi.json' });
    return JSON.stringify(res.json(), null, 2) + '\n';
  } finally {
    await t.close();
    await pg.stop();
  }
}
