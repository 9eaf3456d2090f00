/**
 * The escalation protocol inside back-tests: an overlay that runs the live protocol's kernel
 * (src/live/escalation/rules.ts — the same rules, one state per path in typed arrays) on what a
 * back-test can measure, and enforces each path's level policy on the wrapped strategy's targets,
 * so the protocol's cost (turnover, upside missed) and benefit (floor breaches, tail) are measured
 * by the ordinary metrics.
 *
 * Measured every step, per path (the drivers a back-test has; feed health, order rate,
 * reconciliation and realised/implied vol are live-only and stay NORMAL):
 * - cushion in units of 1/m: m·(V − F)/V, F = level·V₀·e^{∫r} the scenario floor (as the metrics'
 *   FloorTracker) and m the configured `cushion.multiplier`;
 * - shocked loss / cushion: loss under spot ×(1 + s) on every asset and vol + dv, by the
 *   delta-gamma-vega expansion of the book's net Greeks per asset,
 *     ΔV ≈ Σ_a Δ_a·S_a·s + ½·Γ_a·(S_a·s)² + ν_a·dv   (ν per 1.00 of vol),
 *   exact for asset units (Hull, Options, Futures and Other Derivatives, 10th ed., §22.6–22.7);
 *   with no cushion left any loss counts as +∞;
 * - one-step move in EWMA sigmas, the largest over assets: |r_t| / (σ̂_{t−1}·√Δt), with the
 *   annualized RiskMetrics variance σ̂²_t = λ·σ̂²_{t−1} + (1 − λ)·r_t²/Δt (RiskMetrics — Technical
 *   Document, 1996, §5.2.1), seeded with `initialVol`;
 * - drop against the previous observation, the largest over assets: 1 − e^{r_t}.
 * Observation times map onto the protocol's clock as calendar time, t years × 365.25 days.
 *
 * Enforcement on the wrapped strategy's targets (its own state runs on unchanged):
 * - NORMAL, WATCH: untouched;
 * - DE-RISK: every line or asset target is admitted only if it reduces the book's risk
 *   (admissible.ts `reducesRisk`: shocked loss, net delta per asset without a sign flip, gross
 *   delta exposure Σ|Δ_a·S_a|), judged in execution order (lines, then assets) against the book as
 *   the admitted changes leave it; a refused target is dropped (that position is not traded);
 * - PROTECT: the cash-lock — every asset and line to 0, now (`force`): the whole value in the safe
 *   asset, which holds the floor as long as V ≥ F (Black & Perold 1992, the CPPI floor);
 * - HALTED: no trade at all (every target dropped, nothing forced). A back-test has no operator;
 *   `rearmAfterDays` stands in for one: a path HALTED that long is re-armed (HALTED drivers step
 *   to PROTECT, then down by the dwell rules). Default 1 day: like the market-wide Level 3
 *   circuit breaker, which halts trading for the rest of the day (NYSE Rule 7.12).
 *
 * State: plain typed arrays (levels [nDrivers·nPaths], dwell clocks, EWMA variances), no
 * allocation per step. Diagnostics: path-steps at each level, escalations, step-downs, re-arms,
 * dropped targets, and the level of the chunk's first path per step.
 */
import { advanceRateIntegral, type RateIntegral, startRateIntegral } from '../../core/time.ts';
import { reducesRisk } from '../../live/escalation/admissible.ts';
import type { EscalationConfig } from '../../live/escalation/config.ts';
import {
  cushionUnits,
  ewmaVariance,
  moveInSigmas,
  shockedLossOverCushion,
  shockedPnl,
} from '../../live/escalation/measure.ts';
import {
  compileRules,
  DRIVER_INDEX,
  type DriverRule,
  HALTED_RANK,
  rankOf,
  rearmDriver,
  stepDriver,
} from '../../live/escalation/rules.ts';
import { DRIVERS, LEVELS } from '../../live/escalation/types.ts';
import type { BookView } from '../../portfolio/book.ts';
import { FIRST_ORDER, type GreeksBlock, greeksBlock } from '../../portfolio/contract-pricer.ts';
import type { StepContext } from '../../portfolio/step-context.ts';
import type { TargetSink } from '../../portfolio/target-sink.ts';
import type { Strategy, StrategyDiagnostics, StrategyReport } from '../types.ts';

