/**
 * Pricing vols through the engine: a delta-hedged short call and a rolled protective put run by
 * `runEngine` (via the hand-history harness: one replayed path, full ledger) with the pricing vol
 * an EWMA, a GARCH(1,1) filter and a smile, and option bid/ask quoted in vol points. Every number
 * is checked by hand against the volatility module (the same returns filtered independently, per
 * period, with its public functions) and `bsmPrice` / `bsmGreeks`:
 *
 * - EWMA / GARCH: after step i the book marks the call at σᵢ, so the hedge holds
 *   unitsᵢ = −q·Δ_BSM(Sᵢ, K, T − tᵢ, σᵢ); a put opened at a roll date is bought at
 *   P_BSM(Sᵢ, 0.95·Sᵢ, tenor, σᵢ).
 * - smile: σ(K, τ) = max(σ₀·(1 + skew·k + curvature·k²) + termSlope·(τ − 1), minVol), k = ln(K/S).
 * - vol-point spread: each option trade costs ½·spread·vega·|qty| (vega per 1.00 vol).
 *
 * Replayed history: ten daily rows (dt = 1/252), rate 3 %.
 *
 * References: RiskMetrics Technical Document (1996) §5.2; Bollerslev (1986); Gatheral (2006) ch. 3.
 */
import { describe, expect, it } from 'vitest';
import type { PricingVolSpec, SmileSpec } from '../src/market/pricing-vol.ts';
import { costModel } from '../src/portfolio/costs.ts';
import type { TradeRecord } from '../src/portfolio/ledger.ts';
import { bsmGreeks, bsmPrice } from '../src/pricing/black-scholes.ts';
import { deltaHedge } from '../src/strategies/delta-hedge.ts';
import { protectivePut } from '../src/strategies/protective-put.ts';
import { ewmaVarianceSeries } from '../src/volatility/ewma.ts';
import { garchForecastVariance } from '../src/volatility/garch.ts';
import { handHistory, replayVol, runHand } from './strategy-harness.ts';

const PRICES = [100, 101.2, 99.4, 100.9, 98.7, 97.9, 99.6, 100.8, 102.1, 100.5];
const DT = 1 / 252;
const RATE = 0.03;
const TENOR = 20 / 252;
const K_CALL = 101;
const Q_CALL = -10;
const SIGMA0 = 0.2;
const EWMA: PricingVolSpec = { kind: 'ewma', lambda: 0.94, initial: SIGMA0 };
const GARCH = { omega: 2e-6, alpha: 0.08, beta: 0.9 };
const SMILE: SmileSpec = { skew: -0.8, curvature: 1.5, termSlope: 0.05 };

/** Log returns of the hand path; r[0] = 0 is a placeholder (no return at inception). */
const RETURNS = Float64Array.from(PRICES, (p, i) => (i === 0 ? 0 : Math.log(p / PRICES[i - 1])));

/** EWMA pricing vol after the return of row i, from the module's per-period series. */
const ewmaVols = (() => {
  const s = ewmaVarianceSeries(RETURNS, 0.94, SIGMA0 * SIGMA0 * DT); // per period, seeded with σ₀²·dt
  return Array.from(s, (v) => Math.sqrt(v / DT));
})();

/** GARCH pricing vol after the return of row i: h ← ω + α r² + β h per period (one-step forecasts). */
const garchVols = (() => {
  let h = SIGMA0 * SIGMA0 * DT;
  const out = [SIGMA0];
  for (let i = 1; i < PRICES.length; i++) {
    h = garchForecastVariance(
      { params: { mu: 0, ...GARCH }, lastVariance: h, lastResidual: RETURNS[i] },
      1,
    )[0];
    out.push(Math.sqrt(h / DT));
  }
  return out;
})();

/** The smile of a constant 20 % vol at strike K, spot S, time to expiry τ (SmileSpec formula). */
function smileVol(K: number, S: number, tau: number): number {
  const k = Math.log(K / S);
  return Math.max(
    SIGMA0 * (1 + SMILE.skew * k + SMILE.curvature * k * k) + SMILE.termSlope * (tau - 1),
    0.01,
  );
}

/** Units of the asset held after step i: the sum of the ledger's asset trades up to i. */
function unitsAfter(ledger: readonly TradeRecord[], i: number): number {
  return ledger.filter((t) => t.kind === 'asset' && t.step <= i).reduce((u, t) => u + t.qty, 0);
}

const relErr = (a: number, b: number) => Math.abs(a / b - 1);

