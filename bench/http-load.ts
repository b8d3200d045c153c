// A small keep-alive HTTP load loop on loopback (no load generator is installed): `concurrency`
// requests in flight over pooled connections for `seconds`, counting complete 200 answers of the
// expected size. Runs in a worker thread so the server under test keeps its own event loop.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export type LoadInput = { url: string; concurrency: number; seconds: number; expectedBytes: number; maxRequests: number };
export type LoadResult = { requests: number; errors: number; seconds: number; rps: number };

async function run(input: LoadInput): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: input.concurrency });
  const url = new URL(input.url);
  const deadline = performance.now() + input.seconds * 1000;
  let requests = 0;
  let errors = 0;
  let started = 0;
  const one = () => new Promise<void>((resolve) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, headers: { accept: 'text/html' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => {
        if (res.statusCode === 200 && bytes === input.expectedBytes) requests++;
        else errors++;
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end();
  });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: input.concurrency }, async () => {
    while (performance.now() < deadline && started < input.maxRequests) {
      started++;
      await one();
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { requests, errors, seconds, rps: requests / seconds };
}

if (parentPort) parentPort.postMessage(await run(workerData as LoadInput));