/** Calendar milliseconds per year of model time (the protocol's clock). */
const YEAR_MS = 365.25 * 86_400_000;
const DE_RISK = 2;
const PROTECT = 3;
const ND = DRIVERS.length;

export interface EscalationOverlayParams {
  /** The protocol's validated configuration (config.ts). */
  readonly config: EscalationConfig;
  /** The scenario floor: F_t = level·V₀·e^{∫r} (accrues) or level·V₀. */
  readonly floor: { readonly level: number; readonly accrues: boolean };
  /** Days a path stays HALTED before the simulated operator re-arms it (null: never). */
  readonly rearmAfterDays: number | null;
  /** EWMA vol before any return, annualized decimal. */
  readonly initialVol: number;
}

/** Overlay state (plain data). Shape: levels, since [nDrivers·nPaths] driver-major; others [nPaths]. */
export interface EscalationOverlayState<S> {
  inner: S;
  readonly levels: Uint8Array;
  readonly since: Float64Array;
  /** The book's level per path (max over drivers). */
  readonly rank: Uint8Array;
  /** Time (ms) the path was halted, NaN when not halted. */
  readonly haltedAt: Float64Array;
  /** Annualized EWMA variance per asset. Shape: [nAssets·nPaths]. */
  readonly ewVar: Float64Array;
  rate: RateIntegral;
  /** Path-steps spent at each level. Shape: [5]. */
  readonly atLevel: Float64Array;
  /** Escalations, step-downs, re-arms, dropped targets (path counts, additive). */
  readonly counts: Float64Array;
  /** Level of the chunk's first path per step (grows as needed). */
  series: Float64Array;
  steps: number;
}

/**
 * Wraps `inner` in the escalation protocol (file header).
 * @example escalationOverlay(cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 4 }),
 *   { config: parseEscalationConfig({}), floor: { level: 0.8, accrues: true }, rearmAfterDays: 1, initialVol: 0.2 })
 * References: NYSE Rule 7.12 / SEC Release 34-67090 (circuit breakers); RiskMetrics (1996);
 * Hull (10th ed.) §22.6–22.7; Black & Perold (1992).
 */
