import { afterEach, describe, expect, it } from 'vitest';
import { jwtExpiresAt } from '../../src/car/auth.js';
import { CarError } from '../../src/car/errors.js';
import { CREATED, SEED_CREATE_BODY, SEED_UPDATE_BODY, UPDATED, clientFor, fakeTime, json, startFakeCar, type FakeCar, type Recorded } from './fake-car.js';

const PASSWORD = 'p&ss+w%rd=1';
const USER = { token: undefined, username: 'api user', password: PASSWORD };

function jwt(claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** Answers /auth with tokens t1, t2 ... and script calls with `script` (default: success). */
function carWithAuth(script?: (request: Recorded, token: string) => { status: number; body: unknown }) {
  let issued = 0;
  return startFakeCar((req, res) => {
    if (req.url === '/auth') {
      issued += 1;
      res.writeHead(201, { 'Content-Type': 'text/plain' });
      res.end(`token-${issued}`);
      return;
    }
    const token = (req.headers.authorization ?? '').replace('Bearer ', '');
    const answer = script?.(req, token) ?? { status: 200, body: req.method === 'POST' ? CREATED : UPDATED };
    json(res, answer.status, answer.body);
  });
}

const authRequests = (car: FakeCar) => car.requests.filter((r) => r.url === '/auth');

let car: FakeCar | undefined;
afterEach(async () => {
  await car?.close();
  car = undefined;
});

describe('authentication', () => {
  it('exchanges username and password at /auth, form-encoded, and sends the JWT as a bearer token', async () => {
    car = await carWithAuth();
    const { client } = clientFor(car.url, {}, USER);
    await client.createScript(SEED_CREATE_BODY);
    await client.close();

    const [auth, create] = car.requests;
    expect(auth!.method).toBe('POST');
    expect(auth!.url).toBe('/auth');
    expect(auth!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(auth!.body).toBe('username=api+user&password=p%26ss%2Bw%25rd%3D1&token=true');
    const form = new URLSearchParams(auth!.body);
    expect(form.get('password')).toBe(PASSWORD);
    expect(form.get('username')).toBe('api user');
    expect(form.get('token')).toBe('true');
    expect(create!.headers.authorization).toBe('Bearer token-1');
  });

  it('makes no request at all when no call is made', async () => {
    car = await carWithAuth();
    const { client } = clientFor(car.url, {}, USER);
    await client.close();
    expect(car.requests).toHaveLength(0);
    expect(client.stats().requests).toBe(0);
  });

  it('asks /auth once for many calls, also when they start together', async () => {
    car = await carWithAuth();
    const { client } = clientFor(car.url, { concurrency: 2 }, USER);
    await Promise.all(Array.from({ length: 8 }, () => client.updateScript(100010, SEED_UPDATE_BODY)));
    await client.createScript(SEED_CREATE_BODY);
    const stats = client.stats();
    await client.close();
    expect(authRequests(car)).toHaveLength(1);
    expect(stats).toMatchObject({ requests: 10, authRequests: 1 });
    expect(car.requests.filter((r) => r.url !== '/auth').every((r) => r.headers.authorization === 'Bearer token-1')).toBe(true);
  });

  it('asks for a new token when the cached one is about to expire', async () => {
    const time = fakeTime();
    const exp = Math.floor(time.now() / 1000) + 3600;
    let issued = 0;
    car = await startFakeCar((req, res) => {
      if (req.url === '/auth') {
        issued += 1;
        res.writeHead(201);
        res.end(jwt({ sub: 'api', exp, n: issued }));
        return;
      }
      json(res, 200, UPDATED);
    });
    const { client } = clientFor(car.url, { now: time.now, sleep: time.sleep }, USER);
    await client.updateScript(1, SEED_UPDATE_BODY);
    time.advance(50 * 60 * 1000);
    await client.updateScript(1, SEED_UPDATE_BODY);
    expect(authRequests(car)).toHaveLength(1);
    time.advance(8 * 60 * 1000); // 2 minutes before exp: inside the renewal margin
    await client.updateScript(1, SEED_UPDATE_BODY);
    await client.close();
    expect(authRequests(car)).toHaveLength(2);
  });

  it('renews the token once on a 401 and sends the call again', async () => {
    car = await carWithAuth((req, token) =>
      token === 'token-1' ? { status: 401, body: { message: 'token expired' } } : { status: 200, body: req.method === 'POST' ? CREATED : UPDATED },
    );
    const { client } = clientFor(car.url, {}, USER);
    const id = await client.createScript(SEED_CREATE_BODY);
    await client.close();
    expect(id).toBe(100504);
    expect(car.requests.map((r) => `${r.url} ${r.headers.authorization ?? ''}`)).toEqual([
      '/auth ',
      '/sm/v5/script Bearer token-1',
      '/auth ',
      '/sm/v5/script Bearer token-2',
    ]);
  });

  it('calls turned away together with the same stale token share one renewal', async () => {
    let issued = 0;
    car = await startFakeCar(async (req, res) => {
      if (req.url === '/auth') {
        issued += 1;
        res.writeHead(201);
        return res.end(`token-${issued}`);
      }
      // Hold both calls until they are in flight together.
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (req.headers.authorization === 'Bearer token-1') return json(res, 401, { message: 'expired' });
      json(res, 200, UPDATED);
    });
    const { client } = clientFor(car.url, { concurrency: 2 }, USER);
    await Promise.all([client.updateScript(1, SEED_UPDATE_BODY), client.updateScript(2, SEED_UPDATE_BODY)]);
    await client.close();
    expect(authRequests(car)).toHaveLength(2);
    expect(car.maxInFlight()).toBe(2);
    expect(car.requests.filter((r) => r.headers.authorization === 'Bearer token-2')).toHaveLength(2);
  });

  it('gives up with an auth error on a second 401', async () => {
    car = await carWithAuth(() => ({ status: 401, body: { message: 'no' } }));
    const { client } = clientFor(car.url, {}, USER);
    const err = await client.updateScript(5, SEED_UPDATE_BODY).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(CarError);
    expect((err as CarError).kind).toBe('auth');
    expect((err as CarError).provesNotProcessed).toBe(true);
    expect(authRequests(car)).toHaveLength(2);
    expect(car.requests).toHaveLength(4);
  });

  it('does not try to renew a given token: a 401 is an auth error at once', async () => {
    car = await carWithAuth(() => ({ status: 401, body: { message: 'expired' } }));
    const { client } = clientFor(car.url);
    const err = (await client.createScript(SEED_CREATE_BODY).catch((e: unknown) => e)) as CarError;
    await client.close();
    expect(err.kind).toBe('auth');
    expect(err.status).toBe(401);
    expect(car.requests).toHaveLength(1);
  });

  it('reports a refused password without repeating it', async () => {
    car = await startFakeCar((_req, res) => json(res, 401, { message: 'Invalid credentials' }));
    const { client } = clientFor(car.url, {}, USER);
    const err = (await client.createScript(SEED_CREATE_BODY).catch((e: unknown) => e)) as CarError;
    await client.close();
    expect(err.kind).toBe('auth');
    expect(err.message).toBe('CAR refused the username/password at /auth (HTTP 401)');
    expect(err.provesNotProcessed).toBe(true);
    expect(car.requests.map((r) => r.url)).toEqual(['/auth']);
  });

  it('retries /auth on a 5xx', async () => {
    let calls = 0;
    car = await startFakeCar((req, res) => {
      if (req.url === '/auth') {
        calls += 1;
        if (calls === 1) return json(res, 503, { message: 'busy' });
        res.writeHead(201);
        return res.end('token-x');
      }
      json(res, 200, CREATED);
    });
    const time = fakeTime();
    const { client } = clientFor(car.url, { sleep: time.sleep, now: time.now }, USER);
    await client.createScript(SEED_CREATE_BODY);
    await client.close();
    expect(car.requests.map((r) => r.url)).toEqual(['/auth', '/auth', '/sm/v5/script']);
    expect(time.sleeps).toHaveLength(1);
  });
});

describe('jwtExpiresAt', () => {
  it('reads exp from a JWT and ignores anything else', () => {
    expect(jwtExpiresAt(jwt({ exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
    expect(jwtExpiresAt(jwt({ sub: 'x' }))).toBeUndefined();
    expect(jwtExpiresAt('not-a-jwt')).toBeUndefined();
    expect(jwtExpiresAt('a.!!!.c')).toBeUndefined();
  });
});
