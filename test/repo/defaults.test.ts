import { describe, expect, it } from 'vitest';
import { scriptHash } from '../../src/car/payload.js';
import { defaultsChain, type DefaultsFile } from '../../src/repo/defaults.js';
import { loadRepository } from '../../src/repo/load.js';
import { toScriptMeta } from '../../src/repo/normalize.js';
import { parseYaml } from '../../src/repo/yaml.js';
import { POWERSHELL, SHELL, tempDir, writeFiles } from './temp-repo.js';

function defaultsIn(folder: string): DefaultsFile {
  const { parsed } = parseYaml('typeId: 1', `${folder}/defaults.yaml`);
  return { parsed, fields: {}, folder, valid: true };
}

describe('defaultsChain', () => {
  const byFolder = new Map(['scripts', 'scripts/linux', 'scripts/linux/net/ssh', 'other'].map((f) => [f, defaultsIn(f)]));

  it('lists the defaults.yaml files from the scripts dir down to the folder itself, farthest first', () => {
    expect(defaultsChain('scripts/linux/net/ssh', 'scripts', byFolder).map((d) => d.folder)).toEqual(['scripts', 'scripts/linux', 'scripts/linux/net/ssh']);
    expect(defaultsChain('scripts/linux/net', 'scripts', byFolder).map((d) => d.folder)).toEqual(['scripts', 'scripts/linux']);
    expect(defaultsChain('scripts/windows/x', 'scripts', byFolder).map((d) => d.folder)).toEqual(['scripts']);
  });

  it('never climbs above the scripts dir', () => {
    const withRoot = new Map([...byFolder, ['', defaultsIn('')]]);
    expect(defaultsChain('scripts/linux', 'scripts', withRoot).map((d) => d.folder)).toEqual(['scripts', 'scripts/linux']);
    expect(defaultsChain('other/a', '', withRoot).map((d) => d.folder)).toEqual(['', 'other']);
  });
});

describe('toScriptMeta', () => {
  it('fills the platform from the extension', () => {
    expect(toScriptMeta({ title: 't' }, 'scripts/a/script.ps1')).toEqual({ title: 't', platform: 'WINDOWS' });
    expect(toScriptMeta({ title: 't' }, 'scripts/a/script.sh')).toEqual({ title: 't', platform: 'LINUX' });
    expect(toScriptMeta({ title: 't', platform: 'MAC' }, 'scripts/a/script.sh').platform).toBe('MAC');
  });

  it('makes plural time units singular, and parameter values and a numeric cid strings', () => {
    const meta = toScriptMeta(
      { title: 't', threshold: 2, thresholdTimeUnit: 'HOURS', parameters: { port: 22, verbose: false, name: 'root' }, autorScriptsMetadata: { cid: 994911, tech: ['x'] } },
      'scripts/a/script.sh',
    );
    expect(meta.thresholdTimeUnit).toBe('HOUR');
    expect(meta.parameters).toEqual({ port: '22', verbose: 'false', name: 'root' });
    expect(meta.autorScriptsMetadata).toEqual({ cid: '994911', tech: ['x'] });
    expect(toScriptMeta({ title: 't', thresholdTimeUnit: 'SECOND' }, 's.sh').thresholdTimeUnit).toBe('SECOND');
  });
});

