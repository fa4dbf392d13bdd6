import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/repo/load.js';
import { formatProblem, type Problem } from '../../src/repo/problem.js';

/** One expected problem: `message` is a fragment; `column` is checked when given. */
interface Expected {
  file: string;
  line: number;
  column?: number;
  message: string;
}

const corpus = fileURLToPath(new URL('../fixtures/broken/', import.meta.url));
const cases = readdirSync(corpus, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function matches(problem: Problem, expected: Expected): boolean {
  return (
    problem.file === expected.file &&
    problem.line === expected.line &&
    (expected.column === undefined || problem.column === expected.column) &&
    problem.message.includes(expected.message)
  );
}

describe('broken repositories', () => {
  it('has a corpus of at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s: every problem located, none unexpected', async (name) => {
    const root = path.join(corpus, name);
    const expected = JSON.parse(readFileSync(path.join(root, 'expected.json'), 'utf8')) as Expected[];
    const { problems, scripts } = await loadRepository(root, 'scripts');

    const unmatched = [...problems];
    const missing: Expected[] = [];
    for (const want of expected) {
      const index = unmatched.findIndex((problem) => matches(problem, want));
      if (index >= 0) unmatched.splice(index, 1);
      else missing.push(want);
    }
    expect({ missing, unexpected: unmatched.map(formatProblem) }).toEqual({ missing: [], unexpected: [] });
    // A script with a problem of its own is never handed to the planner.
    const filesWithProblems = new Set(problems.map((problem) => problem.file));
    for (const script of scripts) {
      expect(filesWithProblems.has(script.path) || filesWithProblems.has(script.metaPath)).toBe(false);
    }
  });
});
