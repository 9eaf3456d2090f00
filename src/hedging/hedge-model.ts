/**
 * Least-cost hedge as a linear program (a MIP with lot sizes), kept in one HiGHS model so that a
 * re-solve after new exposures or bands reuses the previous basis.
 *
 *   minimise   Σ_i c_i·|x_i|
 *   subject to lo_b ≤ e_b + Σ_i g_bi·x_i ≤ hi_b      (every bucket b)
 *              minQty_i ≤ x_i ≤ maxQty_i,  x_i ∈ L_i·ℤ when instrument i has a lot size L_i
 *
 * |x_i| is linearised by splitting x_i = L_i·(p_i − n_i), p_i, n_i ≥ 0 (buy and sell lots; with
 * c_i > 0 at most one is non-zero at the optimum). Each band is one ranged row (the HiGHS model API
 * takes lower and upper row bounds, so no need for two rows as in LP text). Minimising cost moves
 * the book only as far as the nearest band edge; a book inside its bands trades nothing.
 *
 * When the bands cannot all be met (size limits too small, missing instruments, lots too coarse)
 * the solver never throws: every row gets elastic slacks u_b, o_b ≥ 0,
 *   lo_b ≤ e_b + Σ_i g_bi·x_i + u_b − o_b ≤ hi_b,
 * and the objective becomes Σ_b w_b·(u_b + o_b) + Σ_i c_i·|x_i| (status 'best-effort'). The slacks
 * are fixed at 0 for the least-cost solve, so an achievable band is always met exactly.
 *
 * One more row, Σ_i c_i·|x_i| ≤ B, is free unless the frontier (hedge-frontier.ts) sets a budget.
 *
 * References: R. J. Vanderbei, Linear Programming (5th ed.), §1.3 (absolute values), ch. 7
 * (parametric); HiGHS (Huangfu & Hall 2018); J. C. Hull, Options, Futures and Other Derivatives
 * (10th ed.), ch. 19.
 */
import type { Highs, Model } from 'highs';
import { DomainError } from '../core/errors.ts';
import { instrumentUnitCost, validateHedgeProblem } from './hedge-inputs.ts';
import type { BindingConstraint, HedgePlan, HedgeProblem } from './hedge-types.ts';
import { highsRuntime, modelStatusName } from './highs-runtime.ts';

/** Options of a kept hedge model. */
export interface HedgeModelOptions {
  /** Wall-clock limit per solve, seconds; omitted = 10. A run that hits it gives a best-effort plan. */
  readonly timeLimit?: number;
  /** Relative MIP gap at which a lot-size solve stops, omitted = 1e-9 (effectively exact). */
  readonly mipRelGap?: number;
}

const OPTIMAL = 7;
/** Relative tolerance for "at a band edge" / "at a size limit" (HiGHS primal feasibility is 1e-7). */
const EDGE_TOL = 1e-7;

type Mode = 'strict' | 'elastic' | 'residual';

/**
 * A least-cost hedge problem kept in a HiGHS model: change exposures, bands or instrument Greeks and
 * re-solve (warm start). Create with `createHedgeModel`; call `dispose()` when done (Wasm memory is
 * not garbage-collected).
 */
export class HedgeModel {
  readonly nBuckets: number;
  readonly nInstruments: number;
  /** Cost per unit traded of each instrument, currency (see `instrumentUnitCost`). */
  readonly unitCost: Float64Array;
  private readonly model: Model;
  private readonly names: string[];
  private readonly ids: string[];
  private readonly weight: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly e: Float64Array;
  /** g[b·nI + i], per unit. */
  private readonly g: Float64Array;
  private readonly lot: Float64Array;
  /** 1 where the instrument trades in integer lots. */
  private readonly integer: Uint8Array;
  private readonly minQ: Float64Array;
  private readonly maxQ: Float64Array;
  private readonly rowLo: Float64Array;
  private readonly rowHi: Float64Array;
  private mode: Mode = 'strict';
  private disposedFlag = false;

