/**
 * Historical price CSV loader: a date column and one column per asset, parsed with `csv-parse`
 * and validated row by row. Every problem is a {@link CsvValidationError} carrying `file:line`,
 * the column and a stable `code`. Gaps are only filled or dropped when the caller asks, and every
 * filled or dropped row is listed in the returned `report`.
 *
 * Format (see docs/data.md):
 * ```
 * date,DAX,SMI
 * 1991-07-01,1628.75,1678.1
 * 1991-07-02,1613.63,1688.5
 * ```
 */

import { readFileSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { isIsoDate, windowOutsideData } from '../core/calendar-date.ts';
import { ValidationError } from '../core/errors.ts';
import type { PriceHistory } from './price-history.ts';

/** What the value columns hold: price levels, or simple per-period returns. */
export type HistoryKind = 'prices' | 'returns';

/** Gap policy for missing values: reject (default), carry the last value forward, or drop the row. */
export type GapFill = 'none' | 'forward' | 'drop';

/** Options of {@link loadPriceHistory} / {@link parsePriceHistory}; every field is optional. */
export interface LoadHistoryOptions {
  /** Asset columns to keep, in this order (default: every non-date column, in file order). */
  readonly columns?: readonly string[];
  /** `'prices'` (default) or `'returns'` (simple returns, turned into a price index starting at 1). */
  readonly kind?: HistoryKind;
  /** Gap handling (default `'none'`: a missing value is an error). */
  readonly fill?: GapFill;
  /** Name of the date column (default `'date'`, matched case-insensitively if no exact match). */
  readonly dateColumn?: string;
  /** Keep rows with date >= `from` (ISO `YYYY-MM-DD`, inclusive). */
  readonly from?: string;
  /** Keep rows with date <= `to` (ISO `YYYY-MM-DD`, inclusive). */
  readonly to?: string;
}

/** One row touched by gap handling: its file line, date and the columns that were missing. */
export interface GapRow {
  readonly line: number;
  readonly date: string;
  readonly columns: readonly string[];
}

/** What the loader did: rows read and kept, rows filled or dropped, the conventions applied. */
export interface LoadReport {
  readonly source: string;
  readonly kind: HistoryKind;
  readonly fill: GapFill;
  readonly dateColumn: string;
  /** Data rows in the file (header and blank lines excluded). */
  readonly rowsRead: number;
  /** Rows outside `[from, to]`. */
  readonly rowsOutOfRange: number;
  /** Rows in the result. */
  readonly rowsKept: number;
  /** Rows whose missing values were carried forward (`fill: 'forward'`). */
  readonly filled: readonly GapRow[];
  /** Rows removed because a value was missing (`fill: 'drop'`). */
  readonly dropped: readonly GapRow[];
}

/** A loaded history with the loader's report. */
export type LoadedPriceHistory = PriceHistory & { readonly report: LoadReport };

/**
 * A CSV validation failure. `code` is one of the `csv-*` codes listed in docs/data.md; `where` is
 * `file:line` (or just `file` when no line applies); `column` names the offending column, if any.
 */
export class CsvValidationError extends ValidationError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: string | undefined;
  constructor(
    code: string,
    file: string,
    line: number | undefined,
    column: string | undefined,
    message: string,
  ) {
    const where = line === undefined ? file : `${file}:${line}`;
    super(where, column === undefined ? message : `column "${column}": ${message}`, code);
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

const MISSING = new Set(['', 'na', 'n/a', '#n/a', 'nan', 'null', 'none', '.', '-']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export { isIsoDate };

/** Largest price-history CSV read, bytes (it is read whole: a string of at most ~512 MB in V8). */
export const MAX_HISTORY_BYTES = 200_000_000;

/**
 * Reads and validates a price-history CSV file. See {@link parsePriceHistory} for the rules.
 *
 * @param path file path; also used as the `file` part of error locations.
 * @throws CsvValidationError `csv-file-unreadable` when the file cannot be read, and every error
 *   of {@link parsePriceHistory}.
 * @example
 * const h = loadPriceHistory('data/eustockmarkets.csv', { columns: ['DAX'] });
 * // h.dates.length === 1860, h.prices[0][0] === 1628.75
 * References: RFC 4180 (CSV); ISO 8601 (dates).
 */
export function loadPriceHistory(path: string, opts: LoadHistoryOptions = {}): LoadedPriceHistory {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_HISTORY_BYTES)
      throw new CsvValidationError(
        'csv-too-large',
        path,
        undefined,
        undefined,
        `file is ${(size / 1e6).toFixed(0)} MB; the limit is ${MAX_HISTORY_BYTES / 1e6} MB (about 3 million daily rows of 10 series): cut it to the columns and dates you use`,
      );
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof CsvValidationError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new CsvValidationError(
      'csv-file-unreadable',
      path,
      undefined,
      undefined,
      `cannot read file (${reason})`,
    );
  }
  return parsePriceHistory(text, path, opts);
}

interface Row {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/**
 * Parses and validates price-history CSV text.
 *
 * Rules: the header names a date column (`dateColumn`, default `date`) and asset columns; each
 * data row has exactly as many fields as the header; dates are ISO `YYYY-MM-DD`, strictly
 * increasing; values of the selected columns are decimal numbers, prices > 0 (returns > -1).
 * Missing values (empty, `NA`, `NaN`, `null`, `#N/A`, `.`, `-`) are errors unless `fill` is
 * `'forward'` (carry the previous kept row's value; a return is carried as 0) or `'drop'`.
 * With `kind: 'returns'` each row holds simple returns r_t = P_t/P_{t-1} - 1 and the result is the
 * price index P_0 = 1, P_t = P_{t-1}(1 + r_t); the first kept row is the index base date, so its
 * return fields are not used (they may be blank).
 *
 * Shape: result `prices[j]` has length `dates.length`, one Float64Array per selected column.
 *
 * @param text CSV text (UTF-8, optional BOM, comma-separated, RFC 4180 quoting; blank lines skipped).
 * @param sourceName file name or label used in error locations and `source`.
 * @param opts see {@link LoadHistoryOptions}.
 * @throws CsvValidationError with code `csv-empty`, `csv-syntax`, `csv-missing-date-column`,
 *   `csv-duplicate-column`, `csv-no-columns`, `csv-unknown-column`, `csv-ragged-row`,
 *   `csv-malformed-date`, `csv-duplicate-date`, `csv-unsorted-dates`, `csv-missing-value`,
 *   `csv-non-numeric`, `csv-non-positive-price`, `csv-invalid-return`, `csv-no-data` or
 *   `csv-bad-option`.
 * @example
 * parsePriceHistory('date,A\n2024-01-02,100\n2024-01-03,101\n', 'inline').prices[0]; // Float64Array [100, 101]
 * References: RFC 4180 (CSV); ISO 8601 (dates).
 */
export function parsePriceHistory(
  text: string,
  sourceName: string,
  opts: LoadHistoryOptions = {},
): LoadedPriceHistory {
  const file = sourceName;
  const kind: HistoryKind = opts.kind ?? 'prices';
  const fill: GapFill = opts.fill ?? 'none';
  checkOptions(file, kind, fill, opts);

  let rows: Row[];
  try {
    rows = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      trim: true,
    }) as unknown as Row[];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw new CsvValidationError(
      'csv-syntax',
      file,
      err.lines,
      undefined,
      `malformed CSV (${err.message ?? String(e)})`,
    );
  }
  if (rows.length === 0) {
    throw new CsvValidationError('csv-empty', file, undefined, undefined, 'file is empty (no header row)');
  }

  // --- header ---
  const headerRow = rows[0];
  const header = headerRow.record;
  const headerLine = headerRow.info.lines;
  const seen = new Map<string, number>();
  for (let j = 0; j < header.length; j++) {
    const name = header[j];
    if (seen.has(name)) {
      throw new CsvValidationError(
        'csv-duplicate-column',
        file,
        headerLine,
        name,
        'duplicate column name in header',
      );
    }
    seen.set(name, j);
  }
  const dateName = opts.dateColumn ?? 'date';
  let dateIdx = seen.get(dateName) ?? -1;
  if (dateIdx < 0) {
    const lower = header.map((h) => h.toLowerCase());
    const first = lower.indexOf(dateName.toLowerCase());
    if (first >= 0 && lower.lastIndexOf(dateName.toLowerCase()) === first) dateIdx = first;
  }
  if (dateIdx < 0) {
    throw new CsvValidationError(
      'csv-missing-date-column',
      file,
      headerLine,
      undefined,
      `no date column "${dateName}" in header (${header.join(',')})`,
    );
  }
  const assetNames: string[] = [];
  for (let j = 0; j < header.length; j++) if (j !== dateIdx) assetNames.push(header[j]);
  if (assetNames.length === 0) {
    throw new CsvValidationError(
      'csv-no-columns',
      file,
      headerLine,
      undefined,
      'header has no asset columns',
    );
  }
  const columns = opts.columns === undefined ? assetNames : [...opts.columns];
  if (columns.length === 0) {
    throw new CsvValidationError(
      'csv-bad-option',
      file,
      undefined,
      undefined,
      'columns: at least one column must be requested',
    );
  }
  const colIdx: number[] = [];
  for (const c of columns) {
    const idx = seen.get(c);
    if (idx === undefined || idx === dateIdx) {
      throw new CsvValidationError(
        'csv-unknown-column',
        file,
        undefined,
        c,
        `no such column; available: ${assetNames.join(', ')}`,
      );
    }
    if (colIdx.includes(idx)) {
      throw new CsvValidationError('csv-bad-option', file, undefined, c, 'column requested twice');
    }
    colIdx.push(idx);
  }

  const nRows = rows.length - 1;
  if (nRows === 0) {
    throw new CsvValidationError('csv-no-data', file, undefined, undefined, 'no data rows after the header');
  }

  // --- rows ---
  const nCols = columns.length;
  const dates: string[] = [];
  const values: number[][] = columns.map(() => []);
  const filled: GapRow[] = [];
  const dropped: GapRow[] = [];
  const last = new Float64Array(nCols).fill(Number.NaN);
  const raw = new Float64Array(nCols);
  let prevDate = '';
  let firstFileDate = '';
  let prevLine = 0;
  let outOfRange = 0;
  for (let r = 1; r < rows.length; r++) {
    const { record, info } = rows[r];
    const line = info.lines;
    if (record.length !== header.length) {
      throw new CsvValidationError(
        'csv-ragged-row',
        file,
        line,
        undefined,
        `expected ${header.length} fields (${header.join(',')}), found ${record.length}`,
      );
    }
    const date = record[dateIdx];
    if (!isIsoDate(date)) {
      throw new CsvValidationError(
        'csv-malformed-date',
        file,
        line,
        header[dateIdx],
        `malformed date "${date}" (expected YYYY-MM-DD)`,
      );
    }
    if (prevDate !== '') {
      if (date === prevDate) {
        throw new CsvValidationError(
          'csv-duplicate-date',
          file,
          line,
          header[dateIdx],
          `duplicate date ${date} (also on line ${prevLine})`,
        );
      }
      if (date < prevDate) {
        throw new CsvValidationError(
          'csv-unsorted-dates',
          file,
          line,
          header[dateIdx],
          `dates not increasing: ${date} comes after ${prevDate} (line ${prevLine})`,
        );
      }
    }
    if (prevDate === '') firstFileDate = date;
    prevDate = date;
    prevLine = line;
    if ((opts.from !== undefined && date < opts.from) || (opts.to !== undefined && date > opts.to)) {
      outOfRange++;
      continue;
    }
    // The first kept row of a returns file is the index base: its returns are not used.
    const isBase = kind === 'returns' && dates.length === 0;
    let missing: string[] | undefined;
    for (let k = 0; k < nCols; k++) {
      const cell = record[colIdx[k]];
      if (MISSING.has(cell.toLowerCase())) {
        raw[k] = Number.NaN;
        if (!isBase) (missing ??= []).push(columns[k]);
        continue;
      }
      if (!NUMBER.test(cell)) {
        throw new CsvValidationError(
          'csv-non-numeric',
          file,
          line,
          columns[k],
          `non-numeric value "${cell}"`,
        );
      }
      const v = Number(cell);
      if (kind === 'prices' && !(v > 0 && Number.isFinite(v))) {
        throw new CsvValidationError(
          'csv-non-positive-price',
          file,
          line,
          columns[k],
          `price must be > 0 (got ${cell})`,
        );
      }
      if (kind === 'returns' && !isBase && !(v > -1 && Number.isFinite(v))) {
        throw new CsvValidationError(
          'csv-invalid-return',
          file,
          line,
          columns[k],
          `return must be > -1 (got ${cell})`,
        );
      }
      raw[k] = v;
    }
    if (missing !== undefined) {
      if (fill === 'none') {
        throw new CsvValidationError(
          'csv-missing-value',
          file,
          line,
          missing[0],
          `missing value on ${date} (use fill 'forward' or 'drop' to handle gaps)`,
        );
      }
      if (fill === 'drop') {
        dropped.push({ line, date, columns: missing });
        continue;
      }
      if (dates.length === 0) {
        throw new CsvValidationError(
          'csv-missing-value',
          file,
          line,
          missing[0],
          `missing value on ${date} in the first row: nothing to carry forward`,
        );
      }
      filled.push({ line, date, columns: missing });
    }
    for (let k = 0; k < nCols; k++) {
      let v: number;
      if (kind === 'prices') v = Number.isNaN(raw[k]) ? last[k] : raw[k];
      else if (isBase) v = 1;
      else v = Number.isNaN(raw[k]) ? last[k] : last[k] * (1 + raw[k]);
      last[k] = v;
      values[k].push(v);
    }
    dates.push(date);
  }
  checkWindowInsideData(file, opts, firstFileDate, prevDate);
  if (dates.length === 0) {
    const why =
      outOfRange > 0
        ? `no rows between ${opts.from ?? 'start'} and ${opts.to ?? 'end'}`
        : 'every row was dropped';
    throw new CsvValidationError('csv-no-data', file, undefined, undefined, `no data rows left: ${why}`);
  }
  return {
    dates,
    columns,
    prices: values.map((v) => Float64Array.from(v)),
    source: sourceName,
    report: {
      source: sourceName,
      kind,
      fill,
      dateColumn: header[dateIdx],
      rowsRead: nRows,
      rowsOutOfRange: outOfRange,
      rowsKept: dates.length,
      filled,
      dropped,
    },
  };
}

