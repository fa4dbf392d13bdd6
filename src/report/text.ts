import type { ApplyResult } from '../apply/result.js';
import type { Plan } from '../plan/plan.js';
import { PLAN_ACTION_KINDS } from '../plan/plan.js';
import { planJson } from './json.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function countsLine(counts: Record<string, number>): string {
  return PLAN_ACTION_KINDS.filter((kind) => counts[kind]).map((kind) => `${counts[kind]} ${kind}`).join(', ') || 'no scripts';
}

/** The plan (or, after apply, what became of it) as a terminal table with counts. */
export function renderText(plan: Plan, applied?: ApplyResult): string {
  const json = planJson(plan, applied);
  const header = ['ACTION', 'PATH', 'ID', 'TITLE'];
  if (applied) header.push('RESULT');
  const rows = json.actions.map((a) => {
    const path = a.from ? `${a.from} -> ${a.path}` : a.path;
    const row = [a.action, path, a.id === undefined ? '-' : String(a.id), a.title ?? ''];
    if (applied) row.push(a.result === 'done' ? 'ok' : `${a.result}${a.message ? `: ${a.message}` : ''}`);
    return row;
  });
  const lines = [rows.length > 0 ? table(header, rows) : 'No scripts found.', '', `Plan: ${countsLine(json.counts)}.`];
  if (applied && json.outcomes) {
    lines.push(`Result: ${Object.entries(json.outcomes).map(([k, v]) => `${v} ${k}`).join(', ')}; ${applied.writeCalls} write calls.`);
  }
  return lines.join('\n');
}
