/**
 * Momentum put — the worked example of docs/write-a-strategy.md (not in the registry): hold an asset,
 * and at every roll date buy puts on the paths whose price trend has turned down, where the put is
 * not too dear.
 *
 * Per path, with rₜ the log return of the step just ended and Δt its length:
 *   mₜ = λ·mₜ₋₁ + (1 − λ)·rₜ,  λ = 2^{−Δt/h}           (momentum: EWMA of log returns, half-life h)
 * at each roll (every `roll` years, and at inception), the old puts are sold and new ones bought:
 *   qty = units held   where mₜ < 0 and premium ≤ maxPremium·S,   else 0,
 * struck at strike·S, expiring `tenor` years later, premium = the run's quote of that put.
 *
 * Units: strike and maxPremium fractions of the spot at the roll; tenor, roll, halfLife in years.
 * References: T. J. Moskowitz, Y. H. Ooi & L. H. Pedersen, "Time series momentum", Journal of
 * Financial Economics 104 (2012) 228–250 (the trend signal); docs/write-a-strategy.md.
 */
import { z } from 'zod';
import { DomainError, requirePositive } from '../../src/core/errors.ts';
import { percentLabel } from '../../src/core/format.ts';
import { positive } from '../../src/core/schema.ts';
import { TIME_EPS } from '../../src/core/time.ts';
import type { OptionTerms } from '../../src/instruments/terms.ts';
import type { BookView } from '../../src/portfolio/book.ts';
import { FIRST_ORDER, type GreeksBlock, greeksBlock } from '../../src/portfolio/contract-pricer.ts';
import type { LineId } from '../../src/portfolio/position-line.ts';
import type { StepContext } from '../../src/portfolio/step-context.ts';
import type { TargetSink } from '../../src/portfolio/target-sink.ts';
import { defineStrategy } from '../../src/strategies/definition.ts';
import type { Strategy } from '../../src/strategies/types.ts';

/** Parameters of {@link momentumPut}; the scenario-file defaults live in the schema below. */
export interface MomentumPutParams {
  /** Index of the asset held and hedged. */
  readonly asset: number;
  /** Put strike, fraction of the spot at the roll, > 0. */
  readonly strike: number;
  /** Life of each put, years, > 0. */
  readonly tenor: number;
  /** Years between rolls, > 0. */
  readonly roll: number;
  /** Half-life of the momentum average, years, > 0. */
  readonly halfLife: number;
  /** Largest premium paid, fraction of the spot, > 0. */
  readonly maxPremium: number;
  readonly name?: string;
}

/** Per-chunk state, plain data only (the engine snapshots it). Shape: arrays [nPaths]. */
export interface MomentumPutState {
  /** The puts of the last roll (−1: none held). */
  line: LineId;
  /** Time of the next roll, years. */
  nextRoll: number;
  /** mₜ per path. */
  readonly momentum: Float64Array;
  /** Scratch: strikes and expiries of the puts being quoted. */
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  /** Scratch: their quotes. */
  readonly quote: GreeksBlock;
}

/**
 * A held asset with puts bought at each roll where momentum is negative (formulas in the header).
 * @throws DomainError naming the first invalid parameter, e.g. `tenor (0) must be > 0`
 * @example momentumPut({ asset: 0, strike: 0.95, tenor: 0.25, roll: 1 / 12, halfLife: 0.1, maxPremium: 0.03 })
 *   // on a path falling 1 % a day, buys 95 % puts at the first monthly roll (test/write-a-strategy.test.ts)
 */
