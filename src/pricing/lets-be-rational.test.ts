import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ivKernel } from '../wasm/iv-kernel.ts';
import { LBR_DIAGNOSTICS, otmImpliedTotalVol as otmImpliedTotalVolJs } from './lets-be-rational.ts';
import { normalisedVega, otmBlack } from './normalised-black.ts';

const EPS = 2.220446049250313e-16;

const wasm = ivKernel();
if (!wasm) throw new Error('no WebAssembly implied-vol kernel');
// The JavaScript solver (the reference) and its port in the WebAssembly implied-vol kernel
// (src/wasm/assembly/lets-be-rational.ts) face the same assertions.
const SOLVERS = [
  { path: 'JavaScript', solve: otmImpliedTotalVolJs, iterations: () => LBR_DIAGNOSTICS.iterations },
  { path: 'WebAssembly', solve: wasm.exports.otmImpliedTotalVol, iterations: wasm.exports.iterations },
] as const;

describe.each(SOLVERS)(
  'Let’s Be Rational inversion of the normalised Black function ($path)',
  ({ solve: otmImpliedTotalVol, iterations }) => {
    it('recovers s to the information in β (|ŝ − s| ≤ 16ε(s + β/b′)) over x ∈ [−e^5, 0], s ∈ [e^−9, e^3]', () => {
      fc.assert(
        fc.property(
          fc.double({ min: -14, max: 5, noNaN: true }),
          fc.double({ min: -9, max: 3, noNaN: true }),
          (lnAx, lnS) => {
            const x = -Math.exp(lnAx);
            const s = Math.exp(lnS);
            const beta = otmBlack(x, s);
            if (!(beta > 1e-300 && beta < Math.exp(x / 2) * (1 - 1e-13))) return true;
            const got = otmImpliedTotalVol(beta, x);
            return Math.abs(got - s) <= 16 * EPS * (s + beta / normalisedVega(x, s));
          },
        ),
        { seed: 20261125, numRuns: 5000 },
      );
    });

    it('needs at most two Householder steps in ≥ 99 % of cases and never more than four', () => {
      let seed = 1;
      const rnd = () => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647;
      };
      const counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
      let n = 0;
      for (let i = 0; i < 20000; i++) {
        const x = -Math.exp(-10 + 13 * rnd());
        const s = Math.exp(-7 + 9 * rnd());
        const beta = otmBlack(x, s);
        if (!(beta > 1e-300 && beta < Math.exp(x / 2) * (1 - 1e-13))) continue;
        otmImpliedTotalVol(beta, x);
        counts[iterations()]++;
        n++;
      }
      expect((counts[0] + counts[1] + counts[2]) / n).toBeGreaterThanOrEqual(0.99);
      expect(counts.slice(5).reduce((a, b) => a + b, 0)).toBe(0);
    });

    it('handles the at-the-money limit x = 0 and tiny |x|', () => {
      for (const x of [0, -1e-300, -1e-12]) {
        for (const s of [1e-6, 0.1, 2, 10]) {
          const beta = otmBlack(x, s);
          expect(Math.abs(otmImpliedTotalVol(beta, x) - s), `${x} ${s}`).toBeLessThanOrEqual(
            16 * EPS * (s + beta / normalisedVega(x, s)),
          );
        }
      }
    });

    it('maps β ≤ 0 to 0, β ≥ e^{x/2} to +∞ and NaN to NaN', () => {
      expect(otmImpliedTotalVol(0, -0.1)).toBe(0);
      expect(otmImpliedTotalVol(-1, -0.1)).toBe(0);
      expect(otmImpliedTotalVol(Math.exp(-0.05), -0.1)).toBe(Number.POSITIVE_INFINITY);
      expect(otmImpliedTotalVol(Number.NaN, -0.1)).toBeNaN();
    });
  },
);
