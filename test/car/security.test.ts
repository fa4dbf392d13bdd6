import { afterEach, describe, expect, it } from 'vitest';
import { CarHttpClient } from '../../src/car/client.js';
import { CarError } from '../../src/car/errors.js';
import { SEED_CREATE_BODY, SEED_UPDATE_BODY, clientFor, fakeTime, json, startFakeCar, type FakeCar } from './fake-car.js';

const servers: FakeCar[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err as CarError);

describe('redirects', () => {
  it.each([301, 302, 307, 308])('a %i to another host is not followed and the other host never sees the token', async (status) => {
    const other = await startFakeCar((_req, res) => json(res, 200, { errorCode: '0', body: { id: 1 } }));
    servers.push(other);
    const otherUrl = other.url.replace('127.0.0.1', 'localhost');
    const car = await startFakeCar((req, res) => {
      res.writeHead(status, { Location: `${otherUrl}${req.url}` });
      res.end();
    });
    servers.push(car);
    const { client } = clientFor(car.url);
    const created = await failure(client.createScript(SEED_CREATE_BODY));
    const updated = await failure(client.updateScript(9, SEED_UPDATE_BODY));
    await client.close();
    expect(other.requests).toHaveLength(0);
    expect(created!.kind).toBe('rejected');
    expect(updated!.kind).toBe('rejected');
    expect(created!.message).toContain(new URL(otherUrl).host);
    expect(created!.message).not.toContain('static-token-abc');
  });

  it('a 303 to a create means it may have been processed', async () => {
    const car = await startFakeCar((_req, res) => {
      res.writeHead(303, { Location: '/sm/v5/script/123' });
      res.end();
    });
    servers.push(car);
    const { client } = clientFor(car.url);
    const err = await failure(client.createScript(SEED_CREATE_BODY));
    await client.close();
    expect(err!.kind).toBe('unknown-outcome');
  });
});

describe('plain http', () => {
  it('is refused for anything but loopback, before any request', () => {
    for (const baseUrl of ['http://gateway.qg1.apps.qualys.com', 'http://10.1.2.3:8080', 'ftp://example.com']) {
      expect(() => new CarHttpClient({ settings: { baseUrl, token: 't0ken-xyz', timeoutMs: 1000 }, concurrency: 2, env: {} })).toThrow(/https/);
    }
    for (const baseUrl of ['http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9', 'https://gateway.qg1.apps.qualys.com']) {
      expect(() => new CarHttpClient({ settings: { baseUrl, token: 't0ken-xyz', timeoutMs: 1000 }, concurrency: 2, env: {} })).not.toThrow();
    }
  });
});

describe('secrets', () => {
  const PASSWORD = 'p&ss+w%rd=1';
  const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2VjcmV0LXNpZw';
  const ISSUED = 'issued-jwt-7f3a9c';

  /** A CAR that echoes everything it received into its error messages. */
  const echo = (req: { headers: object; body: string }) => `${JSON.stringify(req.headers)} ${req.body}`;

  it('no token, password or Authorization value appears in any error or log line', async () => {
    const messages: string[] = [];
    const collect = async (run: (url: string, time: ReturnType<typeof fakeTime>) => Promise<unknown>, handler: Parameters<typeof startFakeCar>[0]) => {
      const car = await startFakeCar(handler);
      servers.push(car);
      const time = fakeTime();
      const err = await failure(run(car.url, time));
      expect(err).toBeInstanceOf(CarError);
      messages.push(err!.message);
    };
    const clients: CarHttpClient[] = [];
    const track = (client: CarHttpClient) => {
      clients.push(client);
      return client;
    };
    const withPassword = (url: string, time: ReturnType<typeof fakeTime>, logs: string[]) =>
      track(new CarHttpClient({
        settings: { baseUrl: url, username: 'api', password: PASSWORD, timeoutMs: 2000 },
        concurrency: 2,
        env: { https_proxy: 'http://proxyuser:pr0xy-secret@proxy.corp:3128' },
        log: (line) => logs.push(line),
        sleep: time.sleep,
        now: time.now,
      }));
    const withToken = (url: string, time: ReturnType<typeof fakeTime>, logs: string[]) =>
      track(new CarHttpClient({ settings: { baseUrl: url, token: TOKEN, timeoutMs: 2000 }, concurrency: 2, env: {}, log: (line) => logs.push(line), sleep: time.sleep, now: time.now }));
    const logs: string[] = [];
    const issueThen = (answer: (req: { headers: object; body: string }, res: Parameters<typeof json>[0]) => void) => (req: { url: string; headers: object; body: string }, res: Parameters<typeof json>[0]) => {
      if (req.url === '/auth') {
        res.writeHead(201);
        return res.end(ISSUED);
      }
      answer(req, res);
    };

    // /auth refuses, echoing the form (password inside).
    await collect((url, time) => withPassword(url, time, logs).createScript(SEED_CREATE_BODY), (req, res) => json(res, 401, { message: echo(req) }));
    // /auth fails three times with an echo.
    await collect((url, time) => withPassword(url, time, logs).createScript(SEED_CREATE_BODY), (req, res) => json(res, 500, echo(req)));
    // /auth answers something that is not a token.
    await collect((url, time) => withPassword(url, time, logs).createScript(SEED_CREATE_BODY), (req, res) => json(res, 400, { message: echo(req) }));
    // A script call echoes its Authorization header: 400, 404, 500, 401 twice, 409 forever.
    for (const status of [400, 404, 500, 401, 409]) {
      const headers = status === 409 ? { 'X-RateLimit-ToWait-Sec': '1' } : undefined;
      await collect(
        (url, time) => withPassword(url, time, logs).updateScript(3, SEED_UPDATE_BODY),
        issueThen((req, res) => json(res, status, { message: echo(req) }, headers)),
      );
      await collect((url, time) => withToken(url, time, logs).createScript(SEED_CREATE_BODY), (req, res) => json(res, status, { message: echo(req) }, headers));
    }
    // Plain-text echo in a 2xx without an id.
    await collect((url, time) => withToken(url, time, logs).createScript(SEED_CREATE_BODY), (req, res) => json(res, 200, echo(req)));

    await Promise.all(clients.map((client) => client.close()));
    const everything = [...messages, ...logs];
    expect(messages.length).toBeGreaterThan(10);
    expect(logs.length).toBeGreaterThan(5);
    // The echo did reach the messages (so the check below is not vacuous) ...
    expect(everything.some((m) => m.includes('authorization'))).toBe(true);
    // ... but never a secret, raw or form-encoded.
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), 'p%26ss%2Bw%25rd%3D1', TOKEN, ISSUED, 'pr0xy-secret']) {
      for (const message of everything) expect(message).not.toContain(secret);
    }
  });
});
