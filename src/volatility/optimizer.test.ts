import { describe, expect, it } from 'vitest';
import { bfgs, nelderMead, solveLinear } from './optimizer.ts';

describe('optimizers', () => {
  it('Nelder–Mead finds the minimum of the Rosenbrock function', () => {
    const f = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    const r = nelderMead(f, Float64Array.of(-1.2, 1), { maxEvals: 2000, fTol: 1e-14 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });

  it('Nelder–Mead treats NaN as infeasible', () => {
    const f = (x: Float64Array) => (x[0] < 0 ? Number.NaN : (x[0] - 2) ** 2);
    expect(nelderMead(f, Float64Array.of(0.5), { fTol: 1e-14 }).x[0]).toBeCloseTo(2, 5);
  });

  it('BFGS converges on Rosenbrock with the analytic gradient', () => {
    const fg = (x: Float64Array, g: Float64Array) => {
      const a = x[1] - x[0] ** 2;
      g[0] = -400 * x[0] * a - 2 * (1 - x[0]);
      g[1] = 200 * a;
      return 100 * a * a + (1 - x[0]) ** 2;
    };
    const r = bfgs(fg, Float64Array.of(-1.2, 1), { maxIter: 500, gTol: 1e-10 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(1, 8);
  });

  it('solveLinear solves with pivoting and reports singular systems', () => {
    const x = solveLinear(Float64Array.of(0, 1, 2, 1), Float64Array.of(3, 4))!;
    expect(x[0]).toBeCloseTo(0.5, 15);
    expect(x[1]).toBeCloseTo(3, 15);
    expect(solveLinear(Float64Array.of(1, 2, 2, 4), Float64Array.of(1, 2))).toBeUndefined();
  });
});
