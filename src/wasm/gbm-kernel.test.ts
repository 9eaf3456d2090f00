import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blockRng, PATH_BLOCK } from '../core/rng.ts';
import { ZIG_R } from '../core/ziggurat.ts';
import { GridSource, type Observation } from '../engine/market-source.ts';
import { constantRate } from '../market/rate.ts';
import { GbmGenerator, type GbmParams } from '../paths/gbm.ts';
import { simulatePaths, timeGrid, uniformGrid } from '../paths/types.ts';
import { createGbmWasm } from './gbm-kernel.ts';
import { useWasmKernels } from './runtime.ts';

afterEach(() => {
  useWasmKernels(true);
  vi.restoreAllMocks();
});

const asset = (i: number) => ({
  name: `A${i}`,
  assetClass: 'equity' as const,
  spot: 50 + 10 * i,
  carry: 0.01 * i,
});

/** Indices where two runs differ in any bit (Object.is: also −0 against +0 and NaN payload-free). */
function differences(a: Float64Array[], b: Float64Array[]): number {
  let bad = 0;
  for (let k = 0; k < a.length; k++)
    for (let i = 0; i < a[k].length; i++) if (!Object.is(a[k][i], b[k][i])) bad++;
  return bad;
}

function both(
  params: GbmParams,
  times: number[],
  nPaths: number,
  seed: number,
  field: 'spot' | 'logReturn' | 'logSpot',
) {
  useWasmKernels(true);
  const wasm = simulatePaths(new GbmGenerator(params), timeGrid(times), nPaths, seed, { field });
  useWasmKernels(false);
  const js = simulatePaths(new GbmGenerator(params), timeGrid(times), nPaths, seed, { field });
  useWasmKernels(true);
  return { wasm, js };
}

