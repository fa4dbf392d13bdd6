import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CarError } from '../../src/car/errors.js';
import { CREATED, SEED_CREATE_BODY, SEED_UPDATE_BODY, UPDATED, clientFor, fakeTime, json, startFakeCar, type FakeCar } from './fake-car.js';

let car: FakeCar | undefined;
afterEach(async () => {
  await car?.close();
  car = undefined;
});

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err as CarError);

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('transient failures', () => {
  it('retries an update after a 500, with backoff, and succeeds', async () => {
    car = await startFakeCar((_req, res, index) => (index === 0 ? json(res, 500, { message: 'internal' }) : json(res, 200, UPDATED)));
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now });
    await client.updateScript(100010, SEED_UPDATE_BODY);
    const stats = client.stats();
    await client.close();
    expect(car.requests).toHaveLength(2);
    expect(time.sleeps).toHaveLength(1);
    expect(time.sleeps[0]).toBeGreaterThan(0);
    expect(stats.retries).toBe(1);
  });

  it('gives up on an update after 3 attempts with an unknown outcome', async () => {
    car = await startFakeCar((_req, res) => json(res, 502, { message: 'bad gateway' }));
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now, random: () => 0.5 });
    const err = await failure(client.updateScript(100010, SEED_UPDATE_BODY));
    await client.close();
    expect(err!.kind).toBe('unknown-outcome');
    expect(err!.status).toBe(502);
    expect(err!.message).toContain('bad gateway');
    expect(car.requests).toHaveLength(3);
    // Exponential: the second wait is twice the first.
    expect(time.sleeps).toEqual([500, 1000]);
  });

  it('never sends a create again after a 500: one request, outcome unknown', async () => {
    car = await startFakeCar((_req, res) => json(res, 500, { message: 'oops' }));
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now });
    const err = await failure(client.createScript(SEED_CREATE_BODY));
    await client.close();
    expect(car.requests).toHaveLength(1);
    expect(err!.kind).toBe('unknown-outcome');
    expect(err!.provesNotProcessed).toBe(false);
    expect(err!.message).toContain('oops');
  });

  it('never sends a create again after a reset connection', async () => {
    car = await startFakeCar((_req, res) => res.socket?.destroy());
    const { client } = clientFor(car.url);
    const err = await failure(client.createScript(SEED_CREATE_BODY));
    await client.close();
    expect(car.requests).toHaveLength(1);
    expect(err!.kind).toBe('unknown-outcome');
    expect(err!.provesNotProcessed).toBe(false);
  });

  it('retries an update after a reset connection', async () => {
    car = await startFakeCar((_req, res, index) => (index === 0 ? res.socket?.destroy() : json(res, 200, UPDATED)));
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now });
    await client.updateScript(1, SEED_UPDATE_BODY);
    await client.close();
    expect(car.requests).toHaveLength(2);
  });

  it('times out a call that gets no answer: unknown outcome for a create, one request', async () => {
    car = await startFakeCar(() => {
      /* never answers */
    });
    const { client } = clientFor(car.url, {}, { timeoutMs: 300 });
    const err = await failure(client.createScript(SEED_CREATE_BODY));
    await client.close();
    expect(err!.kind).toBe('unknown-outcome');
    expect(err!.message).toContain('no answer within');
    expect(car.requests).toHaveLength(1);
  });

  it('a refused connection proves the create was not sent', async () => {
    const port = await unusedPort();
    const time = fakeTime();
    const { client } = clientFor(`http://127.0.0.1:${port}`, { sleep: time.sleep, now: time.now });
    const err = await failure(client.createScript(SEED_CREATE_BODY));
    await client.close();
    expect(err!.kind).toBe('unknown-outcome');
    expect(err!.notSent).toBe(true);
    expect(err!.provesNotProcessed).toBe(true);
    expect(err!.message).toContain('could not reach CAR');
    expect(time.sleeps).toHaveLength(2);
  });
});

describe('cancellation', () => {
  it('a call cancelled while waiting for a slot was never sent', async () => {
    let release: () => void = () => {};
    car = await startFakeCar((_req, res) => {
      release = () => json(res, 200, CREATED);
    });
    const { client } = clientFor(car.url, { concurrency: 1 });
    const first = client.createScript(SEED_CREATE_BODY);
    const controller = new AbortController();
    const second = failure(client.createScript(SEED_CREATE_BODY, controller.signal));
    while (car.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const err = await second;
    release();
    expect(await first).toBe(100504);
    await client.close();
    expect(err!.kind).toBe('aborted');
    expect(err!.provesNotProcessed).toBe(true);
    expect(car.requests).toHaveLength(1);
  });

  it('a call cancelled in flight has an unknown outcome', async () => {
    car = await startFakeCar(() => {
      /* never answers */
    });
    const { client } = clientFor(car.url);
    const controller = new AbortController();
    const pending = failure(client.createScript(SEED_CREATE_BODY, controller.signal));
    while (car.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const err = await pending;
    await client.close();
    expect(err!.kind).toBe('aborted');
    expect(err!.provesNotProcessed).toBe(false);
  });

  it('a closed client refuses calls without sending them', async () => {
    car = await startFakeCar((_req, res) => json(res, 200, CREATED));
    const { client } = clientFor(car.url);
    await client.close();
    const err = await failure(client.createScript(SEED_CREATE_BODY));
    expect(err!.kind).toBe('aborted');
    expect(err!.provesNotProcessed).toBe(true);
    expect(car.requests).toHaveLength(0);
  });
});
