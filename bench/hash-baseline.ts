// The floor for `plan`: a program that only finds the same files, reads each once and hashes it
// with sha256. `node hash-baseline.mjs ROOT` prints the file count and a digest of all the digests.
// Synchronous on purpose: on many small files readFileSync is several times faster than any
// asynchronous read (each of those is four round trips through libuv's thread pool), and the
// baseline should be the fastest plain way to read, not a slow one that flatters car-sync.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function walk(dir: string, files: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, files);
    else if (entry.isFile()) files.push(full);
  }
}

function main(root: string): void {
  const files: string[] = [];
  walk(path.join(root, 'scripts'), files);
  // The state file is read by plan too.
  files.push(path.join(root, '.car', 'state.json'));
  const all = createHash('sha256');
  for (const file of files) all.update(createHash('sha256').update(readFileSync(file)).digest());
  process.stdout.write(`${files.length} files ${all.digest('hex')}\n`);
}

main(process.argv[2] ?? '.');
