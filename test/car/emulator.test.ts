import { afterEach, describe, expect, it } from 'vitest';
import { CarHttpClient } from '../../src/car/client.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { SEED_CREATE_BODY, SEED_UPDATE_BODY } from './fake-car.js';

const PASSWORD = 'p&ss+w%rd=1';

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('against the CAR emulator', () => {
  it('authenticates, creates and updates as the seed describes, paced under a rate limit without a 409', async () => {
    emulator = await startEmulator({ users: [{ username: 'sync', password: PASSWORD }], rateLimit: { calls: 5, windowSec: 1 }, latencyMs: 5 });
    const logs: string[] = [];
    const client = new CarHttpClient({
      settings: { baseUrl: emulator.url, username: 'sync', password: PASSWORD, timeoutMs: 5000 },
      concurrency: 2,
      env: {},
      log: (line) => logs.push(line),
    });
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => client.createScript({ ...SEED_CREATE_BODY, title: `Script ${i}` })));
    await client.updateScript(ids[0]!, { ...SEED_UPDATE_BODY, title: 'Script 0' });
    const stats = client.stats();
    await client.close();

    expect(new Set(ids).size).toBe(8);
    const scripts = emulator.scripts();
    expect(scripts).toHaveLength(8);
    expect(scripts.find((s) => s.id === ids[0])!.version).toBe(2);
    const requests = emulator.requests();
    expect(requests.filter((r) => r.path === '/auth')).toHaveLength(1);
    expect(requests.filter((r) => r.status === 409)).toHaveLength(0);
    expect(requests.filter((r) => r.status >= 400)).toEqual([]);
    expect(stats).toMatchObject({ requests: 10, authRequests: 1, rateLimited: 0 });
    for (const line of logs) expect(line).not.toContain(PASSWORD);
  });

  it('waits out the emulator\'s 429s and never creates a script twice', async () => {
    emulator = await startEmulator({ rateLimit: { calls: 2, windowSec: 1 }, rateLimitStatus: 429, tokens: ['static-emulator-token'] });
    const clients = [0, 1].map(
      () => new CarHttpClient({ settings: { baseUrl: emulator!.url, token: 'static-emulator-token', timeoutMs: 5000 }, concurrency: 2, env: {} }),
    );
    // Two clients share the subscription's window: each one's own count cannot explain the other's calls.
    const ids = await Promise.all(clients.flatMap((client, c) => [0, 1].map((i) => client.createScript({ ...SEED_CREATE_BODY, title: `S${c}-${i}` }))));
    const limited = clients.reduce((sum, client) => sum + client.stats().rateLimited, 0);
    await Promise.all(clients.map((client) => client.close()));
    expect(new Set(ids).size).toBe(4);
    expect(emulator.scripts()).toHaveLength(4);
    expect(emulator.requests().filter((r) => r.status === 429)).toHaveLength(limited);
  });
});
