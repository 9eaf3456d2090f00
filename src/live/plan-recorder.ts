/**
 * The last hedge plan of the live book: what the traded strategy decided at a step, whether it was
 * executed, and — when it was not — why (refused by the level gate at the step's escalation level, or
 * not due under the rebalancing policy).
 *
 * No second implementation of any strategy: the strategy runs once, as in a back-test. Around its
 * `decide` the recorder reads the targets it set (TargetSink) before the level gate (`proposed`) and
 * after it (`gated`), and receives, through the engine's plan observer (`StepContext.plans`,
 * src/portfolio/plan-observer.ts), the hedge solves of the Greek-targeting strategies (greek-hedge,
 * book-delta-hedge): which Greeks each solve sets, its aim, its instruments. After the step
 * (`settle`) it compares the book with the targets and builds the plan, plain data:
 *
 * - per leg (an asset or a position line the strategy targeted): contract label, quantity held when
 *   decided, target, trade = target − held, and what became of it;
 * - per hedged asset: the Greeks the solve aims at (0 = neutral; Whalley–Wilmott: the band's edge)
 *   against the asset's Greeks with the plan's quantities, from the book's own marks of the step
 *   (the same per-unit Greeks the strategy solved with):
 *     Δ_a = u_a + Σ_{lines ℓ on a} q_ℓ·Δ_ℓ,  Γ_a = Σ q_ℓ·Γ_ℓ,  ν_a = Σ q_ℓ·ν_ℓ,
 *   shown as cash Δ_a·S_a, cash Γ_a·S_a²/100 (per 1 % move) and ν per 1.00 vol, as in
 *   src/risk/book-greeks.ts;
 * - the estimated cost of its trades, by the run's cost model at the step's marks
 *   (src/portfolio/execute.ts: bps of notional for assets and forwards, half spread + fees for
 *   options) — what the executor charges when the plan trades.
 *
 * A strategy without a solver (CPPI, TIPP, …) reports no solve: the plan is then the last rebalance
 * (`source: 'rebalance'`), recorded at the steps where it traded or the level gate refused it.
 * Works on path 0 (the live book's one path). O(touched lines + assets + lines on hedged assets) per
 * step; nothing on the back-test path (the wrapper exists only around the live book's strategy).
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), §19.7–19.8 (Greek
 * neutrality); N. Taleb, Dynamic Hedging (1997) (cash gamma).
 */

import type { MarketView } from '../market/market-view.ts';
import type { Book } from '../portfolio/book.ts';
import { coversMask, FIRST_ORDER } from '../portfolio/contract-pricer.ts';
import type { CostModel } from '../portfolio/costs.ts';
import { optionCost } from '../portfolio/execute.ts';
import type { HedgeGreek, HedgeSolveReport, PlanObserver } from '../portfolio/plan-observer.ts';
import type { PositionLine } from '../portfolio/position-line.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import type { Strategy } from '../strategies/types.ts';
import type { Level } from './escalation/types.ts';

/** What became of a leg: traded to target, refused (changed) by the level gate, not traded (not due). */
export type PlanLegStatus = 'traded' | 'refused' | 'not due' | 'no trade';

/** One instrument of a plan. */
export interface PlanLeg {
  /** Contract label (`SPX call K=100 T=0.3333`; the asset's name for the asset itself). */
  readonly contract: string;
  readonly asset: string;
  /** `hedge`: an instrument of a solve; `target`: any other target the strategy set. */
  readonly role: 'hedge' | 'target';
  /** Quantity held when decided, units of underlying (+ long). */
  readonly held: number;
  /** Quantity the strategy asked for. */
  readonly target: number;
  /** target − held. */
  readonly trade: number;
  readonly status: PlanLegStatus;
}

/** Cash Greeks of one asset: Δ·S, Γ·S²/100 (per 1 % move), ν per 1.00 vol. */
export interface PlanCashGreeks {
  readonly cashDelta: number;
  readonly cashGamma: number;
  readonly vega: number;
}

/** A hedged asset: the solve's aim against the Greeks with the plan's quantities. */
export interface PlanAssetGreeks {
  readonly asset: string;
  readonly method: string;
  readonly solves: readonly HedgeGreek[];
  /** The aim per Greek in cash units; null for a Greek the solve does not set. */
  readonly target: {
    readonly cashDelta: number | null;
    readonly cashGamma: number | null;
    readonly vega: number | null;
  };
  readonly after: PlanCashGreeks;
}

