import { afterEach, describe, expect, it } from 'vitest';
import { CarError } from '../../src/car/errors.js';
import { CREATED, SEED_CREATE_BODY, SEED_UPDATE_BODY, UPDATED, clientFor, fakeTime, json, startFakeCar, type FakeCar } from './fake-car.js';

let car: FakeCar | undefined;
afterEach(async () => {
  await car?.close();
  car = undefined;
});

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err as CarError);

describe('409 and 429: not processed, sent again after the wait CAR asks for', () => {
  it('waits X-RateLimit-ToWait-Sec after a 409 and sends the create again: two requests, one script', async () => {
    const stored: unknown[] = [];
    car = await startFakeCar((req, res, index) => {
      if (index === 0) {
        return json(res, 409, { message: 'rate limit exceeded' }, { 'X-RateLimit-Limit': '20', 'X-RateLimit-Window-Sec': '5', 'X-RateLimit-Remaining': '0', 'X-RateLimit-ToWait-Sec': '1' });
      }
      stored.push(JSON.parse(req.body));
      json(res, 200, CREATED, { 'X-RateLimit-Limit': '20', 'X-RateLimit-Window-Sec': '5', 'X-RateLimit-Remaining': '19' });
    });
    const time = fakeTime();
    const { client, logs } = clientFor(car.url, { sleep: time.sleep, now: time.now });
    const id = await client.createScript(SEED_CREATE_BODY);
    const stats = client.stats();
    await client.close();

    expect(id).toBe(100504);
    expect(car.requests).toHaveLength(2);
    expect(car.requests[1]!.body).toBe(car.requests[0]!.body);
    expect(stored).toHaveLength(1);
    expect(time.sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(time.sleeps[0]).toBeLessThan(1500);
    expect(stats).toMatchObject({ rateLimited: 1, retries: 1, requests: 2 });
    expect(logs.some((line) => line.includes('rate limit'))).toBe(true);
  });

  it('waits a real second when no sleep is injected', async () => {
    car = await startFakeCar((_req, res, index) =>
      index === 0 ? json(res, 409, {}, { 'X-RateLimit-ToWait-Sec': '1' }) : json(res, 200, UPDATED),
    );
    const { client } = clientFor(car.url);
    await client.updateScript(100010, SEED_UPDATE_BODY);
    await client.close();
    expect(car.requests).toHaveLength(2);
  });

  it('reads Retry-After in seconds on a 429', async () => {
    car = await startFakeCar((_req, res, index) => (index === 0 ? json(res, 429, { message: 'slow down' }, { 'Retry-After': '3' }) : json(res, 200, UPDATED)));
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now });
    await client.updateScript(100010, SEED_UPDATE_BODY);
    await client.close();
    expect(car.requests).toHaveLength(2);
    expect(time.sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect(time.sleeps[0]).toBeLessThan(3500);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const time = fakeTime();
    const at = new Date(time.now() + 10_000).toUTCString();
    car = await startFakeCar((_req, res, index) => (index === 0 ? json(res, 429, {}, { 'Retry-After': at }) : json(res, 200, CREATED)));
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now });
    await client.createScript(SEED_CREATE_BODY);
    await client.close();
    expect(time.sleeps[0]).toBeGreaterThan(9000);
    expect(time.sleeps[0]).toBeLessThan(11_000);
  });

  it('gives up with a rate-limited error (not processed) when CAR keeps refusing', async () => {
    car = await startFakeCar((_req, res) => json(res, 409, { message: 'limit' }, { 'X-RateLimit-ToWait-Sec': '30', 'X-RateLimit-Remaining': '0' }));
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now });
    const err = await failure(client.createScript(SEED_CREATE_BODY));
    await client.close();
    expect(err!.kind).toBe('rate-limited');
    expect(err!.provesNotProcessed).toBe(true);
    expect(car.requests).toHaveLength(11);
    expect(err!.message).toContain('run again later');
  });

  it('does not wait longer than the limit when CAR asks for an hour', async () => {
    car = await startFakeCar((_req, res) => json(res, 409, {}, { 'X-RateLimit-ToWait-Sec': '3600' }));
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now });
    const err = await failure(client.createScript(SEED_CREATE_BODY));
    await client.close();
    expect(err!.kind).toBe('rate-limited');
    expect(car.requests).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('a 409 without any limit header is a conflict after a couple of tries, with CAR\'s message', async () => {
    car = await startFakeCar((_req, res) => json(res, 409, { errorCode: '409', message: 'Script with same title exists' }));
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now, random: () => 0 });
    const err = await failure(client.createScript(SEED_CREATE_BODY));
    await client.close();
    expect(err!.kind).toBe('rejected');
    expect(err!.message).toContain('Script with same title exists');
    expect(car.requests).toHaveLength(3);
    expect(time.sleeps).toEqual([3000, 3000]);
  });

  it('a 409 for concurrency waits briefly, does not count as a rate limit wait, and lowers the cap', async () => {
    car = await startFakeCar((_req, res, index) =>
      index === 0
        ? json(res, 409, {}, { 'X-Concurrency-Limit-Limit': '1', 'X-Concurrency-Limit-Running': '1' })
        : json(res, 200, UPDATED, { 'X-Concurrency-Limit-Limit': '1', 'X-Concurrency-Limit-Running': '1' }),
    );
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now, concurrency: 4 });
    await client.updateScript(1, SEED_UPDATE_BODY);
    await Promise.all(Array.from({ length: 6 }, () => client.updateScript(1, SEED_UPDATE_BODY)));
    await client.close();
    expect(car.requests).toHaveLength(8);
    expect(time.sleeps).toHaveLength(1);
    expect(time.sleeps[0]).toBeLessThan(1000);
    expect(car.maxInFlight()).toBe(1);
  });
});

