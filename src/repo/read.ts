import { readFileSync } from 'node:fs';
import { encodingProblems, scriptContentProblems, type ContentCheck } from './content.js';
import type { RepoFile } from './discover.js';
import type { Problem } from './problem.js';
import { schemaProblems, type MetadataFileKind } from './schema.js';
import { parseYaml, type ParsedYaml } from './yaml.js';

/** A meta.yaml or defaults.yaml, parsed and checked against its schema on its own. */
export interface MetadataFile {
  /** Absent when the bytes are not UTF-8 text. */
  parsed?: ParsedYaml;
  /** Parsed, and no problem with its syntax or schema. */
  valid: boolean;
  problems: Problem[];
}

export interface ReadResult {
  file: RepoFile;
  content: Buffer;
  /** For meta.yaml and defaults.yaml. */
  metadata?: MetadataFile;
  /** For scripts. */
  check?: ContentCheck;
}

export function readMetadataFile(file: string, content: Buffer, kind: MetadataFileKind): MetadataFile {
  const encoding = encodingProblems(file, content);
  if (encoding.length > 0) return { valid: false, problems: encoding };
  const { parsed, problems: syntax } = parseYaml(content.toString('utf8'), file);
  if (syntax.length > 0) return { parsed, valid: false, problems: syntax };
  const schema = schemaProblems(parsed, kind);
  return { parsed, valid: schema.length === 0, problems: schema };
}

/**
 * Reads every file once and runs the checks that need only that one file. Synchronous reads: on
 * many small files readFileSync is several times faster than any asynchronous read (each of those
 * is four round trips through libuv's thread pool: open, fstat, read, close), and the parsing that
 * could overlap with them runs on this same thread anyway.
 */
export async function readRepositoryFiles(files: readonly RepoFile[]): Promise<{ results: Map<string, ReadResult>; problems: Problem[] }> {
  const results = new Map<string, ReadResult>();
  const problems: Problem[] = [];
  for (const file of files) {
    let content: Buffer;
    try {
      content = readFileSync(file.absolutePath);
    } catch (err) {
      problems.push({ file: file.path, line: 1, column: 1, message: `cannot be read: ${(err as Error).message}` });
      continue;
    }
    const result: ReadResult = { file, content };
    if (file.kind === 'script') result.check = scriptContentProblems(file.path, content);
    else result.metadata = readMetadataFile(file.path, content, file.kind);
    results.set(file.path, result);
  }
  return { results, problems };
}
