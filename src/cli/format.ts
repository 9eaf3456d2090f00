/** Number formatting and tables for human-readable CLI output (cli-table3). */
import Table from 'cli-table3';

/** Compact, readable number: 6 significant digits, exponent for tiny or huge magnitudes. */
export function fmt(x: number | undefined): string {
  if (x === undefined) return '';
  if (Number.isNaN(x)) return 'NaN';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e9) return x.toExponential(4);
  return Number(x.toPrecision(6)).toString();
}

/**
 * A plain table with a header row; `rows` are already formatted strings. With `colWidths` (cell
 * text + 2 of padding per column) long cells wrap at word boundaries.
 */
export function table(head: string[], rows: string[][], colWidths?: number[]): string {
  const t = new Table({
    head,
    style: { head: [], border: [] },
    ...(colWidths ? { colWidths, wordWrap: true } : {}),
  });
  for (const r of rows) t.push(r);
  return t.toString();
}

/** Two-column key/value table. */
export function keyValueTable(rows: [string, string, string?][]): string {
  const t = new Table({ style: { head: [], border: [] } });
  for (const [k, v, unit] of rows) t.push(unit === undefined ? [k, v] : [k, v, unit]);
  return t.toString();
}
