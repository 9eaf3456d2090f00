import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentileSorted } from './quantile.ts';
import { StepQuantiles } from './step-quantiles.ts';

describe('StepQuantiles', () => {
  it('lies in the bin of the order statistic of rank ⌊q(n−1)⌋ (|Δ ln V| ≤ 0.005), whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 20, max: 400, noNaN: true }), { minLength: 2, maxLength: 300 }),
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, chunks, q) => {
          const a = new StepQuantiles(1, 100);
          const b = new StepQuantiles(1, 100);
          const v = Float64Array.from(xs);
          a.add(0, v, v.length);
          const size = Math.ceil(v.length / chunks);
          for (let s = 0; s < v.length; s += size) {
            const part = v.slice(s, s + size);
            b.add(0, part, part.length);
          }
          const sorted = Float64Array.from(xs).sort();
          const order = sorted[Math.floor(q * (xs.length - 1))];
          // 1e-9: round-off of the log/exp round trip at a bin edge, far below the bin width.
          expect(Math.abs(Math.log(a.quantile(0, q) / order))).toBeLessThanOrEqual(0.005 + 1e-9);
          // Dense data: close to the exact (interpolated) percentile as well.
          if (xs.length === 1) expect(a.quantile(0, q)).toBe(percentileSorted(sorted, 100 * q));
          expect(b.quantile(0, q)).toBe(a.quantile(0, q));
        },
      ),
      { seed: 20261203, numRuns: 200 },
    );
  });

  it('is close to the exact percentile on dense data (2,000 lognormal values)', () => {
    const v = new Float64Array(2000);
    let u = 0.5;
    for (let p = 0; p < v.length; p++) {
      u = (u * 16807) % 1; // a simple deterministic spread of (0, 1), enough for a dense sample
      v[p] = 100 * Math.exp(0.2 * (u - 0.5) * 4);
    }
    const s = new StepQuantiles(1, 100);
    s.add(0, v, v.length);
    const sorted = Float64Array.from(v).sort();
    for (const q of [0.05, 0.2, 0.5, 0.8, 0.95])
      expect(Math.abs(Math.log(s.quantile(0, q) / percentileSorted(sorted, 100 * q)))).toBeLessThanOrEqual(
        0.005,
      );
  });

  it('is exact for one path, for min and max, and outside the histogram range', () => {
    const s = new StepQuantiles(2, 100);
    s.add(0, Float64Array.of(103.7), 1);
    expect([s.quantile(0, 0), s.quantile(0, 0.5), s.quantile(0, 1)]).toEqual([103.7, 103.7, 103.7]);
    s.add(1, Float64Array.of(-5, 0.001, 100, 1e6, Number.NaN), 5);
    expect(s.count(1)).toBe(4);
    expect(s.quantile(1, 0)).toBe(-5);
    expect(s.quantile(1, 1)).toBe(1e6);
    expect(Number.isNaN(new StepQuantiles(1, 1).quantile(0, 0.5))).toBe(true);
  });

  it('rejects a bad size or V0', () => {
    expect(() => new StepQuantiles(0, 100)).toThrow('samples (0) must be an integer >= 1');
    expect(() => new StepQuantiles(1, 0)).toThrow('v0 (0) must be > 0');
  });
});
