/**
 * A named benchmark workload. `bench/run.ts` discovers every `bench/workloads/*.ts` module and
 * runs each exported `workloads` entry: `setup` once (untimed), `run` once as warm-up and then
 * `reps` times, reporting the best time as nanoseconds per unit (`nsPerUnit = best / n`).
 */
export interface BenchWorkload {
  /** Stable name, e.g. `bs-batch`; baselines are `bs-batch:baseline:<what>`. */
  readonly name: string;
  /** What one unit is, e.g. `option`, `iv`, `path-step`, `fit`. */
  readonly unit: string;
  /** Units processed by one call of `run`. */
  readonly n: number;
  /** Untimed preparation (allocate inputs); may be async (awaited). */
  setup?(): void | Promise<void>;
  /** The timed job; may be async (awaited inside the timing). */
  run(): void | Promise<void>;
  /** Optional accuracy report after the runs, e.g. `{ maxAbsError: 3e-13 }`; may be async. */
  accuracy?(): Record<string, number> | Promise<Record<string, number>>;
  /** Timed repetitions after the warm-up (default 3). */
  readonly reps?: number;
  /** One-line description printed in the table. */
  readonly description?: string;
}