  /** Use `createHedgeModel` (async: it loads the runtime) unless a runtime is at hand. */
  constructor(highs: Highs, problem: HedgeProblem, options: HedgeModelOptions = {}) {
    validateHedgeProblem(problem);
    const nb = problem.buckets.length;
    const ni = problem.instruments.length;
    this.nBuckets = nb;
    this.nInstruments = ni;
    this.names = problem.buckets.map((b) => b.name);
    this.ids = problem.instruments.map((x) => x.id);
    this.weight = Float64Array.from(problem.buckets, (b) => b.weight);
    this.lo = Float64Array.from(problem.buckets, (b) => b.lo);
    this.hi = Float64Array.from(problem.buckets, (b) => b.hi);
    this.e = Float64Array.from(problem.exposure);
    this.unitCost = Float64Array.from(problem.instruments, (x, i) =>
      instrumentUnitCost(x, `instruments[${i}]`),
    );
    this.lot = Float64Array.from(problem.instruments, (x) => x.lotSize ?? 1);
    this.integer = Uint8Array.from(problem.instruments, (x) => (x.lotSize === undefined ? 0 : 1));
    this.minQ = Float64Array.from(problem.instruments, (x) => x.minQty ?? Number.NEGATIVE_INFINITY);
    this.maxQ = Float64Array.from(problem.instruments, (x) => x.maxQty ?? Number.POSITIVE_INFINITY);
    this.g = new Float64Array(nb * ni);
    problem.instruments.forEach((x, i) => {
      for (let b = 0; b < nb; b++) this.g[b * ni + i] = x.exposure[b];
    });
    this.rowLo = new Float64Array(nb);
    this.rowHi = new Float64Array(nb);

    // Columns: [p_0, n_0, …, p_{ni−1}, n_{ni−1}, u_0, o_0, …] ; rows: [bands…, budget].
    const nCols = 2 * ni + 2 * nb;
    const nRows = nb + 1;
    const colCost = new Float64Array(nCols);
    const colLower = new Float64Array(nCols);
    const colUpper = new Float64Array(nCols);
    const integrality = new Int32Array(nCols);
    let anyInteger = false;
    const starts: number[] = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < ni; i++) {
      const L = this.lot[i];
      const integer = this.integer[i] === 1;
      anyInteger ||= integer;
      const [pLo, pHi, nLo, nHi] = lotBounds(this.minQ[i], this.maxQ[i], L, integer, `instruments[${i}]`);
      for (const [sign, lower, upper] of [
        [1, pLo, pHi],
        [-1, nLo, nHi],
      ] as const) {
        const c = 2 * i + (sign === 1 ? 0 : 1);
        colCost[c] = this.unitCost[i] * L;
        colLower[c] = lower;
        colUpper[c] = upper;
        integrality[c] = integer ? 1 : 0;
        for (let b = 0; b < nb; b++) {
          const v = this.g[b * ni + i] * L * sign;
          if (v !== 0) {
            indices.push(b);
            values.push(v);
          }
        }
        if (colCost[c] !== 0) {
          indices.push(nb);
          values.push(colCost[c]);
        }
        starts.push(indices.length);
      }
    }
    for (let b = 0; b < nb; b++) {
      for (const sign of [1, -1]) {
        const c = 2 * ni + 2 * b + (sign === 1 ? 0 : 1);
        colCost[c] = this.weight[b];
        colUpper[c] = 0; // strict mode: slacks fixed at zero
        indices.push(b);
        values.push(sign);
        starts.push(indices.length);
      }
    }
    this.fillRowBounds();
    const rowLower = new Float64Array(nRows);
    const rowUpper = new Float64Array(nRows);
    rowLower.set(this.rowLo);
    rowUpper.set(this.rowHi);
    rowLower[nb] = Number.NEGATIVE_INFINITY;
    rowUpper[nb] = Number.POSITIVE_INFINITY;
    this.model = highs.createModel({
      numCols: nCols,
      numRows: nRows,
      colCost,
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csc', numRows: nRows, numCols: nCols, starts, indices, values },
      ...(anyInteger ? { integrality } : {}),
    });
    try {
      this.model.options.set({
        output_flag: false,
        time_limit: options.timeLimit ?? 10,
        mip_rel_gap: options.mipRelGap ?? 1e-9,
      });
    } catch (err) {
      this.model.dispose();
      throw err;
    }
  }

  /** Whether `dispose()` has released the HiGHS model. */
  get disposed(): boolean {
    return this.disposedFlag;
  }

  /**
   * Replaces the book's exposure per bucket (the band rows' bounds move; the basis is kept).
   * @throws DomainError on a wrong length or a non-finite value
   */
  setExposure(exposure: ArrayLike<number>): void {
    this.requireLength('exposure', exposure, this.nBuckets);
    for (let b = 0; b < this.nBuckets; b++) {
      const v = exposure[b];
      if (!Number.isFinite(v)) throw new DomainError(`exposure[${b}]`, v, 'must be a finite number');
      this.e[b] = v;
    }
    this.pushRowBounds();
  }

  /**
   * Replaces the bands [lo_b, hi_b] of every bucket.
   * @throws DomainError on a wrong length or hi < lo
   */
  setBands(lo: ArrayLike<number>, hi: ArrayLike<number>): void {
    this.requireLength('lo', lo, this.nBuckets);
    this.requireLength('hi', hi, this.nBuckets);
    for (let b = 0; b < this.nBuckets; b++) {
      if (!(hi[b] >= lo[b]) || Number.isNaN(lo[b]))
        throw new DomainError(`hi[${b}]`, hi[b], `must be >= lo (${lo[b]})`);
    }
    for (let b = 0; b < this.nBuckets; b++) {
      this.lo[b] = lo[b];
      this.hi[b] = hi[b];
    }
    this.pushRowBounds();
  }

  /**
   * Replaces instrument i's exposure per unit in every bucket (matrix coefficients of its buy and
   * sell columns).
   * @throws DomainError on a bad index, a wrong length or a non-finite value
   */
  setInstrumentExposure(i: number, exposure: ArrayLike<number>): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.nInstruments))
      throw new DomainError('i', i, `must be an instrument index in [0, ${this.nInstruments})`);
    this.requireLength('exposure', exposure, this.nBuckets);
    const ni = this.nInstruments;
    for (let b = 0; b < this.nBuckets; b++) {
      const v = exposure[b];
      if (!Number.isFinite(v)) throw new DomainError(`exposure[${b}]`, v, 'must be a finite number');
    }
    const L = this.lot[i];
    for (let b = 0; b < this.nBuckets; b++) {
      const v = exposure[b];
      if (v === this.g[b * ni + i]) continue;
      this.g[b * ni + i] = v;
      this.model.changeCoefficient(b, 2 * i, v * L);
      this.model.changeCoefficient(b, 2 * i + 1, -v * L);
    }
  }

  /**
   * Least-cost hedge into the bands; 'best-effort' (min Σ w·violation + cost) when they cannot all
   * be met. Never throws for an infeasible problem.
   * @example
   *   // Hull ch. 19 delta-gamma: book Δ 0, Γ −5,000; zero-width bands at 0
   *   const m = await createHedgeModel({ buckets: [{ name: 'delta', lo: 0, hi: 0, weight: 1 },
   *     { name: 'gamma', lo: 0, hi: 0, weight: 1 }], exposure: [0, -5000], instruments: [
   *     { id: 'option 1', exposure: [0.6, 0.5], fee: 0.01 }, { id: 'asset', exposure: [1, 0], fee: 0.01 }] });
   *   m.solve().quantity // returns Float64Array [10000, -6000]
   *   m.dispose();
   */
  solve(): HedgePlan {
    this.requireLive();
    if (this.nInstruments === 0) return this.plan(new Float64Array(0), 'best-effort', 'empty');
    this.setMode('strict');
    let status = this.run();
    if (status === OPTIMAL) return this.extract('optimal', status);
    this.setMode('elastic');
    status = this.run();
    if (status === OPTIMAL) return this.extract('best-effort', status);
    return this.plan(new Float64Array(this.nInstruments), 'best-effort', modelStatusName(status));
  }

  /**
   * The plan with the least weighted residual Σ_b w_b·violation_b whose trading cost is ≤ budget
   * (one point of the cost-vs-residual frontier). Status 'optimal' when every band is met.
   * @param budget currency, ≥ the cost forced by the size limits (`forcedCost()`)
   */
  solveWithBudget(budget: number): HedgePlan {
    this.requireLive();
    if (!(budget >= 0)) throw new DomainError('budget', budget, 'must be >= 0');
    if (this.nInstruments === 0) return this.plan(new Float64Array(0), 'best-effort', 'empty');
    this.setMode('residual', budget);
    const status = this.run();
    if (status !== OPTIMAL)
      return this.plan(new Float64Array(this.nInstruments), 'best-effort', modelStatusName(status));
    const plan = this.extract('best-effort', status);
    const met = plan.residual.every((r) => r === 0);
    return met ? { ...plan, status: 'optimal' } : plan;
  }

  /**
   * The least cost any plan pays because of the size limits alone: Σ_i c_i·min{|x| : x ∈ [minQty_i,
   * maxQty_i] ∩ L_i·ℤ}, currency (0 when every instrument may trade nothing).
   */
  forcedCost(): number {
    let s = 0;
    for (let i = 0; i < this.nInstruments; i++) {
      const lo = this.minQ[i];
      const hi = this.maxQ[i];
      const L = this.lot[i];
      const integer = this.integer[i] === 1;
      let q = 0;
      if (lo > 0) q = integer ? Math.ceil(lo / L - 1e-12) * L : lo;
      else if (hi < 0) q = integer ? -Math.ceil(-hi / L - 1e-12) * L : -hi;
      s += this.unitCost[i] * Math.abs(q);
    }
    return s;
  }

  /** Releases the HiGHS model (idempotent). Any later solve throws. */
  dispose(): void {
    if (!this.disposedFlag) {
      this.disposedFlag = true;
      this.model.dispose();
    }
  }

  private requireLive(): void {
    if (this.disposedFlag) throw new DomainError('model', 'disposed', 'must not be used after dispose()');
  }

  private requireLength(param: string, a: ArrayLike<number>, n: number): void {
    if (a.length !== n) throw new DomainError(`${param}.length`, a.length, `must be ${n}`);
  }

  private fillRowBounds(): void {
    for (let b = 0; b < this.nBuckets; b++) {
      this.rowLo[b] = this.lo[b] - this.e[b];
      this.rowHi[b] = this.hi[b] - this.e[b];
    }
  }

  private pushRowBounds(): void {
    this.requireLive();
    this.fillRowBounds();
    if (this.nBuckets > 0)
      this.model.changeRowsBounds({ kind: 'range', from: 0, to: this.nBuckets - 1 }, this.rowLo, this.rowHi);
  }

  /** Switches slack bounds, objective and budget row between the three solve modes. */
  private setMode(mode: Mode, budget = Number.POSITIVE_INFINITY): void {
    const nb = this.nBuckets;
    const ni = this.nInstruments;
    const m = this.model;
    if (mode !== this.mode) {
      if (nb > 0) {
        const up = mode === 'strict' ? 0 : Number.POSITIVE_INFINITY;
        const from = 2 * ni;
        const to = 2 * ni + 2 * nb - 1;
        m.changeColsBounds(
          { kind: 'range', from, to },
          new Float64Array(2 * nb),
          new Float64Array(2 * nb).fill(up),
        );
      }
      // Residual mode: the objective is the weighted violation alone; cost enters through the budget.
      if ((mode === 'residual') !== (this.mode === 'residual')) {
        const costs = new Float64Array(2 * ni);
        if (mode !== 'residual')
          for (let c = 0; c < 2 * ni; c++) costs[c] = this.unitCost[c >> 1] * this.lot[c >> 1];
        m.changeColsCost({ kind: 'range', from: 0, to: 2 * ni - 1 }, costs);
      }
      this.mode = mode;
    }
    m.changeRowBounds(nb, Number.NEGATIVE_INFINITY, mode === 'residual' ? budget : Number.POSITIVE_INFINITY);
  }

  private run(): number {
    try {
      // HiGHS counts time_limit over all runs since the last clock reset: reset it so the limit
      // applies per solve on a long-lived model.
      this.model.zeroAllClocks();
      this.model.run();
      return this.model.getModelStatus();
    } catch {
      // A native failure is reported in the plan's status, never thrown (the kernel contract).
      return 4;
    }
  }

  private extract(status: HedgePlan['status'], code: number): HedgePlan {
    const col = this.model.getSolution().colValue;
    const ni = this.nInstruments;
    const x = new Float64Array(ni);
    for (let i = 0; i < ni; i++) {
      const p = col[2 * i];
      const n = col[2 * i + 1];
      // Lots come back integral up to the MIP feasibility tolerance: round them to exact integers.
      const lots = this.integer[i] === 1 ? Math.round(p) - Math.round(n) : p - n;
      x[i] = lots * this.lot[i];
    }
    return this.plan(x, status, modelStatusName(code));
  }

  /** Builds a plan from quantities: post-hedge exposure, residuals and binding constraints in JS. */
  private plan(x: Float64Array, status: HedgePlan['status'], solverStatus: string): HedgePlan {
    const nb = this.nBuckets;
    const ni = this.nInstruments;
    const post = new Float64Array(nb);
    const residual = new Float64Array(nb);
    const binding: BindingConstraint[] = [];
    let residualNorm = 0;
    for (let b = 0; b < nb; b++) {
      let v = this.e[b];
      for (let i = 0; i < ni; i++) v += this.g[b * ni + i] * x[i];
      post[b] = v;
      const lo = this.lo[b];
      const hi = this.hi[b];
      const tolLo = EDGE_TOL * Math.max(1, Math.abs(lo));
      const tolHi = EDGE_TOL * Math.max(1, Math.abs(hi));
      // Within the solver's feasibility tolerance of an edge counts as on the edge (no residual).
      const r = v < lo - tolLo ? v - lo : v > hi + tolHi ? v - hi : 0;
      residual[b] = r;
      residualNorm += this.weight[b] * Math.abs(r);
      const name = this.names[b];
      if (r === 0 && Math.abs(v - lo) <= tolLo)
        binding.push({ kind: 'band-lower', bucket: b, name, limit: lo });
      if (r === 0 && Math.abs(v - hi) <= tolHi)
        binding.push({ kind: 'band-upper', bucket: b, name, limit: hi });
    }
    let cost = 0;
    const lots = new Float64Array(ni);
    for (let i = 0; i < ni; i++) {
      const q = x[i];
      cost += this.unitCost[i] * Math.abs(q);
      lots[i] = this.integer[i] === 1 ? q / this.lot[i] : Number.NaN;
      const id = this.ids[i];
      const mn = this.minQ[i];
      const mx = this.maxQ[i];
      if (Number.isFinite(mn) && Math.abs(q - mn) <= EDGE_TOL * Math.max(1, Math.abs(mn)))
        binding.push({ kind: 'size-min', instrument: i, id, limit: mn });
      if (Number.isFinite(mx) && Math.abs(q - mx) <= EDGE_TOL * Math.max(1, Math.abs(mx)))
        binding.push({ kind: 'size-max', instrument: i, id, limit: mx });
    }
    return { status, quantity: x, lots, cost, post, residual, residualNorm, binding, solverStatus };
  }
}

