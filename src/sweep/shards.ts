/**
 * Cutting a sweep into shards and naming them. A shard is one parameter point × one market × one
 * block of paths [b·shardPaths, (b+1)·shardPaths); its random streams are keyed by the global path
 * index (blockRng(seed, path / PATH_BLOCK)), and shards are whole engine chunks, so the merged
 * result of a point and market is the single-thread run of that point's scenario bit for bit,
 * however the shards are spread over threads and machines and in whatever order they finish.
 *
 * The sweep hash (SHA-256 of the version, every point's validated scenario, the shard size and the
 * bytes of every history file used) names the sweep's cache directory and its queue job ids: a
 * change to anything that moves a result gives a new hash; the same sweep run again finds its shards.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Scenario } from '../config/scenario.ts';
import type { EngineSpec } from '../engine/parallel.ts';
import { buildScenario } from '../scenario/build.ts';
import type { MarketJobArgs } from '../scenario/market-builder.ts';
import type { SweepPlan } from './sweep-file.ts';
import { sweepVersion } from './version.ts';

/** One shard of a sweep. */
export interface ShardSpec {
  /** `p<point>-m<market>-b<block>`. */
  readonly id: string;
  readonly point: number;
  readonly market: number;
  readonly block: number;
  readonly firstPath: number;
  readonly nPaths: number;
}

/** Paths of every market of a point's scenario (1 for replays), cached per market configuration. */
function marketPaths(s: Scenario, dir: string, memo: Map<string, number[]>): number[] {
  const key = JSON.stringify([
    s.markets,
    s.paths,
    s.horizon,
    s.stepsPerYear,
    s.portfolio.assets,
    s.rate,
    s.events,
  ]);
  let n = memo.get(key);
  if (!n) {
    n = buildScenario({ ...s, strategies: s.strategies.slice(0, 1) }, dir).markets.map((m) => m.nPaths);
    memo.set(key, n);
  }
  return n;
}

/**
 * Every shard of a plan, point-major (then market, then block): the order they are sent out in, so
 * that consecutive shards share a built scenario in a worker.
 * @example planShards(plan).length // points × Σ_markets ceil(paths / shardPaths)
 */
export function planShards(plan: SweepPlan): ShardSpec[] {
  const memo = new Map<string, number[]>();
  const out: ShardSpec[] = [];
  for (const p of plan.points) {
    marketPaths(p.scenario, plan.dir, memo).forEach((n, m) => {
      for (let b = 0; b * plan.shardPaths < n; b++) {
        const firstPath = b * plan.shardPaths;
        out.push({
          id: `p${p.index}-m${m}-b${b}`,
          point: p.index,
          market: m,
          block: b,
          firstPath,
          nPaths: Math.min(plan.shardPaths, n - firstPath),
        });
      }
    });
  }
  return out;
}

/**
 * The sweep hash (hex SHA-256): version, shard size, every point's scenario and the bytes of the
 * history files they read. Presentation settings (name, frontier) are not part of it.
 */
export function sweepHash(plan: SweepPlan): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({ version: sweepVersion(), shardPaths: plan.shardPaths, chunkPaths: plan.chunkPaths }),
  );
  h.update(JSON.stringify(plan.dir));
  const files = new Set<string>();
  for (const p of plan.points) {
    h.update(JSON.stringify(p.scenario));
    for (const m of p.scenario.markets) if (m.kind === 'history') files.add(m.file);
  }
  for (const f of [...files].sort()) {
    h.update(f);
    h.update(createHash('sha256').update(readFileSync(f)).digest());
  }
  return h.digest('hex');
}

/** The module and builder every shard runs (src/scenario/market-builder.ts). */
// .ts in a source checkout, .js in the compiled package.
export const SHARD_MODULE = new URL(
  `../scenario/market-builder${extname(new URL(import.meta.url).pathname)}`,
  import.meta.url,
).href;

/** The engine job of a shard (thread-portable: the point's scenario travels as data). */
export function shardEngineSpec(plan: SweepPlan, shard: ShardSpec): EngineSpec<MarketJobArgs> {
  return {
    module: SHARD_MODULE,
    builder: 'scenarioMarketConfig',
    args: {
      scenario: plan.points[shard.point].scenario,
      dir: plan.dir,
      market: shard.market,
      chunkPaths: plan.chunkPaths,
    },
    nPaths: shard.nPaths,
    firstPath: shard.firstPath,
  };
}