function checkWindowInsideData(file: string, opts: LoadHistoryOptions, first: string, last: string): void {
  if (first === '') return;
  const out = windowOutsideData(opts.from, opts.to, first, last);
  if (out) throw new CsvValidationError('csv-window-outside-data', file, undefined, undefined, out.message);
}

function checkOptions(file: string, kind: string, fill: string, opts: LoadHistoryOptions): void {
  if (kind !== 'prices' && kind !== 'returns') {
    throw new CsvValidationError(
      'csv-bad-option',
      file,
      undefined,
      undefined,
      `kind must be 'prices' or 'returns' (got ${kind})`,
    );
  }
  if (fill !== 'none' && fill !== 'forward' && fill !== 'drop') {
    throw new CsvValidationError(
      'csv-bad-option',
      file,
      undefined,
      undefined,
      `fill must be 'none', 'forward' or 'drop' (got ${fill})`,
    );
  }
  for (const [name, v] of [
    ['from', opts.from],
    ['to', opts.to],
  ] as const) {
    if (v !== undefined && !isIsoDate(v)) {
      throw new CsvValidationError(
        'csv-bad-option',
        file,
        undefined,
        undefined,
        `${name} must be a date YYYY-MM-DD (got "${v}")`,
      );
    }
  }
  if (opts.from !== undefined && opts.to !== undefined && opts.from > opts.to) {
    throw new CsvValidationError(
      'csv-bad-option',
      file,
      undefined,
      undefined,
      `from (${opts.from}) is after to (${opts.to})`,
    );
  }
}
