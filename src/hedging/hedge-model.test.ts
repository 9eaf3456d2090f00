import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { hedgeFrontier } from './hedge-frontier.ts';
import { createHedgeModel, type HedgeModel, solveHedge } from './hedge-model.ts';
import type { HedgeInstrument, HedgeProblem, RiskBucket } from './hedge-types.ts';

// Hull, Options, Futures and Other Derivatives, ch. 19: book Δ 0, Γ −5,000, ν −8,000.
const BOOK = [0, -5000, -8000];
const zero = (name: string): RiskBucket => ({ name, lo: 0, hi: 0, weight: 1 });
const BUCKETS = [zero('delta'), zero('gamma'), zero('vega')];
const inst = (id: string, exposure: number[], extra: Partial<HedgeInstrument> = {}): HedgeInstrument => ({
  id,
  exposure,
  spread: { kind: 'price', spread: 0.02 },
  ...extra,
});
const OPT1 = inst('option 1', [0.6, 0.5, 2.0]);
const OPT2 = inst('option 2', [0.5, 0.8, 1.2]);
const ASSET = inst('asset', [1, 0, 0]);

/** Keeps only the listed buckets (by index) of the Hull book. */
function hull(keep: number[], instruments: HedgeInstrument[]): HedgeProblem {
  return {
    buckets: keep.map((b) => BUCKETS[b]),
    exposure: keep.map((b) => BOOK[b]),
    instruments: instruments.map((x) => ({ ...x, exposure: keep.map((b) => x.exposure[b]) })),
  };
}

function expectClose(got: ArrayLike<number>, want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => {
    if (!(Math.abs(got[i] - w) <= tol)) throw new Error(`[${i}]: got ${got[i]} want ${w} (tol ${tol})`);
  });
}

describe('least-cost LP with zero-width bands reproduces Hull ch. 19', () => {
  it('delta-gamma neutral with option 1: long 10,000 of option 1, short 6,000 of the asset', async () => {
    const plan = await solveHedge(hull([0, 1], [OPT1, ASSET]));
    expect(plan.status).toBe('optimal');
    expectClose(plan.quantity, [10_000, -6_000], 1e-9);
    expectClose(plan.residual, [0, 0], 0);
    expect(plan.cost).toBeCloseTo(0.01 * 16_000, 9);
  });

  it('delta-vega neutral with option 1: long 4,000 of option 1, short 2,400 of the asset', async () => {
    const plan = await solveHedge(hull([0, 2], [OPT1, ASSET]));
    expect(plan.status).toBe('optimal');
    expectClose(plan.quantity, [4_000, -2_400], 1e-9);
  });

  it('delta-gamma-vega neutral: 400 of option 1, 6,000 of option 2, short 3,240 of the asset', async () => {
    const plan = await solveHedge(hull([0, 1, 2], [OPT1, OPT2, ASSET]));
    expect(plan.status).toBe('optimal');
    expectClose(plan.quantity, [400, 6_000, -3_240], 1e-9);
    expectClose(plan.post, [0, 0, 0], 1e-9);
    expect(plan.binding.flatMap((b) => (b.kind === 'band-lower' ? [b.bucket] : []))).toEqual([0, 1, 2]);
  });
});

const DELTA_BAND: RiskBucket = { name: 'SPX delta', lo: -100, hi: 100, weight: 1 };
const SHARES = inst('SPX', [1], { spread: { kind: 'price', spread: 0.02 } }); // 0.01 per unit
const FUTURE = inst('SPX future', [1.02], { spread: { kind: 'price', spread: 0.04 } }); // 0.0196 per Δ

