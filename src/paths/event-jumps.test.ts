import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { emptyObservation, GridSource } from '../engine/market-source.ts';
import { useWasmKernels } from '../wasm/runtime.ts';
import { EventJumpGenerator } from './event-jumps.ts';
import { GbmGenerator } from './gbm.ts';
import { uniformGrid } from './types.ts';

const assets = [
  { name: 'EQ', assetClass: 'equity' as const, spot: 100 },
  { name: 'BD', assetClass: 'bond' as const, spot: 100 },
];
const grid = uniformGrid(0.1, 25); // τ = 0.05 falls in step 13: t₁₂ = 0.048 < τ ≤ t₁₃ = 0.052

function logReturns(gen: GbmGenerator | EventJumpGenerator, n: number) {
  const src = new GridSource({ generator: gen, grid, nPaths: n, seed: 5, stepsPerYear: 250 });
  const obs = emptyObservation();
  const out: { lr: Float64Array[]; vol: Float64Array[]; events: number }[] = [];
  while (src.next(obs))
    out.push({
      lr: obs.logReturn.map((x) => x.slice()),
      vol: obs.vol.map((x) => x.slice()),
      events: obs.events?.length ?? -1,
    });
  return out;
}

describe('EventJumpGenerator', () => {
  const ev = {
    name: 'E',
    t: 0.05,
    jumpMean: -0.1,
    jumpStd: 0.05,
    volBump: 0.3,
    volHalfLife: 0.01,
    assets: [0],
  };

  it('jumps the affected asset on the step holding τ: mean and std of the log jump within 3 SE', () => {
    const n = 4096;
    const base = logReturns(new GbmGenerator({ assets, vols: [0.2, 0.05] }), n);
    const jumped = logReturns(
      new EventJumpGenerator(new GbmGenerator({ assets, vols: [0.2, 0.05] }), [ev]),
      n,
    );
    // before the event the paths are bit-identical (the wrapper draws nothing)
    for (let i = 0; i <= 12; i++) expect(jumped[i].lr[0]).toEqual(base[i].lr[0]);
    const x = jumped[13].lr[0];
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    const diffSd = Math.sqrt(0.05 ** 2 + 0.2 ** 2 * 0.004); // jump ⊕ one step of diffusion
    const drift = -0.5 * 0.04 * 0.004;
    expect(Math.abs(mean - (-0.1 + drift))).toBeLessThan((3 * diffSd) / Math.sqrt(n));
    expect(Math.abs(sd / diffSd - 1)).toBeLessThan(3 / Math.sqrt(2 * n));
    // the unaffected asset does not jump
    expect(jumped[13].lr[1]).toEqual(base[13].lr[1]);
  });

  it('moves the carried ln S with every jump and vol bump (Math.log(spot) up to the steps’ rounding)', () => {
    const src = new GridSource({
      generator: new EventJumpGenerator(new GbmGenerator({ assets, vols: [0.2, 0.05] }), [ev]),
      grid,
      nPaths: 512,
      seed: 5,
      stepsPerYear: 250,
      logSpot: true,
    });
    const obs = emptyObservation();
    let worst = 0;
    while (src.next(obs)) {
      const ls = obs.logSpot;
      if (!ls) throw new Error('ln S not carried');
      for (let a = 0; a < 2; a++)
        for (let p = 0; p < 512; p++) {
          const d = Math.abs(ls[a][p] - Math.log(obs.spot[a][p]));
          worst = Math.max(worst, d / ((obs.i + 1) * (Math.abs(ls[a][p]) + 3) * 2 ** -52));
        }
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('raises the reported vol after the event: √(σ² + b²), decaying with the half-life', () => {
    const out = logReturns(
      new EventJumpGenerator(new GbmGenerator({ assets, vols: [0.2, 0.05] }), [ev]),
      256,
    );
    expect(out[12].vol[0][0]).toBe(0.2);
    const b = 0.3 * 2 ** (-(grid.times[13] - 0.05) / 0.01);
    expect(out[13].vol[0][0]).toBeCloseTo(Math.sqrt(0.04 + b * b), 12);
    expect(out[20].vol[0][0]).toBeLessThan(out[13].vol[0][0]);
    expect(out[13].vol[1][0]).toBe(0.05);
  });

  it('validates events', () => {
    const g = new GbmGenerator({ assets, vols: [0.2, 0.05] });
    expect(() => new EventJumpGenerator(g, [{ ...ev, t: 0 }])).toThrow(DomainError);
    expect(() => new EventJumpGenerator(g, [{ ...ev, jumpStd: -1 }])).toThrow(
      'events[0].jumpStd (-1) must be >= 0',
    );
  });
});

describe('EventJumpGenerator over the WebAssembly GBM step', () => {
  it('gives the same paths with the kernels on (all blocks at once) and off (block by block)', () => {
    const events = [
      { name: 'E', t: 0.05, jumpMean: -0.1, jumpStd: 0.05, volBump: 0.3, volHalfLife: 0.01, assets: [0] },
      { name: 'F', t: 0.071, jumpMean: 0.02, jumpStd: 0, volBump: 0.1, volHalfLife: 0.02 },
    ];
    const make = () =>
      new EventJumpGenerator(
        new GbmGenerator({
          assets,
          vols: [0.2, 0.05],
          correlation: [
            [1, 0.3],
            [0.3, 1],
          ],
        }),
        events,
      );
    useWasmKernels(true);
    const on = logReturns(make(), 1300); // 6 blocks: a group of four lanes and a half-empty one
    useWasmKernels(false);
    const off = logReturns(make(), 1300);
    useWasmKernels(true);
    expect(on.length).toBe(26);
    for (let i = 0; i < on.length; i++) {
      for (let a = 0; a < 2; a++) {
        expect(Array.from(on[i].lr[a])).toEqual(Array.from(off[i].lr[a]));
        expect(Array.from(on[i].vol[a])).toEqual(Array.from(off[i].vol[a]));
      }
    }
    // the jump and the bump happened
    expect(Math.min(...on[13].lr[0])).toBeLessThan(-0.15);
    expect(on[14].vol[0][0]).toBeGreaterThan(0.25);
  });
});