/** The last plan of the live book (module header). */
export interface HedgePlanState {
  /** `solver`: a Greek-targeting strategy's hedge solve; `rebalance`: a strategy without a solver. */
  readonly source: 'solver' | 'rebalance';
  readonly strategy: string;
  readonly step: number;
  readonly date: string | undefined;
  /** Feed time of the step, ms. */
  readonly ts: number;
  /** Escalation level when it was decided. */
  readonly level: Level;
  readonly status: 'executed' | 'partly executed' | 'not executed' | 'nothing to trade';
  /** Why not (or not fully) executed; '' when executed. */
  readonly reason: string;
  readonly legs: readonly PlanLeg[];
  /** Per hedged asset (solver plans only). */
  readonly greeks: readonly PlanAssetGreeks[];
  /** Estimated cost of the plan's trades, currency. */
  readonly cost: number;
}

interface Solve {
  readonly asset: number;
  readonly method: string;
  readonly solves: readonly HedgeGreek[];
  readonly aim: readonly number[];
  readonly instruments: readonly number[];
}

interface Pending {
  asset: number;
  /** Undefined for the asset itself. */
  line: PositionLine | undefined;
  lineId: number;
  slot: number;
  held: number;
  proposed: number;
  gated: number;
}

/** Records the live book's plans (module header); the engine's plan observer of the traded run. */
export class PlanRecorder implements PlanObserver {
  /** The last plan (plain data). */
  last: HedgePlanState | undefined;
  private solves: Solve[] = [];
  private legs: Pending[] = [];
  private heldUnits: number[] = [];
  private sums: PlannedSums = plannedSums(0);
  private readonly plannedIds: number[] = [];
  private readonly plannedQty: number[] = [];
  private readonly labels = new ContractLabels();

  /** A hedge solve of the step (the plan observer; path 0). */
  solved(r: HedgeSolveReport): void {
    const aim = r.aim;
    // Shape of aim: [solves][nPaths]; path 0 of row g sits at g·(aim.length / solves.length).
    const stride = aim ? aim.length / r.solves.length : 0;
    this.solves.push({
      asset: r.asset,
      method: r.method,
      solves: [...r.solves],
      aim: r.solves.map((_, g) => (aim ? aim[g * stride] : 0)),
      instruments: [...r.instruments],
    });
  }

  /** Before `decide`: forgets the previous step's solves and targets. */
  begin(): void {
    this.solves = [];
    this.legs = [];
  }

  /** After `decide`, before the level gate: the targets the strategy proposed. */
  proposed(book: Book, sink: TargetSink): void {
    this.heldUnits = book.assets.map((_, a) => book.units[a][0]);
    for (let i = 0; i < sink.touchedCount; i++) {
      const s = sink.touched[i];
      const line = book.slots[s];
      if (!line.active || !sink.hasQty[s][0]) continue;
      const want = sink.lineTargets[s][0];
      this.legs.push({
        asset: line.terms.asset,
        line,
        lineId: line.id,
        slot: s,
        held: line.qty[0],
        proposed: want,
        gated: want,
      });
    }
    for (let a = 0; a < book.assets.length; a++) {
      if (!sink.hasUnits[a][0]) continue;
      const want = sink.unitTargets[a][0];
      this.legs.push({
        asset: a,
        line: undefined,
        lineId: -1,
        slot: -1,
        held: book.units[a][0],
        proposed: want,
        gated: want,
      });
    }
  }

  /** After the level gate: the targets that went to execution (NaN where the gate dropped one). */
  gated(sink: TargetSink): void {
    for (const l of this.legs) {
      const has = l.line ? sink.hasQty[l.slot][0] : sink.hasUnits[l.asset][0];
      const v = l.line ? sink.lineTargets[l.slot][0] : sink.unitTargets[l.asset][0];
      l.gated = has ? v : Number.NaN;
    }
  }

