// A node:test reporter that counts leaf tests, so the runner can print one "N passed, N failed" line.
export default async function* summary(source: AsyncIterable<{ type: string; data: { details?: { type?: string }; skip?: unknown; todo?: unknown } }>) {
  let passed = 0, failed = 0, skipped = 0;
  for await (const event of source) {
    const suite = event.data.details?.type === 'suite';
    if (event.type === 'test:pass' && !suite) {
      if (event.data.skip !== undefined || event.data.todo !== undefined) skipped++;
      else passed++;
    } else if (event.type === 'test:fail' && !suite) failed++;
  }
  yield JSON.stringify({ passed, failed, skipped });
}
