/**
 * The worker-side builder of one scenario market over a path range (an EngineBuilder, imported by
 * URL in engine worker threads — src/engine/parallel.ts): `hedgekit run` with threads and every
 * sweep shard use it. The scenario arrives as validated data; only the requested market is built
 * (a history market's CSV is loaded once per worker and scenario), and built scenarios are cached
 * per worker by their JSON text, so consecutive shards of one parameter point build once.
 *
 * Determinism: every market of a scenario runs with the scenario's seed from global path 0, so a
 * scenario restricted to one market gives that market's paths bit for bit (src/scenario/run.ts).
 */
import type { Scenario } from '../config/scenario.ts';
import type { EngineConfig } from '../engine/engine.ts';
import type { PathRange } from '../engine/parallel.ts';
import { type BuiltScenario, buildScenario } from './build.ts';
import { marketEngineConfig } from './run.ts';

/** Arguments of {@link scenarioMarketConfig} (plain data: they cross thread and process boundaries). */
export interface MarketJobArgs {
  /** A validated scenario (the loader's output, structured-cloned or JSON round-tripped). */
  readonly scenario: Scenario;
  /** Directory relative history paths resolve against. */
  readonly dir: string;
  /** Index of the market in `scenario.markets`. */
  readonly market: number;
  /** Paths per engine chunk (multiple of 256; default 512). */
  readonly chunkPaths?: number;
}

const CACHE_SIZE = 8;
const cache = new Map<string, BuiltScenario>();

/** The scenario restricted to market `i`, built (cached per worker, least recently used dropped). */
export function builtMarketScenario(args: MarketJobArgs): BuiltScenario {
  const key = `${args.dir}\n${args.market}\n${JSON.stringify(args.scenario)}`;
  let built = cache.get(key);
  if (built) {
    cache.delete(key);
  } else {
    const s = args.scenario;
    built = buildScenario({ ...s, markets: [s.markets[args.market]] }, args.dir);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, built);
  return built;
}

/**
 * EngineBuilder: the EngineConfig of market `args.market` over `range` (metrics: PathMetrics
 * measured against the scenario's floor; their `results()` are what the pool merges).
 * @example scenarioMarketConfig({ scenario, dir, market: 0 }, { firstPath: 0, nPaths: 512 }).nPaths // 512
 */
export function scenarioMarketConfig(args: MarketJobArgs, range: PathRange): EngineConfig {
  const built = builtMarketScenario(args);
  return marketEngineConfig(
    built,
    built.markets[0],
    { chunkPaths: args.chunkPaths ?? 512, attribution: 'off' },
    range,
  ).config;
}
