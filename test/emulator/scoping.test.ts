import { describe, expect, it } from 'vitest';
import { create, createdId, emulator, simpleBody, update } from './helpers.js';

const USERS = [
  { username: 'alice', password: 'a', scopes: ['team-a'] },
  { username: 'bob', password: 'b', scopes: ['team-b'] },
  { username: 'carol', password: 'c', scopes: ['team-a', 'team-b'], tag: 'team-b' },
  { username: 'admin', password: 'x' },
];

const change = (text: string) => ({ ...simpleBody('shared', text), comment: text });

describe('tag-based user scoping', () => {
  it("stamps the creator's tag, hides the script from other scopes as a 404, and moves it on update", async () => {
    const car = await emulator({ users: USERS });
    const token = (name: string) => car.issueToken(name);
    const id = createdId(await create(car.url, token('alice'), simpleBody('shared')));
    expect(car.scripts()[0]).toMatchObject({ id, createdBy: 'alice', tag: 'team-a' });

    const refused = await update(car.url, token('bob'), id, change('bob'));
    expect(refused.status).toBe(404);
    expect(refused.json).toEqual({ errorCode: '404', message: `Script with id ${id} not found.`, body: null });
    expect(car.scripts()[0]).toMatchObject({ version: 1, tag: 'team-a' });

    // An unscoped user sees everything and, having no tag of its own, leaves the tag alone.
    expect((await update(car.url, token('admin'), id, change('admin'))).status).toBe(200);
    expect(car.scripts()[0]).toMatchObject({ version: 2, tag: 'team-a' });

    // Updating moves the script into the updater's tag: its creator loses sight of it.
    expect((await update(car.url, token('carol'), id, change('carol'))).status).toBe(200);
    expect(car.scripts()[0]).toMatchObject({ version: 3, tag: 'team-b', createdBy: 'alice' });
    expect((await update(car.url, token('alice'), id, change('alice'))).status).toBe(404);
    expect((await update(car.url, token('bob'), id, change('bob'))).status).toBe(200);
    expect(car.scripts()[0]).toMatchObject({ version: 4, body: { comment: 'bob' } });
  });

  it('keeps scripts of an unscoped creator out of every scoped user', async () => {
    const car = await emulator({ users: USERS });
    const id = createdId(await create(car.url, car.issueToken('admin'), simpleBody('untagged')));
    expect(car.scripts()[0]?.tag).toBeUndefined();
    expect((await update(car.url, car.issueToken('carol'), id, change('carol'))).status).toBe(404);
    expect((await update(car.url, car.issueToken('admin'), id, change('admin'))).status).toBe(200);
  });
});
