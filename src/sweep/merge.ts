/**
 * The sweep result: shards merged per parameter point and market (per-path arrays concatenated in
 * block order, then summarized exactly as `hedgekit run` summarizes a market), and the efficient
 * frontier marked per market.
 *
 * Frontier: over every (point, strategy) row of a market with finite risk and reward, the benchmark
 * excluded (its excess return is 0 by definition), a row is on
 * the frontier when no other row has risk ≤ and reward ≥ with one of them strict (Pareto
 * efficiency; Markowitz, "Portfolio selection", J. Finance 7 (1952), with P(V_T < F_T) for the
 * variance by default).
 */
import { marketLabel, strategyLabel } from '../config/scenario.ts';
import { HedgekitError } from '../core/errors.ts';
import type { PathResults } from '../metrics/path-metrics.ts';
import { type MetricsSummary, summarize } from '../metrics/summary.ts';
import { type KeyMetrics, keyMetrics } from '../scenario/run.ts';
import type { ShardResult } from './shard-result.ts';
import type { ShardSpec } from './shards.ts';
import type { SweepPlan } from './sweep-file.ts';

/** One row of the sweep: a strategy in a market at a parameter point. */
export interface SweepRow {
  readonly point: number;
  /** The point's override values (path → value). */
  readonly values: Readonly<Record<string, unknown>>;
  readonly market: string;
  readonly strategy: string;
  readonly kind: string;
  readonly paths: number;
  readonly key: KeyMetrics;
  readonly summary: MetricsSummary;
  /** The point's benchmark strategy (the reference of excess returns; never on the frontier). */
  readonly benchmark: boolean;
  /** On the market's efficient frontier (risk minimized, reward maximized). */
  readonly frontier: boolean;
}

/** What a sweep did with its shards. */
export interface SweepStats {
  readonly shards: number;
  /** Found in the disk cache. */
  readonly cached: number;
  /** Computed (or fetched from the queue) in this run. */
  readonly computed: number;
}

/** The merged result of a sweep (`hedgekit sweep --json`). */
export interface SweepResult {
  readonly name: string;
  readonly hash: string;
  readonly version: string;
  readonly scenario: string;
  readonly parameters: readonly string[];
  readonly points: readonly { index: number; values: Readonly<Record<string, unknown>> }[];
  readonly frontier: { readonly risk: keyof KeyMetrics; readonly reward: keyof KeyMetrics };
  readonly shardPaths: number;
  readonly rows: readonly SweepRow[];
  readonly stats: SweepStats;
}

/**
 * Marks the Pareto-efficient rows of each market (risk minimized, reward maximized; rows with a
 * non-finite value are never on it). Returns one flag per row.
 * @example paretoFlags([{m:'a',r:0.1,g:0.01},{m:'a',r:0.2,g:0.0}]) // [true, false]
 */
export function frontierFlags(rows: readonly { market: string; risk: number; reward: number }[]): boolean[] {
  return rows.map((a) => {
    if (!(Number.isFinite(a.risk) && Number.isFinite(a.reward))) return false;
    return !rows.some(
      (b) =>
        b !== a &&
        b.market === a.market &&
        Number.isFinite(b.risk) &&
        Number.isFinite(b.reward) &&
        b.risk <= a.risk &&
        b.reward >= a.reward &&
        (b.risk < a.risk || b.reward > a.reward),
    );
  });
}

/**
 * Merges every shard of a plan (all must be present) into the sweep result.
 * @throws HedgekitError `shard-missing` if a shard result is absent
 */
export function mergeSweep(
  plan: SweepPlan,
  hash: string,
  version: string,
  shards: readonly ShardSpec[],
  results: ReadonlyMap<string, ShardResult>,
  stats: SweepStats,
): SweepResult {
  const drafts = shardGroups(shards).map((g) => mergeGroup(plan, g, results));
  return assembleSweep(plan, hash, version, drafts, stats);
}

/** A sweep row before the frontier is known. */
export type DraftRow = Omit<SweepRow, 'frontier'>;

/**
 * The shards of a plan grouped by (point, market), groups in first-shard order and each group's
 * shards in block order: the order rows are merged and listed in.
 */
export function shardGroups(shards: readonly ShardSpec[]): ShardSpec[][] {
  const groups = new Map<string, ShardSpec[]>();
  for (const s of shards) {
    const k = `${s.point}/${s.market}`;
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  const out = [...groups.values()];
  for (const g of out) g.sort((a, b) => a.block - b.block);
  return out;
}

/**
 * The rows of one (point, market) group: each strategy's per-path metrics concatenated over the
 * group's shards in block order (path order), then summarized — the single-thread run's bits. It
 * depends only on the group's shards, so a coordinator may merge a group as soon as its last shard
 * arrives, while other shards still run.
 * @throws HedgekitError `shard-missing` if a shard of the group has no result
 */
export function mergeGroup(
  plan: SweepPlan,
  group: readonly ShardSpec[],
  results: ReadonlyMap<string, ShardResult>,
): DraftRow[] {
  const draft: DraftRow[] = [];
  const parts = group.map((s) => {
    const r = results.get(s.id);
    if (!r) throw new HedgekitError('shard-missing', `shard ${s.id} has no result`);
    return r;
  });
  const point = plan.points[group[0].point];
  const s = point.scenario;
  const label = marketLabel(s.markets[group[0].market]);
  const names = s.strategies.map(strategyLabel);
  const bench =
    s.benchmark ??
    names[
      Math.max(
        0,
        s.strategies.findIndex((x) => x.kind === 'buy-and-hold'),
      )
    ];
  parts[0].runs.forEach((run, r) => {
    const merged: Record<string, Float64Array> = {};
    for (const key of Object.keys(run.metrics)) {
      let len = 0;
      for (const p of parts) len += p.runs[r].metrics[key].length;
      const out = new Float64Array(len);
      let off = 0;
      for (const p of parts) {
        out.set(p.runs[r].metrics[key], off);
        off += p.runs[r].metrics[key].length;
      }
      merged[key] = out;
    }
    const summary = summarize(merged as PathResults);
    draft.push({
      point: point.index,
      values: point.values,
      market: label,
      strategy: run.name,
      kind: run.kind,
      paths: summary.paths,
      key: keyMetrics(summary, s.portfolio.initialValue),
      summary,
      benchmark: run.name === bench,
    });
  });
  return draft;
}

/**
 * The sweep result from every group's rows (in {@link shardGroups} order): the frontier flags per
 * market, the points and the stats.
 */
export function assembleSweep(
  plan: SweepPlan,
  hash: string,
  version: string,
  groups: readonly (readonly DraftRow[])[],
  stats: SweepStats,
): SweepResult {
  const draft = groups.flat();
  const flags = frontierFlags(
    draft.map((d) => ({
      market: d.market,
      risk: d.benchmark ? Number.NaN : d.key[plan.frontier.risk],
      reward: d.key[plan.frontier.reward],
    })),
  );
  return {
    name: plan.name,
    hash,
    version,
    scenario: plan.baseFile,
    parameters: plan.parameters,
    points: plan.points.map((p) => ({ index: p.index, values: p.values })),
    frontier: plan.frontier,
    shardPaths: plan.shardPaths,
    rows: draft.map((d, i) => ({ ...d, frontier: flags[i] })),
    stats,
  };
}
