import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/repo.js';

const readme = () => readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('shows every example workflow exactly as CI lints it', async () => {
    const dir = path.join(PROJECT_ROOT, '.github', 'workflows');
    const examples = (await readdir(dir)).filter((f) => f.startsWith('example-'));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const text = await readme();
    for (const file of examples) expect(text, file).toContain((await readFile(path.join(dir, file), 'utf8')).trimEnd());
  });

  it('documents every input and output of action.yml', async () => {
    const action = parse(await readFile(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { inputs: object; outputs: object };
    const text = await readme();
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) expect(text, name).toContain(`\`${name}\``);
  });

  it('documents every CLI flag', async () => {
    const { USAGE } = await import('../../src/cli/args.js');
    const text = await readme();
    for (const flag of new Set(USAGE.match(/--[a-z-]+/g))) expect(text, flag).toContain(flag);
  });
});
