import type { ApplyResult } from '../apply/result.js';
import type { Plan } from '../plan/plan.js';
import { formatProblem, type Problem } from '../repo/problem.js';
import { planJson, type PlanJsonAction } from './json.js';
import { countsLine } from './text.js';

/** Everything user-controlled (titles, paths, CAR's messages) goes through here: no HTML injection. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'|`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface MarkdownReport {
  heading: string;
  plan?: Plan;
  applied?: ApplyResult;
  problems?: Problem[];
  warnings?: Problem[];
  /** Extra lines (commit made, comment skipped on a fork ...), already safe markdown. */
  notes?: string[];
  /** Leave out the table of scripts (the comment folds it on its own). */
  withoutTable?: boolean;
}

const RESULT_LABEL: Record<string, string> = { done: '✅ ok', failed: '❌ failed', unresolved: '⚠️ unresolved', skipped: '⏭️ skipped' };

function row(a: PlanJsonAction, withResult: boolean): string {
  const path = a.from ? `${escapeHtml(a.from)} → ${escapeHtml(a.path)}` : escapeHtml(a.path);
  const cells = [path, escapeHtml(a.title ?? ''), a.action, a.id === undefined ? '' : String(a.id)];
  if (withResult) cells.push(`${RESULT_LABEL[a.result ?? ''] ?? ''}${a.message ? ` ${escapeHtml(a.message)}` : ''}`);
  return `| ${cells.join(' | ')} |`;
}

export function scriptsTable(plan: Plan, applied?: ApplyResult): string[] {
  const json = planJson(plan, applied);
  const header = applied ? '| Path | Title | Action | Id | Result |\n|---|---|---|---|---|' : '| Path | Title | Action | Id |\n|---|---|---|---|';
  return [header, ...json.actions.map((a) => row(a, applied !== undefined))];
}

export function problemList(title: string, problems: Problem[]): string[] {
  if (problems.length === 0) return [];
  return [`### ${title} (${problems.length})`, '', ...problems.map((p) => `- \`${escapeHtml(formatProblem(p)).replace(/`/g, '')}\``), ''];
}

/** Counts first, then every script, then every error and warning: the job summary. */
export function renderMarkdown(report: MarkdownReport): string {
  const lines = [`## ${report.heading}`, ''];
  if (report.plan) {
    lines.push(`**Plan:** ${countsLine(report.plan.counts)}.`);
    if (report.applied) {
      const outcomes = planJson(report.plan, report.applied).outcomes ?? {};
      lines.push('', `**Result:** ${Object.entries(outcomes).map(([k, v]) => `${v} ${k}`).join(', ')}; ${report.applied.writeCalls} write calls to CAR.`);
    }
    lines.push('');
  }
  for (const note of report.notes ?? []) lines.push(note, '');
  if (!report.withoutTable && report.plan && report.plan.actions.length > 0) lines.push(...scriptsTable(report.plan, report.applied), '');
  lines.push(...problemList('Errors', report.problems ?? []));
  lines.push(...problemList('Warnings', report.warnings ?? []));
  return lines.join('\n');
}
