import { afterEach, describe, expect, it } from 'vitest';
import { constantRate } from '../market/rate.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { uniformGrid } from '../paths/types.ts';
import { costModel } from '../portfolio/costs.ts';
import { buyAndHold } from '../strategies/buy-and-hold.ts';
import { constantMix } from '../strategies/constant-mix.ts';
import { type EngineConfig, runEngine } from './engine.ts';

const assets = ['EQ', 'BOND', 'GOLD'].map((name, i) => ({
  name,
  assetClass: (['equity', 'bond', 'commodity'] as const)[i],
  spot: 100,
  carry: 0.01 * i,
}));
const w = Float64Array.of(0.6, 0.3, 0.1);
const run = (strategy: EngineConfig['runs'][number]['strategy']) => ({
  strategy,
  costs: costModel({ bps: { equity: 5, bond: 2, commodity: 10 } }),
  rebalance: {},
  vols: { kind: 'constant', vol: 0.2 } as const,
});
const cfg = (
  nPaths: number,
  nSteps: number,
  chunkPaths: number,
  onProgress?: EngineConfig['onProgress'],
): EngineConfig => ({
  generator: new GbmGenerator({
    assets,
    vols: [0.2, 0.07, 0.15],
    correlation: [
      [1, -0.3, 0.2],
      [-0.3, 1, 0.1],
      [0.2, 0.1, 1],
    ],
    rate: constantRate(0.03),
  }),
  grid: uniformGrid(1, nSteps),
  nPaths,
  seed: 11,
  initialValue: 100,
  runs: [run(buyAndHold({ weights: w })), run(constantMix({ weights: w }))],
  stepsPerYear: nSteps,
  chunkPaths,
  ...(onProgress ? { onProgress } : {}),
});

/** Records every typed-array allocation (new memory only: views on an existing buffer are free). */
type Ctor = 'Float64Array' | 'Uint8Array' | 'Int8Array' | 'Int32Array';
const CTORS: Ctor[] = ['Float64Array', 'Uint8Array', 'Int8Array', 'Int32Array'];
const originals = Object.fromEntries(CTORS.map((c) => [c, globalThis[c]])) as Record<Ctor, unknown>;
let allocs: number[] = [];
function recordAllocations(): void {
  allocs = [];
  for (const name of CTORS) {
    const Base = originals[name] as Float64ArrayConstructor;
    const Recording = class extends Base {
      // biome-ignore lint/suspicious/noExplicitAny: mirrors the typed-array constructor overloads
      constructor(...args: any[]) {
        // biome-ignore lint/suspicious/noExplicitAny: see above
        super(...(args as [any]));
        const a0 = args[0];
        if (!(a0 instanceof ArrayBuffer || a0 instanceof SharedArrayBuffer)) allocs.push(this.byteLength);
      }
    };
    (globalThis as Record<string, unknown>)[name] = Recording;
  }
}
afterEach(() => {
  for (const name of CTORS) (globalThis as Record<string, unknown>)[name] = originals[name];
});

function allocationsOf(c: EngineConfig): { total: number; largest: number } {
  recordAllocations();
  runEngine(c);
  const out = { total: allocs.reduce((s, b) => s + b, 0), largest: Math.max(...allocs) };
  for (const name of CTORS) (globalThis as Record<string, unknown>)[name] = originals[name];
  return out;
}

describe('engine memory is O(paths × assets)', () => {
  it('allocates no typed array per step: 10 and 200 steps allocate the same bytes', () => {
    const short = allocationsOf(cfg(1000, 10, 512));
    const long = allocationsOf(cfg(1000, 200, 512));
    expect(short.total).toBeGreaterThan(0);
    // (The grid, the only step-sized array, is built with the config, before recording starts.)
    expect(long.total).toBe(short.total);
    // The largest array is a per-path result or the generator's normals (assets × chunk), never
    // paths × steps.
    expect(long.largest).toBeLessThanOrEqual(8 * Math.max(1000, 3 * 512));
  });

  it('allocates a constant working set per chunk: 16 chunks cost 16 × one chunk plus the O(paths) results', () => {
    // Deterministic (no heap readings, which are noisy under load): count typed-array bytes.
    const chunk = 2048;
    const one = allocationsOf(cfg(chunk, 20, chunk));
    const many = allocationsOf(cfg(16 * chunk, 20, chunk));
    // Per-run results are 5 Float64Arrays of nPaths (terminal, fees, premiums, turnover, trades).
    const results = (nPaths: number) => 2 * 5 * 8 * nPaths;
    const perChunkOne = one.total - results(chunk);
    const perChunkMany = (many.total - results(16 * chunk)) / 16;
    // The generator's init and the engine's books, targets, masks are sized by the chunk, so each
    // chunk allocates the same bytes (within the few scalars-sized arrays allocated once per run).
    expect(Math.abs(perChunkMany - perChunkOne)).toBeLessThan(0.05 * perChunkOne);
    // ... and nothing scales with paths × steps: the largest array is chunk- or path-sized.
    expect(many.largest).toBeLessThanOrEqual(8 * 16 * chunk);
  });
});
