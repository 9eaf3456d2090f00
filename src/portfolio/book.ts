/**
 * The book: every path's portfolio at once, as a struct of arrays.
 *
 * - a cash account accruing at the short rate (plus a borrowing spread when negative), unless the
 *   run's financing convention is `unfinanced` (cash earns and pays nothing — Hull's convention in
 *   Table 19.4);
 * - units held per asset (which earn the asset's carry yield — dividends, coupons — into cash);
 * - position lines (position-line.ts): options, digitals, forwards and futures opened at any step,
 *   with per-path quantity, strike, expiry and barrier state, revalued every step with the run's
 *   pricing vol (contract-pricer.ts); expiries and knock-outs settle automatically into cash.
 *
 * The engine calls `accrue` and `mark` every step; the executor (execute.ts) trades. Accounting
 * arrays record fees, premiums, turnover and trades. Strategies see the read-only `BookView`.
 *
 * Shape: every per-path array has length nPaths.
 * References: Hull, Options, Futures and Other Derivatives (10th ed.), ch. 5 (forwards), 19 (hedging).
 */
import { DomainError } from '../core/errors.ts';
import { EXPIRY_EPS } from '../core/time.ts';
import { payoff } from '../instruments/payoff.ts';
import type { DerivativeTerms } from '../instruments/terms.ts';
import { isDownBarrier, isKnockIn } from '../instruments/terms.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { MarketView } from '../market/market-view.ts';
import type { PricingVol } from '../market/pricing-vol.ts';
import { type AccrualConstants, createExecArena, type ExecArena } from '../wasm/exec-kernel.ts';
import {
  addPositionGreeks,
  ContractPricer,
  coversMask,
  FIRST_ORDER,
  type GreekMask,
  type GreeksBlock,
  type Mutable,
  sharedOf,
  unionMask,
} from './contract-pricer.ts';
import type { Ledger } from './ledger.ts';
import { CODE_VANILLA, LineArena } from './line-arena.ts';
import { type LineId, leastOf, PositionLine, type PositionLineView } from './position-line.ts';
import { VanillaBatchPricer, type VanillaLine } from './vanilla-batch.ts';

export { BGK_BETA } from './contract-pricer.ts';

/**
 * Below this many paths the marks price a book's European vanillas in one kernel call: per-call
 * overhead then outweighs the arithmetic (a live book has one path and may hold hundreds of options).
 * At this size and above, one call per line is already a batch (the WebAssembly kernel's threshold).
 */
const BATCH_BELOW_PATHS = 64;

export { EXPIRY_EPS };

/** How cash is financed: at the short rate (default) or not at all (the hedge's cash flows unfinanced). */
export type Financing = 'financed' | 'unfinanced';

export interface BookOptions {
  /** Extra rate paid on negative cash, annual decimal (default 0). */
  readonly borrowSpread?: number;
  /** Financing convention of cash (default 'financed'). */
  readonly financing?: Financing;
  /**
   * Greeks the marks compute beyond price and Δ: what the book's consumers read (the strategy's
   * declaration, P&L attribution wants all). Default FIRST_ORDER (Γ and ν).
   */
  readonly markGreeks?: GreekMask;
  /**
   * Whether a one-path book keeps its lines in a LineArena (default true; ignored for several
   * paths). False keeps every line's own arrays — the same numbers through the per-line code paths
   * (the tests compare the two).
   */
  readonly lineArena?: boolean;
  /**
   * One of the market's spot arrays (the engine passes its source's): when it is the WebAssembly GBM
   * kernel's state, the book's executor arena lives in that memory and the kernels read the spots
   * in place, without copies (src/wasm/exec-kernel.ts). Only where the book's value arrays are not
   * kept past the simulation on that memory (its next one reuses the room): the engine's chunks.
   */
  readonly market?: Float64Array;
}