describe('least-cost LP: bands, size limits, lots', () => {
  it('trades nothing when the book is already inside its bands', async () => {
    const plan = await solveHedge({ buckets: [DELTA_BAND], exposure: [57], instruments: [SHARES, FUTURE] });
    expect(plan.status).toBe('optimal');
    expect(Array.from(plan.quantity)).toEqual([0, 0]);
    expect(plan.cost).toBe(0);
    expect(plan.binding).toEqual([]);
  });

  it('hedges exactly to the nearer band edge with the cheapest instrument per unit of risk', async () => {
    const above = await solveHedge({ buckets: [DELTA_BAND], exposure: [500], instruments: [SHARES, FUTURE] });
    expectClose(above.quantity, [-400, 0], 1e-9);
    expectClose(above.post, [100], 1e-9);
    expect(above.cost).toBeCloseTo(4, 12);
    expect(above.binding).toEqual([{ kind: 'band-upper', bucket: 0, name: 'SPX delta', limit: 100 }]);
    const below = await solveHedge({
      buckets: [DELTA_BAND],
      exposure: [-500],
      instruments: [SHARES, FUTURE],
    });
    expectClose(below.quantity, [400, 0], 1e-9);
    expectClose(below.post, [-100], 1e-9);
  });

  it('converts a vol-point spread through vega and fees per contract through the multiplier', async () => {
    // vega band: book vega −800 (per 1.00 vol), band [−100, 100]; two options with vega 20 and 25 per unit:
    // A: 1 vol point wide → ½·1·0.01·20 = 0.1/unit = 0.005 per vega; B: 0.5 point + 0.65/contract of 100
    // → ½·0.5·0.01·25 + 0.0065 = 0.069/unit = 0.00276 per vega → B is cheaper.
    const plan = await solveHedge({
      buckets: [{ name: 'vega', lo: -100, hi: 100, weight: 1 }],
      exposure: [-800],
      instruments: [
        { id: 'A', exposure: [20], spread: { kind: 'vol', points: 1, vega: 20 } },
        {
          id: 'B',
          exposure: [25],
          spread: { kind: 'vol', points: 0.5, vega: 25 },
          feePerContract: 0.65,
          multiplier: 100,
        },
      ],
    });
    expectClose(plan.quantity, [0, 700 / 25], 1e-9);
    expect(plan.cost).toBeCloseTo((700 / 25) * 0.069, 12);
  });

  it('returns a best-effort plan with residual and binding size limit when limits are too small (no throw)', async () => {
    const plan = await solveHedge({
      buckets: [{ ...DELTA_BAND, weight: 1 }],
      exposure: [500],
      instruments: [{ ...SHARES, minQty: -300 }],
    });
    expect(plan.status).toBe('best-effort');
    expectClose(plan.quantity, [-300], 1e-9);
    expectClose(plan.post, [200], 1e-9);
    expectClose(plan.residual, [100], 1e-9);
    expect(plan.residualNorm).toBeCloseTo(100, 9);
    expect(plan.binding).toEqual([{ kind: 'size-min', instrument: 0, id: 'SPX', limit: -300 }]);
  });

  it('best-effort keeps the violation when its weight is below the cost of removing it', async () => {
    const plan = await solveHedge({
      buckets: [{ ...DELTA_BAND, lo: 0, hi: 0, weight: 0.005 }],
      exposure: [500],
      instruments: [
        { ...SHARES, maxQty: 1000, minQty: -1000 },
        { ...FUTURE, minQty: 0 },
      ],
      // the future can only be bought: exposure 500 needs a sale, shares cost 0.01 > weight 0.005
    });
    expect(plan.status).toBe('optimal');
    const tight = await solveHedge({
      buckets: [{ ...DELTA_BAND, lo: 0, hi: 0, weight: 0.005 }],
      exposure: [500],
      instruments: [
        { ...SHARES, minQty: -100 },
        { ...FUTURE, minQty: 0 },
      ],
    });
    expect(tight.status).toBe('best-effort');
    expectClose(tight.quantity, [0, 0], 1e-12);
    expectClose(tight.residual, [500], 1e-9);
    expect(tight.residualNorm).toBeCloseTo(2.5, 12);
  });

  it('trades integer multiples of the lot size (MIP) and meets the bands with them', async () => {
    // Hull's delta-gamma book with bands: Γ in [−50, 50] needs option 1 in [9,900, 10,100]; lots of 100.
    const plan = await solveHedge({
      buckets: [
        { name: 'delta', lo: -10, hi: 10, weight: 1 },
        { name: 'gamma', lo: -50, hi: 50, weight: 1 },
      ],
      exposure: [0, -5000],
      instruments: [inst('option 1', [0.6, 0.5], { lotSize: 100 }), inst('asset', [1, 0], { lotSize: 1 })],
    });
    expect(plan.status).toBe('optimal');
    expect(Array.from(plan.quantity)).toEqual([9_900, -5_930]);
    expect(Array.from(plan.lots)).toEqual([99, -5_930]);
    expectClose(plan.post, [10, -50], 1e-9);
  });

  it('rejects malformed problems with a DomainError naming the field', async () => {
    await expect(
      solveHedge({ buckets: [{ ...DELTA_BAND, lo: 1, hi: 0 }], exposure: [0], instruments: [SHARES] }),
    ).rejects.toThrow(/buckets\[0\]\.hi \(0\) must be >= lo \(1\)/);
    await expect(
      solveHedge({ buckets: [DELTA_BAND], exposure: [0], instruments: [{ ...SHARES, fee: -1 }] }),
    ).rejects.toThrow(DomainError);
    await expect(
      solveHedge({
        buckets: [DELTA_BAND],
        exposure: [0],
        instruments: [{ ...SHARES, minQty: 1, maxQty: 2, lotSize: 5 }],
      }),
    ).rejects.toThrow(/instruments\[0\]\.lotSize/);
  });
});

