/**
 * Event-driven hedge scaling (issue 8 §3): hold the sleeve (buy-and-hold at its weights) and,
 * within a window before each scheduled event the market view announces, buy short-dated,
 * near-the-money puts — the options with the most vega per premium — up to a vega budget; unwind
 * them shortly after the event.
 *
 * For each event at τ (`MarketView.events`, optionally filtered by name), on the hedged asset a:
 *
 *   entry at the first step with τ − window ≤ t < τ:  K = strike·Sₐ(t), expiry t + tenor,
 *     qty = budget·V₀ / (0.01·ν),  ν = ∂P/∂σ per 1.00 vol (the quote at the book's pricing vol),
 *     so the vega bought is qty·ν·0.01 = budget·V₀ per vol point (0 where ν is 0 or not finite);
 *   unwind at the first step with t ≥ τ + after (sold at the mark); at the final observation the
 *   line is left to the book's mark.
 *
 * The premium is paid from cash (a book fully in the sleeve borrows it at r + borrowSpread); the
 * proceeds go back to cash. Entries and unwinds are forced through the rebalancing policy. Per event
 * the strategy reports (`Strategy.diagnostics` → `report`, in `run --json` as `report.details.events`)
 * the mean, std and standard error over paths of the premium (qty·P paid), the vega bought (per vol
 * point, currency) and the P&L (proceeds or final mark − premium, before costs and financing).
 *
 * Pricing: the puts are priced by the run's pricing vol plus the event's jump variance
 * (σ_eff² = σ² + std²/τ for options expiring after it; src/portfolio/contract-pricer.ts), so they
 * cost what a market charges for the event risk.
 *
 * Units: window, tenor, after in years; strike a fraction of spot; vegaBudget a fraction of V₀ per
 * vol point (0.0005 = 0.05 % of V₀ per 0.01 of vol).
 * @example eventHedge({ weights: Float64Array.of(1), asset: 0, window: 5 / 252, tenor: 10 / 252,
 *   strike: 1, vegaBudget: 0.0005, after: 1 / 252 })
 *   // V₀ = 100, S = 100, σ = 20 %: ν(ATM, 10 d) ≈ 7.9 per 1.00 vol, so ≈ 0.63 puts per event
 * References: J. Hull, Options, Futures and Other Derivatives (10th ed.) ch. 19 (vega, short-dated
 * options); E. Derman & M. B. Miller, The Volatility Smile (2016) ch. 3 (event-driven implied vol).
 */
