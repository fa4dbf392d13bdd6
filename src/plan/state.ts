import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, type Node as YamlNode } from 'yaml';
import { InvalidRepositoryError, compareProblems, type Problem } from '../repo/problem.js';

/** What the state file records of one script path. */
export interface StateEntry {
  /** CAR's script id. Absent: an intent, a create that started and whose outcome is unknown. */
  id?: number;
  /** `Script.hash` as last sent to CAR. */
  hash?: string;
  /** The title last sent, so an orphan or intent can be named in reports. */
  title?: string;
  /** When the create behind an intent started (ISO 8601). */
  intent?: string;
}

export interface StateFile {
  version: 1;
  scripts: Record<string, StateEntry>;
}

export function emptyState(): StateFile {
  return { version: 1, scripts: {} };
}

const ENTRY_FIELDS: Record<keyof StateEntry, (v: unknown) => string | undefined> = {
  id: (v) => (Number.isSafeInteger(v) && (v as number) > 0 ? undefined : 'a positive integer'),
  hash: (v) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? undefined : 'a sha256 hex string'),
  title: (v) => (typeof v === 'string' ? undefined : 'a string'),
  intent: (v) => (typeof v === 'string' ? undefined : 'an ISO 8601 time string'),
};

/** A key that is not a plain relative POSIX path would let the state point outside the repository. */
export function isPathInsideRepository(key: string): boolean {
  if (key === '' || key.includes('\\') || key.includes('\0')) return false;
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) return false;
  return key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function positionOf(lineCounter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** Segments that cannot be empty, `.` or `..`: the usual path, checked without splitting it. */
const PLAIN_PATH = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The state when the parsed JSON breaks no rule, else undefined. Only then is the text parsed again
 * with positions: YAML's parser takes about a second over the 2 MB state of 10,000 scripts.
 */
function wellFormedState(raw: unknown): StateFile | undefined {
  if (!isPlainObject(raw) || raw.version !== 1 || !isPlainObject(raw.scripts)) return undefined;
  if (Object.keys(raw).some((key) => key !== 'version' && key !== 'scripts')) return undefined;
  const scripts: Record<string, StateEntry> = {};
  for (const [key, entry] of Object.entries(raw.scripts)) {
    if (!(PLAIN_PATH.test(key) || isPathInsideRepository(key)) || !isPlainObject(entry)) return undefined;
    for (const [field, value] of Object.entries(entry)) {
      const check = ENTRY_FIELDS[field as keyof StateEntry];
      if (!check || check(value) !== undefined) return undefined;
    }
    scripts[key] = entry as StateEntry;
  }
  return { version: 1, scripts };
}

/**
 * Parses the state file's text. Every problem is reported with its line: a corrupt state file is
 * never taken for an empty one, since that would plan a second create of every script.
 */
export function parseState(text: string, file: string): StateFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const lineCounter = new LineCounter();
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    // Without a position the text ended early (an empty or truncated file): point at its end.
    const { line, column } = positionOf(lineCounter, at ? Number(at[1]) : text.length);
    throw new InvalidRepositoryError([{ file, line, column, message: `state file is not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')}); a corrupt state file is never read as empty, fix it or restore it from git` }]);
  }

  const wellFormed = wellFormedState(raw);
  if (wellFormed) return wellFormed;

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const problems: Problem[] = [];
  const at = (node: YamlNode | null | undefined, message: string) => {
    const { line, column } = positionOf(lineCounter, node?.range?.[0] ?? 0);
    problems.push({ file, line, column, message });
  };

  const root = doc.contents;
  if (!isMap(root) || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    at(root, 'state file must be a JSON object { "version": 1, "scripts": { ... } }');
    throw new InvalidRepositoryError(problems);
  }
  const rawRoot = raw as Record<string, unknown>;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'version' && key !== 'scripts') at(pair.key as YamlNode, `unknown key "${key}" in state file; expected "version" and "scripts"`);
  }
  if (rawRoot.version !== 1) at((root.get('version', true) as YamlNode) ?? root, 'state file "version" must be 1');

  const scriptsNode = root.get('scripts', true) as YamlNode | undefined;
  const scripts: Record<string, StateEntry> = {};
  if (!isMap(scriptsNode)) {
    at(scriptsNode ?? root, 'state file "scripts" must be an object mapping script paths to entries');
  } else {
    for (const pair of scriptsNode.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const keyNode = pair.key as YamlNode;
      if (!isPathInsideRepository(key)) {
        at(keyNode, `state file path "${key}" is outside the repository; expected a relative path like "scripts/linux/x/script.sh"`);
        continue;
      }
      const entryNode = pair.value as YamlNode;
      if (!isMap(entryNode)) {
        at(entryNode ?? keyNode, `state entry for "${key}" must be an object like { "id": 100504 }`);
        continue;
      }
      const entry = (rawRoot.scripts as Record<string, unknown>)[key] as Record<string, unknown>;
      for (const fieldPair of entryNode.items) {
        const field = isScalar(fieldPair.key) ? String(fieldPair.key.value) : '';
        const check = ENTRY_FIELDS[field as keyof StateEntry];
        if (!check) {
          at(fieldPair.key as YamlNode, `unknown field "${field}" in state entry for "${key}"; expected id, hash, title or intent`);
          continue;
        }
        const expected = check(entry[field]);
        if (expected) at(fieldPair.value as YamlNode, `state entry "${key}": "${field}" must be ${expected}`);
      }
      scripts[key] = entry as StateEntry;
    }
  }
  if (problems.length > 0) throw new InvalidRepositoryError(problems.sort(compareProblems));
  return { version: 1, scripts };
}

/** A missing state file is a new repository; an unreadable or corrupt one is an error. */
export async function readStateFile(absolutePath: string, displayPath: string): Promise<StateFile> {
  let text: string;
  try {
    text = await fs.readFile(absolutePath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw err;
  }
  return parseState(text, displayPath);
}

const ENTRY_ORDER: (keyof StateEntry)[] = ['id', 'hash', 'title', 'intent'];

/** Sorted keys, two-space indent, newline at the end: diffs stay small and reviewable. */
export function serializeState(state: StateFile): string {
  const scripts: Record<string, StateEntry> = {};
  for (const key of Object.keys(state.scripts).sort()) {
    const entry = state.scripts[key]!;
    const ordered: Record<string, unknown> = {};
    for (const field of ENTRY_ORDER) if (entry[field] !== undefined) ordered[field] = entry[field];
    scripts[key] = ordered as StateEntry;
  }
  return `${JSON.stringify({ version: 1, scripts }, null, 2)}\n`;
}

/** Temporary file, fsync, rename: a crash leaves the old file or the new one, never half of one. */
export async function writeStateFile(absolutePath: string, state: StateFile): Promise<void> {
  await fs.mkdir(path.dirname(absolutePath), { recursive: true });
  const temporary = `${absolutePath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(serializeState(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temporary, absolutePath);
  } catch (err) {
    await fs.rm(temporary, { force: true });
    throw err;
  }
}
