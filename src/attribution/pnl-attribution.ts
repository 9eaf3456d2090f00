/**
 * P&L attribution ("P&L explain") of a position, per Monte-Carlo path, step by step: the value
 * change over each step is split into the Taylor terms of the position's value in spot, pricing vol
 * and calendar time, the cash flows of the step, and what is left over.
 *
 * Over one step [t, t + dt] with moves dSₐ (per asset a) and dσₐ (the asset's pricing vol), and the
 * position's Greeks taken at the START of the step:
 *
 *   delta = Σₐ Δₐ·dSₐ                gamma = Σₐ ½Γₐ·dSₐ²            vega  = Σₐ νₐ·dσₐ
 *   theta = Σₐ Θₐ·dt                 vanna = Σₐ vannaₐ·dSₐ·dσₐ      volga = Σₐ ½volgaₐ·dσₐ²
 *   carry (dividends/coupons on held units), financing (interest on cash), costs = −(costs paid)
 *   residual = ΔV − (delta + gamma + vega + theta + vanna + volga + carry + financing + costs)
 *   total = ΔV (so the components always add up to the total, exactly up to rounding)
 *
 * The residual holds everything the second-order expansion leaves out: third- and higher-order
 * terms (speed V_SSS·dS³/6, charm V_St·dS·dt, …, O(dt^{3/2}) per step on a diffusion), the
 * cross-gammas Γ_ab·dS_a·dS_b and cross-vannas between different assets (not inputs: see
 * docs/attribution.md), non-parallel vol moves of an aggregated book (one dσ per asset), moves of
 * inputs that are not attributed (rates, dividend yields), jumps, and model changes. On a diffusion
 * its per-step size is O(dt^{3/2}), so its sum over a fixed horizon is O(dt^{1/2}) → 0.
 *
 * Multi-asset: Greeks and moves are given per asset and summed over assets. Per-line attribution is
 * the same kernel fed with one line's own Greeks and value change: one `PnlAttribution` per line
 * (lines open and close during a run, so one small object each is simpler than a pooled layout).
 * Every Greek term is linear in the position, so the line attributions add up to the book's when the
 * book's Greeks are the sum of its lines' (the residuals too, when the ΔV do).
 *
 * State: plain typed arrays (component-major Float64Array, one row of nPaths per component), so the
 * engine can `snapshot()` / `restore()` it; `step` allocates nothing. Inside the kernel NaN
 * propagates (a path whose pricing failed attributes NaN) and nothing throws; shape errors are
 * checked once per call, before the loops.
 *
 * References: N. Taleb, Dynamic Hedging (Wiley 1997), part II (the Greeks as a Taylor expansion of
 * the P&L, second-order cross terms); R. Ahmad, P. Wilmott, "Which free lunch would you like today,
 * Sir? Delta hedging, volatility arbitrage and optimal portfolios", Wilmott Magazine (Nov 2005)
 * (the gamma–theta P&L ½Γ(dS² − σ̃²S²dt) of a book hedged at implied vol); J. C. Hull,
 * Options, Futures and Other Derivatives (10th ed.), ch. 19 (Taylor series expansion of a
 * portfolio's value change).
 */
import { DomainError } from '../core/errors.ts';

/** The attributed components, in their storage order (row k of the state holds component k). */
export const ATTRIBUTION_COMPONENTS = [
  'delta',
  'gamma',
  'vega',
  'theta',
  'vanna',
  'volga',
  'carry',
  'financing',
  'costs',
  'residual',
  'total',
] as const;

/** One attributed component; `total` = ΔV = the sum of all the others. */
export type AttributionComponent = (typeof ATTRIBUTION_COMPONENTS)[number];

const N_COMP = ATTRIBUTION_COMPONENTS.length;
const DELTA = 0;
const GAMMA = 1;
const VEGA = 2;
const THETA = 3;
const VANNA = 4;
const VOLGA = 5;
const CARRY = 6;
const FINANCING = 7;
const COSTS = 8;
const RESIDUAL = 9;
const TOTAL = 10;