/** Read-only face of the book that strategies (and metrics) see. */
export interface BookView {
  readonly nPaths: number;
  readonly assets: readonly AssetSpec[];
  readonly cash: Float64Array;
  readonly units: readonly Float64Array[];
  /** The position lines in use, in book order. */
  readonly lines: readonly PositionLineView[];
  /**
   * Mark-to-market portfolio value after the last `mark` (and the trades since) — unless that mark
   * skipped the values (`valueStale`: no one of the step reads them, see `Book.mark`).
   */
  readonly value: Float64Array;
  /**
   * True after a mark that skipped the values and the European options' prices (lazy values: the
   * stepper asks for them only on steps where someone reads them, the run's last step included).
   * `value` and those lines' `greeks.price` are then stale; everything else is current.
   */
  readonly valueStale: boolean;
  readonly initialValue: number;
  /** Cumulative transaction costs (commissions, spreads, fees), currency. */
  readonly fees: Float64Array;
  /** Cumulative net option premium paid at mid (bought − sold), currency. */
  readonly premiums: Float64Array;
  /** Cumulative traded notional of assets (|Δunits|·S), currency. */
  readonly turnover: Float64Array;
  /** Number of trades (each asset or line quantity change on a path counts 1). */
  readonly trades: Float64Array;
  /** The line with this id, or undefined once it was freed (settled, knocked out, closed). */
  line(id: LineId): PositionLineView | undefined;
  /**
   * Net Greeks of everything held on `asset` per path (units count as Δ = 1): Σ qty·greek over the
   * lines plus the units; `price` receives the value of those holdings. Γ and ν are computed on
   * demand when the marks skip them; Θ, vanna and volga are 0 unless the marks compute them
   * (BookOptions.markGreeks). Call after the step's mark. Shape: out.* [nPaths].
   */
  exposure(asset: number, out: GreeksBlock): void;
  /**
   * A one-path book's line storage by slot (`PositionLineView.slot`), for loops over many lines;
   * undefined for several paths (or BookOptions.lineArena false). Read-only for strategies.
   */
  readonly arena: LineArena | undefined;
  /** With an arena: the slots of `lines` in order (entries 0 … lines.length − 1). */
  readonly lineSlots: Int32Array;
}

/** A book's state as plain data (`Book.snapshot`). */
export type BookSnapshot = ReturnType<Book['state']>;

export class Book implements BookView {
  readonly nPaths: number;
  readonly assets: readonly AssetSpec[];
  readonly cash: Float64Array;
  readonly units: Float64Array[];
  readonly value: Float64Array;
  valueStale = false;
  readonly initialValue: number;
  readonly fees: Float64Array;
  readonly premiums: Float64Array;
  readonly turnover: Float64Array;
  readonly trades: Float64Array;
  /** Every line slot, in use or free. */
  readonly slots: PositionLine[] = [];
  /** The lines in use (rebuilt when lines open or free; strategies iterate it). */
  lines: PositionLine[] = [];
  readonly arena: LineArena | undefined;
  /**
   * With an arena: the slots of `lines`, in order (entries 0 … lines.length − 1), so the one-path
   * loops read the arena without touching the line objects.
   */
  lineSlots = new Int32Array(0);
  /** Per line of the current mark (book order): positions left live by `settle` (all paths: n). */
  private liveCount = new Int32Array(8);
  /** Slots of the vanillas batched by the current mark (with an arena). */
  private vanillaSlots = new Int32Array(0);
  readonly pricer: ContractPricer;
  /**
   * The WebAssembly memory holding this book's cash, value, units and the rest (several paths, the
   * kernels on), from which its target sink and rebalancing mask take their arrays too.
   */
  readonly exec: ExecArena | undefined;
  /** The per-step constants `accrueAndMark` hands the arena's kernel (reused: no allocation per step). */
  private readonly accrual: Mutable<AccrualConstants> = {
    financed: false,
    gUp: 1,
    gDown: 1,
    k0: 0,
    k1: 0,
    k2: 0,
    carry: 0,
  };
  readonly markGreeks: GreekMask;
  /** The marks' Greeks plus Γ and ν (what `ensureFirstOrder` computes). */
  private readonly withFirstOrder: GreekMask;
  private readonly borrowSpread: number;
  private readonly financed: boolean;
  /**
   * Lines in use by id (ids are 0, 1, 2, … in opening order; a freed id holds undefined): an array,
   * since strategies look lines up by id for every line at every step.
   */
  private readonly byId: (PositionLine | undefined)[] = [];
  private nextId = 0;

  constructor(nPaths: number, assets: readonly AssetSpec[], initialValue: number, opts: BookOptions = {}) {
    if (!(Number.isFinite(initialValue) && initialValue > 0))
      throw new DomainError('initialValue', initialValue, 'must be > 0');
    this.nPaths = nPaths;
    this.assets = assets;
    this.initialValue = initialValue;
    // Several paths: the executor's arrays in a WebAssembly memory (the market's, or one of their own),
    // where its asset trades run in place (src/wasm/exec-kernel.ts); else, or without the kernels,
    // plain arrays.
    const ex = nPaths >= BATCH_BELOW_PATHS ? createExecArena(nPaths, assets.length, opts.market) : null;
    this.exec = ex ?? undefined;
    const f = () => (ex ? ex.f64() : new Float64Array(nPaths));
    this.cash = f().fill(initialValue);
    this.units = assets.map(() => f());
    this.value = f().fill(initialValue);
    this.fees = f();
    this.premiums = f();
    this.turnover = f();
    this.trades = f();
    this.borrowSpread = opts.borrowSpread ?? 0;
    this.financed = (opts.financing ?? 'financed') === 'financed';
    this.markGreeks = opts.markGreeks ?? FIRST_ORDER;
    this.withFirstOrder = unionMask(this.markGreeks, FIRST_ORDER);
    this.pricer = new ContractPricer(nPaths, assets);
    this.arena = nPaths === 1 && opts.lineArena !== false ? new LineArena(64) : undefined;
  }

