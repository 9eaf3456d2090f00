/** `hedgekit price`: one option from flags, or every row of a file. */
import type { Command } from 'commander';
import { type OptionValuation, priceFileRows, priceFromRecord, toBrokerUnits } from '../../api.ts';
import { fmt, keyValueTable } from '../format.ts';
import type { CliIo } from '../io.ts';
import { addOptionFlags, flagName, recordFromFlags } from '../option-flags.ts';
import { printRowResults } from '../row-stream.ts';

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
  cmd.action(async (opts: Record<string, unknown>) => {
    const record = recordFromFlags(opts, 'vol');
    const broker = opts.brokerUnits === true;
    const conv = (v: OptionValuation) => (broker ? toBrokerUnits(v) : v);
    if (opts.file !== undefined) {
      await printRowResults(
        io,
        priceFileRows(String(opts.file)),
        {
          columns: JSON_LINE_FIELDS,
          cells: (v) => JSON_LINE_FIELDS.map((k) => fmt(conv(v)[k])),
          json: (v) => {
            const c = conv(v);
            return Object.fromEntries(JSON_LINE_FIELDS.map((k) => [k, c[k]]));
          },
        },
        opts.json === true,
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
