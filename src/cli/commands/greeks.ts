/**
 * `hedgekit greeks <book>`: net Greeks per asset and in total, vega by expiry bucket, the
 * beta-weighted delta and the full-repricing scenario ladder of a book file (docs/greeks.md).
 * Display units: cash gamma per 1 % spot move, vega per vol point, theta per calendar day, cash
 * vanna per vol point; --json writes the report in base units (vega per 1.00 vol, theta per year).
 */
import type { Command } from 'commander';
import { type BookRiskReport, bookRiskFromFile } from '../../api.ts';
import { fmt, table } from '../format.ts';
import type { CliIo } from '../io.ts';

const pct = (x: number) => `${Number((x * 100).toPrecision(6))}%`;
const pts = (x: number) => `${x > 0 ? '+' : ''}${x} vol`;

/** The human-readable report: positions, per-asset Greeks, vega buckets, beta delta, ladder. */
export function greeksReport(r: BookRiskReport): string {
  const g = r.greeks;
  const out: string[] = [];
  out.push(`book ${r.file}${r.valuationDate ? ` valued ${r.valuationDate}` : ''}`);
  out.push(
    table(
      ['position', 'asset', 'quantity', 'value', 'delta', 'gamma', 'vega/pt', 'theta/day'],
      g.positions.map((p) => [
        p.name,
        p.asset,
        fmt(p.quantity),
        fmt(p.price),
        fmt(p.delta),
        fmt(p.gamma),
        fmt(p.vega / 100),
        fmt(p.theta / 365),
      ]),
    ),
  );
  out.push(
    table(
      [
        'asset',
        'spot',
        'value',
        'delta',
        'cash delta',
        'cash gamma 1%',
        'vega/pt',
        'theta/day',
        'cash vanna/pt',
        'volga/pt²',
        'rho/pt',
      ],
      [
        ...g.perAsset.map((a) => [
          a.asset,
          fmt(a.spot),
          fmt(a.value),
          fmt(a.delta),
          fmt(a.cashDelta),
          fmt(a.cashGamma),
          fmt(a.vega / 100),
          fmt(a.thetaPerDay),
          fmt(a.cashVanna),
          fmt(a.volga / 1e4),
          fmt(a.rho / 100),
        ]),
        [
          'total',
          '',
          fmt(g.total.value),
          '',
          fmt(g.total.cashDelta),
          fmt(g.total.cashGamma),
          fmt(g.total.vega / 100),
          fmt(g.total.thetaPerDay),
          fmt(g.total.cashVanna),
          fmt(g.total.volga / 1e4),
          fmt(g.total.rho / 100),
        ],
      ],
    ),
  );
  out.push(
    table(
      ['vega/pt by expiry', ...g.bucketLabels],
      [
        ...g.perAsset
          .filter((a) => a.vega !== 0)
          .map((a) => [a.asset, ...a.vegaBuckets.map((v) => fmt(v / 100))]),
        ['total', ...g.total.vegaBuckets.map((v) => fmt(v / 100))],
      ],
    ),
  );
  if (g.betaWeighted)
    out.push(
      `beta-weighted delta to ${g.betaWeighted.index}: ${fmt(g.betaWeighted.units)} units (cash ${fmt(g.betaWeighted.cash)})`,
    );
  const l = r.ladder;
  out.push(
    `P&L ladder by full repricing (${l.asset ? `shocking ${l.asset} only` : 'all assets shocked'}` +
      `${l.timeShiftDays ? `, ${l.timeShiftDays} days later` : ''}; base value ${fmt(l.baseValue)})`,
  );
  out.push(
    table(
      ['spot \\ vol', ...l.volShocks.map(pts)],
      l.spotShocks.map((s, i) => [pct(s), ...l.pnl[i].map((x) => fmt(x))]),
    ),
  );
  return out.join('\n');
}

/** Registers `greeks` on the program; `out` prints one stdout line. */
export function registerGreeks(program: Command, io: CliIo): void {
  const out = io.stdout;
  program
    .command('greeks')
    .description('net Greeks per asset, vega buckets, beta-weighted delta and a scenario ladder of a book')
    .argument('<book>', 'book file, YAML or JSON (see docs/greeks.md and examples/book.yaml)')
    .option('--json', 'write the report as JSON in base units (vega per 1.00 vol, theta per year)')
    .addHelpText(
      'after',
      `
Examples:
  hedgekit greeks examples/book.yaml
  hedgekit greeks examples/book.yaml --json > risk.json`,
    )
    .action((file: string, opts: { json?: boolean }) => {
      const report = bookRiskFromFile(file);
      out(opts.json ? JSON.stringify(report) : greeksReport(report));
    });
}
