import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scriptHash } from '../../src/car/payload.js';
import { readStateFile } from '../../src/plan/state.js';
import { loadRepository } from '../../src/repo/load.js';
import { compareProblems, formatProblem } from '../../src/repo/problem.js';
import { POWERSHELL, SHELL, tempDir } from './temp-repo.js';

const example = fileURLToPath(new URL('../../scripts-example/', import.meta.url));

describe('loadRepository', () => {
  it('collects every problem of every file in one run, sorted', async () => {
    const root = await tempDir({
      'scripts/b/script.sh': '#!/bin/bash\r\necho b\r\n',
      'scripts/b/meta.yaml': 'title: Same\nseverity: 9\n',
      'scripts/a/script.ps1': POWERSHELL,
      'scripts/a/meta.yaml': 'title: same\nplatform: MAC\nfoo: 1\n',
      'scripts/c/meta.yaml': 'title: Lonely\n',
      'scripts/d/script.sh': SHELL,
      'scripts/e/script.sh': SHELL,
      'scripts/e/meta.yaml': 'title: Fine\n',
    });
    const { scripts, problems } = await loadRepository(root, 'scripts');
    expect(problems.map(formatProblem)).toEqual([
      'scripts/a/meta.yaml:1:8: title "same" is also used by scripts/b/meta.yaml; titles must be unique (ignoring case)',
      'scripts/a/meta.yaml:3:1: unknown field "foo" of meta.yaml; the fields are title, description, platform, severity, threshold, thresholdTimeUnit, typeId, languageId, categoryId, scriptApprovalUserConsent, parameters, autorScriptsMetadata',
      'scripts/b/meta.yaml:1:8: title "Same" is also used by scripts/a/meta.yaml; titles must be unique (ignoring case)',
      'scripts/b/meta.yaml:2:11: severity must be an integer from 1 to 5, got 9',
      'scripts/b/script.sh:1:12: shell script has CRLF (Windows) line endings, which break bash; convert it to LF (dos2unix) and add "*.sh text eol=lf" to .gitattributes',
      'scripts/c/meta.yaml:1:1: no script.sh or script.ps1 beside this meta.yaml',
      'scripts/d/script.sh:1:1: no meta.yaml beside this script; add one with at least a title',
    ]);
    expect([...problems].sort(compareProblems)).toEqual(problems);
    expect(scripts.map((s) => s.path)).toEqual(['scripts/e/script.sh']);
  });

  it('checks the platform of a valid meta.yaml against the script', async () => {
    const root = await tempDir({ 'scripts/a/script.ps1': POWERSHELL, 'scripts/a/meta.yaml': 'title: A\nplatform: MAC\n' });
    expect((await loadRepository(root, 'scripts')).problems.map(formatProblem)).toEqual([
      'scripts/a/meta.yaml:2:11: platform MAC does not fit script.ps1: a PowerShell script runs on WINDOWS',
    ]);
  });

  it('names every file sharing a title', async () => {
    const files: Record<string, string> = {};
    for (const name of ['a', 'b', 'c']) Object.assign(files, { [`scripts/${name}/script.sh`]: SHELL, [`scripts/${name}/meta.yaml`]: `title: Patch ${name === 'b' ? 'OpenSSL' : 'openssl'}\n` });
    const { problems } = await loadRepository(await tempDir(files), 'scripts');
    expect(problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      'scripts/a/meta.yaml: title "Patch openssl" is also used by scripts/b/meta.yaml, scripts/c/meta.yaml; titles must be unique (ignoring case)',
      'scripts/b/meta.yaml: title "Patch OpenSSL" is also used by scripts/a/meta.yaml, scripts/c/meta.yaml; titles must be unique (ignoring case)',
      'scripts/c/meta.yaml: title "Patch openssl" is also used by scripts/a/meta.yaml, scripts/b/meta.yaml; titles must be unique (ignoring case)',
    ]);
  });

  it('warns about a script over 500,000 bytes and still loads it', async () => {
    const big = `#!/bin/bash\n${'# padding\n'.repeat(50_000)}`;
    const root = await tempDir({ 'scripts/a/script.sh': big, 'scripts/a/meta.yaml': 'title: Big\n' });
    const { scripts, problems, warnings } = await loadRepository(root, 'scripts');
    expect(problems).toEqual([]);
    expect(warnings.map(formatProblem)).toEqual([expect.stringMatching(/^scripts\/a\/script\.sh:1:1: script is 500,012 bytes/)]);
    expect(scripts).toHaveLength(1);
  });

  it('refuses a script over 512,000 bytes', async () => {
    const root = await tempDir({ 'scripts/a/script.sh': `#!/bin/bash\n${'#'.repeat(512_000)}\n`, 'scripts/a/meta.yaml': 'title: Too big\n' });
    const { scripts, problems } = await loadRepository(root, 'scripts');
    expect(problems.map(formatProblem)).toEqual(['scripts/a/script.sh:1:1: script is 512,013 bytes; CAR accepts at most 512,000 bytes']);
    expect(scripts).toEqual([]);
  });

  it('reports a missing scripts dir as a problem and warns about one without scripts', async () => {
    const root = await tempDir({ 'empty/README.md': 'nothing' });
    const missing = await loadRepository(root, 'scripts');
    expect(missing.problems.map(formatProblem)).toEqual([expect.stringMatching(/^scripts:1:1: scripts folder "scripts" not found in /)]);
    const empty = await loadRepository(root, 'empty');
    expect(empty.problems).toEqual([]);
    expect(empty.warnings.map(formatProblem)).toEqual(['empty:1:1: no script.sh or script.ps1 found in this folder or below it']);
  });

  it('loads many scripts in a deterministic order, each with its own hash', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) {
      files[`scripts/group-${i % 7}/s${i}/script.${i % 3 === 0 ? 'ps1' : 'sh'}`] = `${i % 3 === 0 ? POWERSHELL : SHELL}# ${i}\n`;
      files[`scripts/group-${i % 7}/s${i}/meta.yaml`] = `title: Script ${i}\nseverity: ${(i % 5) + 1}\n`;
    }
    const root = await tempDir(files);
    const { scripts, problems } = await loadRepository(root, 'scripts');
    expect(problems).toEqual([]);
    expect(scripts).toHaveLength(600);
    const paths = scripts.map((s) => s.path);
    expect(paths).toEqual([...paths].sort());
    expect(new Set(scripts.map((s) => s.hash)).size).toBe(600);
    const again = await loadRepository(root, 'scripts');
    expect(again.scripts.map((s) => [s.path, s.hash])).toEqual(scripts.map((s) => [s.path, s.hash]));
  });
});