describe('WebAssembly GBM step kernel', () => {
  it('is available here (Node 20 has WebAssembly SIMD), so the tests below compare two code paths', () => {
    expect(createGbmWasm(2, 512)).not.toBeNull();
    // off: the JavaScript path, with the state in ordinary arrays
    useWasmKernels(false);
    expect(createGbmWasm(2, 512)).toBeNull();
  });

  it('gives the same bits as GbmGenerator.step over random models, grids, path counts and seeds', () => {
    // A correlation from random unit vectors (Gram matrix: positive semi-definite by construction).
    const model = fc.integer({ min: 1, max: 5 }).chain((nA) =>
      fc.record({
        vols: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1.2, noNaN: true })), {
          minLength: nA,
          maxLength: nA,
        }),
        vectors: fc.array(
          fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
          {
            minLength: nA,
            maxLength: nA,
          },
        ),
        drifts: fc.option(
          fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: nA, maxLength: nA }),
        ),
        rate: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
        steps: fc.array(fc.double({ min: 1e-4, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 6 }),
        nPaths: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 700, max: 2600 })),
        seed: fc.integer({ min: 0, max: 2 ** 40 }),
      }),
    );
    fc.assert(
      fc.property(model, (m) => {
        const nA = m.vols.length;
        const unit = m.vectors.map((v) => {
          const n = Math.hypot(...v);
          return n > 1e-3 ? v.map((x) => x / n) : [1, 0, 0];
        });
        const correlation = unit.map((u, i) =>
          unit.map((w, j) => (i === j ? 1 : u[0] * w[0] + u[1] * w[1] + u[2] * w[2])),
        );
        const params: GbmParams = {
          assets: Array.from({ length: nA }, (_, i) => asset(i)),
          vols: m.vols,
          correlation,
          rate: constantRate(m.rate),
          ...(m.drifts ? { drifts: m.drifts } : {}),
        };
        const times = [0];
        for (const dt of m.steps) times.push(times[times.length - 1] + dt);
        for (const field of ['spot', 'logReturn', 'logSpot'] as const) {
          const { wasm, js } = both(params, times, m.nPaths, m.seed, field);
          expect(wasm[0].length).toBe((m.steps.length + 1) * m.nPaths);
          expect(differences(wasm, js)).toBe(0);
        }
      }),
      { numRuns: 40, seed: 20261203 },
    );
  });

  it('carries ln S when asked: Math.log(spot) up to the rounding of the steps, both code paths', () => {
    // Per step ln S += x adds ≤ ½ ulp(ln S) and S ·= eˣ ≤ ~2 ε relative (Tang's exp, one product),
    // i.e. ≤ 2 ε in ln S: after i steps |ln S − Math.log(S)| ≤ (i + 1)(|ln S| + 3)·2⁻⁵² (with Math.log's
    // own rounding).
    const params: GbmParams = {
      assets: [asset(0), asset(1), asset(2)],
      vols: [0.9, 0.2, 0],
      correlation: [
        [1, 0.5, 0],
        [0.5, 1, 0],
        [0, 0, 1],
      ],
      drifts: [0.1, -0.3, 0.02],
    };
    const steps = 252;
    const nPaths = 2 * PATH_BLOCK;
    const times = Array.from({ length: steps + 1 }, (_, i) => i / 252);
    for (const wasm of [true, false]) {
      useWasmKernels(wasm);
      const ls = simulatePaths(new GbmGenerator(params), timeGrid(times), nPaths, 3, { field: 'logSpot' });
      const sp = simulatePaths(new GbmGenerator(params), timeGrid(times), nPaths, 3);
      let worst = 0;
      let moved = 0;
      for (let a = 0; a < 3; a++)
        for (let i = 0; i <= steps; i++)
          for (let p = 0; p < nPaths; p++) {
            const k = i * nPaths + p;
            const d = Math.abs(ls[a][k] - Math.log(sp[a][k]));
            worst = Math.max(worst, d / ((i + 1) * (Math.abs(ls[a][k]) + 3) * 2 ** -52));
            if (d > 0) moved++;
          }
      expect(worst).toBeLessThanOrEqual(1);
      // not the same numbers by construction: the two roundings do part on most paths
      expect(moved).toBeGreaterThan(nPaths);
    }
    // Not asked for: no ln S in the state (a GridSource's default), and simulatePaths says so.
    useWasmKernels(true);
    const src = new GridSource({
      generator: new GbmGenerator(params),
      grid: uniformGrid(1, 4),
      nPaths: 300,
      seed: 1,
      stepsPerYear: 4,
    });
    const obs = {} as Observation;
    src.next(obs);
    expect(obs.logSpot).toBeUndefined();
  });

  it('adds the same correlation terms as the JavaScript: none, one or two per asset, zeros skipped, four assets on', () => {
    // Correlations with zeros, so that rows of the Cholesky factor hold zero off-diagonal
    // coefficients (skipped by the JavaScript, also where a normal is −0): asset 1 uncorrelated with
    // asset 0 (no term), asset 2 correlated with asset 1 only (one term, b = 1) or with both (two),
    // a zero vol (a row of zeros), and a fourth and fifth asset (the general loop).
    const cases: { vols: number[]; correlation: number[][] }[] = [
      {
        vols: [0.2, 0.1, 0.3],
        correlation: [
          [1, 0, 0],
          [0, 1, 0.5],
          [0, 0.5, 1],
        ],
      },
      {
        vols: [0.2, 0.1, 0.3],
        correlation: [
          [1, 0, 0.4],
          [0, 1, 0],
          [0.4, 0, 1],
        ],
      },
      {
        vols: [0.2, 0, 0.3],
        correlation: [
          [1, 0.3, -0.2],
          [0.3, 1, 0.1],
          [-0.2, 0.1, 1],
        ],
      },
      {
        vols: [0.2, 0.1, 0.3, 0.25, 0.15],
        correlation: [
          [1, 0.2, 0, 0.1, 0],
          [0.2, 1, 0.3, 0, 0.2],
          [0, 0.3, 1, 0.25, 0],
          [0.1, 0, 0.25, 1, 0.4],
          [0, 0.2, 0, 0.4, 1],
        ],
      },
    ];
    for (const c of cases) {
      const params: GbmParams = {
        assets: c.vols.map((_, i) => asset(i)),
        vols: c.vols,
        correlation: c.correlation,
        rate: constantRate(0.02),
      };
      for (const field of ['spot', 'logReturn', 'logSpot'] as const) {
        const { wasm, js } = both(params, [0, 0.01, 0.02, 0.5, 0.51], 1024, 9, field);
        expect(differences(wasm, js)).toBe(0);
      }
    }
  });

  it('draws each block its own ziggurat stream, tails and wedges included (the slow path ported)', () => {
    // σ = 1, Δ = 1, μ = ½ make the step's log return exactly the normal draw: 0 + 1·ε.
    const nPaths = 10 * PATH_BLOCK; // 2½ groups of four lanes: the last group has idle lanes
    const steps = 40;
    useWasmKernels(true);
    const lr = simulatePaths(
      new GbmGenerator({ assets: [asset(0)], vols: [1], drifts: [0.5] }),
      uniformGrid(steps, steps),
      nPaths,
      99,
      { field: 'logReturn' },
    )[0];
    const z = new Float64Array(PATH_BLOCK);
    let tails = 0;
    let bad = 0;
    for (let b = 0; b < nPaths / PATH_BLOCK; b++) {
      const rng = blockRng(99, b);
      for (let i = 1; i <= steps; i++) {
        rng.fillNormal(z);
        for (let p = 0; p < PATH_BLOCK; p++) {
          const got = lr[i * nPaths + b * PATH_BLOCK + p];
          if (!Object.is(got, z[p])) bad++;
          if (Math.abs(got) > ZIG_R) tails++;
        }
      }
    }
    expect(bad).toBe(0);
    // 102,400 draws: P(|z| > R) = 2.6e-4, so about 26 tail draws; each went through the slow path
    // (and ~0.7 % of all draws through wedge tests), in the lane that drew it.
    expect(tails).toBeGreaterThan(5);
  });

  it('resumes from a GridSource snapshot with the same bits (states live in the kernel’s memory)', () => {
    const gen = () =>
      new GbmGenerator({
        assets: [asset(0), asset(1)],
        vols: [0.3, 0.1],
        correlation: [
          [1, 0.4],
          [0.4, 1],
        ],
      });
    const source = () =>
      new GridSource({ generator: gen(), grid: uniformGrid(1, 30), nPaths: 1500, seed: 5, stepsPerYear: 30 });
    const obs = {} as Observation;
    const tail = (s: GridSource) => {
      const out: number[] = [];
      while (s.next(obs)) out.push(obs.spot[0][1499], obs.spot[1][3]);
      return out;
    };
    const a = source();
    for (let i = 0; i <= 12; i++) a.next(obs);
    const saved = structuredClone(a.snapshot());
    const first = tail(a);
    const b = source();
    b.next(obs);
    b.restore(saved);
    expect(tail(b)).toEqual(first);
    useWasmKernels(false);
    const c = source();
    for (let i = 0; i <= 12; i++) c.next(obs);
    expect(tail(c)).toEqual(first);
  });

  it('runs the JavaScript step when the host refuses the memory (no crash, the same paths)', () => {
    const params: GbmParams = { assets: [asset(0), asset(1), asset(2)], vols: [0.2, 0.1, 0.3] };
    const ref = simulatePaths(new GbmGenerator(params), uniformGrid(1, 5), 25_600, 11);
    const api = (globalThis as unknown as { WebAssembly: { Memory: unknown } }).WebAssembly;
    vi.spyOn(api as { Memory: new () => object }, 'Memory').mockImplementation(function refuse() {
      throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    });
    expect(createGbmWasm(3, 25_600)).toBeNull();
    const g = new GbmGenerator(params);
    expect(g.init(25_600).spot[0].buffer.byteLength).toBe(25_600 * 8); // ordinary arrays
    const refused = simulatePaths(new GbmGenerator(params), uniformGrid(1, 5), 25_600, 11);
    expect(differences(refused, ref)).toBe(0);
  });

  it('falls back to the per-block JavaScript step for blocks that are not its own state', () => {
    const params: GbmParams = { assets: [asset(0)], vols: [0.2] };
    const g = new GbmGenerator(params);
    const own = g.init(512);
    expect(own.spot[0].buffer.byteLength).toBeGreaterThan(512 * 8); // a view on the kernel's memory
    const foreign = new GbmGenerator(params);
    useWasmKernels(false);
    const plain = foreign.init(512);
    expect(plain.spot[0].buffer.byteLength).toBe(512 * 8);
    // g steps a state it did not allocate: the JavaScript step, block by block
    const rngs = [blockRng(3, 0), blockRng(3, 1)];
    const ref = [blockRng(3, 0), blockRng(3, 1)];
    const refState = new GbmGenerator(params).init(512);
    const blocks = [0, 1].map((b) => ({
      ...plain,
      nPaths: 256,
      spot: [plain.spot[0].subarray(256 * b, 256 * (b + 1))],
      logReturn: [plain.logReturn[0].subarray(256 * b, 256 * (b + 1))],
    }));
    g.stepBlocks(0, 0.01, blocks, rngs);
    const refGen = new GbmGenerator(params);
    refGen.init(512);
    for (let b = 0; b < 2; b++)
      refGen.step(
        0,
        0.01,
        {
          ...refState,
          nPaths: 256,
          spot: [refState.spot[0].subarray(256 * b, 256 * (b + 1))],
          logReturn: [refState.logReturn[0].subarray(256 * b, 256 * (b + 1))],
        },
        ref[b],
      );
    expect(Array.from(plain.spot[0])).toEqual(Array.from(refState.spot[0]));
    expect(plain.spot[0][0]).not.toBe(50); // it moved
  });
});
