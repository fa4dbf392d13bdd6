import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { create, createdId, emulator, simpleBody, update } from './helpers.js';

/** Status of each of `count` creates; 0 where the connection was dropped without an answer. */
async function createMany(car: RunningEmulator, count: number): Promise<number[]> {
  const token = car.issueToken('demo');
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    try {
      statuses.push((await create(car.url, token, simpleBody(`script ${i}`))).status);
    } catch {
      statuses.push(0);
    }
  }
  return statuses;
}

describe('fault injection', () => {
  it('answers a seeded fraction of writes 500 and stores nothing for them', async () => {
    const car = await emulator({ failRate: 0.5, seed: 42 });
    const statuses = await createMany(car, 20);
    const failed = statuses.filter((status) => status === 500).length;
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(20);
    expect(statuses.every((status) => status === 200 || status === 500)).toBe(true);
    expect(car.scripts()).toHaveLength(20 - failed);
    const stored = new Set(car.scripts().map((script) => script.body.title));
    statuses.forEach((status, i) => expect(stored.has(`script ${i}`)).toBe(status === 200));

    const replay = await emulator({ failRate: 0.5, seed: 42 });
    expect(await createMany(replay, 20)).toEqual(statuses);
    replay.reset();
    expect(await createMany(replay, 20)).toEqual(statuses);
    const other = await emulator({ failRate: 0.5, seed: 43 });
    expect(await createMany(other, 20)).not.toEqual(statuses);
  });

  it('stores a seeded fraction of creates but drops the connection instead of answering', async () => {
    const car = await emulator({ lostAnswerRate: 0.5, seed: 7 });
    const statuses = await createMany(car, 20);
    const lost = statuses.filter((status) => status === 0).length;
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThan(20);
    expect(car.scripts()).toHaveLength(20);

    const log = car.requests().filter((entry) => entry.path === '/sm/v5/script');
    expect(log.map((entry) => entry.status)).toEqual(statuses);
    const storedIds = car.scripts().map((script) => script.id);
    expect(log.map((entry) => entry.scriptId)).toEqual(storedIds);
  });

  it('loses answers of updates too, after applying them', async () => {
    const car = await emulator({ lostAnswerRate: 1 });
    const token = car.issueToken('demo');
    await expect(create(car.url, token, simpleBody('one'))).rejects.toThrow();
    const [script] = car.scripts();
    await expect(update(car.url, token, script?.id ?? 0, { ...simpleBody('one', 'changed'), comment: 'c' })).rejects.toThrow();
    expect(car.scripts()[0]).toMatchObject({ version: 2, body: { comment: 'c' } });
  });

  it('fails updates with 500 before applying them', async () => {
    const car = await emulator({ failRate: 0.5, seed: 3 });
    const token = car.issueToken('demo');
    let created = await create(car.url, token, simpleBody('one'));
    while (created.status === 500) created = await create(car.url, token, simpleBody('one'));
    const id = createdId(created);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await update(car.url, token, id, { ...simpleBody('one', `v${i}`), comment: `change ${i}` });
      statuses.push(answer.status);
      if (answer.status === 500) expect(answer.json).toMatchObject({ errorCode: '500', body: null });
    }
    expect(statuses).toContain(500);
    const applied = statuses.filter((status) => status === 200).length;
    expect(applied + statuses.filter((status) => status === 500).length).toBe(10);
    expect(car.scripts()).toHaveLength(1);
    expect(car.scripts()[0]?.version).toBe(1 + applied);
    const lastApplied = statuses.lastIndexOf(200);
    expect(car.scripts()[0]?.body.comment).toBe(`change ${lastApplied}`);
  });

  it('never injects faults into calls that are refused anyway', async () => {
    const car = await emulator({ failRate: 1 });
    const token = car.issueToken('demo');
    expect((await create(car.url, token, { title: 'x' })).status).toBe(400);
    expect((await update(car.url, token, 5, { ...simpleBody('x'), comment: 'c' })).status).toBe(404);
  });
});
