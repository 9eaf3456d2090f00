/**
 * Rally tightening of an option sleeve (option-roll.ts): when an asset has risen far enough above
 * the level its legs were struck on, close them and reopen them at the same relative strikes on a
 * higher level — protection follows the rally (issue 8 §4; the "dynamic hedge tightened its
 * position" of a rising market).
 *
 * Per sleeve asset a and path p, with B the spot at the last opening or roll (the base), s the ladder
 * step, τ the trigger and k ≥ 0 the path's rung (0 after an opening or roll):
 *
 *   reference Rₖ = B·(1 + s)^k,   the legs hold strikes kₗ·Rₖ (barriers hₗ·Rₖ);
 *   ratchet when Sₜ ≥ (1 + τ)·Rₖ:  k' = max(k + 1, ⌊ln(Sₜ/B)/ln(1 + s)⌋)  (the highest rung ≤ Sₜ),
 *   the legs of rung k are closed at their mark and legs struck at kₗ·R_{k'} opened, same expiry.
 *
 * With s = τ (the default) the reference climbs by whole steps of τ. Financing is the roll's λ rule
 * (option-roll.ts) over the ratcheting assets of the path: C = cash + Σ closed marks,
 * Π = Σ uₐ·h·Σₗ sₗ·Pₗ(new), U = Σ uₐSₐ; λ = 1 if C ≥ Π, else (U + C)/(U + Π), the new position
 * λ·uₐ units with sₗ·h·λ·uₐ contracts per leg. The ratchet keeps the legs' expiry (a roll renews
 * it), never fires at the final observation, after the legs expired, or at a roll date (the roll
 * re-strikes every path on its own spot).
 *
 * Design (why a ladder): position lines are shared by all paths with per-path strikes, and the
 * paths ratchet at different times. Putting the strikes on the ladder B·(1 + s)^k lets every path on
 * rung k share one line per leg (opened the first time any path of the chunk reaches rung k), so a
 * sleeve holds at most a handful of lines per leg (≈ ln(max S/B)/ln(1 + s) + 1) however many paths
 * and steps, and a path that ratchets trades only its own quantities (no spread paid by the others).
 * The price: with s < τ the new strike is up to one step below kₗ·Sₜ. Rung lines open in a
 * path-dependent order, so per-line attribution (`attribution: lines`) should be read with one chunk
 * of paths (line ids differ between chunks); book attribution is unaffected.
 *
 * Shape: per sleeve asset i: base[i], level[i], rung[i], next[i]: [nPaths]; cost, count: [nPaths].
 * References: T. Estep & M. Kritzman (1988), "TIPP: Insurance without complexity" (ratcheted floors);
 * Hull, Options, Futures and Other Derivatives (10th ed.) ch. 12 (rolling protective puts).
 */
import type { z } from 'zod';
import { DomainError, requirePositive } from '../core/errors.ts';
import { obj, positive } from '../core/schema.ts';
import { TIME_EPS } from '../core/time.ts';
import type { BookView } from '../portfolio/book.ts';
import { FIRST_ORDER } from '../portfolio/contract-pricer.ts';
import type { LineId } from '../portfolio/position-line.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import { addMoments, momentStats } from './moments.ts';
import type { OptionLeg, OptionSleeveState } from './option-roll.ts';
import type { StrategyDiagnostics, StrategyReport } from './types.ts';

/** Ratchet parameters of an option sleeve. */
export interface RatchetSpec {
  /** Rise above the current reference that triggers a ratchet, fraction > 0 (0.05 = +5 %). */
  readonly trigger: number;
  /** Ladder step of the reference, fraction in (0, trigger]; default trigger. */
  readonly step?: number;
}

/** Per-chunk ratchet state (plain data). Shapes in the file header. */
export interface RatchetState {
  readonly base: readonly Float64Array[];
  /** Spot level that triggers the next ratchet, (1 + τ)·B·(1 + s)^k. */
  readonly level: readonly Float64Array[];
  readonly rung: readonly Float64Array[];
  /** Rung to move to at this step, −1 for none (scratch). */
  readonly next: readonly Float64Array[];
  /** lines[i][l][k]: the line of leg l on rung k (−1 where never opened), current generation. */
  readonly lines: LineId[][][];
  /** Net premium paid at ratchets (new legs − closed legs), currency, since inception. */
  readonly cost: Float64Array;
  /** Ratchets per path since inception (a step where any asset ratchets counts once). */
  readonly count: Float64Array;
  /** Whether sleeve asset i ratchets on some path at this step (scratch). */
  readonly active: Uint8Array;
}

/**
 * Validates a ratchet spec and returns its step.
 * @throws DomainError `ratchet.trigger (0) must be > 0`, `ratchet.step (0.1) must be <= trigger (0.05)`
 * @example ratchetStepOf({ trigger: 0.05 }) // returns 0.05
 */
