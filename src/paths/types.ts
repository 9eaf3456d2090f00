/**
 * The contract between path models and the engine: time grids, the per-path market state, the
 * `PathGenerator` interface and the block-streamed driver `simulate`.
 *
 * Conventions (deviations from the first sketch of this interface, kept name-compatible):
 * - `AssetSpec` / `AssetClass` live in `src/market/asset.ts` (market inputs) and are re-exported here.
 * - `simulate` always simulates whole blocks of {@link PATH_BLOCK} paths (the last block is padded and
 *   the padding hidden from `onStep`), so the trajectory of path p depends only on (generator, grid,
 *   seed, p): any split of the path range at multiples of PATH_BLOCK, and any `nPaths`, reproduce it
 *   bit for bit.
 * - `step` is called once per block with a block VIEW of the state (`state.nPaths === PATH_BLOCK`,
 *   arrays are `subarray`s of the full state) and that block's random stream. A generator that keeps
 *   per-path state of its own must store it ON the MarketState object it returns from `init` — as extra
 *   fields holding a typed array of length nPaths or an array of them — so that `sliceState` slices it
 *   too; scalar fields are shared. Scratch buffers allocated in `init(n)` must serve any
 *   `state.nPaths <= n`; a generator instance therefore drives one simulation at a time.
 * - `onStep(0, t₀, state)` is called once before the first step, then `onStep(i, tᵢ, state)` after
 *   step i = 1..nSteps; `state` is only valid during the call (copy what you keep).
 * - `step(t, dt, …)`: `t` is the start of the step, `dt` its length in years.
 *
 * References: P. Glasserman, Monte Carlo Methods in Financial Engineering (2003), ch. 3;
 * QuantLib StochasticProcess::evolve; pfhedge generate_* (vectorised over paths).
 */
import { DomainError, requirePositive } from '../core/errors.ts';
import { blockRng, PATH_BLOCK, type Rng } from '../core/rng.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { RateModel } from '../market/rate.ts';

export type { AssetClass, AssetSpec } from '../market/asset.ts';
export type { RateModel } from '../market/rate.ts';

/** A time grid t₀ = 0 < t₁ < … < t_nSteps = T in years. Shape: times [nSteps + 1]. */
export interface TimeGrid {
  readonly times: Float64Array;
  readonly nSteps: number;
}

/**
 * An equally spaced grid tᵢ = horizon·i/nSteps.
 *
 * @param horizon - T in years, > 0.
 * @param nSteps - number of steps, integer ≥ 1 (e.g. 252 for daily steps over one year).
 * @throws DomainError on a non-positive horizon or a non-integer / < 1 step count.
 * @example
 * uniformGrid(1, 4).times; // returns Float64Array [0, 0.25, 0.5, 0.75, 1]
 * References: Glasserman (2003), §3.1.
 */
export function uniformGrid(horizon: number, nSteps: number): TimeGrid {
  requirePositive('horizon', horizon);
  if (!(Number.isSafeInteger(nSteps) && nSteps >= 1))
    throw new DomainError('nSteps', nSteps, 'must be an integer >= 1');
  const times = new Float64Array(nSteps + 1);
  for (let i = 0; i <= nSteps; i++) times[i] = (horizon * i) / nSteps;
  return { times, nSteps };
}

/**
 * A grid from explicit times (years), which must start at a finite t₀ and increase strictly.
 *
 * Shape: times [nSteps + 1], nSteps ≥ 1.
 * @throws DomainError naming the first offending entry, e.g. `times[2] (0.1) must be > times[1] (0.2)`.
 * @example
 * timeGrid([0, 0.5, 2]).nSteps; // returns 2
 * References: Glasserman (2003), §3.1.
 */
export function timeGrid(times: ArrayLike<number>): TimeGrid {
  if (times.length < 2) throw new DomainError('times.length', times.length, 'must be >= 2');
  const out = Float64Array.from(times);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new DomainError(`times[${i}]`, out[i], 'must be finite');
    if (i > 0 && !(out[i] > out[i - 1])) {
      throw new DomainError(`times[${i}]`, out[i], `must be > times[${i - 1}] (${out[i - 1]})`);
    }
  }
  return { times: out, nSteps: out.length - 1 };
}

/**
 * Market state of all paths at one time. Struct of arrays: one Float64Array per asset and quantity,
 * each of length nPaths. Generators may add fields (see the file header).
 *
 * Shape: spot[a], logReturn[a], vol[a], variance?[a]: [nPaths] for asset a; regime?: [nPaths].
 */
