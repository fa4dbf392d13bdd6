import { describe, expect, it } from 'vitest';
import { call, create, CREATE_ACCEPT, emulator, SEED_CREATE_BODY, SEED_UPDATE_BODY, update, UPDATE_ACCEPT } from './helpers.js';

describe("the seed's sample requests", () => {
  it('creates a control ID remediation script and answers exactly as the seed shows', async () => {
    const car = await emulator({ firstId: 100504 });
    const token = car.issueToken('demo');
    const answer = await create(car.url, token, SEED_CREATE_BODY);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.json).toEqual({ errorCode: '0', message: 'Script created successfully', body: { id: 100504 } });
    expect(car.scripts()).toMatchObject([{ id: 100504, body: SEED_CREATE_BODY, createdBy: 'demo', version: 1 }]);
  });

  it('updates it and answers with the update envelope of the seed', async () => {
    const car = await emulator({ firstId: 100010 });
    const token = car.issueToken('demo');
    await create(car.url, token, SEED_CREATE_BODY);
    const answer = await update(car.url, token, 100010, SEED_UPDATE_BODY);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.json).toEqual({ id: 100010, message: 'Updated Successfully.' });
    const [script] = car.scripts();
    expect(script).toMatchObject({ id: 100010, body: SEED_UPDATE_BODY, version: 2 });
  });

  it('hands out increasing ids and keeps scripts with the same title apart', async () => {
    const car = await emulator();
    const token = car.issueToken('demo');
    const first = await create(car.url, token, SEED_CREATE_BODY);
    const second = await create(car.url, token, SEED_CREATE_BODY);
    expect([first.json, second.json]).toEqual([
      { errorCode: '0', message: 'Script created successfully', body: { id: 100000 } },
      { errorCode: '0', message: 'Script created successfully', body: { id: 100001 } },
    ]);
    expect(car.scripts().map((script) => script.body.title)).toEqual(['Sample title', 'Sample title']);
  });

  it('sends the rate and concurrency headers on every /sm answer', async () => {
    const car = await emulator({ rateLimit: { calls: 300, windowSec: 3600 }, concurrencyLimit: 2 });
    const token = car.issueToken('demo');
    const answers = [
      await create(car.url, token, SEED_CREATE_BODY),
      await create(car.url, token, { ...SEED_CREATE_BODY, severity: 3 }),
      await update(car.url, token, 999, SEED_UPDATE_BODY),
      await create(car.url, 'not-a-token', SEED_CREATE_BODY),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 404, 401]);
    for (const answer of answers) {
      expect(answer.headers.get('x-ratelimit-limit')).toBe('300');
      expect(answer.headers.get('x-ratelimit-window-sec')).toBe('3600');
      expect(answer.headers.get('x-concurrency-limit-limit')).toBe('2');
      expect(answer.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(answer.headers.get('x-concurrency-limit-running')).toMatch(/^\d+$/);
    }
    expect(answers.map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['299', '298', '297', '297']);
    expect(answers[0]?.headers.get('x-concurrency-limit-running')).toBe('1');
  });

  it('answers unknown paths 404 and wrong methods 405 with the allowed method', async () => {
    const car = await emulator();
    const token = car.issueToken('demo');
    const missing = await call(car.url, 'POST', '/sm/v5/scripts', { token, accept: CREATE_ACCEPT, body: SEED_CREATE_BODY });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ errorCode: '404', body: null });
    expect((await call(car.url, 'PATCH', '/sm/v5/script/1', { token, accept: UPDATE_ACCEPT, body: SEED_UPDATE_BODY })).status).toBe(404);
    expect((await call(car.url, 'PATCH', '/sm/v4/script/1/', { token, accept: UPDATE_ACCEPT, body: SEED_UPDATE_BODY })).status).toBe(404);

    const wrongCreate = await call(car.url, 'PUT', '/sm/v5/script', { token, accept: CREATE_ACCEPT, body: SEED_CREATE_BODY });
    expect(wrongCreate.status).toBe(405);
    expect(wrongCreate.headers.get('allow')).toBe('POST');
    const wrongUpdate = await call(car.url, 'POST', '/sm/v4/script/100000', { token, accept: UPDATE_ACCEPT, body: SEED_UPDATE_BODY });
    expect(wrongUpdate.status).toBe(405);
    expect(wrongUpdate.headers.get('allow')).toBe('PATCH');
    expect((await call(car.url, 'GET', '/auth', { contentType: null })).status).toBe(405);
    expect(car.scripts()).toEqual([]);
  });
});
