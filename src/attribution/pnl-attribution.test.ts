import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { createRng } from '../core/rng.ts';
import { ATTRIBUTION_COMPONENTS, type AttributionGreeks, PnlAttribution } from './pnl-attribution.ts';

const f64 = (...x: number[]) => Float64Array.from(x);
const bits = (x: Float64Array) => Array.from(new BigUint64Array(x.buffer, x.byteOffset, x.length));

describe('PnlAttribution.step: each component on hand-computed inputs', () => {
  // path 0: Δ 0.6, Γ 0.02, ν 40, Θ −6/yr, vanna −0.5, volga 100; dS 2, dσ +1 vol point, dt 1/252
  // path 1: a short position with a down move and a vol drop
  const greeks: AttributionGreeks = {
    delta: f64(0.6, -1.5),
    gamma: f64(0.02, -0.04),
    vega: f64(40, -80),
    theta: f64(-6, 12),
    vanna: f64(-0.5, 1),
    volga: f64(100, -50),
  };
  const move = { dS: [f64(2, -3)], dVol: [f64(0.01, -0.02)], dt: 1 / 252 };
  const flows = { carry: f64(0.1, -0.05), financing: f64(-0.02, 0.03), costs: f64(0.03, 0) };
  const dV = f64(1.7, 6);

  it('delta Δ·dS, gamma ½Γ·dS², vega ν·dσ, theta Θ·dt, vanna vanna·dS·dσ, volga ½volga·dσ²', () => {
    const a = new PnlAttribution(2);
    a.step([greeks], move, dV, flows);
    const c = (k: Parameters<typeof a.get>[0]) => Array.from(a.get(k));
    expect(c('delta')[0]).toBeCloseTo(1.2, 14);
    expect(c('gamma')[0]).toBeCloseTo(0.04, 14);
    expect(c('vega')[0]).toBeCloseTo(0.4, 14);
    expect(c('theta')[0]).toBeCloseTo(-6 / 252, 14);
    expect(c('vanna')[0]).toBeCloseTo(-0.01, 14);
    expect(c('volga')[0]).toBeCloseTo(0.005, 14);
    // path 1: −1.5·−3, ½·−0.04·9, −80·−0.02, 12/252, 1·−3·−0.02, ½·−50·0.0004
    expect(c('delta')[1]).toBeCloseTo(4.5, 14);
    expect(c('gamma')[1]).toBeCloseTo(-0.18, 14);
    expect(c('vega')[1]).toBeCloseTo(1.6, 14);
    expect(c('theta')[1]).toBeCloseTo(12 / 252, 14);
    expect(c('vanna')[1]).toBeCloseTo(0.06, 14);
    expect(c('volga')[1]).toBeCloseTo(-0.01, 14);
  });

  it('carry and financing as given, costs negated, residual = ΔV − Σ all the others, total = ΔV', () => {
    const a = new PnlAttribution(2);
    a.step([greeks], move, dV, flows);
    expect(Array.from(a.get('carry'))).toEqual([0.1, -0.05]);
    expect(Array.from(a.get('financing'))).toEqual([-0.02, 0.03]);
    expect(a.get('costs')[0]).toBe(-0.03);
    expect(Array.from(a.get('total'))).toEqual([1.7, 6]);
    // 1.7 − (1.2 + 0.04 + 0.4 − 0.0238095… − 0.01 + 0.005) − 0.1 + 0.02 − 0.03
    expect(a.get('residual')[0]).toBeCloseTo(0.038809523809523805, 14);
    // 6 − (4.5 − 0.18 + 1.6 + 0.0476190… + 0.06 − 0.01) − (−0.05) − 0.03 + 0 = 0.00238095…
    expect(a.get('residual')[1]).toBeCloseTo(0.05 / 21, 14);
  });

  it('the TSDoc example: Δ 0.6, Γ 0.02, Θ −6/yr, dS 2, dt 1/252, ΔV 1.25', () => {
    const a = new PnlAttribution(1);
    a.step([{ delta: f64(0.6), gamma: f64(0.02), theta: f64(-6) }], { dS: [f64(2)], dt: 1 / 252 }, f64(1.25));
    expect(a.get('gamma')[0]).toBe(0.04);
    expect(a.get('delta')[0]).toBeCloseTo(1.2, 15);
    expect(a.get('theta')[0]).toBeCloseTo(-0.023809523809523808, 15);
    expect(a.get('residual')[0]).toBeCloseTo(0.033809523809523806, 14);
    expect(new PnlAttribution(2).summary().components.total).toEqual({ n: 2, mean: 0, std: 0, sum: 0 });
  });

  it('omitted Greeks, vol moves and flows count as 0 (their P&L falls into the residual)', () => {
    const a = new PnlAttribution(2);
    a.step([{ delta: greeks.delta }], { dS: move.dS, dt: move.dt }, dV);
    for (const k of ['gamma', 'vega', 'theta', 'vanna', 'volga', 'carry', 'financing', 'costs'] as const) {
      expect(Array.from(a.get(k)).map(Math.abs)).toEqual([0, 0]);
    }
    expect(a.get('residual')[0]).toBeCloseTo(1.7 - 1.2, 14);
    expect(a.get('residual')[1]).toBeCloseTo(6 - 4.5, 14);
  });

  it('a step without moves gives theta only: Θ·dt, every other component exactly 0', () => {
    const a = new PnlAttribution(2);
    const dt = 1 / 365;
    const thetaDt = f64(-6 * dt, 12 * dt);
    a.step([greeks], { dS: [f64(0, 0)], dVol: [f64(0, 0)], dt }, thetaDt);
    expect(Array.from(a.get('theta'))).toEqual(Array.from(thetaDt));
    for (const k of ATTRIBUTION_COMPONENTS) {
      if (k === 'theta' || k === 'total') continue;
      expect(Array.from(a.get(k)).map(Math.abs), k).toEqual([0, 0]);
    }
  });

  it('multi-asset: sums the per-asset terms; the cross-gamma Γ₁₂·dS₁·dS₂ is residual', () => {
    // V = S₁·S₂ at (10, 20): Δ₁ = 20, Δ₂ = 10, Γ₁₁ = Γ₂₂ = 0, Γ₁₂ = 1
    const a = new PnlAttribution(1);
    const dS1 = 1;
    const dS2 = -2;
    const dV = (10 + dS1) * (20 + dS2) - 10 * 20; // −2
    a.step(
      [
        { delta: f64(20), gamma: f64(0), theta: f64(0.5) },
        { delta: f64(10), gamma: f64(0), theta: f64(0.25) },
      ],
      { dS: [f64(dS1), f64(dS2)], dt: 0 },
      f64(dV),
    );
    expect(a.get('delta')[0]).toBe(20 * dS1 + 10 * dS2); // 0
    expect(a.get('theta')[0]).toBe(0);
    expect(a.get('residual')[0]).toBe(dS1 * dS2); // −2
    // with dt > 0 the theta of both blocks adds up
    const b = new PnlAttribution(1);
    b.step(
      [
        { delta: f64(1), theta: f64(0.5) },
        { delta: f64(2), theta: f64(0.25) },
      ],
      { dS: [f64(3), f64(-1)], dt: 0.1 },
      f64(1),
    );
    expect(b.get('theta')[0]).toBeCloseTo(0.075, 15);
    expect(b.get('delta')[0]).toBe(1);
    expect(b.get('residual')[0]).toBeCloseTo(-0.075, 15);
  });

  it('applies the step discount factor to every component', () => {
    const a = new PnlAttribution(2);
    const b = new PnlAttribution(2);
    a.step([greeks], move, dV, flows);
    b.step([greeks], { ...move, discount: 0.9 }, dV, flows);
    for (const k of ATTRIBUTION_COMPONENTS) {
      for (let p = 0; p < 2; p++) expect(b.get(k)[p], k).toBeCloseTo(0.9 * a.get(k)[p], 14);
    }
  });

  it('throws a DomainError on bad shapes before touching any path', () => {
    expect(() => new PnlAttribution(0)).toThrow(DomainError);
    expect(() => new PnlAttribution(1.5)).toThrow('nPaths (1.5) must be an integer >= 1');
    const a = new PnlAttribution(2);
    expect(() => a.step([greeks], { dS: [], dt: 0.1 }, dV)).toThrow('move.dS.length (0) must be 1 (assets)');
    expect(() => a.step([greeks], { dS: [f64(1)], dt: 0.1 }, dV)).toThrow(
      'move.dS[0].length (1) must be >= 2',
    );
    expect(() => a.step([greeks], { ...move, dt: -1 }, dV)).toThrow(DomainError);
    expect(() => a.lastStep('delta')).toThrow(DomainError);
    expect(a.steps).toBe(0);
    expect(Array.from(a.sums).every((x) => x === 0)).toBe(true);
  });
});