import { z } from 'zod';
import { DomainError, requireNonNegative, requirePositive } from '../core/errors.ts';
import { percentLabel } from '../core/format.ts';
import { nonNegative, positive } from '../core/schema.ts';
import { TIME_EPS, TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import { checkWeights } from '../core/weights.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { BookView } from '../portfolio/book.ts';
import { FIRST_ORDER, type GreeksBlock, greeksBlock } from '../portfolio/contract-pricer.ts';
import type { LineId } from '../portfolio/position-line.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import { defineStrategy, entryWeights } from './definition.ts';
import { addMoments, momentStats } from './moments.ts';
import {
  type Sleeve,
  type Strategy,
  type StrategyDiagnostics,
  type StrategyReport,
  targetSleeve,
} from './types.ts';

export interface EventHedgeParams extends Sleeve {
  /** Index of the asset the puts are written on. */
  readonly asset: number;
  /** Years before an event the puts are bought, > 0. */
  readonly window: number;
  /** Life of the puts, years, > window + after. */
  readonly tenor: number;
  /** Put strike, fraction of the spot at purchase, > 0 (1 = at the money). */
  readonly strike: number;
  /** Vega bought per event, fraction of V₀ per vol point (0.01 of vol), > 0. */
  readonly vegaBudget: number;
  /** Years after the event the puts are sold, ≥ 0. */
  readonly after: number;
  /** Names of the events to hedge; every event when undefined. */
  readonly events?: readonly string[];
  /** Hold the sleeve (buy-and-hold at `weights`; default true) — false for the overlay form. */
  readonly holdSleeve?: boolean;
  readonly name?: string;
}

/** Plain-data state; per tracked event k: premium[k], vega[k], pnl[k]: [nPaths]. */
export interface EventHedgeState {
  readonly v0: Float64Array;
  readonly exposure: Float64Array;
  readonly names: string[];
  readonly times: number[];
  /** 0 waiting, 1 hedged, 2 done. */
  readonly status: number[];
  readonly lines: LineId[];
  readonly premium: Float64Array[];
  readonly vega: Float64Array[];
  readonly pnl: Float64Array[];
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly quote: GreeksBlock;
}

/**
 * The event hedge (rule in the file header).
 * @throws DomainError naming the parameter: `tenor (0.02) must be > window + after (0.0238)`
 * @example eventHedge({ weights: Float64Array.of(1), asset: 0, window: 0.02, tenor: 0.04, strike: 1, vegaBudget: 5e-4, after: 0.004 })
 * References: Hull (10th ed.) ch. 19.
 */
export function eventHedge(params: EventHedgeParams): Strategy<EventHedgeState> {
  checkWeights(params.weights);
  requirePositive('window', params.window);
  requirePositive('tenor', params.tenor);
  requirePositive('strike', params.strike);
  requirePositive('vegaBudget', params.vegaBudget);
  requireNonNegative('after', params.after);
  if (!(params.tenor > params.window + params.after))
    throw new DomainError(
      'tenor',
      params.tenor,
      `must be > window + after (${Number((params.window + params.after).toPrecision(6))})`,
    );
  if (!(Number.isInteger(params.asset) && params.asset >= 0 && params.asset < params.weights.length))
    throw new DomainError('asset', params.asset, `must be an asset index in [0, ${params.weights.length})`);
  const terms: OptionTerms = { kind: 'option', asset: params.asset, type: 'put', style: 'european' };
  const wanted = params.events;
  const a = params.asset;

  return {
    name: params.name ?? `event hedge ${percentLabel(params.strike)}`,
    kind: 'event-hedge',
    init(ctx: StepContext, _book: BookView): EventHedgeState {
      const n = ctx.nPaths;
      const evs = (ctx.events ?? []).filter((e) => !wanted || wanted.includes(e.name));
      const f = () => new Float64Array(n);
      const nan = () => new Float64Array(n).fill(Number.NaN);
      return {
        v0: f(),
        exposure: f(),
        names: evs.map((e) => e.name),
        times: evs.map((e) => e.t),
        status: evs.map(() => 0),
        lines: evs.map(() => -1),
        premium: evs.map(nan),
        vega: evs.map(nan),
        pnl: evs.map(nan),
        strike: f(),
        expiry: f(),
        quote: greeksBlock(n),
      };
    },
    decide(ctx: StepContext, book: BookView, st: EventHedgeState, targets: TargetSink): void {
      const n = ctx.nPaths;
      if (ctx.step === 0) {
        st.v0.set(book.value);
        st.exposure.set(book.value);
        if (params.holdSleeve !== false) targetSleeve(ctx, params, st.exposure, targets);
      }
      const t = ctx.t;
      for (let k = 0; k < st.times.length; k++) {
        const tau = st.times[k];
        if (st.status[k] === 0) {
          if (t >= tau - TIME_EPS) {
            st.status[k] = 2; // the window fell between two observations: nothing bought
            continue;
          }
          if (t < tau - params.window - TIME_EPS || ctx.final) continue;
          const S = ctx.spot[a];
          const K = st.strike;
          for (let p = 0; p < n; p++) K[p] = params.strike * S[p];
          const expiry = st.expiry.fill(t + params.tenor);
          const q = st.quote;
          ctx.quotes.quote(terms, K, expiry, FIRST_ORDER, q);
          const id = targets.open(terms, K, expiry);
          const qty = targets.qty(id);
          const prem = st.premium[k];
          const vega = st.vega[k];
          for (let p = 0; p < n; p++) {
            const nu = q.vega[p];
            const x = nu > 0 && Number.isFinite(nu) ? (params.vegaBudget * st.v0[p]) / (0.01 * nu) : 0;
            const units = Number.isFinite(x) && Number.isFinite(q.price[p]) ? x : 0;
            qty[p] = units;
            prem[p] = units * q.price[p];
            vega[p] = units * nu * 0.01;
            targets.force[p] = 1;
          }
          st.lines[k] = id;
          st.status[k] = 1;
        } else if (st.status[k] === 1) {
          if (t < tau + params.after - TIME_EPS && !ctx.final) continue;
          const line = book.line(st.lines[k]);
          const pnl = st.pnl[k];
          const prem = st.premium[k];
          for (let p = 0; p < n; p++) pnl[p] = (line ? line.qty[p] * line.greeks.price[p] : 0) - prem[p];
          if (!ctx.final && line) {
            targets.close(st.lines[k]);
            targets.force.fill(1);
          }
          st.status[k] = 2;
        }
      }
    },
    diagnostics(st: EventHedgeState): StrategyDiagnostics {
      const totals: Record<string, number> = {};
      st.names.forEach((name, k) => {
        addMoments(totals, `${name}.premium`, st.premium[k]);
        addMoments(totals, `${name}.vega`, st.vega[k]);
        addMoments(totals, `${name}.pnl`, st.pnl[k]);
        totals[`${name}.skipped`] = st.status[k] === 2 && Number.isNaN(st.premium[k][0]) ? 1 : 0;
      });
      return { totals, series: {} };
    },
    report(d: StrategyDiagnostics): StrategyReport {
      const names = [
        ...new Set(
          Object.keys(d.totals)
            .filter((k) => k.endsWith('.premium.n'))
            .map((k) => k.slice(0, -'.premium.n'.length)),
        ),
      ];
      return {
        warnings: names
          .filter((name) => (d.totals[`${name}.skipped`] ?? 0) > 0)
          .map((name) => ({
            code: 'event-skipped',
            message: `${name}: the window fell between two grid points; no puts bought`,
            count: d.totals[`${name}.skipped`] ?? 0,
          })),
        details: {
          events: names.map((name) => ({
            name,
            premium: momentStats(d.totals, `${name}.premium`),
            vega: momentStats(d.totals, `${name}.vega`),
            pnl: momentStats(d.totals, `${name}.pnl`),
          })),
        },
      };
    },
  };
}

/** The registry entry of the event hedge. */
export const eventHedgeDefinition = defineStrategy({
  kind: 'event-hedge',
  summary: 'The sleeve plus short-dated puts bought to a vega budget before scheduled events.',
  sleeve: true,
  shape: {
    asset: z
      .string()
      .optional()
      .describe('Asset the puts are written on; default the sleeve’s largest weight.'),
    window: positive()
      .default(5 / TRADING_DAYS_PER_YEAR)
      .describe('Years before an event the puts are bought (default one trading week).'),
    tenor: positive()
      .default(10 / TRADING_DAYS_PER_YEAR)
      .describe('Life of the puts, years (default two trading weeks); > window + after.'),
    strike: positive().default(1).describe('Put strike, fraction of spot at purchase (1 = at the money).'),
    vegaBudget: positive()
      .default(0.0005)
      .describe('Vega bought per event, fraction of V0 per vol point (0.0005 = 0.05 % of V0).'),
    after: nonNegative()
      .default(1 / TRADING_DAYS_PER_YEAR)
      .describe('Years after the event the puts are sold (default one trading day).'),
    events: z.array(z.string()).optional().describe('Names of the events to hedge; default all.'),
  },
  label: (p) => `event hedge ${percentLabel(p.strike)}`,
  check(p, ctx, issue) {
    if (!(p.tenor > p.window + p.after))
      issue(
        ['tenor'],
        `must be > window + after (${Number((p.window + p.after).toPrecision(6))}): else the puts expire before the unwind`,
        p.tenor,
      );
    if (p.asset !== undefined && !ctx.assets.some((x) => x.name === p.asset))
      issue(['asset'], `must name an asset (${ctx.assets.map((x) => x.name).join(', ')})`, p.asset);
  },
  create: (p, ctx, name) => {
    const weights = entryWeights(p, ctx);
    let asset = p.asset !== undefined ? ctx.assets.findIndex((x) => x.name === p.asset) : -1;
    if (asset < 0)
      for (let i = 0; i < weights.length; i++) if (asset < 0 || weights[i] > weights[asset]) asset = i;
    return eventHedge({
      weights,
      asset,
      window: p.window,
      tenor: p.tenor,
      strike: p.strike,
      vegaBudget: p.vegaBudget,
      after: p.after,
      ...(p.events ? { events: p.events } : {}),
      name,
    });
  },
});

/** Overlay state: the inner strategy's and the event hedge's (plain data). */
export interface EventHedgeOverlayState<S> {
  inner: S;
  events: EventHedgeState;
}

/**
 * The event hedge as an overlay: `inner` runs unchanged and, around each scheduled event, the
 * overlay adds the same short-dated puts to its book (rule in the file header; sized on the book's
 * initial value). Reports merge: the inner strategy's, plus `details.events`.
 * @example eventHedgeOverlay(cppi({ weights, floor: 0.7, multiplier: 3 }), { weights, asset: 0, … })
 * References: Hull (10th ed.) ch. 19.
 */
export function eventHedgeOverlay<S>(
  inner: Strategy<S>,
  params: EventHedgeParams,
): Strategy<EventHedgeOverlayState<S>> {
  const events = eventHedge({ ...params, holdSleeve: false });
  return {
    name: inner.name,
    kind: inner.kind,
    ...(inner.rebalance ? { rebalance: inner.rebalance } : {}),
    ...(inner.greeks ? { greeks: inner.greeks } : {}),
    init(ctx: StepContext, book: BookView): EventHedgeOverlayState<S> {
      return { inner: inner.init(ctx, book), events: events.init(ctx, book) };
    },
    decide(ctx: StepContext, book: BookView, st: EventHedgeOverlayState<S>, targets: TargetSink): void {
      inner.decide(ctx, book, st.inner, targets);
      events.decide(ctx, book, st.events, targets);
    },
    diagnostics(st: EventHedgeOverlayState<S>): StrategyDiagnostics {
      const own = events.diagnostics!(st.events);
      const theirs = inner.diagnostics?.(st.inner);
      return theirs ? { totals: { ...theirs.totals, ...own.totals }, series: theirs.series } : own;
    },
    report(d: StrategyDiagnostics): StrategyReport {
      const own = events.report!(d);
      const theirs = inner.report?.(d);
      if (!theirs) return own;
      return {
        warnings: [...theirs.warnings, ...own.warnings],
        details: { ...theirs.details, ...own.details },
      };
    },
  };
}
