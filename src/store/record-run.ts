/** Saves a finished scenario run with its scenario file's text (what `hedgekit run` stores). */
import { readFileSync } from 'node:fs';
import type { ScenarioResult } from '../scenario/run.ts';
import type { RunStore, SeriesEntry } from './run-store.ts';

/**
 * Saves `result` with the text of the scenario file it was run from, in one transaction.
 * @returns the new run's id
 * @throws StoreError when the store cannot be written
 */
export function recordRun(
  store: RunStore,
  run: {
    file: string;
    options: Readonly<Record<string, unknown>>;
    startedAt: Date;
    endedAt: Date;
    result: ScenarioResult;
    series?: readonly SeriesEntry[];
    /** The scenario text when already read (default: read `file`). */
    text?: string;
  },
): number {
  return store.save({
    scenarioFile: run.file,
    scenarioText: run.text ?? readFileSync(run.file, 'utf8'),
    options: run.options,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    result: run.result,
    ...(run.series ? { series: run.series } : {}),
  });
}
