// The evidence-upload benchmark's client, in a worker thread so that the server under test keeps
// its event loop to itself: `count` multipart uploads of `size` distinct bytes, `inFlight` at a
// time over keep-alive sockets, each answered 201. Also measures, with the same client and sockets,
// the platform's ceiling: the same bytes posted to a bare HTTP server that only SHA-256-hashes them.
import crypto from 'node:crypto';
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export type UploadInput = { url: string; token: string; controlId: string; count: number; inFlight: number; size: number };
export type UploadResult = { ms: number };

/** `seed` with its first 68 bytes made unique for `i`: distinct content (no deduplication) without generating 1 MB of randomness each time. */
export function distinctContent(seed: Buffer, i: number): Buffer {
  const b = Buffer.from(seed);
  crypto.randomFillSync(b, 0, 64);
  b.writeUInt32BE(i, 64);
  return b;
}

export async function uploads(input: UploadInput, first = 0): Promise<UploadResult> {
  const seed = crypto.randomBytes(input.size);
  const agent = new http.Agent({ keepAlive: true, maxSockets: input.inFlight });
  const boundary = '----attestbench';
  const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="title"\r\n\r\nupload\r\n--${boundary}\r\ncontent-disposition: form-data; name="controlIds"\r\n\r\n${input.controlId}\r\n--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="export.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const one = (i: number) => new Promise<void>((resolve, reject) => {
    const file = distinctContent(seed, i);
    const req = http.request(input.url, {
      method: 'POST', agent,
      headers: { authorization: `Bearer ${input.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + file.length + tail.length) },
    }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`upload ${i}: ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.write(head);
    req.write(file);
    req.end(tail);
  });
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: input.inFlight }, async () => {
    while (next < input.count) await one(first + next++);
  }));
  const ms = performance.now() - start;
  agent.destroy();
  return { ms };
}

if (parentPort) {
  const { input, first } = workerData as { input: UploadInput; first: number };
  parentPort.postMessage(await uploads(input, first));
}
