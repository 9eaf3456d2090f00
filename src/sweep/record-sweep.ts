/**
 * The coordinator's save hook: a finished sweep (local or through the queue) written to the run
 * store with the texts of its sweep file and base scenario, in one transaction (sweep-store.ts).
 * Called only once the merge is done, so an interrupted sweep stores nothing.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunStore } from '../store/run-store.ts';
import { type SweepMode, saveSweep } from '../store/sweep-store.ts';
import type { SweepResult } from './merge.ts';
import type { SweepPlan } from './sweep-file.ts';

/** V₀ of every point of a plan, by point index. */
export function planInitialValues(plan: SweepPlan): number[] {
  const out: number[] = [];
  for (const p of plan.points) out[p.index] = p.scenario.portfolio.initialValue;
  return out;
}

/**
 * Saves the merged result of `plan` in `store`.
 * @returns the stored sweep's id
 * @throws StoreError when the store cannot be written; Error when the sweep or base file cannot be read
 */
export function recordSweep(
  store: RunStore,
  run: {
    plan: SweepPlan;
    result: SweepResult;
    mode: SweepMode;
    options: Readonly<Record<string, unknown>>;
    startedAt: Date;
    endedAt: Date;
  },
): number {
  const { plan } = run;
  return saveSweep(store, {
    sweepFile: resolve(plan.file),
    sweepText: readFileSync(plan.file, 'utf8'),
    scenarioFile: plan.baseFile,
    scenarioText: readFileSync(plan.baseFile, 'utf8'),
    seed: plan.points[0]?.scenario.seed ?? 0,
    initialValues: planInitialValues(plan),
    mode: run.mode,
    options: run.options,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    result: run.result,
  });
}
