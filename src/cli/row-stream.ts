/**
 * Prints the results of an option file as they come (`price --file`, `iv --file`): JSON Lines, or a
 * table whose columns have fixed widths so every row is printed the moment it is computed — no
 * table is built in memory, whatever the number of rows. Counts the failed rows for the exit code.
 */
import type { RowResult } from '../api.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './io.ts';

/** Width of the row-number column and of each value column, characters. */
const ROW_WIDTH = 7;
const VALUE_WIDTH = 13;

/** How one kind of result prints. */
export interface RowLayout<T> {
  /** Names of the value columns (table header). */
  readonly columns: readonly string[];
  /** The formatted cells of one result, in `columns` order. */
  cells(value: T): string[];
  /** The JSON object of one result (one JSON Lines line). */
  json(value: T): unknown;
}

const pad = (s: string, w: number) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);

/**
 * Streams `rows` to `io.stdout` and ends with exit code 1 (a CliError) when some rows failed.
 * @throws CliError `n of m rows failed: <first error>` (exit 1)
 */
export async function printRowResults<T>(
  io: CliIo,
  batches: AsyncIterable<RowResult<T>[]>,
  layout: RowLayout<T>,
  json: boolean,
): Promise<void> {
  let total = 0;
  let failed = 0;
  let firstError = '';
  let headed = false;
  for await (const batch of batches) {
    await io.drain?.();
    for (const r of batch) {
      if (!json && !headed) {
        const head = [pad('row', ROW_WIDTH), ...layout.columns.map((c) => pad(c, VALUE_WIDTH)), '  error'];
        io.stdout(head.join(' '));
        io.stdout(
          ['-'.repeat(ROW_WIDTH), ...layout.columns.map(() => '-'.repeat(VALUE_WIDTH)), '-'.repeat(7)].join(
            ' ',
          ),
        );
        headed = true;
      }
      total++;
      if (r.ok) {
        if (json) io.stdout(JSON.stringify(layout.json(r.value)));
        else
          io.stdout(
            [pad(String(r.row), ROW_WIDTH), ...layout.cells(r.value).map((c) => pad(c, VALUE_WIDTH))].join(
              ' ',
            ),
          );
      } else {
        failed++;
        if (failed === 1) firstError = r.error.message;
        if (json) io.stdout(JSON.stringify({ row: r.row, error: r.error }));
        else
          io.stdout(
            [
              pad(String(r.row), ROW_WIDTH),
              ...layout.columns.map(() => pad('', VALUE_WIDTH)),
              ` ${r.error.code}: ${r.error.message}`,
            ].join(' '),
          );
      }
    }
  }
  if (failed > 0) throw new CliError(`${failed} of ${total} rows failed: ${firstError}`, 1);
}