/**
 * Greeks of a position with respect to one asset and its pricing vol, per path, in currency for
 * the whole position (quantity × per-unit Greek), taken at the start of the step. Structurally a
 * subset of the engine's `GreeksBlock`, which can be passed as it is. Omitted Greeks count as 0
 * (their P&L then falls into the residual).
 *
 * Units: delta ∂V/∂S in units of the asset; gamma ∂²V/∂S² per 1.00²; vega ∂V/∂σ per 1.00 of vol
 * (not per point); theta ∂V/∂t per year of calendar time; vanna ∂²V/∂S∂σ; volga ∂²V/∂σ².
 * Theta is summed over the blocks: give each line's theta in exactly one block (its own asset's).
 *
 * Shape: every array [≥ nPaths].
 */
export interface AttributionGreeks {
  readonly delta: Float64Array;
  readonly gamma?: Float64Array;
  readonly vega?: Float64Array;
  readonly theta?: Float64Array;
  readonly vanna?: Float64Array;
  readonly volga?: Float64Array;
}

/** The market move over one step, shared by every position attributed on the same paths. */
export interface AttributionMove {
  /** dSₐ = Sₐ(t + dt) − Sₐ(t), currency per unit. Shape: [nAssets][≥ nPaths]. */
  readonly dS: readonly Float64Array[];
  /**
   * dσₐ = σₐ(t + dt) − σₐ(t) of the pricing vol (annualized decimal); omitted = no vol move.
   * Shape: [nAssets][≥ nPaths].
   */
  readonly dVol?: readonly Float64Array[];
  /** Step length, years (> 0; 0 allowed for an instantaneous shock). */
  readonly dt: number;
  /**
   * Factor applied to every component of this step before it is accumulated, e.g. the discount
   * factor P(0, t + dt) for a present-value attribution (see docs/attribution.md); default 1.
   */
  readonly discount?: number;
}

/**
 * Cash flows of the step, per path, currency; each omitted array counts as 0.
 * Shape: every array [≥ nPaths].
 */
export interface AttributionFlows {
  /** Dividends / coupons received on held units (paid on short units: negative). */
  readonly carry?: Float64Array;
  /** Interest earned on cash (paid when cash is negative: negative). */
  readonly financing?: Float64Array;
  /** Trading costs paid during the step, ≥ 0 normally; enters the `costs` component negated. */
  readonly costs?: Float64Array;
}

/** Plain-data state of a {@link PnlAttribution}: structured-clone and JSON-friendly typed arrays. */
export interface AttributionSnapshot {
  readonly nPaths: number;
  /** Steps accumulated so far. */
  readonly steps: number;
  /** Component-major sums: component k of path p at [k·nPaths + p]. Shape: [11·nPaths]. */
  readonly sums: Float64Array;
  /** The last step's contributions, same layout; present when the attribution keeps them. */
  readonly last?: Float64Array;
}

/** Distribution of one component's accumulated P&L across paths. */
export interface ComponentStats {
  /** Paths where the component is defined (not NaN). */
  readonly n: number;
  /** Mean over those paths, currency; NaN when n = 0. */
  readonly mean: number;
  /** Sample standard deviation (n − 1 divisor), currency; NaN when n < 2. */
  readonly std: number;
  /** Sum over those paths, currency (0 when n = 0). */
  readonly sum: number;
}

/** What `summary()` returns: plain numbers, for `run --json` and tables. */
export interface AttributionSummary {
  readonly nPaths: number;
  readonly steps: number;
  readonly components: { readonly [K in AttributionComponent]: ComponentStats };
}

/** Options of {@link PnlAttribution}. */
export interface PnlAttributionOptions {
  /** Also keep the last step's contributions per path (`lastStep(c)`), e.g. for live monitoring. */
  readonly keepLastStep?: boolean;
}

/**
 * Per-path P&L attribution accumulators and the per-step kernel (formulas in the module header
 * and docs/attribution.md).
 *
 * Shape: each component is a Float64Array[nPaths] (`get(c)`), rows of one component-major array.
 * @throws DomainError (constructor) unless nPaths is an integer ≥ 1.
 * @example
 *   const a = new PnlAttribution(1);
 *   a.step([{ delta: Float64Array.of(0.6), gamma: Float64Array.of(0.02), theta: Float64Array.of(-6) }],
 *     { dS: [Float64Array.of(2)], dt: 1 / 252 }, Float64Array.of(1.25));
 *   a.get('gamma')[0] // returns 0.04 (= ½·0.02·2²); delta 1.2, theta −0.0238…, residual 0.0338…
 * References: Taleb (1997); Ahmad & Wilmott (2005); Hull, OFOD ch. 19.
 */
