/** `hedgekit vol`: volatility estimate and forecast for one column of a price history CSV. */
import { type Command, Option } from 'commander';
import { estimateVolatilityFromFile, HORIZON_PERIODS_BOUND } from '../../api.ts';
import { fmt, keyValueTable, table } from '../format.ts';
import type { CliIo } from '../io.ts';
import { intFlag, numFlag } from '../number-flag.ts';

export function registerVol(program: Command, io: CliIo): void {
  const out = io.stdout;
  program
    .command('vol')
    .description('estimate and forecast volatility of one column of a price CSV (realized, EWMA, GARCH(1,1))')
    .requiredOption('--file <path>', 'CSV with a date column and one price column per asset')
    .requiredOption('--column <name>', 'the asset column to use')
    .addOption(
      new Option('--model <model>', 'estimator').choices(['ewma', 'garch', 'realized']).default('garch'),
    )
    .option('--horizon <n>', 'forecast horizon in periods (default 10)')
    .option('--lambda <x>', 'EWMA decay λ in (0, 1) (default 0.94)')
    .option('--window <n>', 'realized-volatility window in returns (default 21)')
    .option('--periods-per-year <n>', 'annualization periods (default 252)')
    .option('--from <date>', 'first date to use (YYYY-MM-DD)')
    .option('--to <date>', 'last date to use (YYYY-MM-DD)')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  hedgekit vol --file data/eustockmarkets.csv --column DAX --model garch --horizon 20
  hedgekit vol --file data/eustockmarkets.csv --column FTSE --model ewma --lambda 0.97 --json`,
    )
    .action((opts: Record<string, string | boolean | undefined>) => {
      const est = estimateVolatilityFromFile({
        file: String(opts.file),
        column: String(opts.column),
        model: opts.model as 'ewma' | 'garch' | 'realized',
        horizon: intFlag('--horizon', opts.horizon, 1, HORIZON_PERIODS_BOUND.max),
        lambda: numFlag('--lambda', opts.lambda, (x) => x > 0 && x < 1, 'must be in (0, 1)'),
        window: intFlag('--window', opts.window, 2, 1_000_000),
        periodsPerYear: numFlag(
          '--periods-per-year',
          opts.periodsPerYear,
          (x) => x > 0 && x <= 100_000,
          'must be in (0, 100,000]',
        ),
        from: opts.from as string | undefined,
        to: opts.to as string | undefined,
      });
      if (opts.json) {
        out(JSON.stringify(est));
        return;
      }
      out(
        `${est.model} volatility of ${est.column} (${est.source}), ${est.nReturns} returns ${est.firstDate} → ${est.asOf}`,
      );
      out(
        keyValueTable([
          ['current vol (annualized)', `${fmt(est.currentVol * 100)} %`],
          ...Object.entries(est.params).map(([k, v]) => [k, fmt(v)] as [string, string]),
          ...(est.logLikelihood === null
            ? []
            : [['log-likelihood', fmt(est.logLikelihood)] as [string, string]]),
        ]),
      );
      out(
        table(
          ['step', 'vol (annualized)', 'average vol to step'],
          est.forecast.map((f) => [String(f.step), `${fmt(f.vol * 100)} %`, `${fmt(f.averageVol * 100)} %`]),
        ),
      );
    });
}