export function escalationOverlay<S>(
  inner: Strategy<S>,
  params: EscalationOverlayParams,
): Strategy<EscalationOverlayState<S>> {
  // Hot-loop kernels as locals (one lookup here, not one per path-step through module bindings).
  const step = stepDriver;
  const rankAt = rankOf;
  const rearm = rearmDriver;
  const units1m = cushionUnits;
  const shockRatio = shockedLossOverCushion;
  const pnlOf = shockedPnl;
  const sigmas = moveInSigmas;
  const ewma = ewmaVariance;
  const reduces = reducesRisk;
  const HALTED = HALTED_RANK;
  const rules = compileRules(params.config);
  const {
    cushion: cushionRule,
    shockedLoss: shockRule,
    moveSigmas: moveRule,
    indexDrop: dropRule,
  } = rules.numeric;
  const m = params.config.cushion.multiplier;
  const spotShock = params.config.shockedLoss.spot;
  const volShock = params.config.shockedLoss.vol;
  const lambda = params.config.moveSigmas.lambda;
  const rearmMs =
    params.rearmAfterDays === null ? Number.POSITIVE_INFINITY : params.rearmAfterDays * 86_400_000;
  const kCushion = DRIVER_INDEX.cushion;
  const kShock = DRIVER_INDEX.shockedLoss;
  const kMove = DRIVER_INDEX.moveSigmas;
  const kDrop = DRIVER_INDEX.indexDrop;

  // Scratch (per overlay instance, sized at init; not state).
  let ex: GreeksBlock[] = [];
  let quote: GreeksBlock = greeksBlock(0);
  let deltaCash = new Float64Array(0); // running Δ_a·S_a per asset [nAssets·nPaths]
  let shockPnl = new Float64Array(0); // running shocked P&L per path
  let maskSave = new Uint8Array(0);

  /** Sizes the scratch for this run (also after a restore into a fresh engine, which skips init). */
  function ensureScratch(n: number, nA: number): void {
    if (shockPnl.length === n && ex.length === nA) return;
    ex = Array.from({ length: nA }, () => greeksBlock(n));
    quote = greeksBlock(n);
    deltaCash = new Float64Array(nA * n);
    shockPnl = new Float64Array(n);
    maskSave = new Uint8Array(n);
  }

  /**
   * One driver of one path: the kernel's step, skipped in the common case of a driver at NORMAL
   * asked nothing (its dwell clock is then NaN already, so the step would change nothing).
   */
  function drive(
    rule: DriverRule,
    levels: Uint8Array,
    since: Float64Array,
    k: number,
    v: number,
    timeMs: number,
  ): void {
    const asked = rankAt(rule, v);
    if (asked === 0 && levels[k] === 0) return;
    step(levels, since, k, asked, rankAt(rule, v, rule.margin), timeMs, rule.dwellMs);
  }

  function measureAndStep(ctx: StepContext, book: BookView, st: EscalationOverlayState<S>): void {
    const n = ctx.nPaths;
    const nA = ctx.assets.length;
    ensureScratch(n, nA);
    const t = ctx.t;
    const timeMs = t * YEAR_MS;
    if (ctx.step === 0) st.rate = startRateIntegral(ctx.rate);
    else advanceRateIntegral(st.rate, ctx.dt, ctx.rate);
    const F = params.floor.level * book.initialValue * (params.floor.accrues ? Math.exp(st.rate.value) : 1);
    shockPnl.fill(0);
    for (let a = 0; a < nA; a++) {
      const g = ex[a];
      book.exposure(a, g);
      const S = ctx.spot[a];
      const off = a * n;
      for (let p = 0; p < n; p++) {
        deltaCash[off + p] = g.delta[p] * S[p];
        shockPnl[p] += pnlOf(g.delta[p], g.gamma[p], g.vega[p], S[p], spotShock, volShock);
      }
    }
    const V = book.value;
    for (let p = 0; p < n; p++) {
      const v = V[p];
      const units = units1m(v, F, m);
      const ratio = shockRatio(shockPnl[p], v - F);
      let move = Number.NaN;
      let drop = Number.NaN;
      if (ctx.step > 0) {
        move = 0;
        drop = Number.NEGATIVE_INFINITY;
        for (let a = 0; a < nA; a++) {
          const r = ctx.logReturn[a][p];
          const k = a * n + p;
          const s = sigmas(r, st.ewVar[k], ctx.dt);
          if (s > move) move = s;
          const d = 1 - Math.exp(r);
          if (d > drop) drop = d;
          st.ewVar[k] = ewma(st.ewVar[k], r, ctx.dt, lambda);
        }
      }
      const levels = st.levels;
      const since = st.since;
      let prev = st.rank[p];
      // The simulated operator re-arms a path halted for rearmAfterDays, before the observation's
      // measurements apply (a condition still present halts it again at once). The re-arm is its
      // own transition (HALTED → PROTECT), counted apart from automatic step-downs.
      if (prev === HALTED && timeMs - st.haltedAt[p] >= rearmMs) {
        for (let d = 0; d < ND; d++) rearm(levels, since, d * n + p);
        st.haltedAt[p] = Number.NaN;
        st.counts[2]++;
        prev = HALTED - 1;
      }
      if (!Number.isNaN(units)) drive(cushionRule, levels, since, kCushion * n + p, units, timeMs);
      if (!Number.isNaN(ratio)) drive(shockRule, levels, since, kShock * n + p, ratio, timeMs);
      if (!Number.isNaN(move)) {
        drive(moveRule, levels, since, kMove * n + p, move, timeMs);
        drive(dropRule, levels, since, kDrop * n + p, drop, timeMs);
      }
      let r = 0;
      for (let d = 0; d < ND; d++) if (levels[d * n + p] > r) r = levels[d * n + p];
      if (r === HALTED && Number.isNaN(st.haltedAt[p])) st.haltedAt[p] = timeMs;
      if (r > prev) st.counts[0]++;
      else if (r < prev) st.counts[1]++;
      st.rank[p] = r;
      st.atLevel[r]++;
    }
    if (st.steps === st.series.length) {
      const grown = new Float64Array(Math.max(64, st.series.length * 2));
      grown.set(st.series);
      st.series = grown;
    }
    st.series[st.steps++] = st.rank[0];
  }

  /**
   * The line's target array without disturbing its has-target mask (left in `lineMask`): `qty()`
   * marks every path, so the mask is saved and put back.
   */
  let lineMask: Uint8Array = new Uint8Array(0);
  function lineTargets(targets: TargetSink, id: number): Float64Array {
    lineMask = targets.qtyMask(id);
    maskSave.set(lineMask);
    const qty = targets.qty(id);
    lineMask.set(maskSave);
    return qty;
  }

  function enforce(
    ctx: StepContext,
    book: BookView,
    st: EscalationOverlayState<S>,
    targets: TargetSink,
  ): void {
    const n = ctx.nPaths;
    const nA = ctx.assets.length;
    let worst = 0;
    for (let p = 0; p < n; p++) if (st.rank[p] > worst) worst = st.rank[p];
    if (worst < DE_RISK) return;
    const rank = st.rank;
    let dropped = 0;
    // Lines first (the executor's order), then assets.
    for (const line of book.lines) {
      const tgt = lineTargets(targets, line.id);
      const mask = lineMask;
      const a = line.terms.asset;
      let quoted = false;
      for (let p = 0; p < n; p++) {
        const r = rank[p];
        if (r < DE_RISK) continue;
        if (r === HALTED) {
          if (mask[p]) dropped++;
          mask[p] = 0;
          continue;
        }
        if (r === PROTECT) {
          tgt[p] = 0;
          mask[p] = 1;
          continue;
        }
        if (!mask[p]) continue;
        const dq = tgt[p] - line.qty[p];
        if (dq === 0) continue;
        if (!quoted) {
          // Per-unit Greeks at today's market (a line opened this step has no marks yet).
          const barrier = 'barrier' in line.terms && line.terms.barrier ? line.barrier : undefined;
          ctx.quotes.quote(line.terms, line.strike, line.expiry, FIRST_ORDER, quote, barrier);
          quoted = true;
        }
        const S = ctx.spot[a][p];
        const k = a * n + p;
        const d0 = deltaCash[k];
        const d1 = d0 + dq * quote.delta[p] * S;
        const pnl1 =
          shockPnl[p] +
          pnlOf(dq * quote.delta[p], dq * quote.gamma[p], dq * quote.vega[p], S, spotShock, volShock);
        if (admits(p, n, nA, d0, d1, pnl1)) {
          deltaCash[k] = d1;
          shockPnl[p] = pnl1;
        } else {
          mask[p] = 0;
          dropped++;
        }
      }
    }
    const force = targets.force;
    for (let a = 0; a < nA; a++) {
      const has = targets.hasUnits[a];
      const u = targets.unitTargets[a];
      const cur = book.units[a];
      const S = ctx.spot[a];
      for (let p = 0; p < n; p++) {
        const r = rank[p];
        if (r < DE_RISK) continue;
        if (r === HALTED) {
          if (has[p]) dropped++;
          has[p] = 0;
          force[p] = 0;
          continue;
        }
        if (r === PROTECT) {
          u[p] = 0;
          has[p] = 1;
          force[p] = 1;
          continue;
        }
        if (!has[p]) continue;
        const du = u[p] - cur[p];
        if (du === 0) continue;
        const k = a * n + p;
        const d0 = deltaCash[k];
        const d1 = d0 + du * S[p];
        const pnl1 = shockPnl[p] + du * S[p] * spotShock;
        if (admits(p, n, nA, d0, d1, pnl1)) {
          deltaCash[k] = d1;
          shockPnl[p] = pnl1;
        } else {
          has[p] = 0;
          dropped++;
        }
      }
    }
    st.counts[3] += dropped;
  }

  /** The DE-RISK rule for one change on asset slot k of path p (gross = Σ_a |Δ_a·S_a|). */
  function admits(p: number, n: number, nA: number, d0: number, d1: number, pnl1: number): boolean {
    let gross0 = 0;
    for (let a = 0; a < nA; a++) gross0 += Math.abs(deltaCash[a * n + p]);
    const gross1 = gross0 - Math.abs(d0) + Math.abs(d1);
    const loss0 = shockPnl[p] < 0 ? -shockPnl[p] : 0;
    const loss1 = pnl1 < 0 ? -pnl1 : 0;
    return reduces(loss0, loss1, d0, d1, gross0, gross1);
  }

  return {
    name: inner.name,
    kind: inner.kind,
    ...(inner.rebalance ? { rebalance: inner.rebalance } : {}),
    ...(inner.greeks ? { greeks: inner.greeks } : {}),
    ...(inner.holdsOptions !== undefined ? { holdsOptions: inner.holdsOptions } : {}),
    init(ctx: StepContext, book: BookView): EscalationOverlayState<S> {
      const n = ctx.nPaths;
      const nA = ctx.assets.length;
      ensureScratch(n, nA);
      return {
        inner: inner.init(ctx, book),
        levels: new Uint8Array(ND * n),
        since: new Float64Array(ND * n).fill(Number.NaN),
        rank: new Uint8Array(n),
        haltedAt: new Float64Array(n).fill(Number.NaN),
        ewVar: new Float64Array(nA * n).fill(params.initialVol * params.initialVol),
        rate: startRateIntegral(ctx.rate),
        atLevel: new Float64Array(LEVELS.length),
        counts: new Float64Array(4),
        series: new Float64Array(64),
        steps: 0,
      };
    },
    decide(ctx: StepContext, book: BookView, st: EscalationOverlayState<S>, targets: TargetSink): void {
      measureAndStep(ctx, book, st);
      inner.decide(ctx, book, st.inner, targets);
      enforce(ctx, book, st, targets);
    },
    diagnostics(st: EscalationOverlayState<S>): StrategyDiagnostics {
      const totals: Record<string, number> = {};
      LEVELS.forEach((l, i) => {
        totals[`escalation.steps.${l}`] = st.atLevel[i];
      });
      totals['escalation.escalations'] = st.counts[0];
      totals['escalation.stepDowns'] = st.counts[1];
      totals['escalation.rearms'] = st.counts[2];
      totals['escalation.droppedTargets'] = st.counts[3];
      const innerD = inner.diagnostics?.(st.inner);
      return {
        totals: { ...(innerD?.totals ?? {}), ...totals },
        series: { ...(innerD?.series ?? {}), 'escalation.level': st.series.slice(0, st.steps) },
      };
    },
    report(d: StrategyDiagnostics): StrategyReport {
      const innerR = inner.report?.(d);
      const steps = LEVELS.reduce((s, l) => s + (d.totals[`escalation.steps.${l}`] ?? 0), 0);
      const share: Record<string, number> = {};
      for (const l of LEVELS)
        share[l] = steps > 0 ? (d.totals[`escalation.steps.${l}`] ?? 0) / steps : Number.NaN;
      return {
        warnings: innerR?.warnings ?? [],
        details: {
          ...(innerR?.details ?? {}),
          escalation: {
            shareOfPathSteps: share,
            escalations: d.totals['escalation.escalations'] ?? 0,
            stepDowns: d.totals['escalation.stepDowns'] ?? 0,
            rearms: d.totals['escalation.rearms'] ?? 0,
            droppedTargets: d.totals['escalation.droppedTargets'] ?? 0,
          },
        },
      };
    },
  };
}