export function ratchetStepOf(spec: RatchetSpec): number {
  requirePositive('ratchet.trigger', spec.trigger);
  const s = spec.step ?? spec.trigger;
  requirePositive('ratchet.step', s);
  if (s > spec.trigger) throw new DomainError('ratchet.step', s, `must be <= trigger (${spec.trigger})`);
  return s;
}

/** A fresh ratchet state for `nAssets` sleeve assets with `nLegs` legs each over n paths. */
export function ratchetState(nAssets: number, nLegs: number, n: number): RatchetState {
  const per = () => Array.from({ length: nAssets }, () => new Float64Array(n));
  return {
    base: per(),
    level: per(),
    rung: per(),
    next: per(),
    lines: Array.from({ length: nAssets }, () => Array.from({ length: nLegs }, () => [] as LineId[])),
    cost: new Float64Array(n),
    count: new Float64Array(n),
    active: new Uint8Array(nAssets),
  };
}

/** Resets sleeve asset i to rung 0 on spot S after an opening or roll whose legs are `ids`. */
export function resetRatchet(
  rs: RatchetState,
  i: number,
  S: Float64Array,
  trigger: number,
  ids: readonly LineId[],
): void {
  const n = S.length;
  const base = rs.base[i];
  const level = rs.level[i];
  base.set(S.subarray(0, base.length));
  for (let p = 0; p < base.length && p < n; p++) level[p] = (1 + trigger) * base[p];
  rs.rung[i].fill(0);
  for (let l = 0; l < ids.length; l++) {
    const row = rs.lines[i][l];
    row.length = 0;
    row.push(ids[l]);
  }
}

/** Every line of the current generation of leg l of sleeve asset i (for closes and marks). */
export function ratchetLines(rs: RatchetState, i: number, l: number): readonly LineId[] {
  return rs.lines[i][l];
}

/**
 * One step of the ratchet rule (file header) on every path; writes targets only on the paths that
 * ratchet (clears the masks elsewhere) and forces them through the rebalancing policy.
 * Allocates nothing except when a path of the chunk first reaches a new rung (one line per leg).
 */
export function ratchetStep(
  spec: RatchetSpec,
  step: number,
  legs: readonly OptionLeg[],
  h: number,
  view: StepContext,
  book: BookView,
  st: OptionSleeveState,
  targets: TargetSink,
): void {
  const rs = st.ratchet;
  if (!rs) return;
  const n = view.nPaths;
  const na = st.assets.length;
  const g = Math.log1p(step);
  let any = false;
  let maxRung = 0;
  for (let i = 0; i < na; i++) {
    const S = view.spot[st.assets[i]];
    const base = rs.base[i];
    const level = rs.level[i];
    const rung = rs.rung[i];
    const next = rs.next[i];
    let act = 0;
    for (let p = 0; p < n; p++) {
      next[p] = -1;
      if (!(S[p] >= level[p]) || !(view.t < st.expiry[p] - TIME_EPS)) continue;
      // 1e-9 absorbs rounding when S sits exactly on a rung
      const k = Math.max(rung[p] + 1, Math.floor(Math.log(S[p] / base[p]) / g + 1e-9));
      next[p] = k;
      if (k > maxRung) maxRung = k;
      act = 1;
    }
    rs.active[i] = act;
    if (act) any = true;
  }
  if (!any) return;
  // 1. Quote the new legs (every path: the non-ratcheting ones at their current rung, unused).
  for (let i = 0; i < na; i++) {
    if (!rs.active[i]) continue;
    const base = rs.base[i];
    const rung = rs.rung[i];
    const next = rs.next[i];
    const prem = st.premium[i];
    prem.fill(0);
    for (let l = 0; l < legs.length; l++) {
      const leg = legs[l];
      const K = st.strike[i][l];
      const B = st.barrier[i][l];
      const H = leg.barrier ? leg.barrier.level : Number.NaN;
      for (let p = 0; p < n; p++) {
        const R = base[p] * (1 + step) ** (next[p] >= 0 ? next[p] : rung[p]);
        K[p] = leg.strike * R;
        B[p] = H * R;
      }
      const q = st.quotes[i][l];
      view.quotes.quote(st.terms[i][l], K, st.expiry, FIRST_ORDER, q, B);
      const k = leg.side * h;
      for (let p = 0; p < n; p++) prem[p] += k * q.price[p];
    }
  }
  // 2. λ per path over its ratcheting assets (the roll's rule), new units, cost.
  for (let p = 0; p < n; p++) {
    let U = 0;
    let cost = 0;
    let C = book.cash[p];
    let closed = 0;
    let ratchets = false;
    for (let i = 0; i < na; i++) {
      if (rs.next[i][p] < 0) continue;
      ratchets = true;
      const a = st.assets[i];
      const u = book.units[a][p];
      U += u * view.spot[a][p];
      cost += u * st.premium[i][p];
      const k = rs.rung[i][p];
      for (let l = 0; l < legs.length; l++) {
        const line = book.line(rs.lines[i][l][k] ?? -1);
        if (line) closed += line.qty[p] * line.greeks.price[p];
      }
    }
    if (!ratchets) continue;
    C += closed;
    let lambda = 1;
    if (C < cost) {
      const total = U + cost;
      lambda = total > 0 ? (U + C) / total : 0;
      if (!(lambda > 0)) lambda = 0;
    }
    for (let i = 0; i < na; i++)
      if (rs.next[i][p] >= 0) st.units[i][p] = lambda * book.units[st.assets[i]][p];
    rs.cost[p] += lambda * cost - closed;
    rs.count[p] += 1;
    targets.force[p] = 1;
  }
  // 3. Targets, rung lines in ascending order (the closes touched before the opens above them).
  for (let i = 0; i < na; i++) {
    if (!rs.active[i]) continue;
    const a = st.assets[i];
    const rung = rs.rung[i];
    const next = rs.next[i];
    const base = rs.base[i];
    const u = st.units[i];
    for (let l = 0; l < legs.length; l++) {
      const leg = legs[l];
      const row = rs.lines[i][l];
      for (let k = 0; k <= maxRung; k++) {
        let id = k < row.length ? row[k] : -1;
        if (id < 0 || !book.line(id)) {
          let wanted = false;
          for (let p = 0; p < n; p++) if (next[p] === k) wanted = true;
          if (!wanted) continue;
          const K = st.strike[i][l];
          const B = st.barrier[i][l];
          const H = leg.barrier ? leg.barrier.level : Number.NaN;
          const m = (1 + step) ** k;
          for (let p = 0; p < n; p++) {
            const R = base[p] * m;
            K[p] = leg.strike * R;
            B[p] = H * R;
          }
          id = targets.open(st.terms[i][l], K, st.expiry, B);
          while (row.length <= k) row.push(-1);
          row[k] = id;
        }
        const q = targets.qty(id);
        const mask = targets.qtyMask(id);
        mask.fill(0);
        const side = leg.side * h;
        for (let p = 0; p < n; p++) {
          if (next[p] < 0) continue;
          if (rung[p] === k) {
            q[p] = 0;
            mask[p] = 1;
          } else if (next[p] === k) {
            q[p] = side * u[p];
            mask[p] = 1;
          }
        }
      }
    }
    const ut = targets.units(a);
    const has = targets.hasUnits[a];
    const level = rs.level[i];
    for (let p = 0; p < n; p++) {
      if (next[p] < 0) {
        has[p] = 0;
        continue;
      }
      ut[p] = u[p];
      rung[p] = next[p];
      level[p] = (1 + spec.trigger) * base[p] * (1 + step) ** next[p];
    }
  }
}

