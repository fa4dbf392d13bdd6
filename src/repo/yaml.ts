import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { Problem } from './problem.js';
import { readSimpleYaml } from './simple-yaml.js';

/** A YAML file parsed with enough kept to point at any node by line and column. */
export interface ParsedYaml {
  file: string;
  /** With lineCounter: parsed on first use when the simple reader read the file (see parseYaml). */
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The plain value; undefined when the file has syntax errors. */
  value: unknown;
}

export interface Position {
  line: number;
  column: number;
}

function positionAt(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function parseWithPositions(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false }), lineCounter };
}

/**
 * Syntax errors and duplicate keys come back as problems, every one with its position. A file in
 * the plain subset most are written in is read by the simple reader; the full parse, which costs
 * ten times as much and dominates the time of a plan of thousands of scripts, then happens only if
 * a position is asked for, that is when the file has a problem.
 */
export function parseYaml(text: string, file: string): { parsed: ParsedYaml; problems: Problem[] } {
  const simple = readSimpleYaml(text);
  if (simple !== undefined) {
    let full: ReturnType<typeof parseWithPositions> | undefined;
    const parsed: ParsedYaml = {
      file,
      value: simple,
      get doc() {
        return (full ??= parseWithPositions(text)).doc;
      },
      get lineCounter() {
        return (full ??= parseWithPositions(text)).lineCounter;
      },
    };
    return { parsed, problems: [] };
  }
  const { doc, lineCounter } = parseWithPositions(text);
  const problems: Problem[] = [];
  const reportedAt = new Set<number>();
  for (const error of doc.errors) {
    // The parser often adds follow-on errors at the same place; the first one says what is wrong.
    if (reportedAt.has(error.pos[0])) continue;
    reportedAt.add(error.pos[0]);
    const message =
      error.code === 'DUPLICATE_KEY'
        ? 'duplicate key: a key may appear only once in a map'
        : `YAML syntax error: ${firstLine(error.message)}`;
    problems.push({ file, ...positionAt(lineCounter, error.pos[0]), message });
  }
  let value: unknown;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // Aliases that expand past the limit: a "billion laughs" document.
      problems.push({ file, line: 1, column: 1, message: `YAML could not be read: ${(err as Error).message}` });
    }
  }
  return { parsed: { file, doc, lineCounter, value }, problems };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function decodePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * The node an ajv `instancePath` (`/autorScriptsMetadata/tech/0`) names. With `key`, the key of
 * that entry in the map at the path: where an unknown field should be pointed at.
 */
export function nodeAt(parsed: ParsedYaml, instancePath: string, key?: string): YamlNode | undefined {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/').map(decodePointerSegment);
  if (key !== undefined) segments.push(key);
  let node: unknown = parsed.doc.contents;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (isAlias(node)) node = node.resolve(parsed.doc);
    const wantKey = key !== undefined && i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === segment);
      if (!pair) return node;
      node = wantKey ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) return node;
      node = item;
    } else {
      return (node as YamlNode | null) ?? undefined;
    }
  }
  return (node as YamlNode | null) ?? undefined;
}

/** Line and column of the node at `instancePath` (see nodeAt); the file's start when there is none. */
export function positionOf(parsed: ParsedYaml, instancePath: string, key?: string): Position {
  const node = nodeAt(parsed, instancePath, key);
  const offset = node?.range?.[0];
  return offset === undefined ? { line: 1, column: 1 } : positionAt(parsed.lineCounter, offset);
}
