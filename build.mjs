// Bundles the action and the CLI into dist/. esbuild, not rollup: rollup's commonjs plugin hoists
// undici's lazy `require('node:sqlite')` into a static import that kills the bundle on Node 20.
import { build } from 'esbuild';

const banner = [
  "import { createRequire as __carSyncCreateRequire } from 'node:module';",
  'const require = __carSyncCreateRequire(import.meta.url);',
].join('\n');

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: banner },
  legalComments: 'none',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' }),
  build({ ...common, entryPoints: ['src/post.ts'], outfile: 'dist/post.js' }),
  build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: `#!/usr/bin/env node\n${banner}` },
  }),
]);
