/** One line of the benchmark's table. */
export interface Row {
  figure: string;
  measured: string;
  /** The bound or baseline the figure is measured against; '-' when the goal is absolute. */
  reference: string;
  ratio: string;
  goal: string;
  /** Undefined for a figure only reported (the size of dist/), or one this machine cannot measure. */
  pass?: boolean;
}

const HEADER = ['figure', 'measured', 'bound/baseline', 'ratio', 'goal', 'pass/fail'];

function cells(row: Row): string[] {
  return [row.figure, row.measured, row.reference, row.ratio, row.goal, row.pass === undefined ? '-' : row.pass ? 'pass' : 'FAIL'];
}

export function renderTerminalTable(rows: readonly Row[]): string {
  const lines = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)));
  const format = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [format(lines[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.slice(1).map(format)].join('\n');
}

export function renderMarkdownTable(rows: readonly Row[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${cells(row).map(escape).join(' | ')} |`),
  ].join('\n');
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function times(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}
