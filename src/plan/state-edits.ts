import { isPathInsideRepository, type StateFile } from './state.js';

/**
 * `adopt PATH ID`: the script exists in CAR under this id. Resolves an intent, or brings a script
 * created in the console under management. The hash is left out so the next apply sends the
 * repository's version once, which makes CAR match the repository whatever it held.
 */
export function adoptScript(state: StateFile, path: string, id: number, title?: string): StateFile {
  if (!isPathInsideRepository(path)) throw new Error(`"${path}" is not a path inside the repository, like scripts/linux/x/script.sh`);
  if (!Number.isSafeInteger(id) || id < 1) throw new Error(`"${id}" is not a CAR script id; expected a positive whole number`);
  for (const [other, entry] of Object.entries(state.scripts)) {
    if (other !== path && entry.id === id) throw new Error(`id ${id} is already recorded for ${other}; forget that path first`);
  }
  return { version: 1, scripts: { ...state.scripts, [path]: { id, title: title ?? state.scripts[path]?.title } } };
}

/** `forget PATH`: drop the entry (an intent whose create never happened, or a script no longer managed). */
export function forgetScript(state: StateFile, path: string): StateFile {
  if (!(path in state.scripts)) throw new Error(`"${path}" is not in the state file`);
  const scripts = { ...state.scripts };
  delete scripts[path];
  return { version: 1, scripts };
}