  /** A new line for slot `s` (= slots.length): bound to the arena (grown if full) when there is one. */
  private newLine(s: number): PositionLine {
    const arena = this.arena;
    if (arena === undefined) {
      const line = new PositionLine(this.nPaths);
      // The quantities and Δ in the executor's memory while it has rows for them (LINE_ROWS): the mark
      // counts the live positions there, and a hedge's targets come from them there; plain arrays after.
      const ex = this.exec;
      if (ex !== undefined) {
        line.qty = ex.f64();
        line.greeks = { ...line.greeks, delta: ex.f64() };
      }
      return line;
    }
    if (s >= arena.capacity) {
      arena.grow();
      for (let k = 0; k < this.slots.length; k++) arena.bind(this.slots[k], k);
    }
    return new PositionLine(1, arena, s);
  }

  line(id: LineId): PositionLine | undefined {
    return this.byId[id];
  }

  /**
   * Opens a line (the TargetSink calls this when a strategy opens a contract): takes the lowest
   * free slot, copies the per-path strike / absolute expiry / barrier, holds nothing yet.
   * Forwards and futures opened with a NaN strike get the fair delivery price S·e^{(r−q)τ}.
   * @throws DomainError for an asset index outside the market (a programming error in a strategy)
   */
  openLine(
    terms: DerivativeTerms,
    view: MarketView,
    strike: Float64Array | number,
    expiry: Float64Array | number,
    barrier?: Float64Array | number,
  ): LineId {
    if (!(Number.isInteger(terms.asset) && terms.asset >= 0 && terms.asset < this.assets.length))
      throw new DomainError('asset', terms.asset, `must be an asset index in [0, ${this.assets.length})`);
    let line = this.slots.find((l) => !l.active);
    if (!line) {
      line = this.newLine(this.slots.length);
      this.slots.push(line);
    }
    line.id = this.nextId++;
    line.terms = terms;
    this.arena?.describe(line.slot, line.id, terms);
    line.assetName = this.assets[terms.asset].name;
    line.active = true;
    line.fresh = true;
    line.closing = false;
    line.ensured = -1;
    line.qty.fill(0);
    line.knocked.fill(0);
    const fill = (dst: Float64Array, x: Float64Array | number | undefined) =>
      typeof x === 'number' || x === undefined ? dst.fill(x ?? Number.NaN) : dst.set(x);
    fill(line.strike, strike);
    fill(line.expiry, expiry);
    line.firstExpiry = leastOf(line.expiry);
    fill(line.barrier, barrier);
    if (
      (terms.kind === 'forward' || terms.kind === 'future') &&
      typeof strike === 'number' &&
      Number.isNaN(strike)
    ) {
      const S = view.spot[terms.asset];
      const q = this.assets[terms.asset].carry ?? 0;
      for (let p = 0; p < this.nPaths; p++)
        line.strike[p] = S[p] * Math.exp((view.rate - q) * (line.expiry[p] - view.t));
    }
    line.oneStrike = sharedOf(line.strike);
    line.oneExpiry = sharedOf(line.expiry);
    this.byId[line.id] = line;
    this.relist();
    return line.id;
  }

  /** Frees a line (its quantities must already be 0 on every path). */
  private free(line: PositionLine): void {
    line.active = false;
    line.fresh = false;
    line.closing = false;
    this.byId[line.id] = undefined;
  }

  private relist(): void {
    this.lines = this.slots.filter((l) => l.active);
    if (this.arena === undefined) return;
    const L = this.lines.length;
    if (this.lineSlots.length < L) {
      this.lineSlots = new Int32Array(2 * L);
      this.vanillaSlots = new Int32Array(2 * L);
    }
    for (let k = 0; k < L; k++) this.lineSlots[k] = this.lines[k].slot;
  }

  /** Frees every line that holds nothing on any path and is settled or closing (after execution). */
  releaseEmpty(onlyClosing: boolean): void {
    let changed = false;
    for (const line of this.slots) {
      if (!line.active || (onlyClosing && !line.closing)) continue;
      line.fresh = false;
      let held = false;
      for (let p = 0; p < this.nPaths; p++) if (line.qty[p] !== 0) held = true;
      if (!held) {
        this.free(line);
        changed = true;
      }
    }
    if (changed) this.relist();
  }