export class PnlAttribution {
  readonly nPaths: number;
  private nSteps = 0;
  /** Component-major sums, [11·nPaths] (see {@link AttributionSnapshot}). */
  readonly sums: Float64Array;
  /** Last step's contributions (same layout), when kept. */
  readonly last: Float64Array | undefined;
  private readonly rows: Float64Array[];
  private readonly lastRows: Float64Array[] | undefined;
  /** Stand-in for omitted inputs. */
  private readonly zeros: Float64Array;

  /** Steps accumulated so far (restored by `restore`). */
  get steps(): number {
    return this.nSteps;
  }

  constructor(nPaths: number, options: PnlAttributionOptions = {}) {
    if (!(Number.isSafeInteger(nPaths) && nPaths >= 1)) {
      throw new DomainError('nPaths', nPaths, 'must be an integer >= 1');
    }
    this.nPaths = nPaths;
    this.sums = new Float64Array(N_COMP * nPaths);
    this.rows = rowsOf(this.sums, nPaths);
    ensureScratch(nPaths);
    if (options.keepLastStep) {
      this.last = new Float64Array(N_COMP * nPaths);
      this.lastRows = rowsOf(this.last, nPaths);
    }
    this.zeros = new Float64Array(nPaths);
  }

  /** Accumulated component per path (a live view, not a copy). Shape: [nPaths]. */
  get(component: AttributionComponent): Float64Array {
    return this.rows[componentIndex(component)];
  }

  /**
   * The last step's contribution of a component per path (a live view).
   * @throws DomainError unless constructed with `keepLastStep: true`.
   */
  lastStep(component: AttributionComponent): Float64Array {
    if (!this.lastRows) throw new DomainError('keepLastStep', false, 'must be true to read lastStep');
    return this.lastRows[componentIndex(component)];
  }

