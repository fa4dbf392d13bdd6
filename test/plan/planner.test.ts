import { describe, expect, it } from 'vitest';
import { planSync } from '../../src/plan/planner.js';
import type { StateFile } from '../../src/plan/state.js';
import { makeScript } from '../support/scripts.js';

const state = (scripts: StateFile['scripts']): StateFile => ({ version: 1, scripts });

describe('planSync', () => {
  it('creates scripts the state does not know', () => {
    const plan = planSync([makeScript('scripts/a/script.sh')], state({}));
    expect(plan.actions).toEqual([expect.objectContaining({ action: 'create', path: 'scripts/a/script.sh', title: 'Title of scripts/a/script.sh' })]);
    expect(plan.counts.create).toBe(1);
  });

  it('leaves scripts whose hash matches unchanged, and updates the others', () => {
    const a = makeScript('scripts/a/script.sh');
    const b = makeScript('scripts/b/script.sh');
    const plan = planSync([a, b], state({ [a.path]: { id: 1, hash: a.hash }, [b.path]: { id: 2, hash: '0'.repeat(64) } }));
    expect(plan.actions.map((x) => [x.action, x.id])).toEqual([
      ['unchanged', 1],
      ['update', 2],
    ]);
  });

  it('treats a metadata-only change as an update', () => {
    const before = makeScript('scripts/a/script.sh', 'echo same\n', { severity: 2 });
    const after = makeScript('scripts/a/script.sh', 'echo same\n', { severity: 3 });
    const plan = planSync([after], state({ [after.path]: { id: 7, hash: before.hash } }));
    expect(plan.actions[0]!.action).toBe('update');
  });

  it('updates unchanged scripts too with force', () => {
    const a = makeScript('scripts/a/script.sh');
    const plan = planSync([a], state({ [a.path]: { id: 1, hash: a.hash } }), { force: true });
    expect(plan.actions[0]).toMatchObject({ action: 'update', id: 1 });
  });

  it('detects a rename by identical content and metadata, keeping the id', () => {
    const moved = makeScript('scripts/new/script.sh', 'echo x\n', { title: 'Same' });
    const old = makeScript('scripts/old/script.sh', 'echo x\n', { title: 'Same' });
    const plan = planSync([moved], state({ [old.path]: { id: 42, hash: old.hash, title: 'Same' } }));
    expect(plan.actions).toEqual([expect.objectContaining({ action: 'rename', path: moved.path, from: old.path, id: 42 })]);
    expect(plan.counts.create).toBe(0);
    expect(plan.counts.orphan).toBe(0);
  });

  it('does not call a move with edited content a rename', () => {
    const moved = makeScript('scripts/new/script.sh', 'echo edited\n', { title: 'Same' });
    const old = makeScript('scripts/old/script.sh', 'echo x\n', { title: 'Same' });
    const plan = planSync([moved], state({ [old.path]: { id: 42, hash: old.hash, title: 'Same' } }));
    expect(plan.actions.map((a) => a.action)).toEqual(['create', 'orphan']);
  });

  it('pairs each gone path with at most one new path', () => {
    const n1 = makeScript('scripts/n1/script.sh', 'echo x\n', { title: 'Same' });
    const n2 = makeScript('scripts/n2/script.sh', 'echo x\n', { title: 'Same' });
    const old = makeScript('scripts/old/script.sh', 'echo x\n', { title: 'Same' });
    const plan = planSync([n1, n2], state({ [old.path]: { id: 42, hash: old.hash } }));
    expect(plan.actions.map((a) => `${a.action} ${a.path}`)).toEqual(['rename scripts/n1/script.sh', 'create scripts/n2/script.sh']);
  });

  it('reports paths gone from the repository as orphans, never as deletions', () => {
    const plan = planSync([], state({ 'scripts/gone/script.sh': { id: 9, hash: 'a'.repeat(64), title: 'Gone' } }));
    expect(plan.actions).toEqual([{ action: 'orphan', path: 'scripts/gone/script.sh', title: 'Gone', id: 9 }]);
  });

  it('plans intents as unresolved, whether or not the script is still there', () => {
    const a = makeScript('scripts/a/script.sh');
    const plan = planSync(
      [a],
      state({ [a.path]: { hash: a.hash, intent: '2026-01-01T00:00:00Z' }, 'scripts/z/script.sh': { title: 'Z', intent: '2026-01-01T00:00:00Z' } }),
    );
    expect(plan.actions.map((x) => [x.action, x.path])).toEqual([
      ['unresolved', 'scripts/a/script.sh'],
      ['unresolved', 'scripts/z/script.sh'],
    ]);
    expect(plan.counts.create).toBe(0);
  });

  it('is deterministic: sorted by path whatever the input order', () => {
    const scripts = ['c', 'a', 'b'].map((n) => makeScript(`scripts/${n}/script.sh`));
    const plan1 = planSync(scripts, state({}));
    const plan2 = planSync([...scripts].reverse(), state({}));
    expect(plan1.actions.map((a) => a.path)).toEqual(['scripts/a/script.sh', 'scripts/b/script.sh', 'scripts/c/script.sh']);
    expect(plan2.actions.map((a) => a.path)).toEqual(plan1.actions.map((a) => a.path));
  });
});
