/**
 * The option flags shared by `hedgekit price` and `hedgekit iv`, and their mapping to the
 * option-row schema's field names (so errors name the flag the user typed).
 */
import type { Command } from 'commander';
import { coerceTextRecord } from '../api.ts';
import { CliError } from './cli-error.ts';

const FIELDS = [
  ['type', 'call | put'],
  ['style', 'european | american (default european)'],
  ['model', 'bsm | black76 (default bsm)'],
  ['spot', 'spot price (bsm)'],
  ['forward', 'forward/futures price (black76)'],
  ['strike', 'strike'],
  ['expiry', 'time to expiry in years (> 0)'],
  ['rate', 'risk-free rate, continuously compounded annual decimal (0.05 = 5 %)'],
  ['dividend', 'continuous dividend yield, annual decimal (default 0; bsm only)'],
  ['barrier', 'barrier level (single-barrier option)'],
  ['barrier_type', 'down-in | down-out | up-in | up-out'],
  ['rebate', 'cash rebate of a barrier option (default 0)'],
] as const;

export const flagName = (field: string) => (field === '' ? field : `--${field.replace(/_/g, '-')}`);
const camel = (field: string) => field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Adds the option flags (plus `extra`, e.g. vol or price) to a command. */
export function addOptionFlags(
  cmd: Command,
  extra: [string, string],
  opts: { barrier?: boolean } = {},
): Command {
  // `iv` takes no barrier flags: implied vol of a barrier option is not unique (and is refused).
  const tail = FIELDS.slice(7).filter(
    ([f]) => opts.barrier !== false || (!f.startsWith('barrier') && f !== 'rebate'),
  );
  const all: (readonly [string, string])[] = [...FIELDS.slice(0, 7), extra, ...tail];
  for (const [field, help] of all) cmd.option(`${flagName(field)} <value>`, help);
  return cmd
    .option(
      '--file <path>',
      'price every row of a .csv or .jsonl file (columns named like the flags, with _)',
    )
    .option('--json', 'machine-readable output (JSON; JSON Lines with --file)');
}

/** Commander options → a record for the row schema; rejects option flags combined with --file. */
export function recordFromFlags(opts: Record<string, unknown>, extraField: string): Record<string, unknown> {
  const fields = [...FIELDS.map(([f]) => f), extraField];
  const rec: Record<string, string | undefined> = {};
  for (const f of fields) {
    const v = opts[camel(f)];
    if (v !== undefined) rec[f] = String(v);
  }
  if (opts.file !== undefined) {
    const given = Object.keys(rec);
    if (given.length > 0) throw new CliError(`${flagName(given[0])}: cannot be combined with --file`);
  }
  return coerceTextRecord(rec);
}
