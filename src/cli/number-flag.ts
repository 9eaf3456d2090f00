/**
 * Numeric CLI flags: decimal notation only (no `0x64`, `Infinity` or `1_000`), bounds stated in
 * the message, so a flag is refused with its name, the rule and what was typed.
 */
import { parseDecimal } from '../api.ts';
import { CliError } from './cli-error.ts';

/** An integer flag in `[min, max]`; `undefined` when the flag is absent. */
export function intFlag(
  flag: string,
  v: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (v === undefined) return undefined;
  const x = parseDecimal(String(v));
  if (x === undefined || !Number.isSafeInteger(x) || x < min)
    throw new CliError(`${flag}: must be an integer >= ${min} (got ${JSON.stringify(v)})`);
  if (x > max)
    throw new CliError(`${flag}: must be <= ${max.toLocaleString('en-US')} (got ${JSON.stringify(v)})`);
  return x;
}

/** A number flag satisfying `ok` (described by `rule`); `undefined` when the flag is absent. */
export function numFlag(
  flag: string,
  v: unknown,
  ok: (x: number) => boolean,
  rule: string,
): number | undefined {
  if (v === undefined) return undefined;
  const x = parseDecimal(String(v));
  if (x === undefined || !Number.isFinite(x) || !ok(x))
    throw new CliError(`${flag}: ${rule} (got ${JSON.stringify(v)})`);
  return x;
}
