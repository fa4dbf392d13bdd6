import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CarHttpClient } from '../../src/car/client.js';
import { resolveConfig, type Config } from '../../src/config.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { readStateFile } from '../../src/plan/state.js';
import { prepare, stateFilePath, sync } from '../../src/sync.js';
import { generatedScripts, tempRepo } from '../support/repo.js';

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function configFor(root: string, url: string, extra: Record<string, string> = {}): Config {
  return resolveConfig({ root, 'base-url': url, username: 'demo', password: 'demo', ...extra }, process.cwd());
}

async function run(config: Config, stop?: AbortSignal) {
  const prepared = await prepare(config);
  const client = () => new CarHttpClient({ settings: config.car!, concurrency: config.concurrency });
  return { prepared, result: await sync(config, prepared, { client, stop }) };
}

const writes = (e: RunningEmulator) => e.requests().filter((r) => r.path.startsWith('/sm/'));

describe('apply against the emulator', () => {
  it('creates, records ids, and a second run makes no request at all', async () => {
    emulator = await startEmulator();
    const root = await tempRepo(generatedScripts(5));
    const config = configFor(root, emulator.url);
    const first = await run(config);
    expect(first.result.results.map((r) => r.outcome)).toEqual(Array(5).fill('done'));
    const state = await readStateFile(stateFilePath(config), 'state');
    const ids = emulator.scripts().map((s) => s.id).sort();
    expect(Object.values(state.scripts).map((e) => e.id).sort()).toEqual(ids);
    expect(Object.values(state.scripts).every((e) => e.intent === undefined && e.hash)).toBe(true);

    const before = emulator.requests().length;
    const second = await run(config);
    expect(second.prepared.plan.counts.unchanged).toBe(5);
    expect(emulator.requests().length).toBe(before);
  });

  it('updates a changed script with PATCH and the same id, and a meta-only change too', async () => {
    emulator = await startEmulator();
    const root = await tempRepo(generatedScripts(2));
    const config = configFor(root, emulator.url);
    await run(config);
    await writeFile(path.join(root, 'scripts/gen/0000/script.sh'), '#!/bin/bash\necho changed\n');
    await writeFile(path.join(root, 'scripts/gen/0001/meta.yaml'), 'title: gen script 1\nseverity: 5\n');
    const { result } = await run(config);
    expect(result.results.filter((r) => r.action === 'update').map((r) => r.outcome)).toEqual(['done', 'done']);
    const patches = writes(emulator).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(2);
    expect(emulator.scripts()).toHaveLength(2);
    const changed = emulator.scripts().find((s) => s.version === 2 && Buffer.from(String(s.body.content), 'base64').toString() === '#!/bin/bash\necho changed\n');
    expect(changed).toBeDefined();
  });

  it('keeps every success and reports every failure of a partial run, with exit status failed', async () => {
    emulator = await startEmulator();
    const files = generatedScripts(3);
    const root = await tempRepo(files);
    const config = configFor(root, emulator.url);
    await run(config);
    // An id CAR does not show this user: reported with the scope hint, never created again.
    const state = JSON.parse(await readFile(stateFilePath(config), 'utf8'));
    state.scripts['scripts/gen/0001/script.sh'].id = 999_999;
    state.scripts['scripts/gen/0001/script.sh'].hash = '0'.repeat(64);
    await writeFile(stateFilePath(config), JSON.stringify(state));
    await writeFile(path.join(root, 'scripts/gen/0002/script.sh'), '#!/bin/bash\necho new content\n');
    const { result } = await run(config);
    const byPath = Object.fromEntries(result.results.map((r) => [r.path, r]));
    expect(byPath['scripts/gen/0001/script.sh']).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/tag scope/) });
    expect(byPath['scripts/gen/0002/script.sh']).toMatchObject({ outcome: 'done' });
    expect(emulator.scripts()).toHaveLength(3);
    const after = await readStateFile(stateFilePath(config), 'state');
    expect(after.scripts['scripts/gen/0001/script.sh']!.id).toBe(999_999);
  });

  it('an update of a script outside the API user\'s tag scope is reported with the hint, never created again', async () => {
    emulator = await startEmulator({
      users: [
        { username: 'team-a', password: 'pa', scopes: ['A'] },
        { username: 'team-b', password: 'pb', scopes: ['B'] },
      ],
    });
    const root = await tempRepo(generatedScripts(2));
    await run(resolveConfig({ root, 'base-url': emulator.url, username: 'team-a', password: 'pa' }, process.cwd()));
    await writeFile(path.join(root, 'scripts/gen/0000/script.sh'), '#!/bin/bash\necho changed by team b\n');
    const asB = resolveConfig({ root, 'base-url': emulator.url, username: 'team-b', password: 'pb' }, process.cwd());
    const { result } = await run(asB);
    const update = result.results.find((r) => r.action === 'update')!;
    expect(update).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/404.*tag scope.*not created again/s) });
    expect(emulator.scripts()).toHaveLength(2);
    expect(writes(emulator).filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('a create CAR refuses is failed, leaves no intent, and carries CAR message', async () => {
    emulator = await startEmulator({ maxScripts: 1 });
    const root = await tempRepo(generatedScripts(2));
    const config = configFor(root, emulator.url, { concurrency: '1' });
    const { result } = await run(config);
    expect(result.results.map((r) => r.outcome)).toEqual(['done', 'failed']);
    expect(result.results[1]!.message).toMatch(/HTTP 400|5000|limit|scripts/i);
    const state = await readStateFile(stateFilePath(config), 'state');
    expect(Object.keys(state.scripts)).toEqual(['scripts/gen/0000/script.sh']);
  });

  it('--max-writes stops after N write calls and the next run continues', async () => {
    emulator = await startEmulator();
    const root = await tempRepo(generatedScripts(5));
    const config = configFor(root, emulator.url, { 'max-writes': '2' });
    const first = await run(config);
    expect(first.result.writeCalls).toBe(2);
    expect(first.result.results.filter((r) => r.outcome === 'skipped')).toHaveLength(3);
    const second = await run(config);
    expect(second.prepared.plan.counts.create).toBe(3);
    const third = await run(config);
    expect(third.prepared.plan.counts.create).toBe(1);
    await run(config);
    expect(emulator.scripts()).toHaveLength(5);
  });

  it('--force updates unchanged scripts', async () => {
    emulator = await startEmulator();
    const root = await tempRepo(generatedScripts(2));
    await run(configFor(root, emulator.url));
    const { result } = await run(configFor(root, emulator.url, { force: 'true' }));
    expect(result.writeCalls).toBe(2);
    expect(emulator.scripts().every((s) => s.version === 2)).toBe(true);
  });

  it('a create whose answer is lost stays unresolved; apply never sends it again', async () => {
    emulator = await startEmulator({ lostAnswerRate: 1, seed: 1 });
    const root = await tempRepo(generatedScripts(1));
    const config = configFor(root, emulator.url);
    const { result } = await run(config);
    expect(result.results[0]).toMatchObject({ outcome: 'unresolved', message: expect.stringMatching(/car-sync adopt scripts\/gen\/0000\/script.sh ID/) });
    expect(emulator.scripts()).toHaveLength(1);
    const again = await run(config);
    expect(again.prepared.plan.counts.unresolved).toBe(1);
    expect(again.result.writeCalls).toBe(0);
    expect(emulator.scripts()).toHaveLength(1);
  });

  it('a rename moves the state entry and calls nothing', async () => {
    emulator = await startEmulator();
    const root = await tempRepo(generatedScripts(1));
    const config = configFor(root, emulator.url);
    await run(config);
    const { rename } = await import('node:fs/promises');
    await rename(path.join(root, 'scripts/gen/0000'), path.join(root, 'scripts/gen/moved'));
    const before = emulator.requests().length;
    const { prepared } = await run(config);
    expect(prepared.plan.counts.rename).toBe(1);
    expect(emulator.requests().length).toBe(before);
    const state = await readStateFile(stateFilePath(config), 'state');
    expect(Object.keys(state.scripts)).toEqual(['scripts/gen/moved/script.sh']);
  });

  it('a stop signal starts no new call and reports the rest skipped', async () => {
    emulator = await startEmulator({ latencyMs: 100 });
    const root = await tempRepo(generatedScripts(6));
    const config = configFor(root, emulator.url, { concurrency: '1' });
    const stop = new AbortController();
    const prepared = await prepare(config);
    const client = () => new CarHttpClient({ settings: config.car!, concurrency: 1 });
    const running = sync(config, prepared, { client, stop: stop.signal });
    while (emulator.scripts().length < 1) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    const result = await running;
    expect(result.stopped).toBe(true);
    const done = result.results.filter((r) => r.outcome === 'done').length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(result.results.filter((r) => r.outcome === 'skipped').length).toBeGreaterThan(0);
    const state = await readStateFile(stateFilePath(config), 'state');
    expect(Object.values(state.scripts).filter((e) => e.id !== undefined)).toHaveLength(emulator.scripts().length);
  });
});
