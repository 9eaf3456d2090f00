/**
 * What the live monitor reports about its book at a tick: net Greeks by asset and by expiry bucket,
 * a shocked P&L ladder, the floor, its distance and the cushion (also in units of the CPPI crash
 * tolerance 1/m), and the loss under the escalation protocol's shock.
 *
 * The engine book (one path) is read as a risk book (src/risk/book-greeks.ts): every asset holding
 * is an `asset` position, every open line a contract with its remaining time τ = expiry − t, each
 * asset quoted at its spot with the pricing vol of its lines' last mark (the view's vol when it has
 * none). Greeks and the ladder then come from `bookGreeks` and `scenarioLadder` — the same code as
 * `hedgekit greeks`.
 *
 * Floor Fₜ = level·V₀ (·e^{rt} when it accrues); distance Vₜ − Fₜ; cushion cₜ = (Vₜ − Fₜ)/Vₜ; in
 * units of 1/m: m·cₜ — a CPPI with multiplier m is wiped out by a one-step fall of 1/m, so below
 * 1 unit one more such fall breaks the floor (Black & Perold 1992).
 *
 * References: F. Black, A. Perold, "Theory of constant proportion portfolio insurance", J. Econ.
 * Dynamics and Control 16 (1992); Hull, OFOD (10th ed.) ch. 19; Taleb, Dynamic Hedging (1997).
 */

import type { MarketView } from '../market/market-view.ts';
import type { Book as EngineBook } from '../portfolio/book.ts';
import {
  type AssetRisk,
  bookGreeks,
  DEFAULT_VEGA_EDGES,
  type Position,
  type Book as RiskBook,
} from '../risk/book-greeks.ts';
import {
  bookValue,
  type Ladder,
  type LadderSpec,
  scenarioLadder,
  shockBook,
} from '../risk/scenario-ladder.ts';
import { cushionUnits } from './escalation/measure.ts';
import type { RiskMeasures } from './escalation/types.ts';
import { type GreeksHeatmap, greeksHeatmap } from './greeks-heatmap.ts';

export interface FloorState {
  /** Floor Fₜ, currency. */
  readonly floor: number;
  readonly value: number;
  /** Vₜ − Fₜ, currency. */
  readonly distance: number;
  /** (Vₜ − Fₜ)/Vₜ, fraction. */
  readonly cushion: number;
  /** m·cushion: the cushion in units of the crash tolerance 1/m. */
  readonly cushionUnits: number;
  readonly multiplier: number;
}

export interface RiskReport {
  readonly perAsset: readonly Pick<
    AssetRisk,
    | 'asset'
    | 'spot'
    | 'value'
    | 'delta'
    | 'cashDelta'
    | 'gamma'
    | 'cashGamma'
    | 'vega'
    | 'vegaBuckets'
    | 'theta'
  >[];
  readonly bucketLabels: readonly string[];
  /** Book totals per vega bucket, currency per 1.00 vol. */
  readonly vegaBuckets: readonly number[];
  readonly cashDelta: number;
  readonly cashGamma: number;
  readonly vega: number;
  /** Gross exposure Σ|cash delta| over assets, currency. */
  readonly gross: number;
  /** Net cash Δ, cash Γ and ν by asset × expiry bucket (greeks-heatmap.ts). */
  readonly heatmap: GreeksHeatmap;
  readonly ladder: Ladder | undefined;
}

/** The floor of a book at time t (module header). */
export function floorState(
  value: number,
  t: number,
  floor: { level: number; accrues: boolean },
  initialValue: number,
  rate: number,
  multiplier: number,
): FloorState {
  const f = floor.level * initialValue * (floor.accrues ? Math.exp(rate * t) : 1);
  const distance = value - f;
  const cushion = value > 0 ? distance / value : Number.NaN;
  return { floor: f, value, distance, cushion, cushionUnits: cushionUnits(value, f, multiplier), multiplier };
}

/**
 * The engine book (path 0) as a risk book (module header).
 * @param units holdings to use instead of the book's (a proposed trade), per asset
 * @param lineQty quantities to use instead of the lines' (a proposed trade), by line id
 */
