/**
 * The table of `hedgekit sweep`: per market, one row per parameter point and strategy with the key
 * metrics (docs/metrics.md) and the efficient frontier marked (`◆`: no other row has a lower risk
 * and a higher reward; the risk and reward metrics are the sweep file's `frontier`). Plain text
 * (cli-table3, no colours).
 */
import Table from 'cli-table3';
import { percentValue } from '../core/format.ts';
import type { KeyMetrics } from '../scenario/run.ts';
import type { SweepResult } from '../sweep/merge.ts';

const COLUMNS: readonly { header: string; key: keyof KeyMetrics }[] = [
  { header: 'P(end<floor)', key: 'probEndBelowFloor' },
  { header: 'excess ret.', key: 'excessReturn' },
  { header: 'ann. return', key: 'annualizedReturn' },
  { header: 'vol', key: 'volatility' },
  { header: 'max DD', key: 'maxDrawdown' },
  { header: 'CVaR 95', key: 'cvar95' },
  { header: 'cost', key: 'costOfProtection' },
];

function value(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : 'n/a';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The sweep's tables as text, one per market, then a legend and the shard statistics.
 * @example sweepReport(result).includes('◆') // true when some row is on a frontier
 */
export function sweepReport(r: SweepResult): string {
  const out: string[] = [];
  out.push(
    `Sweep "${r.name}" — ${r.points.length} parameter points of ${r.scenario}, ${r.shardPaths} paths per shard (hash ${r.hash.slice(0, 12)})`,
  );
  const markets = [...new Set(r.rows.map((x) => x.market))];
  for (const m of markets) {
    const table = new Table({
      head: [...r.parameters, 'strategy', ...COLUMNS.map((c) => c.header), 'frontier'],
      style: { head: [], border: [] },
    });
    for (const row of r.rows) {
      if (row.market !== m) continue;
      table.push([
        ...r.parameters.map((p) => value(row.values[p])),
        row.benchmark ? `${row.strategy} (bm)` : row.strategy,
        ...COLUMNS.map((c) => percentValue(row.key[c.key])),
        row.frontier ? '◆' : '',
      ]);
    }
    out.push(`\nMarket: ${m}`);
    out.push(table.toString());
  }
  const { risk, reward } = r.frontier;
  out.push(
    `\n◆ efficient frontier per market: no other (point, strategy) has a lower ${risk} and a higher ${reward}; the benchmark (bm) is the reference of excess returns and never on it.`,
  );
  out.push(
    `Shards: ${r.stats.shards} (${r.stats.cached} from the cache, ${r.stats.computed} computed). Every metric: --json.`,
  );
  return out.join('\n');
}
