/**
 * The volatility-targeting overlay's step on the WebAssembly SIMD kernel (src/wasm/vt-kernel.ts) for
 * its benchmarked case: one sleeve weight over 3 assets, the EWMA-covariance forecast, no report
 * bookkeeping, an even number of paths. Bit-identical to `fusedSleeve3Lean` (tested); any other case,
 * or the kernels switched off, runs the JavaScript step.
 */
import type { BookView } from '../../portfolio/book.ts';
import type { StepContext } from '../../portfolio/step-context.ts';
import type { TargetSink } from '../../portfolio/target-sink.ts';
import { wasmKernelsEnabled } from '../../wasm/runtime.ts';
import { createVolTargetWasm, type VolTargetWasm, type VtStepScalars } from '../../wasm/vt-kernel.ts';
import type { FusedConfig, VolTargetOverlayState } from './vol-target.ts';

/** Scratch for the per-step scalars (filled before each call, never kept). */
const scalars: VtStepScalars = {
  step: 0,
  lag: 1,
  lambda: 0,
  cw: 0,
  c0: 0,
  c1: 0,
  c2: 0,
  target: 0,
  target2: 0,
  band: 0,
  lo: 0,
  hi: 0,
  byVariance: false,
};

/** Each kernel by its state's adopted weight array (a state not found here is adopted afresh). */
const kernels = new WeakMap<Float64Array, VolTargetWasm>();

/**
 * The kernel holding `o`'s arrays, moving them into a new kernel's memory first if needed — the
 * market's own memory when `market` is the WebAssembly GBM state.
 */
function kernelOf(
  cfg: FusedConfig,
  o: VolTargetOverlayState,
  n: number,
  market: Float64Array,
): VolTargetWasm | null {
  const known = kernels.get(o.weight[0]);
  if (known) return known;
  const k = createVolTargetWasm(n, cfg.lag, market);
  if (!k) return null;
  const r = k.resident;
  r.weight.set(o.weight[0]);
  o.weight[0] = r.weight;
  r.variance.set(o.forecast.variance[0]);
  o.forecast.variance[0] = r.variance;
  r.cov.set(o.forecast.cov);
  (o.forecast as { cov: Float64Array }).cov = r.cov;
  if (cfg.lag > 1) {
    r.lagged.set(o.lagged[0]);
    o.lagged[0] = r.lagged;
  }
  for (let j = 0; j < 3; j++) {
    const a = cfg.assets[j];
    r.base[j].set(o.base[a]);
    o.base[a] = r.base[j];
  }
  kernels.set(r.weight, k);
  return k;
}

/**
 * Runs the step on the kernel and returns true, or returns false (nothing done) when this case is
 * not the kernel's: then the caller runs the JavaScript step.
 */
export function stepSleeve3Wasm(
  cfg: FusedConfig,
  ctx: StepContext,
  book: BookView,
  o: VolTargetOverlayState,
  targets: TargetSink,
): boolean {
  if (cfg.kind !== 0 || !wasmKernelsEnabled()) return false;
  const k = kernelOf(cfg, o, ctx.nPaths, ctx.logReturn[cfg.assets[0]]);
  if (!k) return false;
  const s = scalars;
  s.step = ctx.step;
  s.lag = cfg.lag;
  s.lambda = cfg.lambda;
  s.cw = (1 - cfg.lambda) / ctx.dt;
  s.c0 = cfg.c0;
  s.c1 = cfg.c1;
  s.c2 = cfg.c2;
  s.target = cfg.target;
  s.target2 = cfg.target * cfg.target;
  s.band = cfg.band;
  s.lo = cfg.lo;
  s.hi = cfg.hi;
  s.byVariance = cfg.byVariance;
  return k.step(s, cfg.assets, ctx.logReturn, ctx.spot, targets.unitTargets, targets.hasUnits, book.units);
}