export function riskBook(
  book: EngineBook,
  view: MarketView,
  units?: ArrayLike<number>,
  lineQty?: ReadonlyMap<number, number>,
): RiskBook {
  const nA = book.assets.length;
  const vol = new Array<number>(nA).fill(Number.NaN);
  const positions: Position[] = [];
  for (let a = 0; a < nA; a++) {
    const q = units ? units[a] : book.units[a][0];
    if (q !== 0)
      positions.push({
        name: book.assets[a].name,
        contract: {
          id: book.assets[a].name,
          terms: { kind: 'asset', asset: a },
          strike: 0,
          expiry: Number.POSITIVE_INFINITY,
        },
        quantity: q,
      });
  }
  for (const line of book.lines) {
    const a = line.terms.asset;
    if (Number.isNaN(vol[a]) && line.vol[0] > 0) vol[a] = line.vol[0];
    const q = lineQty?.get(line.id) ?? line.qty[0];
    if (q === 0) continue;
    const id = (line as { contractId?: (p: number) => string }).contractId?.(0) ?? `line ${line.id}`;
    const tau = Math.max(line.expiry[0] - view.t, 0);
    positions.push({
      name: `${id} #${line.id}`,
      contract: {
        id,
        terms: line.terms,
        strike: line.strike[0],
        expiry: tau,
        ...(Number.isNaN(line.barrier[0]) ? {} : { barrier: line.barrier[0] }),
      },
      quantity: q,
    });
  }
  return {
    rate: view.rate,
    assets: book.assets.map((s, a) => ({
      name: s.name,
      spot: view.spot[a][0],
      carry: s.carry ?? 0,
      vol: Number.isNaN(vol[a]) ? Math.max(view.vol[a][0], 1e-4) : vol[a],
    })),
    positions: positions.filter((p) => p.contract.terms.kind === 'asset' || p.contract.expiry > 0),
  };
}

/** The protocol's risk measures of a risk book: shocked loss, net cash delta, gross cash delta. */
export function riskMeasures(rb: RiskBook, shock: { spot: number; volPoints: number }): RiskMeasures {
  const g = bookGreeks(rb);
  let delta = 0;
  let gross = 0;
  for (const a of g.perAsset) {
    delta += a.cashDelta;
    gross += Math.abs(a.cashDelta);
  }
  return { shockedLoss: shockedLoss(rb, shock), delta, gross };
}

/** Loss of a risk book under a shock (positive = loss, 0 when it gains), currency. */
export function shockedLoss(rb: RiskBook, shock: { spot: number; volPoints: number }): number {
  const base = bookValue(rb);
  const shocked = bookValue(shockBook(rb, { spot: shock.spot, volPoints: shock.volPoints, days: 0 }));
  return Math.max(0, base - shocked);
}

/** Greeks by asset and bucket, and (when `ladder` is given) the shocked P&L ladder. */
export function riskReport(
  rb: RiskBook,
  ladder: LadderSpec | undefined,
  vegaEdges = DEFAULT_VEGA_EDGES,
): RiskReport {
  const g = bookGreeks(rb, { vegaEdges });
  return {
    perAsset: g.perAsset.map((a) => ({
      asset: a.asset,
      spot: a.spot,
      value: a.value,
      delta: a.delta,
      cashDelta: a.cashDelta,
      gamma: a.gamma,
      cashGamma: a.cashGamma,
      vega: a.vega,
      vegaBuckets: a.vegaBuckets,
      theta: a.theta,
    })),
    bucketLabels: g.bucketLabels,
    vegaBuckets: g.total.vegaBuckets,
    cashDelta: g.total.cashDelta,
    cashGamma: g.total.cashGamma,
    vega: g.total.vega,
    gross: g.perAsset.reduce((s, a) => s + Math.abs(a.cashDelta), 0),
    heatmap: greeksHeatmap(g),
    ladder: ladder ? scenarioLadder(rb, ladder) : undefined,
  };
}