  /**
   * After the step's execution: the plan of the step, kept as `last` when there is one (every solve
   * of a solver strategy; a rebalance that traded or was refused otherwise).
   */
  settle(
    book: Book,
    view: MarketView,
    info: { strategy: string; level: Level; ts: number; costs: CostModel },
  ): HedgePlanState | undefined {
    const solves = this.solves;
    const solver = solves.length > 0;
    const hedgeIds: number[] = [];
    const hedgeAssets: number[] = [];
    for (const s of solves)
      for (const id of s.instruments) {
        if (id >= 0) hedgeIds.push(id);
        else hedgeAssets.push(s.asset);
      }
    const legs: PlanLeg[] = [];
    let traded = 0;
    let missed = 0;
    let refused = 0;
    let notDue = 0;
    let cost = 0;
    for (const l of this.legs) {
      const trade = l.proposed - l.held;
      const hedge = l.line ? hedgeIds.includes(l.lineId) : hedgeAssets.includes(l.asset);
      if (trade === 0 && !hedge) continue;
      if (Number.isNaN(trade)) continue;
      const now = l.line ? (book.line(l.lineId)?.qty[0] ?? 0) : book.units[l.asset][0];
      let status: PlanLegStatus;
      if (trade === 0) status = 'no trade';
      else if (!(l.gated === l.proposed)) status = 'refused';
      else if (Math.abs(now - l.proposed) <= 1e-12 * Math.max(1, Math.abs(l.proposed))) status = 'traded';
      else status = 'not due';
      if (status === 'traded') traded++;
      if (status === 'refused') refused++;
      if (status === 'not due') notDue++;
      if (status === 'refused' || status === 'not due') missed++;
      cost += legCost(book, view, l, trade, info.costs);
      legs.push({
        contract: l.line ? this.labels.of(l.line) : book.assets[l.asset].name,
        asset: book.assets[l.asset].name,
        role: hedge ? 'hedge' : 'target',
        held: l.held,
        target: l.proposed,
        trade,
        status,
      });
    }
    if (!solver && traded + refused === 0) return undefined;
    const reasons: string[] = [];
    if (refused > 0)
      reasons.push(`${refused} trade${refused > 1 ? 's' : ''} refused by the level gate at ${info.level}`);
    if (notDue > 0) reasons.push(`${notDue} not due under the rebalancing policy`);
    const greeks: PlanAssetGreeks[] = [];
    if (solver) {
      const sums = this.plannedGreeks(book);
      for (const s of solves) greeks.push(assetGreeks(book, view, s, sums));
    }
    const plan: HedgePlanState = {
      source: solver ? 'solver' : 'rebalance',
      strategy: info.strategy,
      step: view.step,
      date: view.date,
      ts: info.ts,
      level: info.level,
      status:
        traded + missed === 0
          ? 'nothing to trade'
          : missed === 0
            ? 'executed'
            : traded === 0
              ? 'not executed'
              : 'partly executed',
      reason: reasons.join('; '),
      legs,
      greeks,
      cost,
    };
    this.last = plan;
    return plan;
  }

  /**
   * Per solved asset, the asset's Δ, Γ, ν with the plan's quantities (module header): the units
   * planned (else held), then Σ q·Greek over the book's lines on the asset in book order, a line's q
   * the planned quantity (else held) — one pass over the lines for every solved asset at once; each
   * asset's sums see the same additions in the same order as a pass of its own.
   */
  private plannedGreeks(book: Book): PlannedSums {
    const nA = book.assets.length;
    const sums = this.sums.nA === nA ? this.sums : plannedSums(nA);
    this.sums = sums;
    const { solved, delta, gamma, vega } = sums;
    solved.fill(0);
    const solves = this.solves;
    for (let k = 0; k < solves.length; k++) solved[solves[k].asset] = 1;
    for (let a = 0; a < nA; a++) delta[a] = this.heldUnits[a] ?? book.units[a][0];
    gamma.fill(0);
    vega.fill(0);
    // Planned line quantities (the last leg of a line wins, as a map would keep it) and units.
    // Reused in place (no `length = 0`, which drops an array's storage): the first nPlanned entries.
    const ids = this.plannedIds;
    const qs = this.plannedQty;
    let nPlanned = 0;
    const legs = this.legs;
    for (let j = 0; j < legs.length; j++) {
      const l = legs[j];
      if (!solved[l.asset] || Number.isNaN(l.proposed)) continue;
      if (!l.line) {
        delta[l.asset] = l.proposed;
        continue;
      }
      let k = 0;
      while (k < nPlanned && ids[k] !== l.lineId) k++;
      ids[k] = l.lineId;
      qs[k] = l.proposed;
      if (k === nPlanned) nPlanned++;
    }
    const lines = book.lines;
    const marked = coversMask(book.markGreeks, FIRST_ORDER);
    const A = book.arena;
    if (A !== undefined) {
      // The same pass over the book's LineArena by slot (asset, id, quantity and Greeks there).
      const slots = book.lineSlots;
      const { asset: aAsset, id: aId, qty: aQty, delta: aDelta, gamma: aGamma, vega: aVega } = A;
      for (let j = 0; j < lines.length; j++) {
        const s = slots[j];
        const a = aAsset[s];
        if (!solved[a]) continue;
        let q = aQty[s];
        const id = aId[s];
        for (let k = 0; k < nPlanned; k++) if (ids[k] === id) q = qs[k];
        if (q === 0) continue;
        if (!marked) book.ensureFirstOrder(book.slots[s]);
        delta[a] += q * aDelta[s];
        gamma[a] += q * aGamma[s];
        vega[a] += q * aVega[s];
      }
      return sums;
    }
    for (let j = 0; j < lines.length; j++) {
      const line = lines[j];
      const a = line.terms.asset;
      if (!solved[a]) continue;
      let q = line.qty[0];
      for (let k = 0; k < nPlanned; k++) if (ids[k] === line.id) q = qs[k];
      if (q === 0) continue;
      // Γ and ν even where the strategy's marks skip them (lazy Greeks); a no-op when they don't.
      if (!marked) book.ensureFirstOrder(line);
      const g = line.greeks;
      delta[a] += q * g.delta[0];
      gamma[a] += q * g.gamma[0];
      vega[a] += q * g.vega[0];
    }
    return sums;
  }
}

