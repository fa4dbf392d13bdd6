import { describe, expect, it } from 'vitest';
import { call, create, emulator, login, SEED_CREATE_BODY } from './helpers.js';

const TRICKY_PASSWORD = 'p&ss+w%rd%41=x y';

function claims(token: string): { sub: string; iat: number; exp: number } {
  const parts = token.split('.');
  expect(parts).toHaveLength(3);
  for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
  return JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8'));
}

describe('POST /auth', () => {
  it('answers 201 with the bare JWT as text for a password full of &, + and %', async () => {
    const car = await emulator({ users: [{ username: 'api.user@example.com', password: TRICKY_PASSWORD }] });
    const answer = await login(car.url, { username: 'api.user@example.com', password: TRICKY_PASSWORD, token: 'true' });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('text/plain');
    expect(answer.json).toBeUndefined();
    const { sub, iat, exp } = claims(answer.text);
    expect(sub).toBe('api.user@example.com');
    expect(exp - iat).toBe(4 * 3600);
    expect((await create(car.url, answer.text, SEED_CREATE_BODY)).status).toBe(200);
  });

  it('refuses a password that was not form-encoded', async () => {
    const car = await emulator({ users: [{ username: 'u', password: TRICKY_PASSWORD }] });
    const raw = `username=u&password=${TRICKY_PASSWORD}&token=true`;
    const answer = await call(car.url, 'POST', '/auth', { contentType: 'application/x-www-form-urlencoded', body: raw });
    expect(answer.status).toBe(401);
    const halfEncoded = `username=u&password=${TRICKY_PASSWORD.replace('&', '%26')}&token=true`;
    expect((await call(car.url, 'POST', '/auth', { contentType: 'application/x-www-form-urlencoded', body: halfEncoded })).status).toBe(401);
  });

  it.each([
    ['a wrong password', { username: 'demo', password: 'demo2', token: 'true' }, 401],
    ['an unknown user', { username: 'nobody', password: 'demo', token: 'true' }, 401],
    ['no token=true', { username: 'demo', password: 'demo' }, 400],
    ['no password', { username: 'demo', token: 'true' }, 400],
  ])('answers %s with %i and the error envelope', async (_name, form, status) => {
    const car = await emulator();
    const answer = await login(car.url, form);
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ errorCode: String(status), body: null });
    expect((answer.json as { message: string }).message.length).toBeGreaterThan(0);
  });

  it('wants a form, not JSON', async () => {
    const car = await emulator();
    const answer = await call(car.url, 'POST', '/auth', { body: { username: 'demo', password: 'demo', token: 'true' } });
    expect(answer.status).toBe(415);
  });

  it('is not rate limited', async () => {
    const car = await emulator({ rateLimit: { calls: 1, windowSec: 3600 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await login(car.url, { username: 'demo', password: 'demo', token: 'true' })).status);
    expect(statuses).toEqual([201, 201, 201]);
  });
});

describe('bearer tokens on /sm calls', () => {
  it('refuses a missing, malformed, forged or foreign token with 401', async () => {
    const car = await emulator();
    const other = await emulator();
    const good = car.issueToken('demo');
    const [header, payload] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims(good), exp: 9999999999 })).toString('base64url');
    const attempts = [
      await call(car.url, 'POST', '/sm/v5/script', { accept: 'application/vnd.qualys.car.api.v5.0+json', body: SEED_CREATE_BODY }),
      await call(car.url, 'POST', '/sm/v5/script', { headers: { Authorization: `Basic ${good}` }, body: SEED_CREATE_BODY }),
      await create(car.url, `${header}.${forgedPayload}.${good.split('.')[2]}`, SEED_CREATE_BODY),
      await create(car.url, `${header}.${payload}`, SEED_CREATE_BODY),
      await create(car.url, other.issueToken('demo'), SEED_CREATE_BODY),
    ];
    expect(attempts.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
    for (const answer of attempts) expect(answer.json).toMatchObject({ errorCode: '401', body: null });
    expect(car.scripts()).toEqual([]);
  });

  it('refuses an expired token with 401 and accepts a fresh one from /auth', async () => {
    const car = await emulator({ tokenTtlSec: 0 });
    const expired = (await login(car.url, { username: 'demo', password: 'demo', token: 'true' })).text;
    const { iat, exp } = claims(expired);
    expect(exp).toBe(iat);
    const answer = await create(car.url, expired, SEED_CREATE_BODY);
    expect(answer.status).toBe(401);
    expect((answer.json as { message: string }).message).toMatch(/expired/);

    const lasting = await emulator({ tokenTtlSec: 60 });
    const token = (await login(lasting.url, { username: 'demo', password: 'demo', token: 'true' })).text;
    expect((await create(lasting.url, token, SEED_CREATE_BODY)).status).toBe(200);
  });

  it('accepts static tokens as the first user', async () => {
    const car = await emulator({ users: [{ username: 'first', password: 'x' }, { username: 'second', password: 'y' }], tokens: ['static-token-1'] });
    expect((await create(car.url, 'static-token-1', SEED_CREATE_BODY)).status).toBe(200);
    expect((await create(car.url, 'static-token-2', SEED_CREATE_BODY)).status).toBe(401);
    expect(car.scripts().map((script) => script.createdBy)).toEqual(['first']);
  });
});
