/**
 * The HiGHS (WebAssembly) runtime, loaded once per process. Loading compiles and instantiates the
 * Wasm module (asynchronous, tens of milliseconds); every solve after that is synchronous.
 *
 * Models created from the runtime own Wasm memory that garbage collection never frees: whoever
 * creates one disposes it (`HedgeModel.dispose()`).
 *
 * References: Q. Huangfu & J. A. J. Hall, "Parallelizing the dual revised simplex method",
 * Mathematical Programming Computation 10 (2018) 119–142 (HiGHS); highs-js (npm `highs`).
 */
import highsModule, { type Highs } from 'highs';

type Loader = typeof highsModule.default;
// The package ships ESM (`highs.mjs`, a real default export) but types it as CommonJS, where the
// default import is the module object: take whichever of the two is the loader function.
const loadHighs: Loader =
  typeof highsModule === 'function' ? (highsModule as unknown as Loader) : highsModule.default;

let runtime: Promise<Highs> | undefined;

/**
 * The shared HiGHS runtime (loaded on first call, then cached; a failed load is retried next call).
 * @example (await highsRuntime()).version.major // returns 1
 */
export function highsRuntime(): Promise<Highs> {
  let r = runtime;
  if (r === undefined) {
    r = loadHighs().catch((err: unknown) => {
      runtime = undefined;
      throw err;
    });
    runtime = r;
  }
  return r;
}

/** HiGHS model status codes (stable C API) → names used in `HedgePlan.solverStatus`. */
const STATUS_NAMES: Record<number, string> = {
  0: 'not-set',
  1: 'load-error',
  2: 'model-error',
  3: 'presolve-error',
  4: 'solve-error',
  5: 'postsolve-error',
  6: 'empty',
  7: 'optimal',
  8: 'infeasible',
  9: 'unbounded-or-infeasible',
  10: 'unbounded',
  11: 'objective-bound',
  12: 'objective-target',
  13: 'time-limit',
  14: 'iteration-limit',
  15: 'unknown',
  16: 'solution-limit',
  17: 'interrupted',
};

/**
 * Name of a HiGHS model status code.
 * @example modelStatusName(7) // returns 'optimal'
 */
export function modelStatusName(code: number): string {
  return STATUS_NAMES[code] ?? `status-${code}`;
}
