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
    rows = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new ValidationError(`${name}:${err.lines ?? 1}`, `malformed CSV (${err.message})`, 'malformed-csv');
  }
  if (rows.length === 0)
    throw new ValidationError(`${name}:1`, 'empty file: expected a header row', 'empty-file');
  const header = rows[0].record.map((h) => h.trim());
  const headerLine = rows[0].info.lines;
  header.forEach((h, i) => {
    if (!columns.has(h))
      throw new ValidationError(
        `${name}:${headerLine}`,
        `unknown column ${JSON.stringify(h)} (column ${i + 1}); known columns: ${[...columns].join(', ')}`,
        'unknown-column',
      );
  });
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h))
      throw new ValidationError(
        `${name}:${headerLine}`,
        `duplicate column ${JSON.stringify(h)}`,
        'duplicate-column',
      );
    seen.add(h);
  }
  return rows.slice(1).map((r, i) => {
    const line = r.info.lines;
    const where = `${name}:${line}`;
    if (r.record.length !== header.length) {
      return {
        row: i + 1,
        line,
        where,
        error: {
          code: 'malformed-row',
          message: `${where}: expected ${header.length} fields, got ${r.record.length}`,
        },
      };
    }
    const rec: Record<string, string> = {};
    header.forEach((h, j) => {
      rec[h] = r.record[j];
    });
    return { row: i + 1, line, where, record: coerceTextRecord(rec) };
  });
}

function readJsonl(text: string, name: string, columns: ReadonlySet<string>): FileRecord[] {
  const out: FileRecord[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const line = i + 1;
    const where = `${name}:${line}`;
    const row = out.length + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      out.push({ row, line, where, error: { code: 'malformed-row', message: `${where}: not valid JSON` } });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.push({
        row,
        line,
        where,
        error: { code: 'malformed-row', message: `${where}: expected a JSON object` },
      });
      return;
    }
    const unknown = Object.keys(value).filter((k) => !columns.has(k));
    if (unknown.length > 0) {
      out.push({
        row,
        line,
        where,
        error: { code: 'unknown-column', message: `${where}: unknown field ${JSON.stringify(unknown[0])}` },
      });
      return;
    }
    out.push({ row, line, where, record: value as Record<string, unknown> });
  });
  return out;
}

/** Error → `{ code, message }` for per-row output; unknown errors keep their message. */
export function rowError(e: unknown): { code: string; message: string } {
  if (e instanceof HedgekitError) return { code: e.code, message: e.message };
  return { code: 'error', message: e instanceof Error ? e.message : String(e) };
}
