import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/repo/discover.js';
import { link, SHELL, tempDir } from './temp-repo.js';

const paths = (files: { path: string }[]) => files.map((file) => file.path);

describe('discoverFiles', () => {
  it('finds scripts, meta.yaml and defaults.yaml as sorted POSIX paths from the root', async () => {
    const root = await tempDir({
      'scripts/windows/b/script.ps1': 'x',
      'scripts/windows/b/meta.yaml': 'title: b',
      'scripts/linux/a/script.sh': SHELL,
      'scripts/linux/a/meta.yaml': 'title: a',
      'scripts/linux/a/README.md': 'ignored',
      'scripts/defaults.yaml': 'typeId: 1',
      'scripts/linux/a/deeper/Z/script.sh': SHELL,
      'other/script.sh': SHELL,
    });
    const { files, problems, scriptsDirFound } = await discoverFiles(root, 'scripts');
    expect(scriptsDirFound).toBe(true);
    expect(problems).toEqual([]);
    expect(paths(files)).toEqual([
      'scripts/defaults.yaml',
      'scripts/linux/a/deeper/Z/script.sh',
      'scripts/linux/a/meta.yaml',
      'scripts/linux/a/script.sh',
      'scripts/windows/b/meta.yaml',
      'scripts/windows/b/script.ps1',
    ]);
    expect(files.map((file) => file.kind)).toEqual(['defaults', 'script', 'meta', 'script', 'meta', 'script']);
    expect(files[0]!.absolutePath).toBe(path.join(await realpath(root), 'scripts', 'defaults.yaml'));
  });

  it('gives the same order whatever order the files were created in', async () => {
    const names = ['b', 'a', 'B', 'a-b', 'a_b', 'a.b', '10', '9'];
    const one = await tempDir(Object.fromEntries(names.map((n) => [`scripts/${n}/script.sh`, SHELL])));
    const two = await tempDir(Object.fromEntries([...names].reverse().map((n) => [`scripts/${n}/script.sh`, SHELL])));
    const first = paths((await discoverFiles(one, 'scripts')).files);
    expect(first).toEqual(paths((await discoverFiles(two, 'scripts')).files));
    expect(first).toEqual([...first].sort());
    expect(first[0]).toBe('scripts/10/script.sh');
  });

  it('skips hidden folders and node_modules', async () => {
    const root = await tempDir({
      'scripts/.hidden/script.sh': SHELL,
      'scripts/a/.git/script.sh': SHELL,
      'scripts/node_modules/pkg/script.sh': SHELL,
      'scripts/a/node_modules/script.sh': SHELL,
      'scripts/a/script.sh': SHELL,
    });
    expect(paths((await discoverFiles(root, 'scripts')).files)).toEqual(['scripts/a/script.sh']);
  });

  it('does not look into a node_modules that is a symlink out of the repository', async () => {
    const store = await tempDir({ 'pkg/script.sh': SHELL });
    const root = await tempDir({ 'scripts/a/script.sh': SHELL });
    await link(root, 'scripts/node_modules', store);
    await link(root, 'scripts/a/node_modules', store);
    expect(await discoverFiles(root, 'scripts')).toMatchObject({ files: [{ path: 'scripts/a/script.sh' }], problems: [] });
  });

  it('accepts the repository root itself as the scripts dir, still skipping hidden folders', async () => {
    const root = await tempDir({ 'a/script.sh': SHELL, '.car/script.sh': SHELL, 'meta.yaml': 'title: t' });
    expect(paths((await discoverFiles(root, '')).files)).toEqual(['a/script.sh', 'meta.yaml']);
    expect(paths((await discoverFiles(root, '.')).files)).toEqual(['a/script.sh', 'meta.yaml']);
  });

  it('refuses a script symlink that leads outside the repository', async () => {
    const outside = await tempDir({ 'secret.sh': SHELL });
    const root = await tempDir({ 'scripts/a/meta.yaml': 'title: a' });
    await link(root, 'scripts/a/script.sh', path.join(outside, 'secret.sh'));
    const { files, problems } = await discoverFiles(root, 'scripts');
    expect(paths(files)).toEqual(['scripts/a/meta.yaml']);
    expect(problems).toEqual([
      { file: 'scripts/a/script.sh', line: 1, column: 1, message: expect.stringContaining('leads outside the repository and is refused') },
    ]);
  });

  it('refuses a folder symlink that leads outside the repository, even through a relative path', async () => {
    const parent = await tempDir({ 'outside/x/script.sh': SHELL, 'outside/x/meta.yaml': 'title: x', 'repo/scripts/ok/script.sh': SHELL });
    const root = path.join(parent, 'repo');
    await link(root, 'scripts/linked', '../../outside/x');
    const { files, problems } = await discoverFiles(root, 'scripts');
    expect(paths(files)).toEqual(['scripts/ok/script.sh']);
    expect(problems.map((p) => [p.file, p.message])).toEqual([['scripts/linked', 'symlink to "../../outside/x" leads outside the repository and is refused; copy the file into the repository instead']]);
  });

  it('follows symlinks that stay inside the repository, under the path of the link', async () => {
    const root = await tempDir({ 'shared/common.sh': SHELL, 'library/x/script.sh': SHELL, 'library/x/meta.yaml': 'title: x', 'scripts/a/meta.yaml': 'title: a' });
    await link(root, 'scripts/a/script.sh', '../../shared/common.sh');
    await link(root, 'scripts/x', '../library/x');
    const { files, problems } = await discoverFiles(root, 'scripts');
    expect(problems).toEqual([]);
    expect(paths(files)).toEqual(['scripts/a/meta.yaml', 'scripts/a/script.sh', 'scripts/x/meta.yaml', 'scripts/x/script.sh']);
    expect(files[1]!.absolutePath.endsWith(path.join('shared', 'common.sh'))).toBe(true);
  });

  it('refuses a folder symlink that loops back, instead of walking forever', async () => {
    const root = await tempDir({ 'scripts/a/script.sh': SHELL });
    await link(root, 'scripts/a/loop', '..');
    const { files, problems } = await discoverFiles(root, 'scripts');
    expect(paths(files)).toEqual(['scripts/a/script.sh']);
    expect(problems.map((p) => p.file)).toEqual(['scripts/a/loop']);
    expect(problems[0]!.message).toContain('endless loop');
  });

  it('refuses a loop made of two symlinks', async () => {
    const root = await tempDir({ 'd/script.sh': SHELL, 'x/keep.txt': '' });
    await link(root, 'scripts/to-d', '../d');
    await link(root, 'd/to-x', '../x');
    await link(root, 'x/to-d', '../d');
    const { files, problems } = await discoverFiles(root, 'scripts');
    expect(paths(files)).toEqual(['scripts/to-d/script.sh']);
    expect(problems.map((p) => p.file)).toEqual(['scripts/to-d/to-x/to-d']);
  });

  it('reports a script symlink that leads nowhere', async () => {
    const root = await tempDir({ 'scripts/a/meta.yaml': 'title: a' });
    await link(root, 'scripts/a/script.sh', 'missing.sh');
    const { problems } = await discoverFiles(root, 'scripts');
    expect(problems.map((p) => [p.file, p.message])).toEqual([['scripts/a/script.sh', 'symlink to "missing.sh" leads nowhere; the file it points to does not exist']]);
  });

  it('names files that look like ours but would be ignored', async () => {
    const root = await tempDir({ 'scripts/a/Script.sh': SHELL, 'scripts/a/meta.yml': 'title: a', 'scripts/defaults.yml': 'typeId: 1', 'scripts/a/notes.txt': '' });
    const { files, problems } = await discoverFiles(root, 'scripts');
    expect(files).toEqual([]);
    expect(problems.map((p) => [p.file, p.message]).sort()).toEqual([
      ['scripts/a/Script.sh', 'car-sync only reads files named script.sh; rename this file to script.sh'],
      ['scripts/a/meta.yml', 'car-sync only reads files named meta.yaml; rename this file to meta.yaml'],
      ['scripts/defaults.yml', 'car-sync only reads files named defaults.yaml; rename this file to defaults.yaml'],
    ]);
  });

  it('reports a missing scripts dir, a file in its place, and one that leads outside', async () => {
    const outside = await tempDir({ 'scripts/a/script.sh': SHELL });
    const root = await tempDir({ 'notes/x': '' });
    const missing = await discoverFiles(root, 'scripts');
    expect(missing.scriptsDirFound).toBe(false);
    expect(missing.problems).toEqual([{ file: 'scripts', line: 1, column: 1, message: expect.stringContaining('scripts folder "scripts" not found') }]);

    const asFile = await discoverFiles(root, 'notes/x');
    expect(asFile.problems[0]!.message).toContain('is a file, not a folder');

    await link(root, 'linked', path.join(outside, 'scripts'));
    const linked = await discoverFiles(root, 'linked');
    expect(linked.scriptsDirFound).toBe(false);
    expect(linked.files).toEqual([]);
    expect(linked.problems[0]!.message).toContain('leads outside the repository');
  });
});
