/**
 * The marks of many European vanilla option lines (no barrier) in ONE Black-Scholes kernel call —
 * what a book of few paths and many lines (a live book: one path, hundreds of options) needs, since
 * there the per-call overhead of pricing line by line outweighs the arithmetic. Each line's inputs are
 * prepared as `ContractPricer.price` prepares them (the same τ, rate, carry, pricing vol and event
 * variance), laid side by side and priced together: every option sees the same IEEE operations as in
 * a call of its own, so the marks are bit-identical (src/portfolio/vanilla-batch.test.ts).
 * Formulas: generalized BSM, Haug (2007) §1.1, as in src/pricing/black-scholes.ts.
 */
import { EXPIRY_EPS } from '../core/time.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { MarketView } from '../market/market-view.ts';
import type { PricingVol } from '../market/pricing-vol.ts';
import { runStaged, stagedBlackBatch } from '../pricing/black-batch-staged.ts';
import { type BlackBatchInput, type BlackBatchOutput, blackBatch } from '../pricing/black-scholes.ts';
import {
  addEventVariance,
  type GreekMask,
  type GreeksBlock,
  greeksBlock,
  type Mutable,
} from './contract-pricer.ts';
import type { LineArena } from './line-arena.ts';

/** What the batch reads and writes of a line (a PositionLine). */
export interface VanillaLine {
  readonly terms: OptionTerms;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly greeks: GreeksBlock;
  readonly vol: Float64Array;
  /** Its slot in the book's LineArena (read only when an arena is passed). */
  readonly slot: number;
}

/** Side-by-side inputs and outputs of the batch, owned arrays of `capacity` elements. */
interface VanillaBuffers {
  readonly spot: Float64Array;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly rate: Float64Array;
  readonly dividend: Float64Array;
  readonly vol: Float64Array;
  readonly sign: Int8Array;
  readonly greeks: GreeksBlock;
}

function vanillaBuffers(capacity: number): VanillaBuffers {
  const f = () => new Float64Array(capacity);
  return {
    spot: f(),
    strike: f(),
    expiry: f(),
    rate: f(),
    dividend: f(),
    vol: f(),
    sign: new Int8Array(capacity),
    greeks: greeksBlock(capacity),
  };
}

/** The buffers viewed at the current batch size, with the kernel's argument objects. */
interface VanillaBatch extends Omit<VanillaBuffers, 'greeks'> {
  readonly total: number;
  readonly capacity: number;
  readonly own: VanillaBuffers;
  readonly greeks: GreeksBlock;
  readonly input: BlackBatchInput;
  readonly out: Mutable<BlackBatchOutput>;
}

/** The kernel's input arrays a gather writes (the batch's own buffers or the staging block's views). */
type KernelInputs = Pick<VanillaBuffers, 'spot' | 'strike' | 'expiry' | 'rate' | 'dividend' | 'vol' | 'sign'>;

/** The batch's Greeks into a LineArena: element l → slot `slots[l]`. */
function scatterArena(slots: Int32Array, L: number, g: GreeksBlock, want: GreekMask, A: LineArena): void {
  const { price, delta, gamma, vega, theta, vanna, volga } = g;
  const aPrice = A.price;
  const aDelta = A.delta;
  for (let l = 0; l < L; l++) {
    const s = slots[l];
    aPrice[s] = price[l];
    aDelta[s] = delta[l];
  }
  if (want.gamma) for (let l = 0; l < L; l++) A.gamma[slots[l]] = gamma[l];
  if (want.vega) for (let l = 0; l < L; l++) A.vega[slots[l]] = vega[l];
  if (want.theta) for (let l = 0; l < L; l++) A.theta[slots[l]] = theta[l];
  if (want.vanna) for (let l = 0; l < L; l++) A.vanna[slots[l]] = vanna[l];
  if (want.volga) for (let l = 0; l < L; l++) A.volga[slots[l]] = volga[l];
}

/** Prices a gathered batch: price and Δ, and the Greeks of `want`, into its own buffers. */
function runBatch(b: VanillaBatch, want: GreekMask): void {
  const out = b.out;
  out.gamma = want.gamma ? b.greeks.gamma : undefined;
  out.vega = want.vega ? b.greeks.vega : undefined;
  out.theta = want.theta ? b.greeks.theta : undefined;
  out.vanna = want.vanna ? b.greeks.vanna : undefined;
  out.volga = want.volga ? b.greeks.volga : undefined;
  blackBatch(b.input, out);
}

