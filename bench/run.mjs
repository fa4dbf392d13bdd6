// `npm run bench`: builds dist/ (the product as shipped), bundles the TypeScript benchmark with the
// same esbuild, and runs it. Plain JS so that it needs nothing beyond `npm ci`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const built = spawnSync(process.execPath, ['build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (built.status !== 0) {
  process.stderr.write('bench: npm run build failed; fix the build first.\n');
  process.exit(1);
}

const outdir = mkdtempSync(path.join(tmpdir(), 'car-sync-bench-build-'));
try {
  await build({
    entryPoints: {
      main: path.join(repoRoot, 'bench/main.ts'),
      'hash-baseline': path.join(repoRoot, 'bench/hash-baseline.ts'),
      'max-rss': path.join(repoRoot, 'bench/max-rss.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const { runBenchmark } = await import(pathToFileURL(path.join(outdir, 'main.mjs')).href);
  process.exitCode = await runBenchmark({ repoRoot, helpers: outdir });
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
