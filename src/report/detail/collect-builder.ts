/**
 * The worker-side builder of a collected threaded run (`hedgekit run` saved to the run store, or
 * with `--report`): the engine config of one market over one range, as src/scenario/market-builder.ts
 * builds it, observed by a fresh ReportCollector whose per-run parts (bounded: histograms and
 * per-step sums) return with the range's results (`answerExtras`) and are absorbed in path order by
 * the main thread's collector (src/scenario/split-collector.ts).
 */
import type { EngineConfig } from '../../engine/engine.ts';
import type { PathRange } from '../../engine/parallel.ts';
import { builtMarketScenario, type MarketJobArgs } from '../../scenario/market-builder.ts';
import { marketEngineConfig } from '../../scenario/run.ts';
import { ReportCollector } from './report-collector.ts';

/**
 * EngineBuilder: market `args.market` over `range`, collected.
 * @example collectedMarketConfig({ scenario, dir, market: 0 }, { firstPath: 0, nPaths: 512 }).answerExtras() // parts, after the run
 */
export function collectedMarketConfig(
  args: MarketJobArgs,
  range: PathRange,
): EngineConfig & { answerExtras: () => unknown } {
  const built = builtMarketScenario(args);
  const collector = new ReportCollector();
  const { config, runs } = marketEngineConfig(
    built,
    built.markets[0],
    { chunkPaths: args.chunkPaths ?? 512, attribution: 'off', collect: { collector, market: 0 } },
    range,
  );
  return { ...config, answerExtras: () => collector.partsOf(0, runs.length) };
}