export function momentumPut(params: MomentumPutParams): Strategy<MomentumPutState> {
  const { asset, strike, tenor, roll, halfLife, maxPremium } = params;
  if (!(Number.isInteger(asset) && asset >= 0))
    throw new DomainError('asset', asset, 'must be an index >= 0');
  for (const [k, v] of Object.entries({ strike, tenor, roll, halfLife, maxPremium })) requirePositive(k, v);
  const terms: OptionTerms = { kind: 'option', asset, type: 'put', style: 'european' };
  return {
    name: params.name ?? `momentum put ${percentLabel(strike)}`,
    kind: 'momentum-put',
    init(ctx: StepContext, _book: BookView): MomentumPutState {
      const n = ctx.nPaths;
      return {
        line: -1,
        nextRoll: 0,
        momentum: new Float64Array(n),
        strike: new Float64Array(n),
        expiry: new Float64Array(n),
        quote: greeksBlock(n),
      };
    },
    decide(ctx: StepContext, book: BookView, st: MomentumPutState, targets: TargetSink): void {
      const n = ctx.nPaths;
      const S = ctx.spot[asset];
      const m = st.momentum;
      if (ctx.step === 0) {
        // Invest the whole capital in the asset once; later steps leave the units alone.
        const u = targets.units(asset);
        for (let p = 0; p < n; p++) u[p] = book.value[p] / S[p];
      } else {
        const lambda = 2 ** (-ctx.dt / halfLife);
        const r = ctx.logReturn[asset];
        for (let p = 0; p < n; p++) m[p] = lambda * m[p] + (1 - lambda) * r[p];
      }
      if (ctx.final || ctx.t < st.nextRoll - TIME_EPS) return;
      while (st.nextRoll <= ctx.t + TIME_EPS) st.nextRoll += roll;

      // Roll: sell the old puts (a no-op once they expired), then buy the new ones.
      if (st.line >= 0) targets.close(st.line);
      for (let p = 0; p < n; p++) st.strike[p] = strike * S[p];
      st.expiry.fill(ctx.t + tenor);
      ctx.quotes.quote(terms, st.strike, st.expiry, FIRST_ORDER, st.quote);
      // Open the line even where no path buys (the book frees it at the next mark): the same lines
      // in every chunk of paths, which per-line attribution relies on.
      st.line = targets.open(terms, st.strike, st.expiry);
      const qty = targets.qty(st.line);
      const units = book.units[asset];
      const price = st.quote.price;
      // A NaN quote fails the comparison: that path buys nothing.
      for (let p = 0; p < n; p++) qty[p] = m[p] < 0 && price[p] <= maxPremium * S[p] ? units[p] : 0;
      targets.force.fill(1); // the roll trades on its date, whatever the rebalancing calendar says
    },
  };
}

/** The definition: what one registry line would add to scenario files, the JSON Schema and the CLI. */
export const momentumPutDefinition = defineStrategy({
  kind: 'momentum-put',
  summary: 'The asset held, with puts bought at each roll where its momentum has turned negative.',
  sleeve: false,
  shape: {
    asset: z.string().describe('Name of the asset held and hedged.'),
    strike: positive().default(0.95).describe('Put strike, fraction of the spot at each roll.'),
    tenor: positive().default(0.25).describe('Life of each put, years.'),
    roll: positive()
      .default(1 / 12)
      .describe('Years between rolls.'),
    halfLife: positive().default(0.1).describe('Half-life of the momentum average, years.'),
    maxPremium: positive()
      .default(0.03)
      .describe('Buy only where the put costs at most this fraction of the spot.'),
  },
  label: (p) => `momentum put ${percentLabel(p.strike)}`,
  check(p, ctx, issue) {
    const names = ctx.assets.map((a) => a.name);
    if (!names.includes(p.asset)) issue(['asset'], `must name an asset (${names.join(', ')})`, p.asset);
    if (p.tenor < p.roll)
      issue(
        ['tenor'],
        `must be >= roll (${Number(p.roll.toPrecision(6))}): else puts lapse between rolls`,
        p.tenor,
      );
  },
  create: (p, ctx, name) =>
    momentumPut({
      name,
      asset: ctx.assets.findIndex((a) => a.name === p.asset),
      strike: p.strike,
      tenor: p.tenor,
      roll: p.roll,
      halfLife: p.halfLife,
      maxPremium: p.maxPremium,
    }),
});
