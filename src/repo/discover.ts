import { promises as fs, readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { Problem } from './problem.js';

export type RepoFileKind = 'script' | 'meta' | 'defaults';

/** A file car-sync reads, found under the scripts dir. */
export interface RepoFile {
  /** From the repository root, `/` separated; a symlink keeps the path of the link. */
  path: string;
  /** Where to read it. */
  absolutePath: string;
  kind: RepoFileKind;
}

export interface Discovery {
  /** The scripts dir from the repository root, `/` separated, '' for the root itself. */
  scriptsDir: string;
  /** Sorted by path. */
  files: RepoFile[];
  problems: Problem[];
  /** False when the scripts dir is missing: nothing else can be said about the repository. */
  scriptsDirFound: boolean;
}

const KINDS: Readonly<Record<string, RepoFileKind>> = {
  'script.sh': 'script',
  'script.ps1': 'script',
  'meta.yaml': 'meta',
  'defaults.yaml': 'defaults',
};

/** Names a user may have meant for one of ours; such a file would otherwise be silently ignored. */
const NEAR_NAMES: Readonly<Record<string, string>> = {
  'meta.yml': 'meta.yaml',
  'defaults.yml': 'defaults.yaml',
  'default.yaml': 'defaults.yaml',
  'default.yml': 'defaults.yaml',
};

function nameProblem(file: string, name: string): Problem | undefined {
  const lower = name.toLowerCase();
  const meant = NEAR_NAMES[lower] ?? (KINDS[lower] && lower !== name ? lower : undefined);
  if (meant === undefined) return undefined;
  return { file, line: 1, column: 1, message: `car-sync only reads files named ${meant}; rename this file to ${meant}` };
}

function isInsideOrEqual(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

interface TreeEntry {
  /** From the folder listed, `/` separated. */
  path: string;
  absolute: string;
  name: string;
  dirent: Dirent;
}

/**
 * Every entry below the real folder `dir` that is not a folder, without following symlinks; hidden
 * entries and node_modules (also a symlinked one, as pnpm makes) are not even looked into.
 * Synchronous: on 10,000 folders a plain readdirSync walk takes a third of the time of an
 * asynchronous glob, and nothing else runs meanwhile.
 */
function listTree(dir: string, prefix = '', entries: TreeEntry[] = []): TreeEntry[] {
  for (const dirent of readdirSync(dir, { withFileTypes: true })) {
    const name = dirent.name;
    if (name.startsWith('.') || name === 'node_modules') continue;
    const entryPath = prefix ? `${prefix}/${name}` : name;
    // A real path is absolute and normalised already: path.join's normalising would be wasted.
    const absolute = dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
    if (dirent.isDirectory()) listTree(absolute, entryPath, entries);
    else entries.push({ path: entryPath, absolute, name, dirent });
  }
  return entries;
}

/**
 * Finds every script.sh, script.ps1, meta.yaml and defaults.yaml under the scripts dir. Hidden
 * folders and node_modules are skipped. Symlinks are followed only while they stay inside the
 * repository: one that leads out is refused, since a sync would upload a file nobody reviewed.
 */
export async function discoverFiles(root: string, scriptsDir: string): Promise<Discovery> {
  const problems: Problem[] = [];
  const files: RepoFile[] = [];
  const scriptsDirPath = scriptsDir === '' || scriptsDir === '.' ? '' : scriptsDir.replace(/\/+$/, '');
  const shownDir = scriptsDirPath || '.';
  const missing = (message: string): Discovery => ({
    scriptsDir: scriptsDirPath,
    files,
    problems: [{ file: shownDir, line: 1, column: 1, message }],
    scriptsDirFound: false,
  });

  let rootReal: string;
  let scriptsReal: string;
  try {
    rootReal = await fs.realpath(root);
    scriptsReal = await fs.realpath(path.join(root, scriptsDirPath));
  } catch {
    return missing(`scripts folder "${shownDir}" not found in ${root}; create it, or set scripts-dir to the folder that holds your scripts`);
  }
  if (!(await fs.stat(scriptsReal)).isDirectory()) {
    return missing(`"${shownDir}" is a file, not a folder; set scripts-dir to the folder that holds your scripts`);
  }
  if (!isInsideOrEqual(rootReal, scriptsReal)) {
    return missing(`scripts folder "${shownDir}" is a symlink that leads outside the repository; car-sync only reads files inside it`);
  }

  // `chain`: real folders being walked through symlinks; a link into one of them would loop forever.
  const walk = async (dirReal: string, dirPath: string, chain: string[]): Promise<void> => {
    for (const entry of listTree(dirReal)) {
      const file = dirPath ? `${dirPath}/${entry.path}` : entry.path;
      if (entry.dirent.isSymbolicLink()) {
        await followLink(file, entry.absolute, entry.name, chain);
      } else if (entry.dirent.isFile()) {
        addFile(file, entry.absolute, entry.name);
      }
    }
  };

  const addFile = (file: string, absolutePath: string, name: string) => {
    const kind = KINDS[name];
    if (kind) files.push({ path: file, absolutePath, kind });
    else {
      const problem = nameProblem(file, name);
      if (problem) problems.push(problem);
    }
  };

  const followLink = async (file: string, absolute: string, name: string, chain: string[]) => {
    const target = await fs.readlink(absolute).catch(() => '?');
    let real: string;
    try {
      real = await fs.realpath(absolute);
    } catch {
      if (KINDS[name]) problems.push({ file, line: 1, column: 1, message: `symlink to "${target}" leads nowhere; the file it points to does not exist` });
      return;
    }
    if (!isInsideOrEqual(rootReal, real)) {
      problems.push({ file, line: 1, column: 1, message: `symlink to "${target}" leads outside the repository and is refused; copy the file into the repository instead` });
      return;
    }
    const stats = await fs.stat(real);
    if (stats.isFile()) {
      addFile(file, real, name);
    } else if (stats.isDirectory()) {
      const linkFolderReal = path.dirname(absolute);
      if ([...chain, linkFolderReal].some((walked) => isInsideOrEqual(real, walked))) {
        problems.push({ file, line: 1, column: 1, message: `symlink to "${target}" leads back into a folder that contains it; it is skipped to avoid an endless loop` });
        return;
      }
      await walk(real, file, [...chain, real]);
    }
  };

  await walk(scriptsReal, scriptsDirPath, [scriptsReal]);
  files.sort(byPath);
  return { scriptsDir: scriptsDirPath, files, problems, scriptsDirFound: true };
}
