import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A throwaway folder holding `files` (path -> content); removed after each test. */
export async function tempDir(files: Record<string, string | Buffer> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'car-sync-repo-'));
  created.push(dir);
  await writeFiles(dir, files);
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
}

export async function link(dir: string, linkPath: string, target: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, linkPath)), { recursive: true });
  await symlink(target, path.join(dir, linkPath));
}

export const SHELL = '#!/bin/bash\necho ok\n';
export const POWERSHELL = 'Write-Output ok\n';
