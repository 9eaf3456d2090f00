/**
 * `hedgekit run` kept in the run store or written to a report, over threads: the scenario file runs
 * like {@link runWithDetail} but through runScenarioFileThreaded (this thread and worker threads,
 * chosen as for any run), the report's detail collected from every range and absorbed in path
 * order — the stored figures and the detail are bit-identical to one thread's.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runScenarioFileThreaded, type ThreadedRunOptions } from '../../scenario/run-threaded.ts';
import { ReportCollector } from '../detail/report-collector.ts';
import type { DetailedRun } from './report-source.ts';

/**
 * Runs a scenario file with its report detail over threads (`threads` as `hedgekit run --threads`).
 * @throws ScenarioError / ValidationError / CsvValidationError as runScenarioFile
 * @example (await runWithDetailThreaded('examples/article-case.yaml', { threads: 2 })).detail.markets.length // 9
 */
export async function runWithDetailThreaded(
  file: string,
  opts: Omit<ThreadedRunOptions, 'collect'> & { paths?: number | undefined; seed?: number | undefined } = {},
): Promise<DetailedRun> {
  const text = readFileSync(file, 'utf8');
  const startedAt = new Date();
  const collector = new ReportCollector();
  const result = await runScenarioFileThreaded(file, { ...opts, collect: collector });
  return {
    file: resolve(file),
    text,
    result,
    detail: collector.detail(),
    startedAt,
    endedAt: new Date(),
  };
}
