import { escapeHtml, renderMarkdown, scriptsTable, type MarkdownReport } from './markdown.js';

/** GitHub refuses issue comments longer than 65,536 characters; stay clear of it. */
export const COMMENT_LIMIT = 65_536;

/** The hidden marker that finds our comment again; one per state file, so tenants in a matrix do not overwrite each other. */
export function commentMarker(stateFile: string): string {
  return `<!-- car-sync:plan ${escapeHtml(stateFile).replace(/--/g, '&#45;&#45;')} -->`;
}

/**
 * The plan as a pull-request comment: the summary with the script table folded in <details>.
 * Too long: the table goes first, then the text is cut, with a pointer to the job summary.
 */
export function renderComment(report: MarkdownReport, stateFile: string, summaryUrl?: string, limit = COMMENT_LIMIT): string {
  const marker = commentMarker(stateFile);
  const pointer = summaryUrl ? `[the job summary](${summaryUrl})` : 'the job summary of this run';
  const head = `${marker}\n${renderMarkdown({ ...report, withoutTable: true }).trimEnd()}\n`;
  const rows = report.plan ? scriptsTable(report.plan, report.applied) : [];
  const withTable =
    rows.length > 1
      ? `${head}\n<details><summary>All ${rows.length - 1} scripts</summary>\n\n${rows.join('\n')}\n\n</details>\n`
      : head;
  if (withTable.length <= limit) return withTable;
  const withoutTable = `${head}\nThe list of scripts is too long for a comment; see ${pointer}.\n`;
  if (withoutTable.length <= limit) return withoutTable;
  const cut = `\n\n… cut to fit GitHub's comment limit; the full report is in ${pointer}.\n`;
  return withoutTable.slice(0, limit - cut.length) + cut;
}
