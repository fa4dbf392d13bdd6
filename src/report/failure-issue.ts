import type { ActionResult } from '../apply/result.js';
import { escapeHtml } from './markdown.js';

export interface FailureReport {
  stateFile: string;
  results: readonly ActionResult[];
  /** Why the state could not be committed, when that is what failed. */
  commitError?: string;
  runUrl?: string;
}

export function failureIssueTitle(stateFile: string): string {
  return `car-sync: sync of ${stateFile} failed`;
}

/** The body of the issue a failed scheduled sync opens (or adds as a comment to the open one). */
export function failureIssueBody(report: FailureReport): string {
  const where = report.runUrl ? ` in [this run](${report.runUrl})` : '';
  const bad = report.results.filter((r) => r.outcome === 'failed' || r.outcome === 'unresolved');
  const lines = [`car-sync could not sync \`${escapeHtml(report.stateFile)}\`${where}.`, ''];
  if (report.commitError) lines.push(`The state file could not be committed: ${escapeHtml(report.commitError)}`, '');
  for (const r of bad) lines.push(`- **${r.outcome}** \`${escapeHtml(r.path)}\`${r.message ? `: ${escapeHtml(r.message)}` : ''}`);
  if (bad.some((r) => r.outcome === 'unresolved')) {
    lines.push('', 'Unresolved creates may exist in CAR: check, then record each with `car-sync adopt PATH ID` or drop it with `car-sync forget PATH`.');
  }
  lines.push('', 'This issue is closed by the next run that succeeds.');
  return lines.join('\n');
}