/** Per-asset sums of `PlanRecorder.plannedGreeks` (reused scratch). */
interface PlannedSums {
  readonly nA: number;
  readonly solved: Uint8Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
}

function plannedSums(nA: number): PlannedSums {
  return {
    nA,
    solved: new Uint8Array(nA),
    delta: new Float64Array(nA),
    gamma: new Float64Array(nA),
    vega: new Float64Array(nA),
  };
}

/** A Greek in cash units: Δ·S, Γ·S²/100, ν as is. */
function cashGreek(g: HedgeGreek, x: number, S: number): number {
  return g === 'delta' ? x * S : g === 'gamma' ? (x * S * S) / 100 : x;
}

/** The solve's aim in cash units for Greek g; null when the solve does not set it. */
function aimOf(s: Solve, g: HedgeGreek, S: number): number | null {
  const k = s.solves.indexOf(g);
  return k < 0 ? null : cashGreek(g, s.aim[k], S);
}

/** The solve's aim and the asset's Greeks with the plan's quantities (module header). */
function assetGreeks(book: Book, view: MarketView, s: Solve, sums: PlannedSums): PlanAssetGreeks {
  const a = s.asset;
  const S = view.spot[a][0];
  return {
    asset: book.assets[a].name,
    method: s.method,
    solves: s.solves,
    target: { cashDelta: aimOf(s, 'delta', S), cashGamma: aimOf(s, 'gamma', S), vega: aimOf(s, 'vega', S) },
    after: {
      cashDelta: cashGreek('delta', sums.delta[a], S),
      cashGamma: cashGreek('gamma', sums.gamma[a], S),
      vega: sums.vega[a],
    },
  };
}

/** Cost of a leg's trade by the cost model at the step's marks (as src/portfolio/execute.ts charges). */
function legCost(book: Book, view: MarketView, l: Pending, trade: number, costs: CostModel): number {
  if (trade === 0) return 0;
  const S = view.spot[l.asset][0];
  const bps = costs.bps[book.assets[l.asset].assetClass] * 1e-4;
  const line = l.line;
  if (!line || line.terms.kind === 'forward' || line.terms.kind === 'future')
    return Math.abs(trade) * S * bps;
  if (costs.optionSpreadVol !== 0) book.ensureFirstOrder(line); // ν for the vol spread, as the executor
  return optionCost(line, 0, trade, costs);
}

/**
 * The strategy with the recorder around its `decide`: `begin` and `proposed` around the strategy
 * itself, then `gate` (the level gate, when the monitor has a protocol), then `gated`. Every other
 * member is the strategy's own; the targets are not changed.
 */
export function recordPlans(inner: Strategy, rec: PlanRecorder, gate?: (s: Strategy) => Strategy): Strategy {
  const proposing = wrap(inner, (ctx, book, state, sink) => {
    rec.begin();
    inner.decide(ctx, book, state, sink);
    rec.proposed(book as Book, sink);
  });
  const gated = gate ? gate(proposing) : proposing;
  return wrap(gated, (ctx, book, state, sink) => {
    gated.decide(ctx, book, state, sink);
    rec.gated(sink);
  });
}

function wrap(inner: Strategy, decide: Strategy['decide']): Strategy {
  const s = Object.create(inner) as Strategy;
  Object.defineProperty(s, 'decide', { value: decide });
  Object.defineProperty(s, 'init', { value: inner.init.bind(inner) });
  return s;
}

/**
 * Contract labels of lines (`PositionLine.contractId(0)`), kept per line id while the line's terms,
 * underlying, strike, expiry and barrier are the ones labelled: a hedge line is a leg of every plan,
 * and formatting its label each step cost more than the rest of its leg.
 */
class ContractLabels {
  private readonly byId = new Map<number, LabelEntry>();

  of(line: PositionLine): string {
    const c = this.byId.get(line.id);
    const K = line.strike[0];
    const T = line.expiry[0];
    const B = line.barrier[0];
    if (
      c !== undefined &&
      c.line === line &&
      c.terms === line.terms &&
      c.assetName === line.assetName &&
      Object.is(c.K, K) &&
      Object.is(c.T, T) &&
      Object.is(c.B, B)
    )
      return c.label;
    const label = line.contractId(0);
    if (this.byId.size >= 4096) this.byId.clear();
    this.byId.set(line.id, { line, terms: line.terms, assetName: line.assetName, K, T, B, label });
    return label;
  }
}

interface LabelEntry {
  readonly line: PositionLine;
  readonly terms: object;
  readonly assetName: string;
  readonly K: number;
  readonly T: number;
  readonly B: number;
  readonly label: string;
}
