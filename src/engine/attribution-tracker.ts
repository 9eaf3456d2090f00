/**
 * P&L attribution inside the engine: for one strategy run, every step splits the book's value
 * change into delta, gamma, vega, theta, vanna, volga, carry, financing, costs and the residual
 * (src/attribution), for the whole book and for every position line over its life.
 *
 * A step is the window from the book after its trades at t_{i−1} to the book after its trades at
 * tᵢ: the Greeks are the position's at the window's start (units count as Δ = 1 on their asset;
 * each line is its own block, qty × per-unit Greeks, so any number of strikes and expiries per asset
 * add up exactly), the moves are the spot and pricing-vol changes over it, the flows are the interest
 * and carry accrued and the costs paid in it, and ΔV is the value change. A line's own ΔV is
 * qty·(mark now − mark then), or qty·(payoff − mark then) when it settled or knocked out.
 *
 * Present values: with g = e^{r·dt} the growth of cash over the step and D = e^{−∫₀ᵗ r ds} the
 * discount to inception, a step contributes D·(Vᵢ − g·Vᵢ₋₁) — what the book made beyond growing at
 * the short rate — so the total is exactly D_T·V_T − V₀ and comparable with option prices. Its
 * financing component is the interest actually earned minus g−1 on the whole book: the cost of
 * financing the positions (−(value of the positions)·(g − 1) for fully financed positions). A line
 * is a position without cash: ΔV = qty·(now − g·then), financing −qty·then·(g − 1). A long call
 * bought at implied σᵢ and delta-hedged at σᵢ under realised σᵣ then earns V(σᵣ) − V(σᵢ) in
 * expectation in gamma + theta + financing (Ahmad & Wilmott 2005).
 *
 * Opt-in (`attribution: 'book' | 'lines'` on the engine): the books then mark Θ, vanna and volga too.
 * References: Taleb, Dynamic Hedging (1997) ch. 9; docs/attribution.md.
 */
import {
  ATTRIBUTION_COMPONENTS,
  type AttributionComponent,
  type AttributionGreeks,
  type AttributionSnapshot,
  type ComponentStats,
  PnlAttribution,
} from '../attribution/pnl-attribution.ts';
import type { MarketView } from '../market/market-view.ts';
import type { Book } from '../portfolio/book.ts';
import type { PositionLine } from '../portfolio/position-line.ts';

/** Per-component totals over paths, mergeable across chunks: n, Σx, Σx². */
export class AttributionTotals {
  readonly n = new Float64Array(ATTRIBUTION_COMPONENTS.length);
  readonly sum = new Float64Array(ATTRIBUTION_COMPONENTS.length);
  readonly sumSq = new Float64Array(ATTRIBUTION_COMPONENTS.length);

  /** Adds every path of an accumulator (NaN paths are left out). */
  add(att: PnlAttribution): void {
    ATTRIBUTION_COMPONENTS.forEach((c, k) => {
      for (const x of att.get(c)) {
        if (Number.isNaN(x)) continue;
        this.n[k] += 1;
        this.sum[k] += x;
        this.sumSq[k] += x * x;
      }
    });
  }

  /** Mean, sample std and sum per component, over every path added. */
  summary(): Record<AttributionComponent, ComponentStats> {
    const out = {} as Record<AttributionComponent, ComponentStats>;
    ATTRIBUTION_COMPONENTS.forEach((c, k) => {
      const n = this.n[k];
      const mean = n > 0 ? this.sum[k] / n : Number.NaN;
      const v = n > 1 ? (this.sumSq[k] - n * mean * mean) / (n - 1) : Number.NaN;
      out[c] = { n, mean, std: Math.sqrt(Math.max(v, 0)), sum: this.sum[k] };
    });
    return out;
  }
}

/** The attribution of one run: the book's, and each line's over its life. */
export interface RunAttribution {
  readonly book: Record<AttributionComponent, ComponentStats>;
  readonly lines: readonly {
    readonly id: number;
    /** The contract of the line on its first path, e.g. `EQ put K=95 T=0.25`. */
    readonly contract: string;
    readonly components: Record<AttributionComponent, ComponentStats>;
  }[];
}

/** A tracker's state between steps (`RunAttributionTracker.snapshot`). */
export interface AttributionTrackerSnapshot {
  readonly book: AttributionSnapshot;
  readonly lines: readonly (readonly [number, string, AttributionSnapshot])[];
  readonly value0: Float64Array;
  readonly fees0: Float64Array;
  readonly spot0: readonly Float64Array[];
  readonly units0: readonly Float64Array[];
  readonly intRate: number;
  readonly starts: readonly {
    readonly id: number;
    readonly contract: string;
    readonly qty: Float64Array;
    readonly mark: Float64Array;
    readonly vol: Float64Array;
    readonly greeks: {
      readonly [K in 'delta' | 'gamma' | 'vega' | 'theta' | 'vanna' | 'volga']: Float64Array;
    };
  }[];
}