/** Scratch-owning batch pricer of one book's European vanilla lines (`nPaths` paths each). */
export class VanillaBatchPricer {
  private readonly nPaths: number;
  private readonly tau: Float64Array;
  /** One-path scratch: the flat pricing vol per asset, and a strike argument it ignores. */
  private readonly flatVol: Float64Array[];
  private readonly flatStrike: Float64Array;
  /** Carry yield q per asset (`AssetSpec.carry`, 0 when absent). */
  private readonly carry: Float64Array;
  private batch: VanillaBatch | undefined;

  constructor(nPaths: number, assets: readonly AssetSpec[]) {
    this.nPaths = nPaths;
    this.tau = new Float64Array(nPaths);
    this.carry = Float64Array.from(assets, (a) => a.carry ?? 0);
    this.flatVol = assets.map(() => new Float64Array(1));
    this.flatStrike = new Float64Array(1);
  }

  /**
   * Prices several European vanilla option lines (no barrier) in ONE kernel call: each line's
   * inputs are prepared exactly as `ContractPricer.price` prepares them (τ, rate, carry, the pricing vol with any
   * event variance, written into the line's `vol`), laid side by side (line l's path p at l·n + p),
   * priced by `blackBatch` and scattered back into each line's Greeks. Every element sees the same
   * operations as in a call of its own, so the marks are bit for bit those of `ContractPricer.price` line by line;
   * what it saves is the per-call overhead, which dominates books of few paths and many lines (a
   * live book: one path, hundreds of options). No allocation once its buffers have grown.
   */
  price(
    lines: readonly VanillaLine[],
    view: MarketView,
    vols: PricingVol,
    want: GreekMask,
    arena?: LineArena,
    slots?: Int32Array,
  ): void {
    const n = this.nPaths;
    const L = lines.length;
    if (n === 1 && arena !== undefined) {
      // One path, the lines in a LineArena (a live book): line l at slot slots[l] (default: its own
      // `slot`), read and written there; a batch the WebAssembly kernel prices is laid out straight
      // in its staging block.
      const at = slots ?? Int32Array.from(lines, (l) => l.slot);
      const staged = stagedBlackBatch(L);
      if (staged !== undefined) {
        this.gatherArena(lines, at, view, vols, staged, arena);
        runStaged(staged, want);
        scatterArena(at, L, staged.out, want, arena);
        return;
      }
      const b = this.batchFor(L);
      this.gatherArena(lines, at, view, vols, b, arena);
      runBatch(b, want);
      scatterArena(at, L, b.greeks, want, arena);
      return;
    }
    const b = this.batchFor(L * n);
    this.gather(lines, view, vols, b);
    runBatch(b, want);
    const g = b.greeks;
    let o = 0;
    for (const line of lines) {
      const d = line.greeks;
      for (let p = 0; p < n; p++) {
        const i = o + p;
        d.price[p] = g.price[i];
        d.delta[p] = g.delta[i];
      }
      if (want.gamma) for (let p = 0; p < n; p++) d.gamma[p] = g.gamma[o + p];
      if (want.vega) for (let p = 0; p < n; p++) d.vega[p] = g.vega[o + p];
      if (want.theta) for (let p = 0; p < n; p++) d.theta[p] = g.theta[o + p];
      if (want.vanna) for (let p = 0; p < n; p++) d.vanna[p] = g.vanna[o + p];
      if (want.volga) for (let p = 0; p < n; p++) d.volga[p] = g.volga[o + p];
      o += n;
    }
  }