/** A reproducible sequence of random steps on nPaths paths and 2 assets. */
function randomSteps(nPaths: number, nSteps: number, seed: number) {
  const rng = createRng(seed);
  const draw = () => {
    const x = new Float64Array(nPaths);
    rng.fillNormal(x);
    return x;
  };
  return Array.from({ length: nSteps }, () => ({
    greeks: [0, 1].map(() => ({
      delta: draw(),
      gamma: draw(),
      vega: draw(),
      theta: draw(),
      vanna: draw(),
      volga: draw(),
    })),
    move: { dS: [draw(), draw()], dVol: [draw(), draw()], dt: 1 / 252 },
    dV: draw(),
    flows: { carry: draw(), financing: draw(), costs: draw() },
  }));
}

describe('PnlAttribution: accumulation, state and summary', () => {
  it('accumulates across steps: the sums are the sums of the per-step contributions', () => {
    const steps = randomSteps(3, 5, 11);
    const acc = new PnlAttribution(3);
    const one = new PnlAttribution(3, { keepLastStep: true });
    const expected = new Float64Array(acc.sums.length);
    for (const s of steps) {
      acc.step(s.greeks, s.move, s.dV, s.flows);
      one.step(s.greeks, s.move, s.dV, s.flows);
      for (let i = 0; i < expected.length; i++) expected[i] += one.last![i];
      // the last step alone: a fresh attribution of that step
      const fresh = new PnlAttribution(3);
      fresh.step(s.greeks, s.move, s.dV, s.flows);
      expect(bits(one.last!)).toEqual(bits(fresh.sums));
    }
    expect(acc.steps).toBe(5);
    expect(bits(acc.sums)).toEqual(bits(expected));
    expect(acc.get('total')[1]).toBeCloseTo(
      steps.reduce((t, s) => t + s.dV[1], 0),
      14,
    );
  });

  it('components always add up to the total (property, seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 13, maxLength: 13 }),
        (x) => {
          const a = new PnlAttribution(1);
          const v = (i: number) => f64(x[i]);
          a.step(
            [{ delta: v(0), gamma: v(1), vega: v(2), theta: v(3), vanna: v(4), volga: v(5) }],
            { dS: [v(6)], dVol: [v(7)], dt: Math.abs(x[8]) / 100 },
            v(9),
            { carry: v(10), financing: v(11), costs: v(12) },
          );
          let sum = 0;
          let scale = 0;
          for (const k of ATTRIBUTION_COMPONENTS) {
            if (k === 'total') continue;
            sum += a.get(k)[0];
            scale += Math.abs(a.get(k)[0]);
          }
          expect(Math.abs(sum - a.get('total')[0])).toBeLessThanOrEqual(1e-15 * scale + 1e-300);
        },
      ),
      { seed: 20260501, numRuns: 300 },
    );
  });

  it('snapshot → structuredClone → restore continues bit-identically', () => {
    const steps = randomSteps(4, 10, 7);
    const a = new PnlAttribution(4, { keepLastStep: true });
    for (const s of steps.slice(0, 6)) a.step(s.greeks, s.move, s.dV, s.flows);
    const snap = structuredClone(a.snapshot());
    expect(snap.sums).toBeInstanceOf(Float64Array);
    expect(snap.steps).toBe(6);
    for (const s of steps.slice(6)) a.step(s.greeks, s.move, s.dV, s.flows);

    const b = new PnlAttribution(4, { keepLastStep: true });
    b.restore(snap);
    for (const s of steps.slice(6)) b.step(s.greeks, s.move, s.dV, s.flows);
    expect(b.steps).toBe(10);
    expect(bits(b.sums)).toEqual(bits(a.sums));
    expect(bits(b.last!)).toEqual(bits(a.last!));
    // the snapshot is a copy: continuing did not change it
    const c = new PnlAttribution(4);
    for (const s of steps.slice(0, 6)) c.step(s.greeks, s.move, s.dV, s.flows);
    expect(bits(snap.sums)).toEqual(bits(c.sums));
    expect(() => new PnlAttribution(3).restore(snap)).toThrow('snapshot.nPaths (4) must be 3');
  });

  it('per-line attributions add up to the book attribution (every term is linear in the position)', () => {
    const [l1, l2] = randomSteps(5, 2, 3);
    const add = (x: Float64Array, y: Float64Array) => x.map((v, i) => v + y[i]);
    const book = new PnlAttribution(5);
    const line1 = new PnlAttribution(5);
    const line2 = new PnlAttribution(5);
    const g1 = l1!.greeks[0];
    const g2 = l2!.greeks[0];
    const move = { dS: [l1!.move.dS[0]], dVol: [l1!.move.dVol[0]], dt: 1 / 52 };
    line1.step([g1], move, l1!.dV);
    line2.step([g2], move, l2!.dV);
    const gBook = {
      delta: add(g1.delta, g2.delta),
      gamma: add(g1.gamma, g2.gamma),
      vega: add(g1.vega, g2.vega),
      theta: add(g1.theta, g2.theta),
      vanna: add(g1.vanna, g2.vanna),
      volga: add(g1.volga, g2.volga),
    };
    book.step([gBook], move, add(l1!.dV, l2!.dV));
    for (const k of ATTRIBUTION_COMPONENTS) {
      for (let p = 0; p < 5; p++) {
        expect(book.get(k)[p], k).toBeCloseTo(line1.get(k)[p] + line2.get(k)[p], 12);
      }
    }
  });

  it('summary: mean, sample std and sum over the paths where a component is defined', () => {
    const a = new PnlAttribution(4);
    a.step([{ delta: f64(1, 2, 3, Number.NaN) }], { dS: [f64(1, 1, 1, 1)], dt: 0 }, f64(1, 2, 3, 4));
    const s = a.summary();
    expect(s.nPaths).toBe(4);
    expect(s.steps).toBe(1);
    expect(s.components.delta).toEqual({ n: 3, mean: 2, std: 1, sum: 6 });
    expect(s.components.total).toEqual({ n: 4, mean: 2.5, std: Math.sqrt(5 / 3), sum: 10 });
    expect(s.components.residual.n).toBe(3); // NaN propagates into the residual of path 3
    expect(new PnlAttribution(1).summary().components.gamma).toEqual({
      n: 1,
      mean: 0,
      std: Number.NaN,
      sum: 0,
    });
    expect(JSON.parse(JSON.stringify(s)).components.delta.mean).toBe(2);
  });
});
