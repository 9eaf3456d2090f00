/**
 * Where a report's data comes from: a scenario file run now (with the report detail collected),
 * or a run read back from the run store.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type RunOptions, runScenarioFile, type ScenarioResult } from '../../scenario/run.ts';
import { codeHash, hedgekitVersion, scenarioHash } from '../../store/provenance.ts';
import type { StoredRun } from '../../store/run-store.ts';
import { detailFromSeries } from '../detail/detail-series.ts';
import { ReportCollector } from '../detail/report-collector.ts';
import type { ReportDetail } from '../detail/report-detail.ts';
import type { ReportInput } from './report-html.ts';

/** A scenario file run with its report detail, and what the store and the report need about it. */
export interface DetailedRun {
  readonly file: string;
  readonly text: string;
  readonly result: ScenarioResult;
  readonly detail: ReportDetail;
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/**
 * Runs a scenario file like `hedgekit run`, collecting the report's detail on the way (results are
 * bit-identical to a run without it).
 * @throws ScenarioError / ValidationError / CsvValidationError as runScenarioFile
 */
export function runWithDetail(
  file: string,
  opts: RunOptions & { paths?: number | undefined; seed?: number | undefined } = {},
): DetailedRun {
  const text = readFileSync(file, 'utf8');
  const startedAt = new Date();
  const collector = new ReportCollector();
  const result = runScenarioFile(file, { ...opts, collect: collector });
  return {
    file: resolve(file),
    text,
    result,
    detail: collector.detail(),
    startedAt,
    endedAt: new Date(),
  };
}

/** The report input of a run made now. */
export function reportInputFromRun(run: DetailedRun, runId?: number): ReportInput {
  return {
    result: run.result,
    detail: run.detail,
    scenarioText: run.text,
    provenance: {
      version: hedgekitVersion(),
      codeHash: codeHash(),
      startedAt: run.startedAt.toISOString(),
      endedAt: run.endedAt.toISOString(),
      runId,
      scenarioFile: run.file,
      scenarioHash: scenarioHash(run.text),
    },
  };
}

/** The report input of a stored run (its detail when it was stored with one). */
export function reportInputFromStored(run: StoredRun): ReportInput {
  return {
    result: run.result,
    detail: detailFromSeries(
      run.series,
      run.result.markets.map((m) => m.strategies.length),
    ),
    scenarioText: run.scenarioText,
    provenance: {
      version: run.version,
      codeHash: run.codeHash,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      runId: run.id,
      scenarioFile: run.scenarioFile ?? undefined,
      scenarioHash: run.scenarioHash,
    },
  };
}
