// Bundles the action and the CLI into dist/. esbuild, not rollup: rollup's commonjs plugin hoists
// undici's lazy `require('node:sqlite')` into a static import that kills the bundle on Node 20.
//
// Start-up is most of what a plan costs on a small repository, so the bundles load at start only
// what every run needs (`npm run bench`, "cold start"): packages most runs never call are built
// into files of their own or initialised on first use, and the schema validators are compiled here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
const inPackage = (name) => `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;

/** Exports of a stand-in: functions and classes that call the real module, loaded by `load()`. */
function standIn(load, { functions = [], classes = [] }) {
  return [
    'let real;',
    `const load = () => (real ??= ${load});`,
    ...functions.map((fn) => `export const ${fn} = (...args) => load().${fn}(...args);`),
    ...classes.map((cls) => `export class ${cls} {\n  constructor(...args) {\n    return new (load().${cls})(...args);\n  }\n}`),
  ].join('\n');
}

/**
 * V8 parses every byte of a bundle at start, used or not. These packages are built into
 * dist/<file> instead, and every import of them in the bundles gets a stand-in that requires that
 * file on first use (`require` is the banner's, so it is found beside the bundle). undici is a
 * megabyte that a plan, or an apply with nothing to change, never calls; @actions/core and
 * @actions/github each brought their own copy too (three in one bundle, 2.6 MB of 3.6). yaml is a
 * quarter of a megabyte that only a meta.yaml outside the plain subset or a broken state file needs.
 * A name the source imports but the list lacks fails the build.
 */
const SEPARATE_FILES = [
  { name: 'undici', file: 'undici.cjs', functions: ['fetch'], classes: ['Agent', 'ProxyAgent'] },
  { name: 'yaml', file: 'yaml.cjs', functions: ['parseDocument', 'isAlias', 'isMap', 'isScalar', 'isSeq'], classes: ['LineCounter'] },
];

const separateFiles = {
  name: 'separate-files',
  setup(bundle) {
    for (const separate of SEPARATE_FILES) {
      bundle.onResolve({ filter: new RegExp(`^${separate.name}$`) }, () => ({ path: separate.name, namespace: 'separate-file' }));
    }
    bundle.onResolve({ filter: /^\.\/[\w-]+\.cjs$/, namespace: 'separate-file' }, (args) => ({ path: args.path, external: true }));
    bundle.onLoad({ filter: /.*/, namespace: 'separate-file' }, (args) => {
      const separate = SEPARATE_FILES.find((candidate) => candidate.name === args.path);
      return { contents: standIn(`require('./${separate.file}')`, separate), resolveDir: root, loader: 'js' };
    });
  },
};

/**
 * A stand-in for `name` when imported from a file whose path contains one of `from`: the real
 * module stays in the bundle but is initialised on first use.
 */
function onDemand(name, { from, ...exports }) {
  const namespace = `on-demand:${name}`;
  return {
    name: namespace,
    setup(bundle) {
      bundle.onResolve({ filter: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`) }, async (args) => {
        if (args.pluginData === namespace || !from.some((part) => args.importer.includes(part))) return undefined;
        const real = await bundle.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: namespace });
        if (real.errors.length > 0) return { errors: real.errors };
        // Relative to the project, so the bundle does not depend on where the checkout lives.
        return { path: path.relative(root, real.path).split(path.sep).join('/'), namespace };
      });
      bundle.onLoad({ filter: /.*/, namespace }, (args) => ({ contents: standIn(`require(${JSON.stringify(`./${args.path}`)})`, exports), resolveDir: root, loader: 'js' }));
    },
  };
}

// Octokit and its HTTP stack, which a run without GitHub calls (the CLI, a push without a token)
// never uses: @actions/github sets up a proxy agent as soon as it is imported.
const githubOnDemand = onDemand('@actions/github', { from: [`${path.sep}src${path.sep}github${path.sep}`], functions: ['getOctokit'] });
// @actions/core imports @actions/http-client for OIDC tokens, and with it node:http, https, net,
// tls and tunnel; @actions/github uses it for its proxy agent.
const httpClientOnDemand = onDemand('@actions/http-client', { from: [inPackage('@actions')], classes: ['HttpClient'] });

// esbuild hoists the node: imports of every ES module to the top of the bundle, initialised on
// first use or not: those of @actions/http-client become requires run when it is first used.
const lazyBuiltinsOfHttpClient = {
  name: 'lazy-builtins-of-http-client',
  setup(bundle) {
    bundle.onResolve({ filter: /^(node:)?(http|https)$/ }, (args) =>
      args.importer.includes(inPackage('@actions/http-client')) ? { path: args.path.replace(/^(node:)?/, 'node:'), namespace: 'lazy-builtin' } : undefined,
    );
    bundle.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

const VALIDATORS_SOURCE = path.join(root, 'src', 'repo', 'validators.ts');

/**
 * The code of the meta.yaml and defaults.yaml validators, generated from src/repo/validators.ts's
 * own ajv instance, so the options and schemas cannot drift apart; the bundles import it instead
 * of compiling the schemas at every start (~20 ms).
 */
async function precompiledValidators() {
  const dir = await mkdtemp(path.join(tmpdir(), 'car-sync-validators-'));
  try {
    const outfile = path.join(dir, 'validators.mjs');
    // One bundle for the instance and the generator: standalone code needs the same copy of ajv.
    const contents = [
      `import { ajv } from ${JSON.stringify(VALIDATORS_SOURCE)};`,
      "import standaloneCode from 'ajv/dist/standalone';",
      "export const code = standaloneCode(ajv, { meta: 'meta', defaults: 'defaults' });",
    ].join('\n');
    await build({ stdin: { contents, resolveDir: root, loader: 'js' }, bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
    const { code } = await import(pathToFileURL(outfile).href);
    return `${code}\nexport const validators = { meta, defaults };\n`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const validatorsCode = await precompiledValidators();

const precompiledValidatorsPlugin = {
  name: 'precompiled-validators',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]src[\\/]repo[\\/]validators\.ts$/ }, () => ({ contents: validatorsCode, resolveDir: root, loader: 'js' }));
  },
};

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
  plugins: [separateFiles, githubOnDemand, httpClientOnDemand, lazyBuiltinsOfHttpClient, precompiledValidatorsPlugin],
};

await Promise.all([
  ...SEPARATE_FILES.map(({ name, file }) =>
    build({
      stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root, loader: 'js' },
      outfile: path.join('dist', file),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      legalComments: 'none',
      logLevel: 'warning',
    }),
  ),
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' }),
  build({ ...common, entryPoints: ['src/post.ts'], outfile: 'dist/post.js' }),
  build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: `#!/usr/bin/env node\n${banner}` },
  }),
]);
