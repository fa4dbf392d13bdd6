import path from 'node:path';
import type { ParsedYaml } from './yaml.js';

/** Fields set by one file: a defaults.yaml or a meta.yaml. */
export interface FieldLayer {
  parsed: ParsedYaml;
  fields: Readonly<Record<string, unknown>>;
}

export interface DefaultsFile extends FieldLayer {
  /** The folder it applies to (and below), from the repository root. */
  folder: string;
  /** False when it has problems: then it supplies nothing, and its problems are reported instead. */
  valid: boolean;
}

/** Every field after merging, with the file that set each one, so a later rule can point at it. */
export interface MergedFields {
  fields: Record<string, unknown>;
  source: Record<string, ParsedYaml>;
}

function parentFolder(folder: string): string {
  const parent = path.posix.dirname(folder);
  return parent === '.' ? '' : parent;
}

/** The defaults.yaml files that apply to a folder, farthest first: the scripts dir's, then down. */
export function defaultsChain(folder: string, scriptsDir: string, byFolder: ReadonlyMap<string, DefaultsFile>): DefaultsFile[] {
  const chain: DefaultsFile[] = [];
  for (let current = folder; ; current = parentFolder(current)) {
    const defaults = byFolder.get(current);
    if (defaults) chain.unshift(defaults);
    if (current === scriptsDir || current === '') break;
  }
  return chain;
}

/** Later layers win, field by field: a nearer defaults.yaml over a farther one, meta.yaml over all. */
export function mergeLayers(layers: readonly FieldLayer[]): MergedFields {
  const merged: MergedFields = { fields: {}, source: {} };
  for (const layer of layers) {
    for (const [field, value] of Object.entries(layer.fields)) {
      merged.fields[field] = value;
      merged.source[field] = layer.parsed;
    }
  }
  return merged;
}
