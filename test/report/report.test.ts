import { describe, expect, it } from 'vitest';
import type { ApplyResult } from '../../src/apply/result.js';
import { planSync } from '../../src/plan/planner.js';
import { commentMarker, renderComment } from '../../src/report/comment.js';
import { failureIssueBody } from '../../src/report/failure-issue.js';
import { planJson } from '../../src/report/json.js';
import { escapeHtml, renderMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import { makeScript } from '../support/scripts.js';

const a = makeScript('scripts/a/script.sh', 'echo a\n', { title: 'Audit <script> & "quotes"' });
const b = makeScript('scripts/b/script.sh');
const plan = planSync([a, b], { version: 1, scripts: { [b.path]: { id: 12, hash: b.hash } } });

describe('plan JSON', () => {
  it('follows the contract: action, path, title, id', () => {
    expect(planJson(plan)).toEqual({
      actions: [
        { action: 'create', path: 'scripts/a/script.sh', title: 'Audit <script> & "quotes"' },
        { action: 'unchanged', path: 'scripts/b/script.sh', title: 'Title of scripts/b/script.sh', id: 12 },
      ],
      counts: { create: 1, update: 0, rename: 0, unchanged: 1, orphan: 0, unresolved: 0 },
    });
  });

  it('carries results after apply', () => {
    const applied: ApplyResult = {
      writeCalls: 1,
      stopped: false,
      results: [
        { action: 'create', path: a.path, title: a.meta.title, id: 500, outcome: 'done' },
        { action: 'unchanged', path: b.path, title: b.meta.title, id: 12, outcome: 'done' },
      ],
    };
    const json = planJson(plan, applied);
    expect(json.actions[0]).toMatchObject({ id: 500, result: 'done' });
    expect(json.outcomes).toEqual({ done: 2 });
  });
});

describe('text', () => {
  it('prints a table and the counts', () => {
    const text = renderText(plan);
    expect(text).toMatch(/^ACTION\s+PATH\s+ID\s+TITLE/);
    expect(text).toMatch(/create\s+scripts\/a\/script\.sh\s+-\s+Audit/);
    expect(text).toContain('Plan: 1 create, 1 unchanged.');
  });
});

describe('markdown', () => {
  it('escapes everything user-controlled', () => {
    const md = renderMarkdown({ heading: 'car-sync plan', plan });
    expect(md).not.toContain('<script>');
    expect(md).toContain(escapeHtml('Audit <script> & "quotes"'));
    expect(md).toContain('| scripts/b/script.sh | Title of scripts/b/script.sh | unchanged | 12 |');
  });

  it('puts the counts first, then the table of scripts, then the warnings', () => {
    const md = renderMarkdown({ heading: 'h', plan, warnings: [{ file: 'scripts/a/script.sh', line: 1, column: 1, message: 'near the size limit' }] });
    const counts = md.indexOf('**Plan:**');
    const table = md.indexOf('| Path |');
    const warnings = md.indexOf('### Warnings (1)');
    expect(counts).toBeGreaterThan(-1);
    expect(table).toBeGreaterThan(counts);
    expect(warnings).toBeGreaterThan(table);
  });

  it('lists every problem', () => {
    const problems = Array.from({ length: 25 }, (_, i) => ({ file: `scripts/x${i}/meta.yaml`, line: i + 1, column: 3, message: 'bad' }));
    const md = renderMarkdown({ heading: 'h', problems });
    expect(md).toContain('### Errors (25)');
    expect(md.match(/scripts\/x\d+\/meta\.yaml:\d+:3: bad/g)).toHaveLength(25);
  });
});

describe('pull-request comment', () => {
  it('starts with a marker per state file and folds the table', () => {
    const body = renderComment({ heading: 'Plan', plan }, '.car/state.json');
    expect(body.startsWith(commentMarker('.car/state.json'))).toBe(true);
    expect(commentMarker('.car/a.json')).not.toBe(commentMarker('.car/b.json'));
    expect(body).toContain('<details><summary>All 2 scripts</summary>');
  });

  it('drops the table, then cuts, to stay under the limit', () => {
    const many = Array.from({ length: 3000 }, (_, i) => makeScript(`scripts/s${String(i).padStart(4, '0')}/script.sh`));
    const big = planSync(many, { version: 1, scripts: {} });
    const body = renderComment({ heading: 'Plan', plan: big }, '.car/state.json', 'https://example.test/summary');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('too long for a comment; see [the job summary](https://example.test/summary)');
    const problems = Array.from({ length: 5000 }, (_, i) => ({ file: `scripts/x${i}/meta.yaml`, line: 1, column: 1, message: 'x'.repeat(40) }));
    const cut = renderComment({ heading: 'Plan', problems }, '.car/state.json');
    expect(cut.length).toBeLessThanOrEqual(65_536);
    expect(cut).toMatch(/cut to fit GitHub's comment limit/);
  });
});

describe('failure issue', () => {
  it('lists what failed or is unresolved, escaped, with the way out', () => {
    const body = failureIssueBody({
      stateFile: '.car/state.json',
      runUrl: 'https://github.example/acme/scripts/actions/runs/7',
      results: [
        { action: 'update', path: 'scripts/a/script.sh', id: 1, outcome: 'failed', message: 'CAR said <b>no</b>' },
        { action: 'create', path: 'scripts/b/script.sh', outcome: 'unresolved', message: 'timeout' },
        { action: 'unchanged', path: 'scripts/c/script.sh', id: 3, outcome: 'done' },
      ],
    });
    expect(body).toContain('[this run](https://github.example/acme/scripts/actions/runs/7)');
    expect(body).toContain('- **failed** `scripts/a/script.sh`: CAR said &#60;b&#62;no&#60;/b&#62;');
    expect(body).toContain('- **unresolved** `scripts/b/script.sh`: timeout');
    expect(body).not.toContain('scripts/c/script.sh');
    expect(body).toMatch(/car-sync adopt PATH ID/);
  });
});
