/** One thing wrong with the repository, located so an editor or GitHub can point at it. */
export interface Problem {
  /** Path from the repository root, `/` separated. */
  file: string;
  /** 1-based; 1 when the problem concerns the whole file. */
  line: number;
  /** 1-based; 1 when the problem concerns the whole file or line. */
  column: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** Thrown when input cannot be used; carries every problem found, not just the first. */
export class InvalidRepositoryError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InvalidRepositoryError';
  }
}
