import path from 'node:path';
import { scriptHash } from '../car/payload.js';
import { defaultsChain, mergeLayers, type DefaultsFile } from './defaults.js';
import { discoverFiles, type RepoFile } from './discover.js';
import { toScriptMeta } from './normalize.js';
import { compareProblems, type Problem } from './problem.js';
import { readRepositoryFiles, type ReadResult } from './read.js';
import type { Script } from './script.js';
import { duplicateTitleProblems, folderProblems, mergedFieldProblems, type Folder } from './validate.js';
import { parseYaml, type ParsedYaml } from './yaml.js';

export interface Repository {
  /** Sorted by path. Only scripts whose script, meta.yaml and defaults.yaml files have no problem. */
  scripts: Script[];
  /** Every error found, sorted; any one of them means nothing may be synced. */
  problems: Problem[];
  /** Worth telling, not worth stopping for (a script near CAR's size limit). */
  warnings: Problem[];
}

/** '' for a file at the repository root, as the scripts dir is '' when it is the root. */
function folderOf(file: string): string {
  const folder = path.posix.dirname(file);
  return folder === '.' ? '' : folder;
}

function groupByFolder(files: readonly RepoFile[], read: ReadonlyMap<string, ReadResult>): Map<string, Folder> {
  const folders = new Map<string, Folder>();
  for (const file of files) {
    if (file.kind === 'defaults' || !read.has(file.path)) continue;
    const folderPath = folderOf(file.path);
    let folder = folders.get(folderPath);
    if (!folder) folders.set(folderPath, (folder = { path: folderPath, scripts: [] }));
    if (file.kind === 'script') folder.scripts.push(file.path);
    else folder.metaPath = file.path;
  }
  return folders;
}

/**
 * Reads and checks the whole repository without any network call, reading every file once.
 * Collects every problem in one run, each at the line and column of the YAML node at fault.
 */
export async function loadRepository(root: string, scriptsDir: string): Promise<Repository> {
  const discovery = await discoverFiles(root, scriptsDir);
  const problems: Problem[] = [...discovery.problems];
  const warnings: Problem[] = [];
  if (!discovery.scriptsDirFound) return { scripts: [], problems, warnings };

  if (!discovery.files.some((file) => file.kind === 'script')) {
    warnings.push({ file: discovery.scriptsDir || '.', line: 1, column: 1, message: 'no script.sh or script.ps1 found in this folder or below it' });
  }
  const { results: read, problems: readProblems } = await readRepositoryFiles(discovery.files);
  problems.push(...readProblems);
  for (const result of read.values()) {
    problems.push(...(result.metadata?.problems ?? result.check?.problems ?? []));
    warnings.push(...(result.check?.warnings ?? []));
  }

  const defaultsByFolder = new Map<string, DefaultsFile>();
  for (const { file, metadata } of read.values()) {
    if (file.kind !== 'defaults' || !metadata) continue;
    // Unreadable text still marks its folder: the scripts below must not load without its fields.
    const parsed = metadata.parsed ?? parseYaml('', file.path).parsed;
    const fields = metadata.valid && parsed.value ? (parsed.value as Record<string, unknown>) : {};
    const folder = folderOf(file.path);
    defaultsByFolder.set(folder, { parsed, fields, folder, valid: metadata.valid });
  }

  const metas: ParsedYaml[] = [];
  const candidates: Script[] = [];
  for (const folder of groupByFolder(discovery.files, read).values()) {
    problems.push(...folderProblems(folder));
    if (folder.metaPath === undefined) continue;
    const meta = read.get(folder.metaPath)!.metadata!;
    if (meta.parsed) metas.push(meta.parsed);
    const scriptPath = folder.scripts[0];
    if (!meta.valid || !meta.parsed || folder.scripts.length !== 1 || scriptPath === undefined) continue;

    const chain = defaultsChain(folder.path, discovery.scriptsDir, defaultsByFolder);
    // A broken defaults.yaml is reported on its own; rules over fields it failed to supply would mislead.
    if (chain.some((defaults) => !defaults.valid)) continue;
    const merged = mergeLayers([...chain, { parsed: meta.parsed, fields: meta.parsed.value as Record<string, unknown> }]);
    const mergedProblems = mergedFieldProblems(merged, scriptPath, folder.metaPath);
    problems.push(...mergedProblems);
    if (mergedProblems.length > 0) continue;
    const content = read.get(scriptPath)!.content;
    const scriptMeta = toScriptMeta(merged.fields, scriptPath);
    candidates.push({ path: scriptPath, metaPath: folder.metaPath, content, meta: scriptMeta, hash: scriptHash(scriptMeta, content) });
  }
  problems.push(...duplicateTitleProblems(metas));

  const filesWithProblems = new Set(problems.map((problem) => problem.file));
  const scripts = candidates
    .filter((script) => !filesWithProblems.has(script.path) && !filesWithProblems.has(script.metaPath))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  problems.sort(compareProblems);
  warnings.sort(compareProblems);
  return { scripts, problems, warnings };
}
