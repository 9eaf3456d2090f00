/**
 * Greek hedge: an option book made delta-gamma or delta-gamma-vega neutral with listed options and
 * the underlying, per asset and path — the article's "mix of options with different strike prices
 * and expirations".
 *
 * Per asset and path, with the book's net Greeks e = (Δ, Γ[, ν]) and the hedge instruments' per-unit
 * Greeks G (k listed options, then the underlying with Δ = 1, Γ = ν = 0), the hedge quantities x solve
 *   G·x = −e                                  (k = 2: delta-gamma; k = 3: delta-gamma-vega)
 * exactly — the square case, solved per path by Gaussian elimination with partial pivoting
 * (hedging/square-solve.ts; no LP inside the per-path loop). Holding x of each instrument leaves the
 * book neutral in every Greek solved for. Where the system is singular or ill-conditioned (a listed
 * option far from the money has almost no gamma or vega, and the exact solve asks for huge
 * positions), each option position is clamped to ±maxHedgeRatio × the book's notional on the asset
 * and the underlying re-solves delta alone: the book stays delta-neutral, gamma (vega) only partly.
 *
 * The hedge options are listed at strikes relative to the spot at listing and a fixed life, and are
 * re-listed every `roll` years (closed, and opened again at the new spot): gamma and vega stay
 * available instead of collapsing into expiry. When the targets trade is the rebalancing policy's
 * decision, as for any strategy.
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), §19.7–19.8 (gamma and
 * vega neutrality); N. Taleb, Dynamic Hedging (1997). Formulas: docs/strategies/greek-hedge.md.
 */
import { z } from 'zod';
import { obj, positive } from '../core/schema.ts';
import { TIME_EPS } from '../core/time.ts';
import { squareHedge, squareHedgeScratch } from '../hedging/square-solve.ts';
import type { BookView } from '../portfolio/book.ts';
import {
  addPositionGreeks,
  FIRST_ORDER,
  type GreeksBlock,
  greeksBlock,
} from '../portfolio/contract-pricer.ts';
import type { HedgeGreek } from '../portfolio/plan-observer.ts';
import type { LineId } from '../portfolio/position-line.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import { defineStrategy } from './definition.ts';
import {
  bookAssets,
  checkLegs,
  legTerms,
  linesExposure,
  type OptionLeg,
  openBook,
  optionBookSchema,
  quotedExposure,
  resolveLegs,
} from './option-book.ts';
import type { Strategy } from './types.ts';

/** A listed hedge option: type, strike as a fraction of the spot at listing, life in years. */
export interface HedgeOptionSpec {
  readonly type: 'call' | 'put';
  readonly strike: number;
  readonly tenor: number;
}

export type Neutralize = 'delta-gamma' | 'delta-gamma-vega';

export interface GreekHedgeParams {
  readonly legs: readonly OptionLeg[];
  readonly neutralize: Neutralize;
  /** One hedge option for delta-gamma, two (different expiries) for delta-gamma-vega. */
  readonly instruments: readonly HedgeOptionSpec[];
  /** Years between re-listings of the hedge options. */
  readonly roll: number;
  /** Cap on each hedge option position, a multiple of the book's notional on the asset (default 5). */
  readonly maxHedgeRatio?: number;
  readonly name?: string;
}

/** Default hedge options: a 3-month ATM call (and a 1-year ATM call for vega). */
export const GREEK_HEDGE_DEFAULTS = {
  'delta-gamma': [{ type: 'call', strike: 1, tenor: 0.25 }],
  'delta-gamma-vega': [
    { type: 'call', strike: 1, tenor: 0.25 },
    { type: 'call', strike: 1, tenor: 1 },
  ],
  roll: 1 / 12,
  maxHedgeRatio: 5,
} as const;

/**
 * Per-chunk state (plain data). Shape: exposure/greeks/solution in the square-solve layout
 * ([k][nPaths], [k][k][nPaths], [k][nPaths]); hedges[j][i] the line of hedge option i on asset j.
 */
export interface GreekHedgeState {
  lines: LineId[];
  /** The book's lines by hedged asset (lines[j]: those on assets[j]), set when the book opens. */
  linesByAsset: LineId[][];
  readonly hedges: LineId[][];
  /**
   * Hedge options closed at a re-listing that are still held (an escalation gate refused the close):
   * from the next step on they are part of the book the solve neutralises (held to expiry, or until
   * the book's end unwinds them), so the book stays neutral in what is solved for.
   */
  retired: LineId[];
  nextRoll: number;
  readonly exposure: Float64Array;
  readonly greeks: Float64Array;
  readonly solution: Float64Array;
  readonly scratch: Float64Array;
  readonly book: GreeksBlock;
  readonly quote: GreeksBlock;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
}

