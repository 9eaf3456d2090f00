import { afterEach, describe, expect, it } from 'vitest';
import {
  buildBookHedge,
  buildCppi3,
  buildDeltaHedge,
  buildVolTarget3,
} from '../../bench/workloads/engine.ts';
import { runEngine } from '../../src/engine/engine.ts';
import { useWasmKernels } from '../../src/wasm/runtime.ts';

afterEach(() => useWasmKernels(true));

/** Every per-path result array of the first run, as plain arrays (bit patterns compared by toEqual). */
function results(build: typeof buildDeltaHedge | typeof buildCppi3 | typeof buildVolTarget3, wasm: boolean) {
  useWasmKernels(wasm);
  const r = runEngine(build({ nSteps: 30, seed: 20261203 }, { firstPath: 0, nPaths: 700 })).runs[0];
  return { terminal: Array.from(r.terminal), fees: Array.from(r.fees) };
}

describe('engine with the WebAssembly kernels (Black-Scholes batch, GBM step, vol-target step)', () => {
  for (const [name, build] of [
    ['delta hedge of a written call', buildDeltaHedge],
    ['20-option book hedge', buildBookHedge],
    ['CPPI on 3 correlated GBM assets', buildCppi3],
    ['the same CPPI vol-targeted (EWMA covariance overlay)', buildVolTarget3],
  ] as const) {
    it(`${name}: bit-identical terminal values and fees with the kernel on and off`, () => {
      const on = results(build, true);
      const off = results(build, false);
      expect(on.terminal.length).toBe(700);
      expect(on.terminal.every(Number.isFinite)).toBe(true);
      expect(on).toEqual(off);
    });
  }
});
