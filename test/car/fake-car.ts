import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CarHttpClient, type CarClientOptions } from '../../src/car/client.js';

/** One request as the server saw it. */
export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: Recorded, response: ServerResponse, index: number) => unknown;

export interface FakeCar {
  url: string;
  requests: Recorded[];
  /** The most requests the server was handling at once. */
  maxInFlight: () => number;
  close: () => Promise<void>;
}

/** A purpose-built CAR stand-in on a real loopback socket; `handler` answers each request. */
export async function startFakeCar(handler: Handler): Promise<FakeCar> {
  const requests: Recorded[] = [];
  let inFlight = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res, requests.length - 1)).catch((err: unknown) => {
        res.statusCode = 599;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export const CREATED = { errorCode: '0', message: 'Script created successfully', body: { id: 100504 } };
export const UPDATED = { id: 100010, message: 'Updated Successfully.' };

/** A fake clock: `sleep` advances it at once and remembers each wait. */
export function fakeTime(start = 1_700_000_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** A client with a token against `url`; options override. Collects log lines. */
export function clientFor(url: string, options: Partial<CarClientOptions> = {}, settings: Partial<CarClientOptions['settings']> = {}) {
  const logs: string[] = [];
  const client = new CarHttpClient({
    settings: { baseUrl: url, token: 'static-token-abc', timeoutMs: 5_000, ...settings },
    concurrency: 2,
    env: {},
    log: (line) => logs.push(line),
    ...options,
  });
  return { client, logs };
}

export { SEED_CREATE_BODY, SEED_UPDATE_BODY } from '../support/seed-samples.js';
