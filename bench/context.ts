import path from 'node:path';
import type { Row } from './table.js';

/** What every section of the benchmark gets. */
export interface BenchContext {
  /** The checkout: dist/ and scripts-example/ are read from here. */
  repoRoot: string;
  /** Where run.mjs put the bundled helpers (hash-baseline.mjs, max-rss.mjs). */
  helpers: string;
  /** A scratch folder for generated repositories, removed at the end. */
  work: string;
  /** Progress for the person waiting; the table is the result. */
  progress: (line: string) => void;
}

export type Section = (context: BenchContext) => Promise<Row[]>;

export function cliPath(context: BenchContext): string {
  return path.join(context.repoRoot, 'dist', 'cli.js');
}

/**
 * The environment of a measured child: none of the caller's CAR, GitHub or action settings leak in,
 * nor proxies (only loopback is called), nor Node's start-up settings: NODE_EXTRA_CA_CERTS alone
 * costs every start ~45 ms reading a CA bundle, which would hide on both sides of every ratio.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(CAR_|GITHUB_|INPUT_|ACTIONS_|RUNNER_)/.test(key) || /_PROXY$/i.test(key) || /^NODE_(OPTIONS|EXTRA_CA_CERTS)$/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
