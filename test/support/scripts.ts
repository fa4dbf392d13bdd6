import { scriptHash } from '../../src/car/payload.js';
import type { Script, ScriptMeta } from '../../src/repo/script.js';

/** A Script as the loader would produce it, for tests of pure functions. */
export function makeScript(path: string, content = `echo ${path}\n`, meta: Partial<ScriptMeta> = {}): Script {
  const fullMeta: ScriptMeta = { title: `Title of ${path}`, platform: 'LINUX', ...meta };
  const bytes = Buffer.from(content);
  return { path, metaPath: path.replace(/[^/]+$/, 'meta.yaml'), content: bytes, meta: fullMeta, hash: scriptHash(fullMeta, bytes) };
}