  /**
   * Interest on cash over the step just ended (at the rate that held over it) and carry income
   * (dividend / coupon / convenience yield) of the units held: cash·(e^{r·dt} − 1) with r + spread
   * on negative cash (nothing under the unfinanced convention), plus Σ units·S·(e^{q·dt} − 1).
   */
  accrue(dt: number, rate: number, prevSpot?: readonly Float64Array[]): void {
    if (dt <= 0) return;
    if (this.financed) {
      const gUp = Math.exp(rate * dt);
      const gDown = Math.exp((rate + this.borrowSpread) * dt);
      const cash = this.cash;
      const n = this.nPaths;
      // In WebAssembly when the cash lives in the executor's arena (the same bits: exec-kernel.ts).
      // Without a borrowing spread both rates are one: no sign test (a levered book's cash changes
      // sign from path to path, an unpredictable branch).
      if (!this.exec?.accrueCash(cash, gUp, gDown)) {
        if (gUp === gDown) for (let p = 0; p < n; p++) cash[p] *= gUp;
        else
          for (let p = 0; p < n; p++) {
            const c = cash[p];
            cash[p] = c * (c >= 0 ? gUp : gDown);
          }
      }
    }
    if (prevSpot) this.accrueCarry(dt, prevSpot);
  }

  /** Carry income of the units held over dt, paid on the start-of-step prices `prevSpot`. */
  accrueCarry(dt: number, prevSpot: readonly Float64Array[]): void {
    if (dt <= 0) return;
    const cash = this.cash;
    const n = this.nPaths;
    for (let a = 0; a < this.assets.length; a++) {
      const q = this.assets[a].carry ?? 0;
      if (q === 0) continue;
      const u = this.units[a];
      const S = prevSpot[a];
      const k = Math.expm1(q * dt);
      for (let p = 0; p < n; p++) cash[p] += u[p] * S[p] * k;
    }
  }

  /**
   * Settles what expires or knocks out at this step, revalues every line, frees lines that hold
   * nothing any more, and writes `value`. Call after the market moved (and after `accrue`).
   * With `values` false (no one reads this step's values: the stepper knows) a book of several paths
   * skips `value` and its European options' prices — their Δ and the Greeks asked for are computed
   * as always, with the same bits — and sets `valueStale` (`ensurePrice` fills a line's price in).
   */
  mark(view: MarketView, vols: PricingVol, ledger?: Ledger, values = true): void {
    this.lastSpot = view.spot;
    this.marks++;
    let freed = false;
    // Lazy values: a mark no one reads the values of skips them and the European options' prices
    // (several paths only: a few-path book prices its vanillas in one batch that includes the price).
    const lazy = !values && this.nPaths >= BATCH_BELOW_PATHS;
    // Few paths (a live book): European vanillas are priced together in one kernel call.
    const batching = this.nPaths < BATCH_BELOW_PATHS;
    const vanillas = this.vanillas;
    // Refilled in place: `length = 0` would drop the array's storage and regrow it at every mark.
    let nv = 0;
    const one = this.nPaths === 1;
    const t = view.t;
    const A = this.arena;
    const L = this.lines.length;
    for (let k = 0; k < L; k++) {
      if (A !== undefined) {
        // The arena's common case without touching the line: a European vanilla that is live and
        // not due goes to the batch, one that holds nothing is freed (what the general code below
        // does with it, in the same order).
        const s = this.lineSlots[k];
        if (A.code[s] === CODE_VANILLA) {
          const q = A.qty[s];
          if (!(q !== 0 && A.expiry[s] - t <= EXPIRY_EPS)) {
            if (q !== 0) {
              this.vanillaSlots[nv] = s;
              vanillas[nv++] = this.slots[s] as VanillaLine;
            } else {
              this.free(this.slots[s]);
              freed = true;
            }
            continue;
          }
        }
      }
      const line = this.lines[k];
      // One path, no barrier, not due (settle's own count, without its setup): the common case.
      let live: number;
      if (one && !hasBarrier(line)) {
        const q = A !== undefined ? A.qty[line.slot] : line.qty[0];
        const T = A !== undefined ? A.expiry[line.slot] : line.expiry[0];
        live = !(q !== 0 && T - t <= EXPIRY_EPS) ? (q !== 0 ? 1 : 0) : this.settle(line, view, ledger);
      } else live = this.settle(line, view, ledger);
      if (k >= this.liveCount.length) this.liveCount = new Int32Array(2 * L);
      this.liveCount[k] = live;
      if (live > 0 && line.terms.kind === 'future') this.variationMargin(line, view);
      if (live > 0) {
        const terms = line.terms;
        if (batching && terms.kind === 'option' && terms.style === 'european' && !terms.barrier) {
          if (A !== undefined) this.vanillaSlots[nv] = line.slot;
          vanillas[nv++] = line as VanillaLine;
        } else this.price(line, view, vols, this.markGreeks, !lazy);
      } else {
        this.free(line);
        freed = true;
      }
    }
    if (vanillas.length !== nv) vanillas.length = nv;
    if (nv > 0) {
      this.pricedView = view;
      this.pricedVols = vols;
      this.vanillaPricer ??= new VanillaBatchPricer(this.nPaths, this.assets);
      this.vanillaPricer.price(vanillas, view, vols, this.markGreeks, A, this.vanillaSlots);
    }
    this.valueStale = lazy;
    // zeroFlat over every line of the mark (freed ones too) — except lines that hold something on
    // every path (nothing to zero: settle counted them) — each line's value added as it goes:
    // `revalue`'s sums in its order (a freed line holds nothing, so adds nothing).
    const n = this.nPaths;
    if (lazy) {
      for (let k = 0; k < L; k++) if (this.liveCount[k] < n) this.zeroFlat(this.lines[k], view);
    } else {
      this.revalueUnits(view);
      if (one) this.flatAndValueOne(t);
      else
        for (let k = 0; k < L; k++) {
          const line = this.lines[k];
          if (this.liveCount[k] < n) this.zeroFlat(line, view);
          this.addLineValue(line);
        }
    }
    if (freed) this.relist();
  }

