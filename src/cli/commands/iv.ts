/** `hedgekit iv`: implied volatility of one option (flags) or of every row of a file. */
import type { Command } from 'commander';
import { impliedVolFile, impliedVolFromRecord, percentValue } from '../../api.ts';
import { CliError } from '../cli-error.ts';
import { fmt, table } from '../format.ts';
import type { CliIo } from '../io.ts';
import { addOptionFlags, flagName, recordFromFlags } from '../option-flags.ts';

export function registerIv(program: Command, io: CliIo): void {
  const out = io.stdout;
  const cmd = program
    .command('iv')
    .description(
      "solve implied volatility (Jäckel's Let's Be Rational; American by Brent on the American engine)",
    )
    .addHelpText(
      'after',
      `
Examples:
  hedgekit iv --type call --spot 100 --strike 100 --expiry 1 --rate 0.05 --price 10.4506
  hedgekit iv --type put --model black76 --forward 100 --strike 90 --expiry 0.25 --rate 0.03 --price 1.2
  hedgekit iv --file examples/quotes.csv --json

Errors name the violated bound: negative-price, below-intrinsic, above-upper-bound.`,
    );
  addOptionFlags(cmd, ['price', 'the option price to invert']);
  cmd.action((opts: Record<string, unknown>) => {
    const record = recordFromFlags(opts, 'price');
    if (opts.file !== undefined) {
      const results = impliedVolFile(String(opts.file));
      if (opts.json) {
        for (const r of results)
          out(JSON.stringify(r.ok ? { vol: r.value } : { row: r.row, error: r.error }));
      } else {
        out(
          table(
            ['row', 'vol', 'error'],
            results.map((r) =>
              r.ok
                ? [String(r.row), fmt(r.value), '']
                : [String(r.row), '', `${r.error.code}: ${r.error.message}`],
            ),
          ),
        );
      }
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0)
        throw new CliError(
          `${failed.length} of ${results.length} rows failed: ${failed[0].ok ? '' : failed[0].error.message}`,
          1,
        );
      return;
    }
    const { vol } = impliedVolFromRecord(record, '', flagName);
    out(opts.json ? JSON.stringify({ vol }) : `implied vol ${fmt(vol)} (${percentValue(vol, 6)})`);
  });
}