describe('kept model re-solves', () => {
  let model: HedgeModel | undefined;
  afterAll(() => model?.dispose());

  it('after new exposures and new instrument Greeks gives the same plan as a fresh model', async () => {
    model = await createHedgeModel(hull([0, 1, 2], [OPT1, OPT2, ASSET]));
    expectClose(model.solve().quantity, [400, 6_000, -3_240], 1e-9);
    model.setExposure([100, -4000, -6000]);
    model.setInstrumentExposure(1, [0.55, 0.7, 1.5]);
    const kept = model.solve();
    const fresh = await solveHedge({
      buckets: BUCKETS,
      exposure: [100, -4000, -6000],
      instruments: [OPT1, { ...OPT2, exposure: [0.55, 0.7, 1.5] }, ASSET],
    });
    expectClose(kept.quantity, Array.from(fresh.quantity), 1e-9);
    expectClose(kept.post, [0, 0, 0], 1e-9);
    model.setBands([-1, -1, -1], [1, 1, 1]);
    expect(model.solve().cost).toBeLessThan(kept.cost + 1e-9);
    model.dispose();
    expect(model.disposed).toBe(true);
    expect(() => model!.solve()).toThrow(DomainError);
  });

  it('returns to exact band-meeting after a best-effort solve', async () => {
    const m = await createHedgeModel({
      buckets: [DELTA_BAND],
      exposure: [500],
      instruments: [{ ...SHARES, minQty: -300 }],
    });
    try {
      expect(m.solve().status).toBe('best-effort');
      m.setExposure([350]);
      const plan = m.solve();
      expect(plan.status).toBe('optimal');
      expectClose(plan.quantity, [-250], 1e-9);
    } finally {
      m.dispose();
    }
  });
});

describe('cost-vs-residual frontier', () => {
  it('runs from the unhedged book to the least-cost plan, cost up and residual down', async () => {
    const points = await hedgeFrontier(
      { buckets: [DELTA_BAND], exposure: [500], instruments: [SHARES, FUTURE] },
      5,
    );
    expectClose(
      points.map((p) => p.cost),
      [0, 1, 2, 3, 4],
      1e-9,
    );
    expectClose(
      points.map((p) => p.residualNorm),
      [400, 300, 200, 100, 0],
      1e-9,
    );
    expect(points.map((p) => p.plan.status)).toEqual([
      'best-effort',
      'best-effort',
      'best-effort',
      'best-effort',
      'optimal',
    ]);
    expectClose(points[2].plan.quantity, [-200, 0], 1e-9);
  });

  it('ends at the best-effort plan when the bands cannot be met', async () => {
    const points = await hedgeFrontier(
      { buckets: [DELTA_BAND], exposure: [500], instruments: [{ ...SHARES, minQty: -300 }] },
      4,
    );
    expectClose(
      points.map((p) => p.residualNorm),
      [400, 300, 200, 100],
      1e-9,
    );
    expect(points[3].plan.status).toBe('best-effort');
  });
});
