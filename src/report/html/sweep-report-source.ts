/**
 * Where a sweep report's data comes from: a sweep just run (its plan and merged result) or a sweep
 * read back from the run store.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { codeHash, hedgekitVersion, scenarioHash } from '../../store/provenance.ts';
import type { StoredSweep } from '../../store/sweep-store.ts';
import type { SweepResult } from '../../sweep/merge.ts';
import { planInitialValues } from '../../sweep/record-sweep.ts';
import type { SweepPlan } from '../../sweep/sweep-file.ts';
import type { HeatmapAxesOptions } from './charts-sweep.ts';
import type { SweepReportInput } from './sweep-report-html.ts';

/**
 * The report input of a sweep run now (texts read from its files).
 * @throws Error when the sweep or base scenario file cannot be read
 */
export function sweepReportInputFromRun(
  plan: SweepPlan,
  result: SweepResult,
  o: {
    startedAt?: Date | undefined;
    endedAt?: Date | undefined;
    runId?: number | undefined;
    mode?: 'local' | 'queue' | undefined;
    axes?: HeatmapAxesOptions | undefined;
  } = {},
): SweepReportInput {
  const sweepText = readFileSync(plan.file, 'utf8');
  const scenarioText = readFileSync(plan.baseFile, 'utf8');
  return {
    result,
    initialValues: planInitialValues(plan),
    sweepText,
    scenarioText,
    axes: o.axes,
    provenance: {
      version: hedgekitVersion(),
      codeHash: codeHash(),
      seed: plan.points[0]?.scenario.seed ?? 0,
      startedAt: o.startedAt?.toISOString(),
      endedAt: o.endedAt?.toISOString(),
      runId: o.runId,
      sweepFile: resolve(plan.file),
      sweepHash: scenarioHash(sweepText),
      scenarioFile: plan.baseFile,
      scenarioHash: scenarioHash(scenarioText),
      mode: o.mode,
    },
  };
}

/** The report input of a stored sweep. */
export function sweepReportInputFromStored(s: StoredSweep, axes?: HeatmapAxesOptions): SweepReportInput {
  return {
    result: s.result,
    initialValues: s.initialValues,
    sweepText: s.sweepText,
    scenarioText: s.scenarioText,
    axes,
    provenance: {
      version: s.version,
      codeHash: s.codeHash,
      seed: s.seed,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      runId: s.id,
      sweepFile: s.sweepFile ?? undefined,
      sweepHash: s.sweepHash,
      scenarioFile: s.scenarioFile ?? undefined,
      scenarioHash: s.scenarioHash,
      mode: s.mode,
    },
  };
}
