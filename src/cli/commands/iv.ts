/** `hedgekit iv`: implied volatility of one option (flags) or of every row of a file. */
import type { Command } from 'commander';
import { impliedVolFileRows, impliedVolFromRecord, percentValue } from '../../api.ts';
import { fmt } from '../format.ts';
import type { CliIo } from '../io.ts';
import { addOptionFlags, flagName, recordFromFlags } from '../option-flags.ts';
import { printRowResults } from '../row-stream.ts';

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
  addOptionFlags(cmd, ['price', 'the option price to invert'], { barrier: false });
  cmd.action(async (opts: Record<string, unknown>) => {
    const record = recordFromFlags(opts, 'price');
    if (opts.file !== undefined) {
      await printRowResults(
        io,
        impliedVolFileRows(String(opts.file)),
        { columns: ['vol'], cells: (v) => [fmt(v)], json: (v) => ({ vol: v }) },
        opts.json === true,
      );
      return;
    }
    const { vol } = impliedVolFromRecord(record, '', flagName);
    out(opts.json ? JSON.stringify({ vol }) : `implied vol ${fmt(vol)} (${percentValue(vol, 6)})`);
  });
}