/** Start-of-window state of one line. */
class LineStart {
  id = -1;
  line!: PositionLine;
  contract = '';
  readonly qty: Float64Array;
  readonly mark: Float64Array;
  readonly vol: Float64Array;
  readonly greeks: Required<AttributionGreeks> & { delta: Float64Array };
  /** Payoff per unit where the line settled in this window, else NaN. */
  readonly settled: Float64Array;
  /** Pricing-vol change over the window (0 where it settled). */
  readonly dVol: Float64Array;
  /** The line's value change over the window beyond growth at the short rate. */
  readonly dV: Float64Array;
  /** The cost of financing the line over the window. */
  readonly financing: Float64Array;

  constructor(n: number) {
    const f = () => new Float64Array(n);
    this.qty = f();
    this.mark = f();
    this.vol = f();
    this.greeks = { delta: f(), gamma: f(), vega: f(), theta: f(), vanna: f(), volga: f() };
    this.settled = f().fill(Number.NaN);
    this.dVol = f();
    this.dV = f();
    this.financing = f();
  }
}

/** Tracks the attribution of one run's book (one chunk of paths). */
export class RunAttributionTracker {
  readonly book: PnlAttribution;
  /** Finished and running per-line accumulators, by line id. */
  readonly lines = new Map<number, { contract: string; att: PnlAttribution }>();
  private readonly n: number;
  private readonly nA: number;
  private readonly cash0: Float64Array;
  private readonly fees0: Float64Array;
  private readonly value0: Float64Array;
  private readonly spot0: Float64Array[];
  private readonly units0: Float64Array[];
  private readonly dS: Float64Array[];
  private readonly financing: Float64Array;
  private readonly carry: Float64Array;
  private readonly costs: Float64Array;
  private readonly dV: Float64Array;
  private readonly zeros: Float64Array;
  private starts: LineStart[] = [];
  private spare: LineStart[] = [];
  private readonly blocks: AttributionGreeks[] = [];
  private readonly blockMoves: Float64Array[] = [];
  private readonly blockVols: Float64Array[] = [];
  private readonly perLine: boolean;
  /** ∫₀ᵗ r ds up to the last closed window. */
  private intRate = 0;

  constructor(book: Book, perLine: boolean) {
    const n = book.nPaths;
    this.n = n;
    this.nA = book.assets.length;
    this.perLine = perLine;
    this.book = new PnlAttribution(n);
    const f = () => new Float64Array(n);
    this.cash0 = f();
    this.fees0 = f();
    this.value0 = f();
    this.spot0 = book.assets.map(f);
    this.units0 = book.assets.map(f);
    this.dS = book.assets.map(f);
    this.financing = f();
    this.carry = f();
    this.costs = f();
    this.dV = f();
    this.zeros = f();
    book.onSettle = (line, p, pay) => {
      for (const s of this.starts) if (s.id === line.id) s.settled[p] = pay;
    };
  }

  /**
   * Records the start of the next window (after the trades of a step). At inception the window
   * starts before the opening trades (value V₀, no fees yet), so their costs are attributed too and
   * the total is D_T·V_T − V₀ with V₀ the initial value.
   */
  open(view: MarketView, book: Book, inception = false): void {
    if (inception) {
      this.value0.fill(book.initialValue);
      this.fees0.fill(0);
    } else {
      this.value0.set(book.value);
      this.fees0.set(book.fees);
    }
    for (let a = 0; a < this.nA; a++) {
      this.spot0[a].set(view.spot[a]);
      this.units0[a].set(book.units[a]);
    }
    for (const s of this.starts) this.spare.push(s);
    this.starts = [];
    for (const line of book.lines) {
      const s = this.spare.pop() ?? new LineStart(this.n);
      s.id = line.id;
      s.line = line;
      s.contract = line.contractId(0);
      s.qty.set(line.qty);
      s.mark.set(line.greeks.price);
      s.vol.set(line.vol);
      s.settled.fill(Number.NaN);
      const g = line.greeks;
      const q = line.qty;
      const G = s.greeks;
      for (let p = 0; p < this.n; p++) {
        const x = q[p];
        G.delta[p] = x * g.delta[p];
        G.gamma[p] = x * g.gamma[p];
        G.vega[p] = x * g.vega[p];
        G.theta[p] = x * g.theta[p];
        G.vanna[p] = x * g.vanna[p];
        G.volga[p] = x * g.volga[p];
      }
      this.starts.push(s);
    }
  }

