import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { create, CREATE_ACCEPT, createdId, emulator, simpleBody, update } from './helpers.js';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

describe('rate limit', () => {
  it('blocks the call over the window with 409 and the wait headers, without processing or counting it', async () => {
    const car = await emulator({ rateLimit: { calls: 2, windowSec: 1 } });
    const token = car.issueToken('demo');
    const first = await create(car.url, token, simpleBody('one'));
    const second = await create(car.url, token, simpleBody('two'));
    const blocked = await create(car.url, token, simpleBody('three'));
    expect([first.status, second.status, blocked.status]).toEqual([200, 200, 409]);
    expect([first, second, blocked].map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['1', '0', '0']);
    expect(blocked.headers.get('x-ratelimit-limit')).toBe('2');
    expect(blocked.headers.get('x-ratelimit-window-sec')).toBe('1');
    expect(blocked.headers.get('x-ratelimit-towait-sec')).toBe('1');
    expect(blocked.headers.get('retry-after')).toBe('1');
    expect(blocked.json).toMatchObject({ errorCode: '409', body: null });
    expect(first.headers.get('x-ratelimit-towait-sec')).toBeNull();
    expect(car.scripts().map((script) => script.body.title)).toEqual(['one', 'two']);

    await sleep(Number(blocked.headers.get('x-ratelimit-towait-sec')) * 1000);
    const later = await create(car.url, token, simpleBody('three'));
    expect(later.status).toBe(200);
    expect(car.scripts().map((script) => script.body.title)).toEqual(['one', 'two', 'three']);
  });

  it('counts updates and calls refused for their body, but not 401s', async () => {
    const car = await emulator({ rateLimit: { calls: 3, windowSec: 60 } });
    const token = car.issueToken('demo');
    const id = createdId(await create(car.url, token, simpleBody('one')));
    expect((await create(car.url, 'bad-token', simpleBody('x'))).status).toBe(401);
    expect((await create(car.url, token, { title: 'no content' })).status).toBe(400);
    expect((await update(car.url, token, id, { ...simpleBody('one'), comment: 'c' })).status).toBe(200);
    const blocked = await update(car.url, token, id, { ...simpleBody('one'), comment: 'c' });
    expect(blocked.status).toBe(409);
    const wait = Number(blocked.headers.get('x-ratelimit-towait-sec'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(car.scripts()[0]?.version).toBe(2);
  });

  it('can answer 429 instead, like some gateway services', async () => {
    const car = await emulator({ rateLimit: { calls: 1, windowSec: 30 }, rateLimitStatus: 429 });
    const token = car.issueToken('demo');
    await create(car.url, token, simpleBody('one'));
    const blocked = await create(car.url, token, simpleBody('two'));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('x-ratelimit-towait-sec'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('x-ratelimit-towait-sec'))).toBeLessThanOrEqual(30);
    expect(car.scripts()).toHaveLength(1);
  });
});

/**
 * A create whose body is held back: the emulator counts it as running from admission until it has
 * read the body and answered, so the test decides when it ends instead of racing a latency.
 */
function heldCreate(url: string, token: string, body: unknown): { finish(): Promise<{ status: number; text: string }> } {
  const text = JSON.stringify(body);
  const request = httpRequest(`${url}/sm/v5/script`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: CREATE_ACCEPT,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    },
  });
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
  });
  request.write(text.slice(0, 10));
  return {
    finish() {
      request.end(text.slice(10));
      return answer;
    },
  };
}

describe('concurrency limit', () => {
  it('blocks a call while the limit is reached and reports the running count', async () => {
    const car = await emulator({ concurrencyLimit: 1, rateLimit: { calls: 10, windowSec: 60 } });
    const token = car.issueToken('demo');
    const held = heldCreate(car.url, token, simpleBody('held'));
    await until(() => car.running() === 1);
    const blocked = await create(car.url, token, simpleBody('blocked'));
    expect(blocked.status).toBe(409);
    expect(blocked.json).toMatchObject({ errorCode: '409', body: null });
    expect(blocked.headers.get('x-concurrency-limit-limit')).toBe('1');
    expect(blocked.headers.get('x-concurrency-limit-running')).toBe('1');
    expect(blocked.headers.get('x-ratelimit-towait-sec')).toBe('1');
    expect(blocked.headers.get('retry-after')).toBe('1');
    expect(blocked.headers.get('x-ratelimit-remaining')).toBe('9');
    const done = await held.finish();
    expect(done.status).toBe(200);
    expect(car.running()).toBe(0);
    expect(car.scripts().map((script) => script.body.title)).toEqual(['held']);
    expect((await create(car.url, token, simpleBody('after'))).status).toBe(200);
  });

  it('lets calls up to the limit run together, and counts latency as running', async () => {
    const car = await emulator({ concurrencyLimit: 2, latencyMs: 50 });
    const token = car.issueToken('demo');
    const held = heldCreate(car.url, token, simpleBody('a'));
    await until(() => car.running() === 1);
    const second = await create(car.url, token, simpleBody('b'));
    expect(second.status).toBe(200);
    expect(second.headers.get('x-concurrency-limit-running')).toBe('2');
    expect((await held.finish()).status).toBe(200);
    expect(car.scripts()).toHaveLength(2);
  });
});
