import { describe, expect, it } from 'vitest';
import { parseCLine } from '../../bench/ratios.ts';

describe('bench ratios: C baseline output', () => {
  it('takes the best time per option from a W1 line (n options)', () => {
    const line =
      'W1 c threads=1 n=10000000 reps=3 gen_s=0.1000 kernel_median_s=0.50000 kernel_min_s=0.40000 ns_per_option=50.000';
    expect(parseCLine(line)).toBeCloseTo(40, 12);
  });
  it('takes the best time per path-step from an engine line (paths × steps)', () => {
    const line =
      'W3 c threads=1 paths=10000 steps=252 reps=3 kernel_median_s=0.10000 kernel_min_s=0.07560 ns_per_path_step=39.683';
    expect(parseCLine(line)).toBeCloseTo((1e9 * 0.0756) / 2_520_000, 12);
  });
  it('reads the NumPy jobs (bench/numpy/baselines.py print the same fields)', () => {
    const line =
      'W2 numpy n=1000000 reps=3 kernel_median_s=0.47213 kernel_min_s=0.40612 ns_per_iv=406.122 max_err_well_posed=2.31e-11';
    expect(parseCLine(line)).toBeCloseTo(406.12, 12);
  });
  it('names the output it could not read', () => {
    expect(() => parseCLine('segmentation fault')).toThrow(
      /unexpected C baseline output: segmentation fault/,
    );
  });
});
