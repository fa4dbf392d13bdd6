import path from 'node:path';
import type { MergedFields } from './defaults.js';
import { defaultPlatform } from './normalize.js';
import type { Problem } from './problem.js';
import { positionOf, type ParsedYaml } from './yaml.js';

/** The files of one folder under the scripts dir: the unit car-sync syncs. */
export interface Folder {
  /** From the repository root. */
  path: string;
  /** Script paths, sorted. */
  scripts: string[];
  metaPath?: string;
}

/** One script and one meta.yaml per folder. */
export function folderProblems(folder: Folder): Problem[] {
  const problems: Problem[] = [];
  const [first, ...others] = folder.scripts;
  if (first !== undefined && others.length > 0) {
    const names = folder.scripts.map((s) => path.posix.basename(s)).join(' and ');
    problems.push({ file: first, line: 1, column: 1, message: `two scripts in one folder (${names}); a folder holds one script: move the other into a folder of its own` });
  }
  if (folder.metaPath === undefined) {
    for (const script of folder.scripts) {
      problems.push({ file: script, line: 1, column: 1, message: 'no meta.yaml beside this script; add one with at least a title' });
    }
  } else if (first === undefined) {
    problems.push({ file: folder.metaPath, line: 1, column: 1, message: 'no script.sh or script.ps1 beside this meta.yaml' });
  }
  return problems;
}

function problemAt(parsed: ParsedYaml, field: string, message: string): Problem {
  return { file: parsed.file, ...positionOf(parsed, `/${field}`), message };
}


/**
 * Rules over the merged fields of one script, reported at the file that set the field (meta.yaml
 * or a defaults.yaml): the platform must fit the script's language, and a threshold needs a unit.
 */
export function mergedFieldProblems(merged: MergedFields, scriptPath: string, metaPath: string): Problem[] {
  const problems: Problem[] = [];
  // A defaults.yaml line applies to many scripts: its message must say which one is at fault.
  const forScript = (field: string) => (merged.source[field]!.file === metaPath ? '' : ` for ${scriptPath}`);
  const platform = merged.fields.platform as string | undefined;
  if (platform !== undefined) {
    const name = path.posix.basename(scriptPath);
    if (defaultPlatform(scriptPath) === 'WINDOWS' && platform !== 'WINDOWS') {
      problems.push(problemAt(merged.source.platform!, 'platform', `platform ${platform} does not fit ${name}${forScript('platform')}: a PowerShell script runs on WINDOWS`));
    } else if (defaultPlatform(scriptPath) !== 'WINDOWS' && platform === 'WINDOWS') {
      problems.push(problemAt(merged.source.platform!, 'platform', `platform WINDOWS does not fit ${name}${forScript('platform')}: a shell script runs on LINUX, UNIX or MAC; write script.ps1 for Windows`));
    }
  }
  const hasThreshold = merged.fields.threshold !== undefined;
  const hasUnit = merged.fields.thresholdTimeUnit !== undefined;
  if (hasThreshold && !hasUnit) {
    problems.push(problemAt(merged.source.threshold!, 'threshold', `threshold needs thresholdTimeUnit (SECOND, MINUTE or HOUR) beside it${forScript('threshold')}`));
  } else if (hasUnit && !hasThreshold) {
    problems.push(problemAt(merged.source.thresholdTimeUnit!, 'thresholdTimeUnit', `thresholdTimeUnit has no threshold to apply to${forScript('thresholdTimeUnit')}; set threshold too`));
  }
  return problems;
}

/** CAR titles name scripts to people: two that differ only in case would be confused. */
export function duplicateTitleProblems(metas: readonly ParsedYaml[]): Problem[] {
  const byTitle = new Map<string, ParsedYaml[]>();
  for (const parsed of metas) {
    const title = (parsed.value as { title?: unknown } | null | undefined)?.title;
    if (typeof title !== 'string' || title.trim() === '') continue;
    const key = title.trim().toLowerCase();
    const group = byTitle.get(key);
    if (group) group.push(parsed);
    else byTitle.set(key, [parsed]);
  }
  const problems: Problem[] = [];
  for (const group of byTitle.values()) {
    if (group.length < 2) continue;
    for (const parsed of group) {
      const others = group.filter((other) => other !== parsed).map((other) => other.file).join(', ');
      const title = (parsed.value as { title: string }).title;
      problems.push(problemAt(parsed, 'title', `title "${title}" is also used by ${others}; titles must be unique (ignoring case)`));
    }
  }
  return problems;
}
