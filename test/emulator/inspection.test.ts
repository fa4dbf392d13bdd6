import { describe, expect, it } from 'vitest';
import type { LoggedRequest, StoredScript } from '../../src/emulator/server.js';
import { call, create, createdId, emulator, login, SEED_CREATE_BODY, SEED_UPDATE_BODY, simpleBody, update } from './helpers.js';

const SECRET = 'S3cr&t+pa%ss';

describe('inspection endpoints', () => {
  it('serve the stored scripts and the request log as JSON, and reset both', async () => {
    const car = await emulator({ users: [{ username: 'ops', password: SECRET }], rateLimit: { calls: 3, windowSec: 3600 } });
    const token = (await login(car.url, { username: 'ops', password: SECRET, token: 'true' })).text;
    const id = createdId(await create(car.url, token, SEED_CREATE_BODY));
    expect((await update(car.url, token, id, SEED_UPDATE_BODY)).status).toBe(200);

    const scripts = await call(car.url, 'GET', '/__emulator/scripts', { contentType: null });
    expect(scripts.status).toBe(200);
    expect(scripts.headers.get('content-type')).toBe('application/json');
    expect(scripts.json as StoredScript[]).toEqual(car.scripts());
    expect(scripts.json).toMatchObject([{ id, body: SEED_UPDATE_BODY, createdBy: 'ops', version: 2 }]);

    const requests = (await call(car.url, 'GET', '/__emulator/requests', { contentType: null })).json as LoggedRequest[];
    expect(requests).toEqual(car.requests());
    expect(requests.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'POST', path: '/auth', status: 201 },
      { method: 'POST', path: '/sm/v5/script', status: 200 },
      { method: 'PATCH', path: `/sm/v4/script/${id}`, status: 200 },
    ]);
    expect(requests[1]).toMatchObject({ body: SEED_CREATE_BODY, scriptId: id, headers: { authorization: 'Bearer [redacted]' } });
    expect(requests[2]).toMatchObject({ body: SEED_UPDATE_BODY, scriptId: id });
    for (const entry of requests) expect(entry.endedAt).toBeGreaterThanOrEqual(entry.at);

    const everything = JSON.stringify(requests);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(new URLSearchParams({ p: SECRET }).toString().slice(2));
    expect(requests[0]?.body).toEqual({ username: 'ops', password: '[redacted]', token: 'true' });

    const reset = await call(car.url, 'POST', '/__emulator/reset', { contentType: null });
    expect(reset.status).toBe(204);
    expect(car.scripts()).toEqual([]);
    expect(car.requests()).toEqual([]);
    // The rate window and the ids start over; the token stays valid.
    const again = await create(car.url, token, simpleBody('again'));
    expect(createdId(again)).toBe(id);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  it('answers wrong methods 405 and unknown inspection paths 404', async () => {
    const car = await emulator();
    expect((await call(car.url, 'DELETE', '/__emulator/scripts', { contentType: null })).status).toBe(405);
    expect((await call(car.url, 'GET', '/__emulator/reset', { contentType: null })).status).toBe(405);
    expect((await call(car.url, 'GET', '/__emulator/nothing', { contentType: null })).status).toBe(404);
  });

  it('logs every request with its timing, including refused ones and unknown paths', async () => {
    const car = await emulator({ latencyMs: 40 });
    const token = car.issueToken('demo');
    await create(car.url, token, simpleBody('one'));
    await create(car.url, token, { title: 'broken' });
    await call(car.url, 'GET', '/nowhere', { contentType: null });
    await create(car.url, token, '{not json');
    const log = car.requests();
    expect(log.map((entry) => [entry.path, entry.status])).toEqual([
      ['/sm/v5/script', 200],
      ['/sm/v5/script', 400],
      ['/nowhere', 404],
      ['/sm/v5/script', 400],
    ]);
    // A little slack: libuv rounds timers to whole milliseconds.
    expect(log[0]?.endedAt).toBeGreaterThanOrEqual((log[0]?.at ?? 0) + 35);
    expect(log[1]?.body).toEqual({ title: 'broken' });
    expect(log[3]?.body).toBe('{not json');
    expect(log[0]?.headers['content-type']).toBe('application/json');
    for (let i = 1; i < log.length; i++) expect(log[i]?.at).toBeGreaterThanOrEqual(log[i - 1]?.at ?? 0);
  });

  it('refuses to hand out tokens for users it does not have', async () => {
    const car = await emulator();
    expect(() => car.issueToken('nobody')).toThrow(/no user "nobody"/);
  });
});