/** Additive totals of a chunk: n, Σ, Σ² of the ratchets and of their cost per path (moments.ts). */
export function ratchetDiagnostics(st: OptionSleeveState): StrategyDiagnostics {
  const totals: Record<string, number> = {};
  const rs = st.ratchet;
  if (rs) {
    addMoments(totals, 'ratchets', rs.count);
    addMoments(totals, 'cost', rs.cost);
    let hit = 0;
    for (const c of rs.count) if (c > 0) hit++;
    totals.ratchetedPaths = hit;
  }
  return { totals, series: {} };
}

/**
 * The run's ratchet report (`run --json`): ratchets per path, the fraction of paths that ratcheted
 * and the net premium paid at ratchets per path (mean, std, standard error; currency).
 */
export function ratchetReport(d: StrategyDiagnostics): StrategyReport {
  const ratchets = momentStats(d.totals, 'ratchets');
  return {
    warnings: [],
    details: {
      ratchets,
      ratchetedFraction: ratchets.n > 0 ? (d.totals.ratchetedPaths ?? 0) / ratchets.n : Number.NaN,
      cost: momentStats(d.totals, 'cost'),
    },
  };
}

/** Schema of a sleeve's `ratchet` entry (scenario files). */
export const ratchetSchema = () =>
  obj({
    trigger: positive().describe(
      'Rise above the strike reference that triggers a ratchet, fraction (0.05 = +5 %).',
    ),
    step: positive()
      .optional()
      .describe('Ladder step of the strike reference, fraction <= trigger; default trigger.'),
  })
    .optional()
    .describe(
      'Rally tightening: re-strike the legs higher when the asset rises (docs/strategies/protective-put.md).',
    );

/** Cross-field rule of a ratchet entry (reported with file:line). */
export function checkRatchet(
  r: { trigger: number; step?: number | undefined } | undefined,
  issue: (path: readonly (string | number)[], message: string, input?: unknown) => void,
): void {
  if (r?.step !== undefined && r.step > r.trigger)
    issue(['ratchet', 'step'], `must be <= trigger (${r.trigger})`, r.step);
}

/** A validated `ratchet` entry. */
export type RatchetEntry = z.output<ReturnType<typeof ratchetSchema>>;

/** The programmatic spec of a validated entry (drops an absent step). */
export function ratchetSpec(r: { trigger: number; step?: number | undefined }): RatchetSpec {
  return r.step !== undefined ? { trigger: r.trigger, step: r.step } : { trigger: r.trigger };
}