function runCall(vols: PricingVolSpec, spreadVol = 0) {
  const strategy = deltaHedge({ asset: 0, type: 'call', strike: K_CALL, tenor: TENOR, quantity: Q_CALL });
  return runHand(handHistory(PRICES), strategy, {
    rate: RATE,
    vols,
    costs: costModel({ optionSpreadVol: spreadVol }),
  }).runs[0];
}

function runPut(vols: PricingVolSpec, spreadVol = 0) {
  const strategy = protectivePut({ weights: Float64Array.of(1), strike: 0.95, tenor: TENOR, roll: 3 / 252 });
  return runHand(handHistory(PRICES), strategy, {
    rate: RATE,
    vols,
    costs: costModel({ optionSpreadVol: spreadVol }),
  }).runs[0];
}

/** The option trades at step i: [closing the old put, opening the new one] at a roll date. */
const optionTrades = (ledger: readonly TradeRecord[], i: number) =>
  ledger.filter((t) => t.kind === 'option' && t.step === i);

describe('pricing vol through the engine: EWMA', () => {
  it('the delta-hedged short call holds −q·Δ_BSM at the EWMA vol of the returns so far, every step', () => {
    const run = runCall(EWMA);
    const open = optionTrades(run.ledger, 0)[0];
    expect(open.instrument).toBe('A call K=101 T=0.0793651');
    expect(open.qty).toBe(Q_CALL);
    expect(relErr(open.price, bsmPrice('call', 100, K_CALL, TENOR, RATE, 0, SIGMA0))).toBeLessThan(1e-13);
    for (let i = 1; i < PRICES.length; i++) {
      const d = bsmGreeks('call', PRICES[i], K_CALL, TENOR - i * DT, RATE, 0, ewmaVols[i]).delta;
      expect(relErr(unitsAfter(run.ledger, i), -Q_CALL * d), `step ${i}`).toBeLessThan(1e-10);
    }
    // The vol moved: holding Δ at the initial 20 % instead would be off by far more than rounding.
    const i = PRICES.length - 1;
    const dFlat = bsmGreeks('call', PRICES[i], K_CALL, TENOR - i * DT, RATE, 0, SIGMA0).delta;
    expect(ewmaVols[i]).toBeGreaterThan(0.2 + 1e-3);
    expect(relErr(unitsAfter(run.ledger, i), -Q_CALL * dFlat)).toBeGreaterThan(1e-4);
  });

  it('a put opened at a roll date is bought at P_BSM at the EWMA vol of that date', () => {
    const run = runPut(EWMA);
    for (const i of [3, 6]) {
      const [close, open] = optionTrades(run.ledger, i);
      expect(close!.qty).toBeLessThan(0);
      const S = PRICES[i];
      expect(open!.instrument).toBe(
        `A put K=${Number((0.95 * S).toPrecision(6))} T=${Number((i * DT + TENOR).toPrecision(6))}`,
      );
      expect(
        relErr(open!.price, bsmPrice('put', S, 0.95 * S, TENOR, RATE, 0, ewmaVols[i])),
        `step ${i}`,
      ).toBeLessThan(1e-12);
    }
  });

  it('is the pricing vol, not the model vol: { kind: model } prices at the replay’s own EWMA instead', () => {
    const ours = optionTrades(runPut(EWMA).ledger, 0)[0].price;
    const model = optionTrades(runPut({ kind: 'model' }).ledger, 0)[0].price;
    const modelVol = replayVol(PRICES, 0); // RiskMetrics seeded from the window's own returns
    expect(Math.abs(modelVol - SIGMA0)).toBeGreaterThan(0.01);
    expect(relErr(model, bsmPrice('put', 100, 95, TENOR, RATE, 0, modelVol))).toBeLessThan(1e-12);
    expect(relErr(ours, bsmPrice('put', 100, 95, TENOR, RATE, 0, SIGMA0))).toBeLessThan(1e-12);
    expect(relErr(ours, model)).toBeGreaterThan(0.01);
  });
});