describe('defaults.yaml merging', () => {
  const repository = {
    'scripts/defaults.yaml': 'typeId: 1\nseverity: 2\nthreshold: 300\nthresholdTimeUnit: SECONDS\ndescription: from the top\n',
    'scripts/linux/defaults.yaml': 'languageId: 2\nseverity: 4\n',
    'scripts/linux/auditd/defaults.yaml': 'categoryId: 9\n',
    'scripts/linux/auditd/script.sh': SHELL,
    'scripts/linux/auditd/meta.yaml': 'title: Auditd\nthreshold: 5\nthresholdTimeUnit: MINUTE\n',
    'scripts/linux/ssh/script.sh': SHELL,
    'scripts/linux/ssh/meta.yaml': 'title: SSH\nseverity: 5\nparameters: {a: 1}\n',
    'scripts/windows/smb/script.ps1': POWERSHELL,
    'scripts/windows/smb/meta.yaml': 'title: SMB\n',
  };

  it('applies the nearest value field by field, and meta.yaml over all', async () => {
    const root = await tempDir(repository);
    const { scripts, problems, warnings } = await loadRepository(root, 'scripts');
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    const meta = Object.fromEntries(scripts.map((s) => [s.path, s.meta]));
    expect(meta['scripts/linux/auditd/script.sh']).toEqual({
      title: 'Auditd',
      description: 'from the top',
      platform: 'LINUX',
      severity: 4,
      threshold: 5,
      thresholdTimeUnit: 'MINUTE',
      typeId: 1,
      languageId: 2,
      categoryId: 9,
    });
    expect(meta['scripts/linux/ssh/script.sh']).toEqual({
      title: 'SSH',
      description: 'from the top',
      platform: 'LINUX',
      severity: 5,
      threshold: 300,
      thresholdTimeUnit: 'SECOND',
      typeId: 1,
      languageId: 2,
      parameters: { a: '1' },
    });
    expect(meta['scripts/windows/smb/script.ps1']).toEqual({
      title: 'SMB',
      description: 'from the top',
      platform: 'WINDOWS',
      severity: 2,
      threshold: 300,
      thresholdTimeUnit: 'SECOND',
      typeId: 1,
    });
    for (const script of scripts) expect(script.hash).toBe(scriptHash(script.meta, script.content));
  });

  it('changes the hash of every script below an edited defaults.yaml, and only those', async () => {
    const root = await tempDir(repository);
    const before = new Map((await loadRepository(root, 'scripts')).scripts.map((s) => [s.path, s.hash]));
    await writeFiles(root, { 'scripts/linux/defaults.yaml': 'languageId: 3\nseverity: 4\n' });
    const after = new Map((await loadRepository(root, 'scripts')).scripts.map((s) => [s.path, s.hash]));
    expect(after.get('scripts/linux/auditd/script.sh')).not.toBe(before.get('scripts/linux/auditd/script.sh'));
    expect(after.get('scripts/linux/ssh/script.sh')).not.toBe(before.get('scripts/linux/ssh/script.sh'));
    expect(after.get('scripts/windows/smb/script.ps1')).toBe(before.get('scripts/windows/smb/script.ps1'));
  });

  it('reports a broken defaults.yaml once, and holds back the scripts below it without follow-on errors', async () => {
    const root = await tempDir({ ...repository, 'scripts/linux/defaults.yaml': 'languageId: two\nthresholdTimeUnit: WEEK\n' });
    const { scripts, problems } = await loadRepository(root, 'scripts');
    expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual(['scripts/linux/defaults.yaml:1', 'scripts/linux/defaults.yaml:2']);
    expect(scripts.map((s) => s.path)).toEqual(['scripts/windows/smb/script.ps1']);
  });

  it('holds back the scripts below a defaults.yaml that is not even text', async () => {
    const root = await tempDir({ ...repository, 'scripts/windows/defaults.yaml': Buffer.from([0x74, 0x79, 0x70, 0x65, 0xff, 0x0a]) });
    const { scripts, problems } = await loadRepository(root, 'scripts');
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`)).toEqual(['scripts/windows/defaults.yaml:1:5: not valid UTF-8 (byte 0xff); save the file as UTF-8']);
    expect(scripts.map((s) => s.path)).toEqual(['scripts/linux/auditd/script.sh', 'scripts/linux/ssh/script.sh']);
  });

  it('points at the defaults.yaml line when a merged field does not fit a script', async () => {
    const root = await tempDir({
      'scripts/defaults.yaml': 'threshold: 30\n',
      'scripts/a/script.sh': SHELL,
      'scripts/a/meta.yaml': 'title: A\n',
      'scripts/b/script.sh': SHELL,
      'scripts/b/meta.yaml': 'title: B\nthresholdTimeUnit: SECOND\n',
    });
    const { scripts, problems } = await loadRepository(root, 'scripts');
    expect(problems).toEqual([
      { file: 'scripts/defaults.yaml', line: 1, column: 12, message: 'threshold needs thresholdTimeUnit (SECOND, MINUTE or HOUR) beside it for scripts/a/script.sh' },
    ]);
    expect(scripts.map((s) => s.path)).toEqual(['scripts/b/script.sh']);
  });
});