  /** zeroFlat and addLineValue of every line on a one-path book, without a call per line. */
  private flatAndValueOne(t: number): void {
    const all = this.markGreeks.theta || this.markGreeks.vanna || this.markGreeks.volga;
    const v = this.value;
    const lines = this.lines;
    const A = this.arena;
    if (A !== undefined) {
      // The same loop on the arena's arrays (by slot): no per-line typed-array objects to load.
      const { qty, expiry, price, delta, gamma, vega, theta, vanna, volga } = A;
      const slots = this.lineSlots;
      for (let k = 0; k < lines.length; k++) {
        const s = slots[k];
        const q = qty[s];
        if (q === 0 && !(expiry[s] - t > EXPIRY_EPS)) {
          price[s] = 0;
          delta[s] = 0;
          gamma[s] = 0;
          vega[s] = 0;
          if (all) theta[s] = vanna[s] = volga[s] = 0;
        }
        if (q !== 0) v[0] += q * price[s];
      }
      return;
    }
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k];
      const q = line.qty[0];
      const g = line.greeks;
      if (q === 0 && !(line.expiry[0] - t > EXPIRY_EPS)) {
        g.price[0] = 0;
        g.delta[0] = 0;
        g.gamma[0] = 0;
        g.vega[0] = 0;
        if (all) g.theta[0] = g.vanna[0] = g.volga[0] = 0;
      }
      if (q !== 0) v[0] += q * g.price[0];
    }
  }

  /**
   * Daily settlement of a future: cash += qty·(Fₜ − F_last), Fₜ = S·e^{(r−q)τ}, and the settlement
   * price becomes the line's reference (its `strike`), so the position is worth 0 after it. At
   * expiry `settle` pays the last difference S_T − F_last (the future's payoff against its reference).
   * References: Hull, Options, Futures and Other Derivatives (10th ed.) §2.4 (daily settlement).
   */
  private variationMargin(line: PositionLine, view: MarketView): void {
    const n = this.nPaths;
    const a = line.terms.asset;
    const S = view.spot[a];
    const q = this.assets[a].carry ?? 0;
    const r = view.rate;
    const t = view.t;
    const K = line.strike;
    const qty = line.qty;
    const cash = this.cash;
    for (let p = 0; p < n; p++) {
      const x = qty[p];
      if (x === 0) continue;
      const F = S[p] * Math.exp((r - q) * (line.expiry[p] - t));
      cash[p] += x * (F - K[p]);
      K[p] = F;
    }
  }

  /**
   * Prices a line's contracts on every path (whatever the quantity), computing `want` (default the
   * marks' `markGreeks`); a European option's price is skipped when `withPrice` is false (a mark
   * without values).
   */
  price(
    line: PositionLine,
    view: MarketView,
    vols: PricingVol,
    want: GreekMask = this.markGreeks,
    withPrice = true,
  ): void {
    this.pricedView = view;
    this.pricedVols = vols;
    if (withPrice) line.priced = this.marks;
    this.pricer.price(
      line.terms,
      view,
      vols,
      line.strike,
      line.expiry,
      line.barrier,
      line.knocked,
      want,
      line.greeks,
      line.vol,
      withPrice,
      line,
    );
  }

  /**
   * Makes sure `line.greeks.price` is current after a mark that skipped it (`valueStale`): prices the
   * line from the mark's own inputs, then zeroes its expired, empty paths as the mark does — the bits
   * an eager mark gives. For readers of a line's price in a step without values: `exposure`, the
   * executor trading an open line at its mark.
   */
  ensurePrice(line: PositionLine): void {
    if (!this.valueStale || line.priced === this.marks) return;
    const view = this.pricedView;
    const vols = this.pricedVols;
    if (view === undefined || vols === undefined) return;
    this.price(line, view, vols);
    this.zeroFlat(line, view);
  }

  /**
   * Makes sure `line.greeks` holds Γ and ν at the current mark. The marks compute `markGreeks` only
   * (a delta hedge reads price and Δ); a consumer that needs Γ and ν beyond that — `exposure`, the
   * executor pricing an option's spread through vega — gets them here, once per line and mark, from
   * the same kernel and inputs as the mark (so price and Δ are rewritten with the same bits). Call
   * between a step's mark and the next market move (decisions, execution, reports all are).
   */
  ensureFirstOrder(line: PositionLine): void {
    if (coversMask(this.markGreeks, FIRST_ORDER) || line.ensured === this.marks) return;
    const view = this.pricedView;
    const vols = this.pricedVols;
    if (view === undefined || vols === undefined) return; // nothing priced yet: no mark to complete
    this.price(line, view, vols, this.withFirstOrder);
    line.ensured = this.marks;
  }

  /**
   * Zeroes marks and Greeks where the contract has expired and nothing is held: the pricer gave those
   * paths a dummy τ, so their values are meaningless. A live contract keeps its mark where nothing is
   * held, since a strategy may buy it there in this step, and it trades at that mark.
   */
  private zeroFlat(line: PositionLine, view: MarketView): void {
    // The view, not its t: a double argument is boxed at every call of a method V8 does not inline.
    const t = view.t;
    const q = line.qty;
    const T = line.expiry;
    const g = line.greeks;
    const n = this.nPaths;
    const all = this.markGreeks.theta || this.markGreeks.vanna || this.markGreeks.volga;
    for (let p = 0; p < n; p++) {
      if (q[p] === 0 && !(T[p] - t > EXPIRY_EPS)) {
        g.price[p] = 0;
        g.delta[p] = 0;
        g.gamma[p] = 0;
        g.vega[p] = 0;
        if (all) g.theta[p] = g.vanna[p] = g.volga[p] = 0;
      }
    }
  }

  /**
   * `accrue(dt, rate, prevSpot)` then `mark(view, vols, ledger, values)`. A book of 3 assets without position
   * lines (CPPI, TIPP, buy-and-hold, …: nothing to price) does both in one pass over the paths —
   * interest, carry in asset order, then the value — with the same operations in the same order as
   * the separate passes, so the same bits; any other book takes the separate passes.
   */
  accrueAndMark(
    dt: number,
    rate: number,
    prevSpot: readonly Float64Array[],
    view: MarketView,
    vols: PricingVol,
    ledger?: Ledger,
    values = true,
  ): void {
    if (this.lines.length > 0 || this.units.length !== 3 || !(dt > 0)) {
      this.accrue(dt, rate, prevSpot);
      this.mark(view, vols, ledger, values);
      return;
    }
    this.lastSpot = view.spot;
    this.marks++;
    this.valueStale = false; // nothing to price: the values cost one sum
    const n = this.nPaths;
    const fin = this.financed;
    const gUp = fin ? Math.exp(rate * dt) : 1;
    const gDown = fin ? Math.exp((rate + this.borrowSpread) * dt) : 1;
    const q0 = this.assets[0].carry ?? 0;
    const q1 = this.assets[1].carry ?? 0;
    const q2 = this.assets[2].carry ?? 0;
    const k0 = Math.expm1(q0 * dt);
    const k1 = Math.expm1(q1 * dt);
    const k2 = Math.expm1(q2 * dt);
    // In WebAssembly when the book's arrays live in its arena (the same bits: exec-kernel.ts).
    const acc = this.accrual;
    acc.financed = fin;
    acc.gUp = gUp;
    acc.gDown = gDown;
    acc.k0 = k0;
    acc.k1 = k1;
    acc.k2 = k2;
    acc.carry = (q0 !== 0 ? 1 : 0) | (q1 !== 0 ? 2 : 0) | (q2 !== 0 ? 4 : 0);
    if (this.exec?.accrueMark3(this.cash, this.value, this.units, view.spot, prevSpot, acc)) return;
    const u0 = this.units[0];
    const u1 = this.units[1];
    const u2 = this.units[2];
    const P0 = prevSpot[0];
    const P1 = prevSpot[1];
    const P2 = prevSpot[2];
    const s0 = view.spot[0];
    const s1 = view.spot[1];
    const s2 = view.spot[2];
    const cash = this.cash;
    const v = this.value;
    const oneRate = gUp === gDown;
    for (let p = 0; p < n; p++) {
      let c = cash[p];
      if (fin) c = c * (oneRate || c >= 0 ? gUp : gDown);
      if (q0 !== 0) c += u0[p] * P0[p] * k0;
      if (q1 !== 0) c += u1[p] * P1[p] * k1;
      if (q2 !== 0) c += u2[p] * P2[p] * k2;
      cash[p] = c;
      v[p] = c + u0[p] * s0[p] + u1[p] * s1[p] + u2[p] * s2[p];
    }
  }

  /** value = cash + Σ units·S + Σ qty·mark over the lines. */
  revalue(view: MarketView): void {
    this.revalueUnits(view);
    for (const line of this.lines) this.addLineValue(line);
  }

  /** value = cash + Σ units·S (the first part of `revalue`). */
  private revalueUnits(view: MarketView): void {
    const n = this.nPaths;
    const v = this.value;
    const U = this.units;
    const nA = U.length;
    if (nA === 0) v.set(this.cash);
    // Up to three assets per pass (one pass for ≤ 3 assets), summed in asset order: the same
    // additions in the same order as one pass per asset, so the values are bit-identical.
    for (let a = 0; a < nA; a += 3) {
      const src = a === 0 ? this.cash : v;
      const u0 = U[a];
      const s0 = view.spot[a];
      if (a + 1 === nA) {
        for (let p = 0; p < n; p++) v[p] = src[p] + u0[p] * s0[p];
        break;
      }
      const u1 = U[a + 1];
      const s1 = view.spot[a + 1];
      if (a + 2 === nA) {
        for (let p = 0; p < n; p++) v[p] = src[p] + u0[p] * s0[p] + u1[p] * s1[p];
        break;
      }
      const u2 = U[a + 2];
      const s2 = view.spot[a + 2];
      for (let p = 0; p < n; p++) v[p] = src[p] + u0[p] * s0[p] + u1[p] * s1[p] + u2[p] * s2[p];
    }
  }

  /** value += qty·mark of one line where it holds something (the second part of `revalue`). */
  private addLineValue(line: PositionLine): void {
    const n = this.nPaths;
    const v = this.value;
    const q = line.qty;
    const m = line.greeks.price;
    for (let p = 0; p < n; p++) if (q[p] !== 0) v[p] += q[p] * m[p];
  }

  exposure(asset: number, out: GreeksBlock): void {
    const n = this.nPaths;
    const S = this.lastSpot?.[asset];
    const u = this.units[asset];
    for (let p = 0; p < n; p++) {
      out.price[p] = S ? u[p] * S[p] : 0;
      out.delta[p] = u[p];
    }
    out.gamma.fill(0);
    out.vega.fill(0);
    out.theta.fill(0);
    out.vanna.fill(0);
    out.volga.fill(0);
    for (const line of this.lines) {
      if (line.terms.asset !== asset) continue;
      this.ensureFirstOrder(line);
      this.ensurePrice(line);
      addPositionGreeks(out, line.qty, line.greeks, true);
    }
  }

  /** The book's state as plain data (engine snapshots): a deep copy of `state()`. */
  snapshot(): BookSnapshot {
    // The per-path arrays copied out first: they may be views on the executor's memory, whose
    // whole buffer structuredClone would otherwise copy with each of them.
    const s = this.state();
    return structuredClone({
      ...s,
      cash: s.cash.slice(),
      units: s.units.map((u) => u.slice()),
      value: s.value.slice(),
      fees: s.fees.slice(),
      premiums: s.premiums.slice(),
      turnover: s.turnover.slice(),
      trades: s.trades.slice(),
    });
  }

  /** Restores a snapshot of a book with the same paths and assets. */
  restore(saved: unknown): void {
    const s = saved as BookSnapshot;
    this.cash.set(s.cash);
    s.units.forEach((u, a) => {
      this.units[a].set(u);
    });
    this.value.set(s.value);
    this.valueStale = s.valueStale ?? false; // snapshots from before lazy values have none
    this.fees.set(s.fees);
    this.premiums.set(s.premiums);
    this.turnover.set(s.turnover);
    this.trades.set(s.trades);
    this.nextId = s.nextId;
    this.byId.length = 0;
    s.slots.forEach((x, i) => {
      const l = (this.slots[i] ??= this.newLine(i));
      l.id = x.id;
      l.terms = structuredClone(x.terms);
      l.assetName = x.assetName;
      l.active = x.active;
      l.fresh = x.fresh;
      l.closing = x.closing;
      l.qty.set(x.qty);
      l.strike.set(x.strike);
      l.expiry.set(x.expiry);
      l.firstExpiry = leastOf(l.expiry);
      l.oneStrike = sharedOf(l.strike);
      l.oneExpiry = sharedOf(l.expiry);
      l.barrier.set(x.barrier);
      l.knocked.set(x.knocked);
      for (const k of Object.keys(l.greeks) as (keyof GreeksBlock)[]) l.greeks[k].set(x.greeks[k]);
      l.vol.set(x.vol);
      this.arena?.describe(i, l.id, l.terms);
      if (l.active) this.byId[l.id] = l;
    });
    this.slots.length = s.slots.length;
    this.relist();
  }

  /** The mutable state, by reference. */
  private state() {
    return {
      cash: this.cash,
      units: this.units,
      value: this.value,
      valueStale: this.valueStale,
      fees: this.fees,
      premiums: this.premiums,
      turnover: this.turnover,
      trades: this.trades,
      nextId: this.nextId,
      slots: this.slots.map((l) => ({
        id: l.id,
        terms: l.terms,
        assetName: l.assetName,
        active: l.active,
        fresh: l.fresh,
        closing: l.closing,
        qty: l.qty,
        strike: l.strike,
        expiry: l.expiry,
        barrier: l.barrier,
        knocked: l.knocked,
        greeks: l.greeks,
        vol: l.vol,
      })),
    };
  }

  /** Called for every settlement (expiry or knock-out) with the payoff per unit (P&L attribution). */
  onSettle: ((line: PositionLine, p: number, payoffPerUnit: number) => void) | undefined;

  /** The spots of the last mark or trade (for `exposure`'s holding values). */
  lastSpot: readonly Float64Array[] | undefined;
  /** European vanilla lines of the current mark (priced in one batch when the book has few paths). */
  private readonly vanillas: VanillaLine[] = [];
  private vanillaPricer: VanillaBatchPricer | undefined;
  /** Marks so far (stamps the Greeks computed on demand). */
  private marks = 0;
  /** The market and vols of the last pricing (what `ensureFirstOrder` completes). */
  private pricedView: MarketView | undefined;
  private pricedVols: PricingVol | undefined;

  /** Knocks barriers and settles expiries of one line; returns how many positions remain live. */
  private settle(line: PositionLine, view: MarketView, ledger: Ledger | undefined): number {
    const n = this.nPaths;
    const S = view.spot[line.terms.asset];
    const terms = line.terms;
    const b = terms.kind === 'option' ? terms.barrier : undefined;
    const isDown = b !== undefined && isDownBarrier(b);
    const isOut = b !== undefined && !isKnockIn(b);
    let live = 0;
    // Locals: the (rare) payoff and ledger calls in the loop would otherwise make V8 reload them per path.
    const qty = line.qty;
    const expiry = line.expiry;
    const knocked = line.knocked;
    const strike = line.strike;
    const H = line.barrier;
    const cash = this.cash;
    const t = view.t;
    const rec = ledger?.recording;
    if (!b) {
      // Before the line's earliest expiry nothing is due: only count the live positions.
      if (line.firstExpiry - t > EXPIRY_EPS) {
        const c = this.exec?.countLive(qty) ?? -1; // WebAssembly: qty in the executor's memory
        if (c >= 0) return c;
        for (let p = 0; p < n; p++) if (qty[p] !== 0) live++;
        return live;
      }
      // Most steps settle nothing: count the live positions in a loop without calls (V8 keeps it
      // tight), and run the settling loop below only when some position is due. No writes here,
      // so the settling loop sees the same state either way.
      let due = false;
      for (let p = 0; p < n; p++) {
        if (qty[p] === 0) continue;
        if (expiry[p] - t <= EXPIRY_EPS) {
          due = true;
          break;
        }
        live++;
      }
      if (!due) return live;
      live = 0;
    }
    for (let p = 0; p < n; p++) {
      const q = qty[p];
      if (q === 0) continue;
      if (b && knocked[p] === 0) {
        // Discrete monitoring at every step of the source.
        if (isDown ? S[p] <= H[p] : S[p] >= H[p]) {
          knocked[p] = 1;
          if (isOut) {
            cash[p] += q * b.rebate;
            this.onSettle?.(line, p, b.rebate);
            if (rec !== undefined && rec[p] !== 0)
              ledger!.record(p, view.step, t, 'settle', line.contractId(p), -q, b.rebate, 0);
            qty[p] = 0;
            continue;
          }
        }
      }
      if (expiry[p] - t <= EXPIRY_EPS) {
        const pay = payoff(terms, strike[p], S[p], knocked[p] === 1);
        cash[p] += q * pay;
        this.onSettle?.(line, p, pay);
        if (rec !== undefined && rec[p] !== 0)
          ledger!.record(p, view.step, t, 'settle', line.contractId(p), -q, pay, 0);
        qty[p] = 0;
        continue;
      }
      live++;
    }
    return live;
  }
}

/** Whether a line is a barrier option (monitored and knocked in `settle`). */
function hasBarrier(line: PositionLine): boolean {
  const terms = line.terms;
  return terms.kind === 'option' && terms.barrier !== undefined;
}