  /**
   * Attributes one step on every path and adds it to the sums (no allocation; never throws inside
   * the loops, NaN propagates).
   *
   * With w = `move.discount` (default 1) and, per path, summing over assets a:
   *   delta += w·Σ Δₐ dSₐ, gamma += w·Σ ½Γₐ dSₐ², vega += w·Σ νₐ dσₐ, theta += w·Σ Θₐ dt,
   *   vanna += w·Σ vannaₐ dSₐ dσₐ, volga += w·Σ ½volgaₐ dσₐ², carry += w·carry,
   *   financing += w·financing, costs −= w·costs, total += w·ΔV,
   *   residual += w·(ΔV − all the above terms of the step).
   *
   * Shape: greeks [nAssets], move.dS [nAssets][≥ nPaths], move.dVol [nAssets][≥ nPaths] if given,
   *   dV and flow arrays [≥ nPaths].
   * @param greeks position Greeks at the start of the step, one block per asset (see
   *   {@link AttributionGreeks} for units)
   * @param move   realised moves of the step and dt (years)
   * @param dV     actual value change of the position over the step, currency, including the
   *   step's cash flows when they are credited to the position's cash (see docs/attribution.md)
   * @param flows  carry, financing and costs of the step (omitted = 0)
   * @throws DomainError on mismatched shapes (checked before any path is touched).
   * @example see the class example: Δ = 0.6, Γ = 0.02, Θ = −6/yr, dS = 2, dt = 1/252, ΔV = 1.25 →
   *   delta 1.2, gamma 0.04, theta −0.0238095, residual 0.0338095.
   */
  step(
    greeks: readonly AttributionGreeks[],
    move: AttributionMove,
    dV: Float64Array,
    flows?: AttributionFlows,
  ): void {
    const n = this.nPaths;
    const nA = greeks.length;
    const { dS, dVol, dt } = move;
    checkStep(n, greeks, move, dV, flows);
    const w = move.discount ?? 1;
    const z = this.zeros;
    // This step's contributions, undiscounted, in the shared scratch block (sized at construction).
    const X = STEP_ROWS;
    const xD = X[DELTA];
    const xG = X[GAMMA];
    const xV = X[VEGA];
    const xT = X[THETA];
    const xVa = X[VANNA];
    const xVo = X[VOLGA];
    for (let a = 0; a < nA; a++) {
      const g = greeks[a];
      const D = g.delta;
      const G = g.gamma ?? z;
      const V = g.vega ?? z;
      const Th = g.theta ?? z;
      const Va = g.vanna ?? z;
      const Vo = g.volga ?? z;
      const ds = dS[a];
      const dv = dVol === undefined ? z : dVol[a];
      if (a === 0) {
        for (let p = 0; p < n; p++) {
          const s = ds[p];
          const v = dv[p];
          xD[p] = D[p] * s;
          xG[p] = 0.5 * G[p] * s * s;
          xV[p] = V[p] * v;
          xT[p] = Th[p] * dt;
          xVa[p] = Va[p] * s * v;
          xVo[p] = 0.5 * Vo[p] * v * v;
        }
      } else {
        for (let p = 0; p < n; p++) {
          const s = ds[p];
          const v = dv[p];
          xD[p] += D[p] * s;
          xG[p] += 0.5 * G[p] * s * s;
          xV[p] += V[p] * v;
          xT[p] += Th[p] * dt;
          xVa[p] += Va[p] * s * v;
          xVo[p] += 0.5 * Vo[p] * v * v;
        }
      }
    }
    if (nA === 0) for (let k = DELTA; k <= VOLGA; k++) X[k].fill(0, 0, n);
    const car = flows?.carry ?? z;
    const fin = flows?.financing ?? z;
    const cost = flows?.costs ?? z;
    const xC = X[CARRY];
    const xF = X[FINANCING];
    const xK = X[COSTS];
    const xR = X[RESIDUAL];
    const xTot = X[TOTAL];
    for (let p = 0; p < n; p++) {
      const c = car[p];
      const f = fin[p];
      const k = cost[p];
      const d = dV[p];
      xC[p] = c;
      xF[p] = f;
      xK[p] = -k;
      xTot[p] = d;
      xR[p] = d - (xD[p] + xG[p] + xV[p] + xT[p] + xVa[p] + xVo[p]) - c - f + k;
    }
    const R = this.rows;
    const L = this.lastRows;
    for (let k = 0; k < N_COMP; k++) {
      const x = X[k];
      const s = R[k];
      if (w === 1) for (let p = 0; p < n; p++) s[p] += x[p];
      else for (let p = 0; p < n; p++) s[p] += w * x[p];
      if (L) {
        const l = L[k];
        for (let p = 0; p < n; p++) l[p] = w * x[p];
      }
    }
    this.nSteps++;
  }

  /** Sets every accumulator (and the last step) to 0 and the step count to 0. */
  reset(): void {
    this.sums.fill(0);
    this.last?.fill(0);
    this.nSteps = 0;
  }

  /** A copy of the state as plain typed arrays (structured-clone safe). */
  snapshot(): AttributionSnapshot {
    return {
      nPaths: this.nPaths,
      steps: this.steps,
      sums: this.sums.slice(),
      ...(this.last ? { last: this.last.slice() } : {}),
    };
  }

  /**
   * Restores a snapshot taken from an attribution of the same nPaths; continuing afterwards gives
   * bit-identical sums to continuing the original.
   * @throws DomainError on a different nPaths or array length.
   */
  restore(s: AttributionSnapshot): void {
    if (s.nPaths !== this.nPaths)
      throw new DomainError('snapshot.nPaths', s.nPaths, `must be ${this.nPaths}`);
    if (s.sums.length !== this.sums.length) {
      throw new DomainError('snapshot.sums.length', s.sums.length, `must be ${this.sums.length}`);
    }
    this.sums.set(s.sums);
    if (this.last) {
      if (s.last && s.last.length === this.last.length) this.last.set(s.last);
      else this.last.fill(Number.NaN); // unknown: NaN, never a made-up 0
    }
    this.nSteps = s.steps;
  }

