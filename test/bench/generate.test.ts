import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepository } from '../../bench/generate.js';
import { median, renderMarkdownTable } from '../../bench/table.js';
import { loadRepository } from '../../src/repo/load.js';
import { readSimpleYaml } from '../../src/repo/simple-yaml.js';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

describe('the benchmark repository generator', () => {
  it('writes a valid repository of the size asked, with the mix of fields a real one has', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'car-sync-bench-test-'));
    roots.push(root);
    const generated = await generateRepository(root, 400);
    const { scripts, problems, warnings } = await loadRepository(root, 'scripts');
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(scripts.map((s) => s.path).sort()).toEqual(generated.map((s) => s.path).sort());
    expect(scripts.some((s) => s.meta.platform === 'WINDOWS')).toBe(true);
    expect(scripts.some((s) => s.meta.autorScriptsMetadata !== undefined)).toBe(true);
    expect(scripts.some((s) => s.meta.parameters !== undefined)).toBe(true);
    expect(scripts.every((s) => s.meta.languageId !== undefined && s.meta.categoryId !== undefined)).toBe(true);
    const sizes = scripts.map((s) => s.content.length);
    expect(Math.min(...sizes)).toBeGreaterThan(1800);
    expect(Math.max(...sizes)).toBeLessThan(2300);
  });

  it('writes meta.yaml files the fast reader takes, as most real ones are', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'car-sync-bench-test-'));
    roots.push(root);
    const [first] = await generateRepository(root, 1);
    const meta = await readFile(path.join(root, path.dirname(first!.path), 'meta.yaml'), 'utf8');
    expect(readSimpleYaml(meta)).toMatchObject({ title: expect.any(String) });
  });
});

describe('the benchmark table', () => {
  it('takes medians and writes one markdown row per figure, marking misses', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const table = renderMarkdownTable([
      { figure: 'a', measured: '1 s', reference: '2 s', ratio: '0.50x', goal: '<= 1x', pass: true },
      { figure: 'b', measured: '3 s', reference: '1 s', ratio: '3.00x', goal: '<= 2x', pass: false },
      { figure: 'c|d', measured: '5 MB', reference: '-', ratio: '-', goal: 'reported' },
    ]);
    expect(table.split('\n')).toEqual([
      '| figure | measured | bound/baseline | ratio | goal | pass/fail |',
      '|---|---|---|---|---|---|',
      '| a | 1 s | 2 s | 0.50x | <= 1x | pass |',
      '| b | 3 s | 1 s | 3.00x | <= 2x | FAIL |',
      '| c\\|d | 5 MB | - | - | reported | - |',
    ]);
  });
});