describe('concurrency', () => {
  it('never has more calls in flight at CAR than the concurrency option', async () => {
    car = await startFakeCar(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      json(res, 200, UPDATED);
    });
    const { client } = clientFor(car.url, { concurrency: 3 });
    await Promise.all(Array.from({ length: 15 }, (_, i) => client.updateScript(i + 1, SEED_UPDATE_BODY)));
    const stats = client.stats();
    await client.close();
    expect(car.requests).toHaveLength(15);
    expect(car.maxInFlight()).toBeLessThanOrEqual(3);
    expect(car.maxInFlight()).toBeGreaterThan(1);
    expect(stats.maxInFlight).toBe(car.maxInFlight());
  });

  it('lowers the cap to X-Concurrency-Limit-Limit', async () => {
    car = await startFakeCar(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      json(res, 200, UPDATED, { 'X-Concurrency-Limit-Limit': '2' });
    });
    const { client } = clientFor(car.url, { concurrency: 8 });
    await client.updateScript(1, SEED_UPDATE_BODY);
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.updateScript(i + 1, SEED_UPDATE_BODY)));
    await client.close();
    expect(car.maxInFlight()).toBeLessThanOrEqual(2);
  });
});

describe('pacing against a real server', () => {
  it('holds calls back once CAR says the window is used up, instead of running into 409s', async () => {
    // 4 calls per 10 s; a call beyond that would be answered 409.
    const time = fakeTime();
    const windowStart = time.now();
    car = await startFakeCar((_req, res, index) => {
      const headers = { 'X-RateLimit-Limit': '4', 'X-RateLimit-Window-Sec': '10' };
      const usedInWindow = car!.requests.filter((_, i) => i <= index).length - Math.floor((time.now() - windowStart) / 10_000) * 4;
      if (usedInWindow > 4) return json(res, 409, {}, { ...headers, 'X-RateLimit-Remaining': '0', 'X-RateLimit-ToWait-Sec': '10' });
      json(res, 200, UPDATED, { ...headers, 'X-RateLimit-Remaining': String(4 - usedInWindow) });
    });
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now, concurrency: 1 });
    for (let i = 0; i < 12; i++) await client.updateScript(i + 1, SEED_UPDATE_BODY);
    const stats = client.stats();
    await client.close();
    expect(stats.rateLimited).toBe(0);
    expect(car.requests).toHaveLength(12);
    // 12 calls at 4 per 10 s: two waits of about a window.
    const total = time.sleeps.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(20_000);
    expect(total).toBeLessThan(21_000);
  });
});