/**
 * Bounds of the buy and sell lot columns so that L·(p − n) spans [minQty, maxQty] (integer lots:
 * the lot multiples inside it).
 */
function lotBounds(
  minQ: number,
  maxQ: number,
  L: number,
  integer: boolean,
  param: string,
): [number, number, number, number] {
  const up = (v: number) => (integer ? Math.floor(v / L + 1e-9) : v / L);
  const down = (v: number) => (integer ? Math.ceil(v / L - 1e-9) : v / L);
  const pLo = minQ > 0 ? down(minQ) : 0;
  const pHi = maxQ > 0 ? up(maxQ) : 0;
  const nLo = maxQ < 0 ? down(-maxQ) : 0;
  const nHi = minQ < 0 ? up(-minQ) : 0;
  if (pLo > pHi || nLo > nHi)
    throw new DomainError(`${param}.lotSize`, L, `leaves no lot multiple in [${minQ}, ${maxQ}]`);
  return [pLo, pHi, nLo, nHi];
}

/**
 * Loads the HiGHS runtime (once per process) and builds a kept hedge model for `problem`.
 * @throws DomainError naming the first invalid field of the problem
 * @example
 *   const m = await createHedgeModel(problem);
 *   try { m.solve(); m.setExposure(next); m.solve(); } finally { m.dispose(); }
 */
export async function createHedgeModel(
  problem: HedgeProblem,
  options: HedgeModelOptions = {},
): Promise<HedgeModel> {
  return new HedgeModel(await highsRuntime(), problem, options);
}

/**
 * One-shot least-cost hedge: builds the model, solves, disposes.
 * @throws DomainError naming the first invalid field of the problem
 * @example (await solveHedge(problem)).status // returns 'optimal' when every band can be met
 */
export async function solveHedge(problem: HedgeProblem, options: HedgeModelOptions = {}): Promise<HedgePlan> {
  const m = await createHedgeModel(problem, options);
  try {
    return m.solve();
  } finally {
    m.dispose();
  }
}
