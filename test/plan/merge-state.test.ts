import { describe, expect, it } from 'vitest';
import { mergeStateFiles, renderMergedState, StateConflictError } from '../../src/plan/merge-state.js';
import { InvalidRepositoryError } from '../../src/repo/problem.js';
import type { StateFile } from '../../src/plan/state.js';
import { HASH_A, HASH_B, stateText } from '../github/setup.js';

function state(scripts: StateFile['scripts']): StateFile {
  return { version: 1, scripts };
}

describe('mergeStateFiles', () => {
  it('takes the union of paths, sorted', () => {
    const { merged, conflicts } = mergeStateFiles(state({ 'scripts/b/script.sh': { id: 2 } }), state({ 'scripts/a/script.sh': { id: 1 } }));
    expect(conflicts).toEqual([]);
    expect(Object.keys(merged.scripts)).toEqual(['scripts/a/script.sh', 'scripts/b/script.sh']);
    expect(merged.scripts).toEqual({ 'scripts/a/script.sh': { id: 1 }, 'scripts/b/script.sh': { id: 2 } });
  });

  it('lets an id beat an intent, from either side', () => {
    const intent = { title: 'A', intent: '2025-01-01T00:00:00.000Z' };
    const known = { id: 7, hash: HASH_A, title: 'A' };
    expect(mergeStateFiles(state({ 'scripts/a/script.sh': intent }), state({ 'scripts/a/script.sh': known })).merged.scripts).toEqual({ 'scripts/a/script.sh': known });
    expect(mergeStateFiles(state({ 'scripts/a/script.sh': known }), state({ 'scripts/a/script.sh': intent })).merged.scripts).toEqual({ 'scripts/a/script.sh': known });
  });

  it('keeps an intent that only one side has', () => {
    const intent = { intent: '2025-01-01T00:00:00.000Z' };
    expect(mergeStateFiles(state({}), state({ 'scripts/a/script.sh': intent })).merged.scripts).toEqual({ 'scripts/a/script.sh': intent });
  });

  it('keeps the local hash and title for the same id (what this run last sent)', () => {
    const { merged, conflicts } = mergeStateFiles(
      state({ 'scripts/a/script.sh': { id: 7, hash: HASH_B, title: 'new' } }),
      state({ 'scripts/a/script.sh': { id: 7, hash: HASH_A, title: 'old' } }),
    );
    expect(conflicts).toEqual([]);
    expect(merged.scripts['scripts/a/script.sh']).toEqual({ id: 7, hash: HASH_B, title: 'new' });
  });

  it('reports one path with two different ids as a conflict naming both', () => {
    const { merged, conflicts } = mergeStateFiles(
      state({ 'scripts/a/script.sh': { id: 101 }, 'scripts/z/script.sh': { id: 5 } }),
      state({ 'scripts/a/script.sh': { id: 202 }, 'scripts/z/script.sh': { id: 6 } }),
    );
    expect(conflicts).toEqual([
      { path: 'scripts/a/script.sh', localId: 101, remoteId: 202 },
      { path: 'scripts/z/script.sh', localId: 5, remoteId: 6 },
    ]);
    expect(merged.scripts['scripts/a/script.sh']).toEqual({ id: 101 });
  });

  it('does not bring back under its old path an id this run moved (a rename)', () => {
    const { merged, conflicts } = mergeStateFiles(
      state({ 'scripts/new/script.sh': { id: 7 }, 'scripts/old/script.sh': { intent: '2025-01-01T00:00:00.000Z' } }),
      state({ 'scripts/old/script.sh': { id: 7 } }),
    );
    expect(conflicts).toEqual([]);
    expect(merged.scripts).toEqual({ 'scripts/new/script.sh': { id: 7 }, 'scripts/old/script.sh': { intent: '2025-01-01T00:00:00.000Z' } });
  });

  it('does not change its inputs', () => {
    const local = state({ 'scripts/a/script.sh': { intent: 'x' } });
    const remote = state({ 'scripts/a/script.sh': { id: 1 } });
    const merged = mergeStateFiles(local, remote).merged;
    merged.scripts['scripts/a/script.sh']!.title = 'changed';
    expect(local.scripts['scripts/a/script.sh']).toEqual({ intent: 'x' });
    expect(remote.scripts['scripts/a/script.sh']).toEqual({ id: 1 });
  });
});

describe('renderMergedState', () => {
  const local = state({ 'scripts/a/script.sh': { id: 1 } });

  it('serializes the local state when GitHub has no state file', () => {
    expect(renderMergedState(local, '.car/state.json')(undefined)).toBe(stateText({ 'scripts/a/script.sh': { id: 1 } }));
  });

  it('serializes the merge of the remote text and the local state', () => {
    const render = renderMergedState(local, '.car/state.json');
    expect(render(stateText({ 'scripts/b/script.sh': { id: 2 } }))).toBe(stateText({ 'scripts/a/script.sh': { id: 1 }, 'scripts/b/script.sh': { id: 2 } }));
  });

  it('throws StateConflictError for a path with two ids', () => {
    const render = renderMergedState(local, '.car/state.json');
    expect(() => render(stateText({ 'scripts/a/script.sh': { id: 9 } }))).toThrow(StateConflictError);
    expect(() => render(stateText({ 'scripts/a/script.sh': { id: 9 } }))).toThrow(
      '.car/state.json: "scripts/a/script.sh" is recorded with id 1 by this run and with id 9 on GitHub',
    );
  });

  it('refuses a corrupt remote state file instead of overwriting it', () => {
    const render = renderMergedState(local, '.car/state.json');
    expect(() => render('{ "version": 1, "scripts": ')).toThrow(InvalidRepositoryError);
  });
});