export interface MarketState {
  readonly nPaths: number;
  /** Current level per asset, currency units. */
  readonly spot: Float64Array[];
  /** Log return ln(S(tᵢ)/S(tᵢ₋₁)) of the last step per asset (0 at t₀). */
  readonly logReturn: Float64Array[];
  /**
   * ln S per asset, where the model steps in log space and carries it (GBM): advanced by the same
   * log return that multiplies the spot (ln S += x where S ·= eˣ), so it is Math.log(spot) up to the
   * rounding those steps accumulate. Option marks read it instead of taking a log per option
   * (`BlackBatchInput.logSpot`). Present only when `init` was asked for it (`InitOptions.logSpot`)
   * and the model carries it. A model that moves the spot otherwise must move this too or omit it.
   */
  readonly logSpot?: Float64Array[];
  /** Instantaneous variance per asset (annualized, vol²) where the model has one (Heston). */
  readonly variance?: Float64Array[];
  /** Instantaneous model volatility per asset, annualized decimal (diffusive part for jump models). */
  readonly vol: Float64Array[];
  /** Current regime index per path, for regime-switching models. */
  readonly regime?: Int32Array;
}

/** What a state carries beyond the common fields. */
export interface InitOptions {
  /**
   * Carry ln S (`MarketState.logSpot`) where the model can (GBM, and event jumps on it): the engine
   * asks for it when a run may hold options, whose marks read it. Default false (it costs a store
   * per path-step).
   */
  readonly logSpot?: boolean;
}

/** A path model: evolves a MarketState in place, vectorised over paths. */
export interface PathGenerator {
  readonly assets: readonly AssetSpec[];
  readonly rate: RateModel;
  /** Allocates a state of `nPaths` paths at t₀ (and any scratch the generator needs). */
  init(nPaths: number, opts?: InitOptions): MarketState;
  /**
   * Advances every path of `state` from t to t + dt in place, drawing from `rng` (the block's
   * stream). Allocates nothing and never throws; invalid numbers propagate as NaN.
   */
  step(t: number, dt: number, state: MarketState, rng: Rng): void;
  /**
   * Optional: advances ALL blocks of the state `init` returned at once — `blocks[b]` is its slice
   * of paths [b·PATH_BLOCK, (b+1)·PATH_BLOCK) and draws from `rngs[b]` — with results bit-identical
   * to calling `step` per block (a vectorised kernel may interleave the blocks). The drivers
   * (`simulate`, GridSource) call it when present.
   */
  stepBlocks?(t: number, dt: number, blocks: readonly MarketState[], rngs: readonly Rng[]): void;
}

/**
 * Allocates the common fields of a MarketState: spot filled with each asset's spot, logReturn 0,
 * vol filled with `vols[a]` (or 0), and optionally `variance` (filled with `variances[a]`) and `regime`.
 *
 * Shape: each array [nPaths].
 * @throws DomainError if nPaths is not an integer ≥ 1.
 * @example
 * allocState([{ name: 'A', assetClass: 'equity', spot: 100 }], 2, [0.2]).spot[0]; // returns Float64Array [100, 100]
 * References: pfhedge (struct-of-arrays path tensors).
 */
export function allocState(
  assets: readonly AssetSpec[],
  nPaths: number,
  vols?: ArrayLike<number>,
  opts?: { variances?: ArrayLike<number>; regime?: boolean },
): MarketState {
  if (!(Number.isSafeInteger(nPaths) && nPaths >= 1))
    throw new DomainError('nPaths', nPaths, 'must be an integer >= 1');
  const spot: Float64Array[] = [];
  const logReturn: Float64Array[] = [];
  const vol: Float64Array[] = [];
  const variance: Float64Array[] = [];
  for (let a = 0; a < assets.length; a++) {
    spot.push(new Float64Array(nPaths).fill(assets[a].spot));
    logReturn.push(new Float64Array(nPaths));
    vol.push(new Float64Array(nPaths).fill(vols ? vols[a] : 0));
    if (opts?.variances) variance.push(new Float64Array(nPaths).fill(opts.variances[a]));
  }
  const state: MarketState = { nPaths, spot, logReturn, vol };
  if (opts?.variances) Object.assign(state, { variance });
  if (opts?.regime) Object.assign(state, { regime: new Int32Array(nPaths) });
  return state;
}

function sliceValue(v: unknown, from: number, to: number): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return (v as Float64Array).subarray(from, to);
  }
  if (Array.isArray(v) && v.length > 0 && v.every((x) => ArrayBuffer.isView(x))) {
    return (v as Float64Array[]).map((x) => x.subarray(from, to));
  }
  return v;
}

/**
 * A view of paths [from, to) of `state`: every typed-array field (or array of typed arrays) is
 * replaced by its `subarray`, `nPaths` by to − from; other fields are shared. Writes go through.
 *
 * @throws DomainError unless 0 ≤ from < to ≤ state.nPaths (integers).
 * @example
 * sliceState(state, 256, 512).spot[0][0] === state.spot[0][256]; // true
 * References: pfhedge (path tensors), QuantLib MultiPath.
 */
export function sliceState<S extends MarketState>(state: S, from: number, to: number): S {
  if (
    !(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 0 && from < to && to <= state.nPaths)
  ) {
    throw new DomainError('range', `[${from}, ${to})`, `must lie in [0, ${state.nPaths}) and be non-empty`);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(state))
    out[key] = sliceValue((state as Record<string, unknown>)[key], from, to);
  out.nPaths = to - from;
  return out as S;
}

