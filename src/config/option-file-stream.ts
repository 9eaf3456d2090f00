/**
 * Streaming reader of option files (CSV with a header, or JSON Lines): the file is read in 64 KiB
 * chunks and its records come in batches, one batch per chunk, so a million-row chain is priced in
 * memory independent of its length and without a promise per row. The rules are those of the
 * whole-file reader (src/config/option-file.ts): file-level problems (unreadable, unknown or
 * duplicate column, no data rows) throw a ValidationError naming `file:line`; one row's problem
 * (ragged, malformed quoting, bad JSON) is returned on that row and the others go on.
 *
 * CSV lines are split on commas; a line with a double quote goes through csv-parse (RFC 4180
 * quoting). A record is one line: quoted fields spanning lines are not part of the option-file
 * format (docs/cli.md).
 *
 * References: RFC 4180 (CSV); csv-parse 6 (https://csv.js.org/parse/).
 */
import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ValidationError } from '../core/errors.ts';
import { checkHeader, type FileRecord, noDataRows, shapeCsvRow, shapeJsonLine } from './option-file.ts';

/** Bytes read per chunk (one batch of records per chunk). */
const CHUNK_BYTES = 1 << 16;

/** The lines of a file, in batches (one per chunk read), each with its 1-based line number. */
async function* lineBatches(path: string): AsyncGenerator<{ lines: string[]; first: number }> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
  let rest = '';
  let next = 1;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        rest = text;
        continue;
      }
      rest = text.slice(cut + 1);
      const lines = text.slice(0, cut).split('\n');
      yield { lines, first: next };
      next += lines.length;
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new ValidationError(path, `cannot read file (${code})`, 'file-unreadable');
    throw e;
  }
  if (rest !== '') yield { lines: [rest], first: next };
}

const unCr = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);

/** One CSV line → its fields (trimmed), or undefined when its quoting is malformed. */
function splitCsvLine(line: string): string[] | undefined {
  if (!line.includes('"')) {
    const f = line.split(',');
    for (let i = 0; i < f.length; i++) f[i] = f[i].trim();
    return f;
  }
  try {
    const rows = parse(line, { relax_column_count: true, trim: true }) as string[][];
    return rows.length === 1 ? rows[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The records of an option file, in file order, in batches.
 * @param path    a `.csv` or `.jsonl` / `.ndjson` file
 * @param columns the column names the caller understands (others are an error naming them)
 * @throws ValidationError for file-level problems (before or while the rows are read)
 */
export async function* streamOptionFile(
  path: string,
  columns: ReadonlySet<string>,
): AsyncGenerator<FileRecord[]> {
  const name = basename(path);
  const ext = extname(path).toLowerCase();
  const csv = ext === '.csv';
  if (!csv && ext !== '.jsonl' && ext !== '.ndjson')
    throw new ValidationError(path, 'unknown file type: use .csv or .jsonl', 'file-type');
  let header: string[] | undefined;
  let headerLine = 0;
  let row = 0;
  for await (const { lines, first } of lineBatches(path)) {
    const out: FileRecord[] = [];
    for (let k = 0; k < lines.length; k++) {
      const line = first + k;
      let raw = unCr(lines[k]);
      if (line === 1 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
      if (raw.trim() === '') continue;
      if (!csv) {
        const r = shapeJsonLine(raw, row + 1, line, name, columns);
        if (r) {
          row++;
          out.push(r);
        }
        continue;
      }
      const fields = splitCsvLine(raw);
      if (header === undefined) {
        if (fields === undefined)
          throw new ValidationError(
            `${name}:${line}`,
            'malformed CSV header (unbalanced quotes)',
            'malformed-csv',
          );
        headerLine = line;
        header = checkHeader(fields, `${name}:${line}`, columns);
        continue;
      }
      row++;
      out.push(
        fields === undefined
          ? {
              row,
              line,
              where: `${name}:${line}`,
              error: { code: 'malformed-row', message: `${name}:${line}: malformed CSV quoting` },
            }
          : shapeCsvRow(header, fields, row, line, name),
      );
    }
    if (out.length > 0) yield out;
  }
  if (csv && header === undefined)
    throw new ValidationError(`${name}:1`, 'empty file: expected a header row', 'empty-file');
  if (row === 0) throw noDataRows(name, headerLine);
}