  /** The kernel inputs of every line, laid side by side (line l's path p at l·n + p). */
  private gather(lines: readonly VanillaLine[], view: MarketView, vols: PricingVol, b: VanillaBatch): void {
    const n = this.nPaths;
    const t = view.t;
    const tau = this.tau;
    const r = view.rate;
    const events = view.events;
    let o = 0;
    for (const line of lines) {
      const expiry = line.expiry;
      for (let p = 0; p < n; p++) {
        const x = expiry[p] - t;
        tau[p] = x > EXPIRY_EPS ? x : 1;
      }
      const a = line.terms.asset;
      const q = this.carry[a];
      const S = view.spot[a];
      const strike = line.strike;
      const vol = line.vol;
      vols.fill(view, a, strike, tau, vol);
      if (events !== undefined && events.length > 0) addEventVariance(events, a, tau, t, vol);
      const w = line.terms.type === 'call' ? 1 : -1;
      for (let p = 0; p < n; p++) {
        const i = o + p;
        b.spot[i] = S[p];
        b.strike[i] = strike[p];
        b.expiry[i] = tau[p];
        b.rate[i] = r;
        b.dividend[i] = q;
        b.vol[i] = vol[p];
        b.sign[i] = w;
      }
      o += n;
    }
  }

  /**
   * `gather` for one path with the lines in a LineArena (a live book, hundreds of lines at every
   * quote): the same values, element l for line l, read and written by slot (line l at `at[l]`) in
   * the arena's arrays, asset and call/put included. A vol without smile is the same for every
   * option on an asset: filled once per asset (the same call, so the same value) and copied into
   * each line's vol, so a flat vol never touches the line objects (a smile or an event fills the
   * line's own views of its slot).
   */
  private gatherArena(
    lines: readonly VanillaLine[],
    at: Int32Array,
    view: MarketView,
    vols: PricingVol,
    b: KernelInputs,
    arena: LineArena,
  ): void {
    const t = view.t;
    const tau = this.tau;
    const r = view.rate;
    const events = view.events;
    const withEvents = events !== undefined && events.length > 0;
    const carry = this.carry;
    const spots = view.spot;
    const { spot, strike, expiry, rate, dividend, vol, sign } = b;
    const { strike: aStrike, expiry: aExpiry, vol: aVol, asset: aAsset, callPut } = arena;
    const L = lines.length;
    const flat = vols.flat === true;
    const flatVol = this.flatVol;
    if (flat) for (let a = 0; a < flatVol.length; a++) vols.fill(view, a, this.flatStrike, tau, flatVol[a]);
    for (let l = 0; l < L; l++) {
      const s = at[l];
      const x = aExpiry[s] - t;
      const T = x > EXPIRY_EPS ? x : 1;
      tau[0] = T;
      const a = aAsset[s];
      if (flat) aVol[s] = flatVol[a][0];
      else vols.fill(view, a, lines[l].strike, tau, lines[l].vol);
      if (withEvents) addEventVariance(events, a, tau, t, lines[l].vol);
      spot[l] = spots[a][0];
      strike[l] = aStrike[s];
      expiry[l] = T;
      rate[l] = r;
      dividend[l] = carry[a];
      vol[l] = aVol[s];
      sign[l] = callPut[s];
    }
  }

  /** The batch buffers viewed at exactly `total` elements (regrown by doubling; views rebuilt on change). */
  private batchFor(total: number): VanillaBatch {
    const cur = this.batch;
    if (cur !== undefined && cur.total === total) return cur;
    const cap = Math.max(total, cur !== undefined && cur.capacity >= total ? cur.capacity : 2 * total);
    const own = cur !== undefined && cur.capacity >= total ? cur.own : vanillaBuffers(cap);
    const v = (x: Float64Array) => x.subarray(0, total);
    const greeks: GreeksBlock = {
      price: v(own.greeks.price),
      delta: v(own.greeks.delta),
      gamma: v(own.greeks.gamma),
      vega: v(own.greeks.vega),
      theta: v(own.greeks.theta),
      vanna: v(own.greeks.vanna),
      volga: v(own.greeks.volga),
    };
    const sign = own.sign.subarray(0, total);
    const spot = v(own.spot);
    const strike = v(own.strike);
    const expiry = v(own.expiry);
    const rate = v(own.rate);
    const dividend = v(own.dividend);
    const vol = v(own.vol);
    const batch: VanillaBatch = {
      total,
      capacity: cap,
      own,
      spot,
      strike,
      expiry,
      rate,
      dividend,
      vol,
      sign,
      greeks,
      input: { sign, spot, strike, expiry, rate, vol, dividend },
      out: {
        price: greeks.price,
        delta: greeks.delta,
        gamma: undefined,
        vega: undefined,
        theta: undefined,
        vanna: undefined,
        volga: undefined,
      },
    };
    this.batch = batch;
    return batch;
  }
}