describe('scripts-example', () => {
  it('is a valid repository of at least six Linux and Windows scripts, one a Control ID remediation', async () => {
    const { scripts, problems, warnings } = await loadRepository(example, 'scripts');
    expect(problems.map(formatProblem)).toEqual([]);
    expect(warnings.map(formatProblem)).toEqual([]);
    expect(scripts.length).toBeGreaterThanOrEqual(6);
    expect(scripts.filter((s) => s.meta.platform === 'LINUX').length).toBeGreaterThanOrEqual(3);
    expect(scripts.filter((s) => s.meta.platform === 'WINDOWS').length).toBeGreaterThanOrEqual(3);
    const control = scripts.filter((s) => s.meta.autorScriptsMetadata);
    expect(control).toHaveLength(1);
    expect(control[0]!.meta.autorScriptsMetadata).toMatchObject({ cid: expect.stringMatching(/^\d+$/), subType: 'Response' });
    expect(control[0]!.meta.autorScriptsMetadata!.tech.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script.meta.typeId, script.path).toBeDefined();
      expect(script.meta.languageId, script.path).toBeDefined();
    }
  });

  it('points every meta.yaml and defaults.yaml at a schema file that exists', async () => {
    const { scripts } = await loadRepository(example, 'scripts');
    const files = [...scripts.map((s) => s.metaPath), 'scripts/defaults.yaml', 'scripts/linux/defaults.yaml', 'scripts/windows/defaults.yaml'];
    for (const file of files) {
      const firstLine = readFileSync(path.join(example, file), 'utf8').split('\n')[0]!;
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(firstLine);
      expect(match, file).not.toBeNull();
      const schema = path.resolve(path.dirname(path.join(example, file)), match![1]!);
      expect(path.basename(schema)).toBe(file.endsWith('defaults.yaml') ? 'defaults.schema.json' : 'meta.schema.json');
      expect(existsSync(schema), `${file} -> ${schema}`).toBe(true);
    }
  });

  it('has a state file that plans creates, exactly one update and unchanged scripts', async () => {
    const { scripts } = await loadRepository(example, 'scripts');
    const state = await readStateFile(path.join(example, '.car/state.json'), '.car/state.json');
    const known = scripts.filter((s) => state.scripts[s.path]);
    const creates = scripts.filter((s) => !state.scripts[s.path]);
    const updates = known.filter((s) => state.scripts[s.path]!.hash !== s.hash);
    const unchanged = known.filter((s) => state.scripts[s.path]!.hash === s.hash);
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(updates.map((s) => s.path)).toEqual(['scripts/linux/shadow-permissions/script.sh']);
    expect(unchanged.length).toBeGreaterThanOrEqual(2);
    // Every state entry belongs to a script of the example: no orphans by accident.
    expect(Object.keys(state.scripts).every((p) => scripts.some((s) => s.path === p))).toBe(true);
    for (const s of known) expect(state.scripts[s.path]!.title).toBe(s.meta.title);
    for (const s of scripts) expect(s.hash).toBe(scriptHash(s.meta, s.content));
  });
});