describe('pricing vol through the engine: GARCH(1,1) filter', () => {
  const spec: PricingVolSpec = { kind: 'garch', ...GARCH, initial: SIGMA0 };

  it('the delta-hedged short call holds −q·Δ_BSM at the GARCH vol of the returns so far, every step', () => {
    const run = runCall(spec);
    for (let i = 1; i < PRICES.length; i++) {
      const d = bsmGreeks('call', PRICES[i], K_CALL, TENOR - i * DT, RATE, 0, garchVols[i]).delta;
      expect(relErr(unitsAfter(run.ledger, i), -Q_CALL * d), `step ${i}`).toBeLessThan(1e-10);
    }
    // The filter really moved away from its 20 % start (else the check above would be vacuous).
    expect(Math.abs(garchVols[PRICES.length - 1] - SIGMA0)).toBeGreaterThan(5e-3);
  });

  it('a put opened at a roll date is bought at P_BSM at the GARCH vol of that date', () => {
    const run = runPut(spec);
    for (const i of [3, 6]) {
      const open = optionTrades(run.ledger, i)[1];
      const S = PRICES[i];
      expect(
        relErr(open.price, bsmPrice('put', S, 0.95 * S, TENOR, RATE, 0, garchVols[i])),
        `step ${i}`,
      ).toBeLessThan(1e-12);
    }
  });
});

describe('pricing vol through the engine: smile', () => {
  const spec: PricingVolSpec = { kind: 'constant', vol: SIGMA0, smile: SMILE };

  it('prices the 95 % put at the smile vol of its strike: σ = 0.2·(1 − 0.8·ln 0.95 + 1.5·ln² 0.95) + 0.05·(τ − 1)', () => {
    const open = optionTrades(runPut(spec).ledger, 0)[0];
    const vol = smileVol(95, 100, TENOR);
    expect(vol).toBeCloseTo(
      0.2 * (1 - 0.8 * Math.log(0.95) + 1.5 * Math.log(0.95) ** 2) + 0.05 * (TENOR - 1),
      15,
    );
    expect(vol).toBeCloseTo(0.16296, 5);
    expect(relErr(open.price, bsmPrice('put', 100, 95, TENOR, RATE, 0, vol))).toBeLessThan(1e-12);
    // The flat 20 % would give another price.
    expect(relErr(open.price, bsmPrice('put', 100, 95, TENOR, RATE, 0, SIGMA0))).toBeGreaterThan(0.05);
  });

  it('re-reads the smile at the moving moneyness ln(K/Sᵢ) for the hedged call (sticky moneyness)', () => {
    const run = runCall(spec);
    for (let i = 1; i < PRICES.length; i++) {
      const tau = TENOR - i * DT;
      const d = bsmGreeks('call', PRICES[i], K_CALL, tau, RATE, 0, smileVol(K_CALL, PRICES[i], tau)).delta;
      expect(relErr(unitsAfter(run.ledger, i), -Q_CALL * d), `step ${i}`).toBeLessThan(1e-10);
    }
  });
});

describe('option bid/ask in vol points (optionSpreadVol = 0.02)', () => {
  const SPREAD = 0.02;

  it('the written call pays ½·spread·vega·|qty| at the EWMA vol, and nothing else changes', () => {
    const open = optionTrades(runCall(EWMA, SPREAD).ledger, 0)[0];
    const vega = bsmGreeks('call', 100, K_CALL, TENOR, RATE, 0, SIGMA0).vega; // per 1.00 vol
    expect(relErr(open.cost, 0.5 * SPREAD * vega * Math.abs(Q_CALL))).toBeLessThan(1e-12);
    expect(open.cost).toBeCloseTo(1.117576, 6); // ½·0.02·11.175759 (vega per 1.00 vol)·10
    expect(open.price).toBe(optionTrades(runCall(EWMA).ledger, 0)[0].price); // mid unchanged
    // Not a fraction of the price: ½·0.02·price·|qty| = 0.190 would be ~6× smaller.
    expect(open.cost / (0.5 * SPREAD * open.price * Math.abs(Q_CALL))).toBeGreaterThan(5);
  });

  it('a roll pays the half spread on both legs, each at its own vega at the GARCH vol of the roll date', () => {
    const spec: PricingVolSpec = { kind: 'garch', ...GARCH, initial: SIGMA0 };
    const run = runPut(spec, SPREAD);
    const i = 3;
    const S = PRICES[i];
    const [close, open] = optionTrades(run.ledger, i);
    const K0 = 95; // the put opened at step 0, expiring at TENOR
    const vegaOld = bsmGreeks('put', S, K0, TENOR - i * DT, RATE, 0, garchVols[i]).vega;
    const vegaNew = bsmGreeks('put', S, 0.95 * S, TENOR, RATE, 0, garchVols[i]).vega;
    expect(relErr(close!.cost, 0.5 * SPREAD * vegaOld * Math.abs(close!.qty))).toBeLessThan(1e-10);
    expect(relErr(open!.cost, 0.5 * SPREAD * vegaNew * Math.abs(open!.qty))).toBeLessThan(1e-10);
  });
});
