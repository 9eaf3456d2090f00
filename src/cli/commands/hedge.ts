/**
 * `hedgekit hedge <book>`: the least-cost hedge of a book file into the bands of its `hedge:`
 * section (docs/hedge.md) — exposures per bucket before and after, the trades, status and binding
 * constraints, and with --frontier N the cost-vs-residual frontier. Units as in `hedgekit greeks`:
 * delta in units of the asset, cash gamma per 1 % move, vega per vol point.
 *
 * Bands that cannot be met are not an error: the plan is `best-effort`, a warning line goes to
 * stderr and the exit code stays 0. Bad input exits 2 with one `file:line: path: rule` line.
 */
import type { Command } from 'commander';
import { type BookHedgeReport, bookHedgeFromFile, type HedgeBucketRow, parseDecimal } from '../../api.ts';
import { CliError } from '../cli-error.ts';
import { fmt, table } from '../format.ts';
import type { CliIo } from '../io.ts';

/** Largest --frontier accepted: each point is one LP/MIP solve. */
const MAX_FRONTIER = 100;

function band(b: HedgeBucketRow): string {
  if (b.lo === null && b.hi === null) return '—';
  if (b.lo === null) return `≤ ${fmt(b.hi!)}`;
  if (b.hi === null) return `≥ ${fmt(b.lo)}`;
  return b.lo === -b.hi ? `±${fmt(b.hi)}` : `[${fmt(b.lo)}, ${fmt(b.hi)}]`;
}

const signed = (x: number) => (x > 0 ? `+${fmt(x)}` : fmt(x));

/** Buckets outside their band, as `SPX gamma +1234 cash gamma 1%`. */
export function unmetBands(r: BookHedgeReport): string[] {
  return r.buckets.filter((b) => b.residual !== 0).map((b) => `${b.name} ${signed(b.residual)} ${b.unit}`);
}

/** The human-readable report: status, exposures before/after, trades, binding constraints, frontier. */
export function hedgeReport(r: BookHedgeReport): string {
  const out: string[] = [];
  out.push(
    `least-cost hedge of ${r.file}${r.valuationDate ? ` valued ${r.valuationDate}` : ''}: ${r.status}` +
      ` (HiGHS ${r.solverStatus}), cost ${fmt(r.cost)}` +
      `${r.status === 'best-effort' ? `, weighted residual ${fmt(r.residualNorm)}` : ''}` +
      `, ${r.trades.length} of ${r.instrumentCount} instruments traded`,
  );
  out.push(
    table(
      ['bucket', 'unit', 'band', 'before', 'after', 'residual'],
      r.buckets.map((b) => [b.name, b.unit, band(b), fmt(b.before), fmt(b.after), fmt(b.residual)]),
    ),
  );
  if (r.trades.length === 0) out.push('trades: none (the book is inside its bands)');
  else
    out.push(
      table(
        ['instrument', 'quantity', 'lots', 'contracts', 'cost/unit', 'cost'],
        [
          ...r.trades.map((t) => [
            t.id,
            signed(t.quantity),
            t.lots === null ? '' : signed(t.lots),
            signed(t.contracts),
            fmt(t.unitCost),
            fmt(t.cost),
          ]),
          ['total', '', '', '', '', fmt(r.cost)],
        ],
      ),
    );
  if (r.binding.length === 0) out.push('binding constraints: none');
  else
    out.push(
      table(
        ['binding constraint', 'on', 'limit'],
        r.binding.map((c) => [c.kind, c.name, fmt(c.limit)]),
      ),
    );
  if (r.frontier)
    out.push(
      'cost-vs-residual frontier (least weighted residual Σ w·|residual| within each cost budget)',
      table(
        ['point', 'budget', 'cost', 'weighted residual', 'status'],
        r.frontier.map((p, k) => [String(k + 1), fmt(p.budget), fmt(p.cost), fmt(p.residualNorm), p.status]),
      ),
    );
  return out.join('\n');
}

function frontierFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = parseDecimal(v) ?? Number.NaN;
  if (!(Number.isSafeInteger(x) && x >= 1 && x <= MAX_FRONTIER))
    throw new CliError(`--frontier: must be an integer from 1 to ${MAX_FRONTIER} (got ${JSON.stringify(v)})`);
  return x;
}

/** Registers `hedge` on the program. */
export function registerHedge(program: Command, io: CliIo): void {
  program
    .command('hedge')
    .description(
      'least-cost hedge of a book into the bands of its hedge: section (delta, gamma, vega buckets)',
    )
    .argument(
      '<book>',
      'book file with a hedge: section, YAML or JSON (see docs/hedge.md and examples/book.yaml)',
    )
    .option('--frontier <n>', 'also trace the cost-vs-residual frontier with n points')
    .option('--json', 'write the report as JSON')
    .addHelpText(
      'after',
      `
Bands that cannot be met give a best-effort plan (least weighted residual + cost), a warning on
stderr and exit code 0.

Examples:
  hedgekit hedge examples/book.yaml
  hedgekit hedge examples/book.yaml --frontier 5
  hedgekit hedge examples/book.yaml --json > plan.json`,
    )
    .action(async (file: string, opts: { json?: boolean; frontier?: string }) => {
      const n = frontierFlag(opts.frontier);
      const report = await bookHedgeFromFile(file, n === undefined ? {} : { frontier: n });
      io.stdout(opts.json ? JSON.stringify(report) : hedgeReport(report));
      if (report.status === 'best-effort')
        io.stderr(
          `hedgekit: warning: the bands cannot all be met; best-effort plan (weighted residual ${fmt(report.residualNorm)}): ${unmetBands(report).join(', ') || 'no instruments'}\n`,
        );
    });
}
