/**
 * Reads an option file (CSV with a header row, or JSON Lines) into records with their line
 * numbers. Structural problems of the whole file (unreadable, unknown column, no header) throw a
 * ValidationError naming `file:line`; problems of one row (malformed JSON, ragged CSV row) are
 * returned on that row so the other rows can go on.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { HedgekitError, ValidationError } from '../core/errors.ts';
import { quoteInput } from '../core/safe-text.ts';
import { coerceTextRecord } from './option-row.ts';

export interface FileRecord {
  /** 1-based data row number (header excluded). */
  readonly row: number;
  /** 1-based line number in the file, for messages. */
  readonly line: number;
  /** `file:line` */
  readonly where: string;
  readonly record?: Record<string, unknown>;
  readonly error?: { code: string; message: string };
}

/**
 * @param path    a `.csv` or `.jsonl` / `.ndjson` file
 * @param columns the column names the caller understands (others are an error naming them)
 * @throws ValidationError for an unreadable file, an unknown extension or an unknown column
 */
export function readOptionFile(path: string, columns: ReadonlySet<string>): FileRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ValidationError(
      path,
      `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      'file-unreadable',
    );
  }
  const name = basename(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return readCsv(text, name, columns);
  if (ext === '.jsonl' || ext === '.ndjson') return readJsonl(text, name, columns);
  throw new ValidationError(path, 'unknown file type: use .csv or .jsonl', 'file-type');
}

function readCsv(text: string, name: string, columns: ReadonlySet<string>): FileRecord[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, CSV_OPTIONS) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    throw malformedCsv(e, name);
  }
  if (rows.length === 0)
    throw new ValidationError(`${name}:1`, 'empty file: expected a header row', 'empty-file');
  const header = checkHeader(rows[0].record, `${name}:${rows[0].info.lines}`, columns);
  if (rows.length === 1) throw noDataRows(name, rows[0].info.lines);
  return rows.slice(1).map((r, i) => shapeCsvRow(header, r.record, i + 1, r.info.lines, name));
}

/** csv-parse options of option files (sync and streaming readers alike). */
export const CSV_OPTIONS = {
  info: true,
  relax_column_count: true,
  skip_empty_lines: true,
  trim: true,
  bom: true,
} as const;

/** A csv-parse failure as a `file:line` ValidationError. */
export function malformedCsv(e: unknown, name: string): ValidationError {
  const err = e as { lines?: number; message: string };
  return new ValidationError(`${name}:${err.lines ?? 1}`, `malformed CSV (${err.message})`, 'malformed-csv');
}

/** A file with a header (or nothing) but no data rows: an error, not an empty result. */
export function noDataRows(name: string, headerLine: number): ValidationError {
  return new ValidationError(
    `${name}:${headerLine}`,
    headerLine === 0 ? 'empty file: no rows' : 'no data rows after the header',
    'no-data',
  );
}

/**
 * Checks a CSV header against the known columns (unknown and duplicate names are errors).
 * @returns the trimmed column names
 */
export function checkHeader(raw: readonly string[], where: string, columns: ReadonlySet<string>): string[] {
  const header = raw.map((h) => h.trim());
  header.forEach((h, i) => {
    if (!columns.has(h))
      throw new ValidationError(
        where,
        `unknown column ${quoteInput(h)} (column ${i + 1}); known columns: ${[...columns].join(', ')}`,
        'unknown-column',
      );
  });
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h))
      throw new ValidationError(where, `duplicate column ${quoteInput(h)}`, 'duplicate-column');
    seen.add(h);
  }
  return header;
}

/** One CSV data row → its record (numbers coerced) or its row error. */
export function shapeCsvRow(
  header: readonly string[],
  record: readonly string[],
  row: number,
  line: number,
  name: string,
): FileRecord {
  const where = `${name}:${line}`;
  if (record.length !== header.length) {
    return {
      row,
      line,
      where,
      error: {
        code: 'malformed-row',
        message: `${where}: expected ${header.length} fields, got ${record.length}`,
      },
    };
  }
  const rec: Record<string, string> = {};
  for (let j = 0; j < header.length; j++) rec[header[j]] = record[j];
  return { row, line, where, record: coerceTextRecord(rec) };
}

function readJsonl(text: string, name: string, columns: ReadonlySet<string>): FileRecord[] {
  const out: FileRecord[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const r = shapeJsonLine(raw, out.length + 1, i + 1, name, columns);
    if (r) out.push(r);
  });
  if (out.length === 0) throw noDataRows(name, 0);
  return out;
}

/** One JSON Lines line → its record or its row error; `undefined` for a blank line. */
export function shapeJsonLine(
  raw: string,
  row: number,
  line: number,
  name: string,
  columns: ReadonlySet<string>,
): FileRecord | undefined {
  if (raw.trim() === '') return undefined;
  const where = `${name}:${line}`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { row, line, where, error: { code: 'malformed-row', message: `${where}: not valid JSON` } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      row,
      line,
      where,
      error: { code: 'malformed-row', message: `${where}: expected a JSON object` },
    };
  const unknown = Object.keys(value).filter((k) => !columns.has(k));
  if (unknown.length > 0)
    return {
      row,
      line,
      where,
      error: { code: 'unknown-column', message: `${where}: unknown field ${quoteInput(unknown[0])}` },
    };
  return { row, line, where, record: value as Record<string, unknown> };
}

/** Error → `{ code, message }` for per-row output; unknown errors keep their message. */
export function rowError(e: unknown): { code: string; message: string } {
  if (e instanceof HedgekitError) return { code: e.code, message: e.message };
  return { code: 'error', message: e instanceof Error ? e.message : String(e) };
}
