import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The Node.js that runs the built bundles in tests: this one, or another given in CAR_SYNC_TEST_NODE
 * (.ci/run runs the bundle-level suites again on Node 24, GitHub's runtime for actions).
 */
export const TEST_NODE = process.env.CAR_SYNC_TEST_NODE || process.execPath;
export const EXAMPLE_ROOT = path.join(PROJECT_ROOT, 'scripts-example');

/** A throwaway repository root holding the given files (path -> text). */
export async function tempRepo(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'car-sync-repo-'));
  for (const [file, text] of Object.entries(files)) {
    const absolute = path.join(root, file);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, text);
  }
  return root;
}

/** A temporary copy of scripts-example/. */
export async function exampleCopy(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'car-sync-example-'));
  await cp(EXAMPLE_ROOT, root, { recursive: true });
  return root;
}

/** n valid scripts under scripts/gen/NNNN/, as a user would write them. */
export function generatedScripts(n: number, prefix = 'gen'): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const dir = `scripts/${prefix}/${String(i).padStart(4, '0')}`;
    files[`${dir}/script.sh`] = `#!/bin/bash\necho "fix ${prefix} ${i}"\n`;
    files[`${dir}/meta.yaml`] = `title: ${prefix} script ${i}\nseverity: 3\nthreshold: 300\nthresholdTimeUnit: SECOND\ntypeId: 6\nlanguageId: 4\n`;
  }
  return files;
}
