/**
 * Legs held through futures: an overlay that holds chosen assets of a strategy's sleeve through
 * daily-settled futures instead of the asset itself — the bond and commodity legs of a multi-asset
 * book, as desks hold them — rolled on a schedule, with the variation margin paid through cash.
 *
 * The inner strategy decides in units of the asset as before; for a wrapped asset a the overlay
 * turns a unit target u into a futures position f with the same delta,
 *   f = u / e^{(r−q)τ}   (Δ of a future = e^{(r−q)τ}, τ its time to expiry),
 * and a unit target of 0 (the cash that would have bought the asset stays in cash, earning r:
 * holding S with carry q ≡ cash at r plus a future, under deterministic rates). The inner strategy
 * sees a book whose units of a are the futures' delta, so its own logic (value, weights, rolls) is
 * unchanged. The futures position follows the inner strategy's last unit target every step (it is
 * "tailed": f = u/e^{(r−q)τ} as τ shrinks), so holding u units is replicated, not only entered. Every `roll` years — and when the future has less than `rollBefore` years left — the
 * future is closed and a new one opened at the futures price (`force`: the roll trades whatever the
 * rebalancing policy says).
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), §2.4 (daily
 * settlement), §5.6 (forward vs futures prices), §3.4 (rolling hedges forward).
 */
import { TIME_EPS } from '../../core/time.ts';
import type { BookView } from '../../portfolio/book.ts';
import type { LineId } from '../../portfolio/position-line.ts';
import type { StepContext } from '../../portfolio/step-context.ts';
import type { TargetSink } from '../../portfolio/target-sink.ts';
import type { Strategy } from '../types.ts';

export interface ViaFuturesParams {
  /** Asset indices held through futures. */
  readonly assets: readonly number[];
  /** Life of each future at opening, years (e.g. 0.25). */
  readonly tenor: number;
  /** Roll when a future has less than this left, years (default 0: at expiry). */
  readonly rollBefore?: number;
}

/** Overlay state (plain data). Shape: equivalent[j]: [nPaths] per wrapped asset. */
export interface ViaFuturesState<S> {
  inner: S;
  /** The future line per wrapped asset (−1 before the first). */
  readonly lines: LineId[];
  /**
   * Units of the asset the futures amount to (their delta), what the inner strategy sees; kept
   * through a step where the future expired, until the roll reopens the position.
   */
  readonly equivalent: Float64Array[];
  /** The inner strategy's last unit target per wrapped asset (what the futures replicate). */
  readonly intent: Float64Array[];
}

/**
 * Wraps `inner` so that `params.assets` are held through rolled futures (formulas in the file header).
 * @example viaFutures(constantMix({ weights: Float64Array.of(0.6, 0.4) }), { assets: [1], tenor: 0.25 })
 * References: Hull (10th ed.) §2.4, §5.6.
 */
export function viaFutures<S>(inner: Strategy<S>, params: ViaFuturesParams): Strategy<ViaFuturesState<S>> {
  const wrapped = params.assets;
  const rollBefore = params.rollBefore ?? 0;

  /** The book as the inner strategy sees it: the wrapped assets' units are the futures' delta. */
  function innerView(book: BookView, st: ViaFuturesState<S>): BookView {
    const units = book.units.slice();
    wrapped.forEach((a, j) => {
      const e = st.equivalent[j];
      const line = book.line(st.lines[j]);
      // A future that expired at this step was settled into cash; until the roll reopens it, the
      // position it held is what the inner strategy holds.
      if (line) for (let p = 0; p < e.length; p++) e[p] = line.qty[p] * line.greeks.delta[p];
      units[a] = e;
    });
    return Object.assign(Object.create(book) as BookView, { units });
  }

  return {
    name: inner.name,
    kind: inner.kind,
    ...(inner.rebalance ? { rebalance: inner.rebalance } : {}),
    ...(inner.greeks ? { greeks: inner.greeks } : {}),
    ...(inner.holdsOptions !== undefined ? { holdsOptions: inner.holdsOptions } : {}),
    // The inner strategy's reports pass through (a vol target inside a futures overlay, say).
    ...(inner.diagnostics ? { diagnostics: (st: ViaFuturesState<S>) => inner.diagnostics!(st.inner) } : {}),
    ...(inner.report ? { report: inner.report.bind(inner) } : {}),
    init(ctx: StepContext, book: BookView): ViaFuturesState<S> {
      const state: ViaFuturesState<S> = {
        inner: undefined as S,
        lines: wrapped.map(() => -1),
        equivalent: wrapped.map(() => new Float64Array(ctx.nPaths)),
        intent: wrapped.map(() => new Float64Array(ctx.nPaths)),
      };
      state.inner = inner.init(ctx, innerView(book, state));
      return state;
    },
    decide(ctx: StepContext, book: BookView, st: ViaFuturesState<S>, targets: TargetSink): void {
      const view = innerView(book, st);
      inner.decide(ctx, view, st.inner, targets);
      const n = ctx.nPaths;
      wrapped.forEach((a, j) => {
        const q = ctx.assets[a].carry ?? 0;
        let id = st.lines[j];
        const line = id >= 0 ? book.line(id) : undefined;
        const due = !line || line.expiry[0] - ctx.t <= rollBefore + TIME_EPS;
        const has = targets.hasUnits[a];
        const u = targets.unitTargets[a];
        const intent = st.intent[j];
        for (let p = 0; p < n; p++) if (has[p]) intent[p] = u[p];
        if (due && !ctx.final) {
          // Roll: close the old future, open a new one at the futures price, same exposure.
          if (line) targets.close(id);
          id = targets.open({ kind: 'future', asset: a }, Number.NaN, ctx.t + params.tenor);
          st.lines[j] = id;
          const g = Math.exp((ctx.rate - q) * params.tenor);
          const f = targets.qty(id);
          for (let p = 0; p < n; p++) f[p] = intent[p] / g;
          targets.force.fill(1);
        } else if (line) {
          const f = targets.qty(id);
          for (let p = 0; p < n; p++) f[p] = intent[p] / Math.exp((ctx.rate - q) * (line.expiry[p] - ctx.t));
        }
        // The asset itself is not held: sell any units (none after inception).
        const units = targets.units(a);
        units.fill(0);
      });
    },
  };
}