  /**
   * Mean, sample std and sum over paths of every component's accumulated P&L (paths where it is
   * NaN are left out and counted in `n`). Plain numbers; NaN → `null` in JSON.
   * @example new PnlAttribution(2).summary().components.total // returns { n: 2, mean: 0, std: 0, sum: 0 }
   */
  summary(): AttributionSummary {
    const components = {} as { [K in AttributionComponent]: ComponentStats };
    for (let k = 0; k < N_COMP; k++) components[ATTRIBUTION_COMPONENTS[k]] = stats(this.rows[k]);
    return { nPaths: this.nPaths, steps: this.steps, components };
  }
}

/**
 * One step's contributions, component-major rows, shared by every instance (JavaScript runs one
 * `step` at a time per thread): 11 × (largest nPaths constructed) doubles per thread, grown at
 * construction only, so `step` never allocates. (A blocked variant with an L1-sized scratch was
 * measured no faster here: ~40 ns per path-step either way on this shared machine.)
 */
let STEP_ROWS: Float64Array[] = rowsOf(new Float64Array(0), 0);

function ensureScratch(n: number): void {
  if (STEP_ROWS[0].length < n) STEP_ROWS = rowsOf(new Float64Array(N_COMP * n), n);
}

function rowsOf(block: Float64Array, n: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let k = 0; k < N_COMP; k++) rows.push(block.subarray(k * n, (k + 1) * n));
  return rows;
}

function componentIndex(component: AttributionComponent): number {
  const k = ATTRIBUTION_COMPONENTS.indexOf(component);
  if (k < 0)
    throw new DomainError('component', component, `must be one of ${ATTRIBUTION_COMPONENTS.join(', ')}`);
  return k;
}

/** Throws unless `a` is omitted or has ≥ n elements; the name `prefix[index]suffix` is built only to throw. */
function requireLength(
  a: Float64Array | undefined,
  n: number,
  prefix: string,
  index = -1,
  suffix = '',
): void {
  if (a !== undefined && a.length < n) {
    const name = index < 0 ? prefix : `${prefix}[${index}]${suffix}`;
    throw new DomainError(`${name}.length`, a.length, `must be >= ${n}`);
  }
}

function checkStep(
  n: number,
  greeks: readonly AttributionGreeks[],
  move: AttributionMove,
  dV: Float64Array,
  flows: AttributionFlows | undefined,
): void {
  const nA = greeks.length;
  if (move.dS.length !== nA)
    throw new DomainError('move.dS.length', move.dS.length, `must be ${nA} (assets)`);
  if (move.dVol !== undefined && move.dVol.length !== nA) {
    throw new DomainError('move.dVol.length', move.dVol.length, `must be ${nA} (assets)`);
  }
  if (!(move.dt >= 0)) throw new DomainError('move.dt', move.dt, 'must be >= 0');
  for (let a = 0; a < nA; a++) {
    const g = greeks[a];
    requireLength(g.delta, n, 'greeks', a, '.delta');
    requireLength(g.gamma, n, 'greeks', a, '.gamma');
    requireLength(g.vega, n, 'greeks', a, '.vega');
    requireLength(g.theta, n, 'greeks', a, '.theta');
    requireLength(g.vanna, n, 'greeks', a, '.vanna');
    requireLength(g.volga, n, 'greeks', a, '.volga');
    requireLength(move.dS[a], n, 'move.dS', a);
    requireLength(move.dVol?.[a], n, 'move.dVol', a);
  }
  requireLength(dV, n, 'dV');
  requireLength(flows?.carry, n, 'flows.carry');
  requireLength(flows?.financing, n, 'flows.financing');
  requireLength(flows?.costs, n, 'flows.costs');
}

function stats(x: Float64Array): ComponentStats {
  let n = 0;
  let sum = 0;
  for (let p = 0; p < x.length; p++) {
    const v = x[p];
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
  }
  const mean = n > 0 ? sum / n : Number.NaN;
  let s2 = 0;
  for (let p = 0; p < x.length; p++) {
    const v = x[p];
    if (!Number.isNaN(v)) s2 += (v - mean) ** 2;
  }
  return { n, mean, std: n > 1 ? Math.sqrt(s2 / (n - 1)) : Number.NaN, sum };
}
