import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { emulatorOptionsFromArgs, parseEmulatorUser, runEmulatorCli } from '../../src/emulator/server.js';
import { create, login, simpleBody } from './helpers.js';

describe('emulatorOptionsFromArgs', () => {
  it('reads every flag of car-sync emulator', () => {
    const options = emulatorOptionsFromArgs({
      port: '8080',
      latency: '25',
      'rate-limit': '20/5',
      'rate-limit-status': '429',
      'concurrency-limit': '2',
      'fail-rate': '0.1',
      'lost-answer-rate': '.25',
      seed: '42',
      user: 'alice:pw:team-a,team-b\nbob:b&+%:',
      'accept-token': 'tok1, tok2',
      'token-ttl': '60',
      'first-id': '500',
      'max-scripts': '10',
      root: '/ignored',
      other: undefined,
    });
    expect(options).toEqual({
      port: 8080,
      latencyMs: 25,
      rateLimit: { calls: 20, windowSec: 5 },
      rateLimitStatus: 429,
      concurrencyLimit: 2,
      failRate: 0.1,
      lostAnswerRate: 0.25,
      seed: 42,
      users: [
        { username: 'alice', password: 'pw', scopes: ['team-a', 'team-b'] },
        { username: 'bob', password: 'b&+%' },
      ],
      tokens: ['tok1', 'tok2'],
      tokenTtlSec: 60,
      firstId: 500,
      maxScripts: 10,
    });
    expect(emulatorOptionsFromArgs({})).toEqual({});
  });

  it.each([
    ['port', '70000', /--port/],
    ['port', 'abc', /--port: expected a whole number/],
    ['latency', '-1', /--latency/],
    ['rate-limit', '20', /--rate-limit: expected CALLS\/SECONDS such as 20\/5/],
    ['rate-limit', '0/5', /--rate-limit/],
    ['rate-limit-status', '503', /--rate-limit-status: expected 409 or 429/],
    ['concurrency-limit', '0', /--concurrency-limit/],
    ['fail-rate', '1.5', /--fail-rate: expected a fraction from 0 to 1/],
    ['lost-answer-rate', 'half', /--lost-answer-rate/],
    ['seed', '1.5', /--seed/],
    ['user', 'nopassword', /--user: expected NAME:PASSWORD/],
  ])('refuses --%s %s with a message naming the flag', (flag, value, message) => {
    expect(() => emulatorOptionsFromArgs({ [flag]: value })).toThrow(message);
  });

  it('never repeats a password in an error', () => {
    expect(() => emulatorOptionsFromArgs({ user: ':hunter2' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });
});

describe('parseEmulatorUser', () => {
  it.each([
    ['demo:demo', { username: 'demo', password: 'demo' }],
    ['ops:secret:team-a', { username: 'ops', password: 'secret', scopes: ['team-a'] }],
    ['ops:pa:ss:', { username: 'ops', password: 'pa:ss' }],
    ['ops:pa:ss:a, b', { username: 'ops', password: 'pa:ss', scopes: ['a', 'b'] }],
  ])('reads %s', (spec, user) => {
    expect(parseEmulatorUser(spec)).toEqual(user);
  });
});

describe('runEmulatorCli', () => {
  it('serves until stopped, printing the URL and the demo credentials', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const running = runEmulatorCli({ rateLimit: { calls: 20, windowSec: 5 } }, (line) => lines.push(line), { signal: stop.signal });
    while (!lines.some((line) => line.includes('Ctrl+C'))) await sleep(5);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0] ?? '')?.[1];
    expect(url).toBeDefined();
    expect(lines.join('\n')).toContain('username demo, password demo');
    expect(lines.join('\n')).toContain('20 calls per 5 s');
    const token = (await login(url as string, { username: 'demo', password: 'demo', token: 'true' })).text;
    expect((await create(url as string, token, simpleBody('via cli'))).status).toBe(200);

    stop.abort();
    await running;
    expect(lines.at(-1)).toBe('CAR emulator stopped.');
    await expect(fetch(`${url}/__emulator/scripts`)).rejects.toThrow();
  });

  it('names configured users without printing their passwords, and prints the fault seed', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    stop.abort();
    await runEmulatorCli({ users: [{ username: 'ops', password: 'hunter2', scopes: ['team-a'] }], failRate: 0.1 }, (line) => lines.push(line), {
      signal: stop.signal,
    });
    const output = lines.join('\n');
    expect(output).toContain('user ops (tag scopes: team-a)');
    expect(output).not.toContain('hunter2');
    expect(output).toMatch(/fault seed \d+ \(pass --seed \d+ to replay\)/);
  });
});