  /** The tracker's state between steps as plain data (engine snapshots). */
  snapshot(): AttributionTrackerSnapshot {
    return {
      book: this.book.snapshot(),
      lines: [...this.lines.entries()].map(([id, l]) => [id, l.contract, l.att.snapshot()] as const),
      value0: this.value0.slice(),
      fees0: this.fees0.slice(),
      spot0: this.spot0.map((a) => a.slice()),
      units0: this.units0.map((a) => a.slice()),
      intRate: this.intRate,
      starts: this.starts.map((s) => ({
        id: s.id,
        contract: s.contract,
        qty: s.qty.slice(),
        mark: s.mark.slice(),
        vol: s.vol.slice(),
        greeks: structuredClone(s.greeks),
      })),
    };
  }

  /** Restores a snapshot into a tracker of the same configuration, over the restored `book`. */
  restore(saved: unknown, book: Book): void {
    const s = saved as AttributionTrackerSnapshot;
    this.book.restore(s.book);
    this.lines.clear();
    for (const [id, contract, snap] of s.lines) {
      const att = new PnlAttribution(this.n);
      att.restore(snap);
      this.lines.set(id, { contract, att });
    }
    this.value0.set(s.value0);
    this.fees0.set(s.fees0);
    s.spot0.forEach((a, i) => {
      this.spot0[i].set(a);
    });
    s.units0.forEach((a, i) => {
      this.units0[i].set(a);
    });
    this.intRate = s.intRate;
    for (const st of this.starts) this.spare.push(st);
    this.starts = s.starts.map((x) => {
      const st = this.spare.pop() ?? new LineStart(this.n);
      st.id = x.id;
      st.line = book.line(x.id)!;
      st.contract = x.contract;
      st.qty.set(x.qty);
      st.mark.set(x.mark);
      st.vol.set(x.vol);
      for (const k of ['delta', 'gamma', 'vega', 'theta', 'vanna', 'volga'] as const)
        st.greeks[k].set(x.greeks[k]);
      st.settled.fill(Number.NaN);
      return st;
    });
  }

  /** Call before the book accrues interest. */
  beforeInterest(book: Book): void {
    this.cash0.set(book.cash);
  }

  /** Call after interest, before carry: the interest of the window. */
  afterInterest(book: Book): void {
    const c = book.cash;
    for (let p = 0; p < this.n; p++) this.financing[p] = c[p] - this.cash0[p];
    this.cash0.set(c);
  }

  /** Call after carry: the carry of the window. */
  afterCarry(book: Book): void {
    const c = book.cash;
    for (let p = 0; p < this.n; p++) this.carry[p] = c[p] - this.cash0[p];
  }

  /** Closes the window after the trades of step i: attributes it, then opens the next one. */
  close(view: MarketView, book: Book, dt: number, rateOverStep: number): void {
    const n = this.n;
    this.intRate += rateOverStep * dt;
    const discount = Math.exp(-this.intRate);
    const g1 = Math.expm1(rateOverStep * dt); // g − 1
    for (let p = 0; p < n; p++) {
      const v0 = this.value0[p];
      this.costs[p] = book.fees[p] - this.fees0[p];
      this.dV[p] = book.value[p] - v0 - v0 * g1;
      this.financing[p] -= v0 * g1;
    }
    for (let a = 0; a < this.nA; a++) {
      const S = view.spot[a];
      const S0 = this.spot0[a];
      const d = this.dS[a];
      for (let p = 0; p < n; p++) d[p] = S[p] - S0[p];
    }
    const blocks = this.blocks;
    const moves = this.blockMoves;
    const vols = this.blockVols;
    blocks.length = 0;
    moves.length = 0;
    vols.length = 0;
    for (let a = 0; a < this.nA; a++) {
      blocks.push({ delta: this.units0[a] });
      moves.push(this.dS[a]);
      vols.push(this.zeros);
    }
    for (const s of this.starts) {
      const line = s.line;
      const same = line.id === s.id; // else the slot was reused: the line settled or closed
      const price = line.greeks.price;
      const vol = line.vol;
      for (let p = 0; p < n; p++) {
        const settled = s.settled[p];
        const gone = !Number.isNaN(settled);
        const now = gone ? settled : same ? price[p] : 0;
        const m0 = s.mark[p];
        s.dV[p] = s.qty[p] * (now - m0 - m0 * g1);
        s.financing[p] = -s.qty[p] * m0 * g1;
        s.dVol[p] = gone || !same ? 0 : vol[p] - s.vol[p];
      }
      blocks.push(s.greeks);
      moves.push(this.dS[line.terms.asset]);
      vols.push(s.dVol);
      if (this.perLine) {
        let rec = this.lines.get(s.id);
        if (!rec) {
          rec = { contract: s.contract, att: new PnlAttribution(n) };
          this.lines.set(s.id, rec);
        }
        rec.att.step([s.greeks], { dS: [this.dS[line.terms.asset]], dVol: [s.dVol], dt, discount }, s.dV, {
          financing: s.financing,
        });
      }
    }
    this.book.step(blocks, { dS: moves, dVol: vols, dt, discount }, this.dV, {
      carry: this.carry,
      financing: this.financing,
      costs: this.costs,
    });
    this.open(view, book);
  }
}