/**
 * Drives `gen` over `grid` for `nPaths` paths, streaming: time is the outer loop; within a step each
 * block of PATH_BLOCK paths is advanced with its own stream `blockRng(seed, firstPath/PATH_BLOCK + b)`.
 * Memory O(nPaths × assets); nothing is kept unless `onStep` keeps it.
 *
 * @param gen - the path model (one simulation at a time per instance).
 * @param grid - time grid, years.
 * @param nPaths - number of paths, integer ≥ 1.
 * @param seed - master seed (see createRng).
 * @param onStep - called with (0, t₀, state) before the first step and (i, tᵢ, state) after step i;
 *   `state.nPaths === nPaths`, path p of the call is global path firstPath + p.
 * @param opts.firstPath - global index of the first path, a multiple of PATH_BLOCK (default 0).
 * @param opts.logSpot - ask the model to carry ln S (InitOptions.logSpot).
 * @throws DomainError on invalid nPaths / firstPath.
 * @example
 * simulate(gbm, uniformGrid(1, 252), 1000, 42, (i, t, s) => { if (i === 252) sum += s.spot[0][0]; });
 * References: Glasserman (2003), ch. 3; L'Ecuyer et al., "Random numbers for parallel computers" (2017).
 */
export function simulate(
  gen: PathGenerator,
  grid: TimeGrid,
  nPaths: number,
  seed: number | bigint,
  onStep: (i: number, t: number, state: MarketState) => void,
  opts?: { firstPath?: number; logSpot?: boolean },
): void {
  if (!(Number.isSafeInteger(nPaths) && nPaths >= 1))
    throw new DomainError('nPaths', nPaths, 'must be an integer >= 1');
  const firstPath = opts?.firstPath ?? 0;
  if (!(Number.isSafeInteger(firstPath) && firstPath >= 0 && firstPath % PATH_BLOCK === 0)) {
    throw new DomainError('firstPath', firstPath, `must be a non-negative multiple of ${PATH_BLOCK}`);
  }
  const nBlocks = Math.ceil(nPaths / PATH_BLOCK);
  const padded = nBlocks * PATH_BLOCK;
  const full = gen.init(padded, { logSpot: opts?.logSpot === true });
  const view = padded === nPaths ? full : sliceState(full, 0, nPaths);
  const blocks: MarketState[] = [];
  const rngs: Rng[] = [];
  const firstBlock = firstPath / PATH_BLOCK;
  for (let b = 0; b < nBlocks; b++) {
    blocks.push(nBlocks === 1 ? full : sliceState(full, b * PATH_BLOCK, (b + 1) * PATH_BLOCK));
    rngs.push(blockRng(seed, firstBlock + b));
  }
  const times = grid.times;
  onStep(0, times[0], view);
  for (let i = 1; i <= grid.nSteps; i++) {
    const t = times[i - 1];
    const dt = times[i] - t;
    if (gen.stepBlocks) gen.stepBlocks(t, dt, blocks, rngs);
    else for (let b = 0; b < nBlocks; b++) gen.step(t, dt, blocks[b], rngs[b]);
    onStep(i, times[i], view);
  }
}

/**
 * Runs {@link simulate} and KEEPS one quantity for every path and time, step-major.
 *
 * Shape: returns one Float64Array per asset of length (nSteps + 1)·nPaths, entry [i·nPaths + p] =
 * value at tᵢ on path p. Memory grows with steps × paths: use only when the paths themselves are wanted.
 * @param opts.field - 'spot' (default), 'logReturn', 'logSpot', 'vol' or 'variance'.
 * @throws DomainError as simulate, or if the generator has no `variance` (`logSpot`) when asked for it.
 * @example
 * simulatePaths(gbm, uniformGrid(1, 4), 2, 1)[0].length; // returns 10
 * References: Glasserman (2003), ch. 3.
 */
export function simulatePaths(
  gen: PathGenerator,
  grid: TimeGrid,
  nPaths: number,
  seed: number | bigint,
  opts?: { firstPath?: number; field?: 'spot' | 'logReturn' | 'logSpot' | 'vol' | 'variance' },
): Float64Array[] {
  const field = opts?.field ?? 'spot';
  const out: Float64Array[] = [];
  for (let a = 0; a < gen.assets.length; a++) out.push(new Float64Array((grid.nSteps + 1) * nPaths));
  simulate(
    gen,
    grid,
    nPaths,
    seed,
    (i, _t, state) => {
      const src = state[field];
      if (!src) throw new DomainError('field', field, 'is not produced by this generator');
      for (let a = 0; a < out.length; a++) out[a].set(src[a], i * nPaths);
    },
    { firstPath: opts?.firstPath ?? 0, logSpot: field === 'logSpot' },
  );
  return out;
}

export { PATH_BLOCK };