/**
 * A delta-gamma or delta-gamma-vega hedged option book (formulas in the file header).
 * @example greekHedge({ legs, neutralize: 'delta-gamma', instruments: [{ type: 'call', strike: 1, tenor: 0.25 }], roll: 1 / 12 })
 * References: Hull (10th ed.) §19.7–19.8.
 */
export function greekHedge(params: GreekHedgeParams): Strategy<GreekHedgeState> {
  const { legs, neutralize, instruments, roll } = params;
  const k = neutralize === 'delta-gamma' ? 2 : 3;
  const nOpt = k - 1;
  const solves: readonly HedgeGreek[] = k === 2 ? ['delta', 'gamma'] : ['delta', 'gamma', 'vega'];
  const assets = bookAssets(legs);
  const lastExpiry = Math.max(...legs.map((l) => l.expiry));
  // Largest hedge option position per asset: maxHedgeRatio × the book's notional on the asset.
  const ratio = params.maxHedgeRatio ?? GREEK_HEDGE_DEFAULTS.maxHedgeRatio;
  const caps = assets.map(
    (a) => ratio * legs.reduce((t, l) => t + (l.asset === a ? Math.abs(l.quantity) : 0), 0),
  );

  return {
    name: params.name ?? neutralize,
    kind: 'greek-hedge',
    // Γ of the held hedge lines (and the book's); ν too when vega is neutralised.
    greeks: k === 3 ? FIRST_ORDER : { gamma: true },
    init(ctx: StepContext): GreekHedgeState {
      const n = ctx.nPaths;
      return {
        lines: [],
        linesByAsset: assets.map(() => []),
        hedges: assets.map(() => instruments.map(() => -1)),
        retired: [],
        nextRoll: 0,
        exposure: new Float64Array(k * n),
        greeks: new Float64Array(k * k * n),
        solution: new Float64Array(k * n),
        scratch: squareHedgeScratch(k),
        book: greeksBlock(n),
        quote: greeksBlock(n),
        strike: new Float64Array(n),
        expiry: new Float64Array(n),
      };
    },
    decide(ctx: StepContext, bookView: BookView, st: GreekHedgeState, targets: TargetSink): void {
      const n = ctx.nPaths;
      const first = ctx.step === 0;
      if (first) {
        st.lines = openBook(ctx, legs, targets, st.strike);
        st.linesByAsset = assets.map((a) => st.lines.filter((_, k) => legs[k].asset === a));
      }
      const done = ctx.t >= lastExpiry - TIME_EPS;
      if (st.retired.length > 0) st.retired = st.retired.filter((id) => bookView.line(id) !== undefined);
      const relist = !done && !ctx.final && ctx.t >= st.nextRoll - TIME_EPS;
      if (relist) while (st.nextRoll <= ctx.t + TIME_EPS) st.nextRoll += roll;
      for (let j = 0; j < assets.length; j++) {
        const a = assets[j];
        const S = ctx.spot[a];
        if (done) {
          // The book has expired: unwind the hedge.
          targets.units(a).fill(0);
          for (const id of st.hedges[j]) if (id >= 0) targets.close(id);
          for (const id of st.retired) if (bookView.line(id)?.terms.asset === a) targets.close(id);
          continue;
        }
        if (first) quotedExposure(ctx, legs, a, st.book, st);
        else linesExposure(bookView, st.linesByAsset[j], a, st.book);
        for (const id of st.retired) {
          const old = bookView.line(id);
          if (!old || old.terms.asset !== a) continue;
          addPositionGreeks(st.book, old.qty, old.greeks, false); // still held: part of what is hedged
        }
        // e = (Δ, Γ[, ν]) of the book alone.
        const E = st.exposure;
        E.set(st.book.delta, 0);
        E.set(st.book.gamma, n);
        if (k === 3) E.set(st.book.vega, 2 * n);
        // Hedge options: re-list (close, open at the current spot) or read the held lines' marks.
        for (let i = 0; i < nOpt; i++) {
          const spec = instruments[i];
          let id = st.hedges[j][i];
          const held = id >= 0 ? bookView.line(id) : undefined;
          let g: GreeksBlock;
          if (relist || !held) {
            if (held) {
              targets.close(id);
              st.retired.push(id);
            }
            const terms = legTerms({ asset: a, type: spec.type });
            for (let p = 0; p < n; p++) st.strike[p] = spec.strike * S[p];
            st.expiry.fill(ctx.t + spec.tenor);
            ctx.quotes.quote(terms, st.strike, st.expiry, FIRST_ORDER, st.quote);
            id = targets.open(terms, st.strike, st.expiry);
            st.hedges[j][i] = id;
            g = st.quote;
          } else g = held.greeks;
          // G[g][i] at (g·k + i)·n + p.
          st.greeks.set(g.delta, (0 * k + i) * n);
          st.greeks.set(g.gamma, (1 * k + i) * n);
          if (k === 3) st.greeks.set(g.vega, (2 * k + i) * n);
        }
        // The underlying: Δ = 1, Γ = ν = 0.
        const u = nOpt;
        st.greeks.fill(1, (0 * k + u) * n, (0 * k + u + 1) * n);
        st.greeks.fill(0, (1 * k + u) * n, (1 * k + u + 1) * n);
        if (k === 3) st.greeks.fill(0, (2 * k + u) * n, (2 * k + u + 1) * n);
        squareHedge({ k, nPaths: n, exposure: E, greeks: st.greeks }, st.solution, st.scratch);
        // Ill-conditioned paths (a hedge option with almost no gamma or vega asks for huge positions;
        // NaN where singular): clamp the option quantities to ±cap (NaN → the position held) and
        // re-solve delta alone with the underlying, so the book stays delta-neutral.
        const x = st.solution;
        const cap = caps[j];
        for (let p = 0; p < n; p++) {
          let bad = false;
          for (let i = 0; i < nOpt; i++) {
            const v = x[i * n + p];
            if (!(Math.abs(v) <= cap)) bad = true;
          }
          if (!bad) continue;
          let delta = E[p];
          for (let i = 0; i < nOpt; i++) {
            const v = x[i * n + p];
            const held = bookView.line(st.hedges[j][i])?.qty[p] ?? 0;
            const q = Number.isNaN(v) ? held : Math.max(-cap, Math.min(cap, v));
            x[i * n + p] = q;
            delta += q * st.greeks[(0 * k + i) * n + p];
          }
          x[u * n + p] = -delta;
        }
        for (let i = 0; i < nOpt; i++) {
          const id = st.hedges[j][i];
          const q = targets.qty(id);
          const has = targets.qtyMask(id);
          for (let p = 0; p < n; p++) {
            const v = x[i * n + p];
            if (Number.isNaN(v)) has[p] = 0;
            else q[p] = v;
          }
        }
        const units = targets.units(a);
        const hasU = targets.hasUnits[a];
        for (let p = 0; p < n; p++) {
          const v = x[u * n + p];
          if (Number.isNaN(v)) hasU[p] = 0;
          else units[p] = v;
        }
        if (relist) targets.force.fill(1); // the re-listing trades whatever the calendar says
        // The live book's plan observer (none in back-tests): what the quantities above are for.
        if (ctx.plans)
          ctx.plans.solved({ asset: a, method: 'square', solves, instruments: [...st.hedges[j], -1] });
      }
    },
  };
}

