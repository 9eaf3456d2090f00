/** `hedgekit price`: one option from flags, or every row of a file. */
import type { Command } from 'commander';
import { type OptionValuation, priceFile, priceFromRecord, toBrokerUnits } from '../../api.ts';
import { CliError } from '../cli-error.ts';
import { fmt, keyValueTable, table } from '../format.ts';
import type { CliIo } from '../io.ts';
import { addOptionFlags, flagName, recordFromFlags } from '../option-flags.ts';

const UNITS: Record<string, [string, string]> = {
  price: ['', ''],
  delta: ['per 1.00 of underlying', ''],
  gamma: ['per 1.00² of underlying', ''],
  vega: ['per 1.00 of vol', 'per vol point'],
  theta: ['per year (∂V/∂t)', 'per calendar day'],
  rho: ['per 1.00 of rate', 'per rate point'],
  dividendRho: ['per 1.00 of yield', 'per yield point'],
  vanna: ['∂²V/∂S∂σ', 'per vol point'],
  volga: ['∂²V/∂σ²', 'per vol point²'],
  charm: ['∂Δ/∂t per year', 'per calendar day'],
  dualDelta: ['∂V/∂K', ''],
};

export const JSON_LINE_FIELDS = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho'] as const;

export function registerPrice(program: Command, io: CliIo): void {
  const out = io.stdout;
  const cmd = program
    .command('price')
    .description('price one option (flags) or a whole file of options, with Greeks')
    .option('--broker-units', 'vega per vol point, theta per day, rho per rate point')
    .addHelpText(
      'after',
      `
Examples:
  hedgekit price --type call --spot 100 --strike 100 --expiry 1 --vol 0.2 --rate 0.05
  hedgekit price --type put --style american --spot 100 --strike 110 --expiry 0.5 --vol 0.3 --rate 0.05 --dividend 0.02
  hedgekit price --type put --spot 100 --strike 95 --barrier 80 --barrier-type down-out --expiry 1 --vol 0.25 --rate 0.03
  hedgekit price --file examples/chain.csv --json`,
    );
  addOptionFlags(cmd, ['vol', 'volatility, annual decimal (0.2 = 20 %)']);
  cmd.action((opts: Record<string, unknown>) => {
    const record = recordFromFlags(opts, 'vol');
    const broker = opts.brokerUnits === true;
    const conv = (v: OptionValuation) => (broker ? toBrokerUnits(v) : v);
    if (opts.file !== undefined) {
      const results = priceFile(String(opts.file));
      if (opts.json) {
        for (const r of results) {
          if (r.ok) {
            const v = conv(r.value);
            out(JSON.stringify(Object.fromEntries(JSON_LINE_FIELDS.map((k) => [k, v[k]]))));
          } else out(JSON.stringify({ row: r.row, error: r.error }));
        }
      } else {
        out(
          table(
            ['row', ...JSON_LINE_FIELDS, 'error'],
            results.map((r) =>
              r.ok
                ? [String(r.row), ...JSON_LINE_FIELDS.map((k) => fmt(conv(r.value)[k])), '']
                : [String(r.row), '', '', '', '', '', '', `${r.error.code}: ${r.error.message}`],
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
    const { valuation } = priceFromRecord(record, '', flagName);
    const v = conv(valuation);
    if (opts.json) {
      out(JSON.stringify(v));
      return;
    }
    out(
      keyValueTable(
        Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => [k, fmt(x as number), UNITS[k]?.[broker ? 1 : 0] || UNITS[k]?.[0] || '']),
      ),
    );
  });
}
