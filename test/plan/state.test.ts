import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidRepositoryError } from '../../src/repo/problem.js';
import { adoptScript, forgetScript } from '../../src/plan/state-edits.js';
import { parseState, readStateFile, serializeState, writeStateFile } from '../../src/plan/state.js';

function problemsOf(text: string) {
  try {
    parseState(text, '.car/state.json');
  } catch (err) {
    if (err instanceof InvalidRepositoryError) return err.problems;
    throw err;
  }
  return [];
}

describe('state file', () => {
  it('serialises with sorted keys, two-space indent and a final newline', () => {
    const text = serializeState({ version: 1, scripts: { 'scripts/b/script.sh': { title: 'B', id: 2 }, 'scripts/a/script.sh': { id: 1 } } });
    expect(text).toBe(
      '{\n  "version": 1,\n  "scripts": {\n    "scripts/a/script.sh": {\n      "id": 1\n    },\n    "scripts/b/script.sh": {\n      "id": 2,\n      "title": "B"\n    }\n  }\n}\n',
    );
  });

  it('round-trips through parse', () => {
    const state = { version: 1 as const, scripts: { 'scripts/a/script.sh': { id: 5, hash: 'f'.repeat(64), title: 'A' } } };
    expect(parseState(serializeState(state), 's.json')).toEqual(state);
  });

  it('locates invalid JSON by line and column', () => {
    const problems = problemsOf('{\n  "version": 1,\n  "scripts": {,}\n}\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: '.car/state.json', line: 3 });
    expect(problems[0]!.message).toMatch(/not valid JSON/);
  });

  it('reports format errors at the line of the value at fault', () => {
    const problems = problemsOf('{\n  "version": 1,\n  "scripts": {\n    "scripts/a/script.sh": { "id": "12" }\n  }\n}\n');
    expect(problems).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/"id" must be a positive integer/) })]);
  });

  it('refuses paths outside the repository', () => {
    for (const bad of ['../x/script.sh', '/etc/script.sh', 'scripts/../../x.sh', 'C:/x.sh', 'scripts\\\\a.sh']) {
      const problems = problemsOf(`{\n  "version": 1,\n  "scripts": {\n    "${bad}": { "id": 1 }\n  }\n}\n`);
      expect(problems, bad).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/outside the repository/) })]);
    }
  });

  it('refuses a wrong version and unknown fields', () => {
    const problems = problemsOf('{\n  "version": 2,\n  "scripts": { "a/script.sh": { "id": 1, "idd": 2 } },\n  "extra": true\n}\n');
    expect(problems.map((p) => [p.line, p.message.slice(0, 30)])).toEqual([
      [2, 'state file "version" must be 1'],
      [3, 'unknown field "idd" in state e'],
      [4, 'unknown key "extra" in state f'],
    ]);
  });

  it('reads a missing file as empty but never a corrupt one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'state-'));
    expect(await readStateFile(path.join(dir, 'none.json'), 'none.json')).toEqual({ version: 1, scripts: {} });
    await writeFile(path.join(dir, 'bad.json'), '');
    await expect(readStateFile(path.join(dir, 'bad.json'), 'bad.json')).rejects.toBeInstanceOf(InvalidRepositoryError);
  });

  it('writes atomically, leaving no temporary file behind', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'state-'));
    const file = path.join(dir, '.car', 'state.json');
    await writeStateFile(file, { version: 1, scripts: { 'scripts/a/script.sh': { id: 1 } } });
    await writeStateFile(file, { version: 1, scripts: { 'scripts/a/script.sh': { id: 2 } } });
    expect(JSON.parse(await readFile(file, 'utf8')).scripts['scripts/a/script.sh'].id).toBe(2);
    expect(await readdir(path.dirname(file))).toEqual(['state.json']);
  });
});

describe('adopt and forget', () => {
  it('adopt records an id without a hash, so the next apply sends the repository version', () => {
    const next = adoptScript({ version: 1, scripts: { 'scripts/a/script.sh': { hash: 'a'.repeat(64), intent: 'x', title: 'A' } } }, 'scripts/a/script.sh', 77);
    expect(next.scripts['scripts/a/script.sh']).toEqual({ id: 77, title: 'A' });
  });

  it('adopt refuses an id already recorded elsewhere', () => {
    expect(() => adoptScript({ version: 1, scripts: { 'scripts/b/script.sh': { id: 77 } } }, 'scripts/a/script.sh', 77)).toThrow(/already recorded for scripts\/b\/script.sh/);
  });

  it('forget drops the entry and refuses unknown paths', () => {
    expect(forgetScript({ version: 1, scripts: { 'a/script.sh': { title: 'x' } } }, 'a/script.sh').scripts).toEqual({});
    expect(() => forgetScript({ version: 1, scripts: {} }, 'a/script.sh')).toThrow(/not in the state file/);
  });
});