const HedgeOptionSchema = obj({
  type: z.enum(['call', 'put']),
  strike: positive().describe('Strike, fraction of the spot at listing.'),
  tenor: positive().describe('Life of the listed option, years.'),
});

/** The registry entry of the Greek hedge. */
export const greekHedgeDefinition = defineStrategy({
  kind: 'greek-hedge',
  summary:
    'An option book made delta-gamma or delta-gamma-vega neutral with listed options and the underlying.',
  sleeve: false,
  shape: {
    book: optionBookSchema(),
    neutralize: z.enum(['delta-gamma', 'delta-gamma-vega']).describe('The Greeks neutralised exactly.'),
    instruments: z
      .array(HedgeOptionSchema)
      .optional()
      .describe(
        'Listed hedge options: one for delta-gamma, two (different tenors) for delta-gamma-vega; default ATM calls of 3 months (and 1 year).',
      ),
    roll: positive()
      .default(GREEK_HEDGE_DEFAULTS.roll)
      .describe('Years between re-listings of the hedge options.'),
    maxHedgeRatio: positive()
      .default(GREEK_HEDGE_DEFAULTS.maxHedgeRatio)
      .describe('Cap on each hedge option position, a multiple of the book’s notional on the asset.'),
  },
  label: (p) => p.neutralize,
  check(p, ctx, issue) {
    checkLegs(p.book, ctx, issue);
    const want = p.neutralize === 'delta-gamma' ? 1 : 2;
    if (p.instruments && p.instruments.length !== want)
      issue(
        ['instruments'],
        `must list ${want} option${want > 1 ? 's' : ''} for ${p.neutralize} (got ${p.instruments.length})`,
        undefined,
      );
    if (p.instruments?.length === 2 && p.instruments[0].tenor === p.instruments[1].tenor)
      issue(
        ['instruments', 1, 'tenor'],
        'must differ from the first option’s tenor (else vega and gamma cannot be set apart)',
        p.instruments[1].tenor,
      );
  },
  create: (p, ctx, name) =>
    greekHedge({
      name,
      legs: resolveLegs(p.book, ctx.assets),
      neutralize: p.neutralize,
      instruments: p.instruments ?? GREEK_HEDGE_DEFAULTS[p.neutralize],
      roll: p.roll,
      maxHedgeRatio: p.maxHedgeRatio,
    }),
});
