import { describe, expect, it } from 'vitest';
import { type CpuSnapshot, cpuSnapshot, othersBusyCores } from './cpu-load.ts';

const snap = (at: number, busyS: number, ownS: number): CpuSnapshot => ({ at, busyS, ownS });

describe('othersBusyCores', () => {
  it("is the machine's busy CPU time minus this process's, per second of wall time", () => {
    // 1 s: the cores were busy 1.6 s in all, 0.9 s of it this process → 0.7 cores elsewhere
    expect(othersBusyCores(snap(0, 10, 2), snap(1000, 11.6, 2.9))).toBeCloseTo(0.7, 12);
    // never negative (counters tick at different moments)
    expect(othersBusyCores(snap(0, 10, 2), snap(500, 10.2, 2.3))).toBe(0);
  });

  it('gives nothing for a missing reading or a window too short for 10 ms ticks', () => {
    expect(othersBusyCores(undefined, snap(1000, 1, 1))).toBeUndefined();
    expect(othersBusyCores(snap(0, 1, 1), undefined)).toBeUndefined();
    expect(othersBusyCores(snap(0, 1, 1), snap(100, 1.1, 1))).toBeUndefined();
    expect(othersBusyCores(snap(0, 1, 1), snap(100, 1.1, 1), 50)).toBeCloseTo(1, 12);
  });

  it('reads /proc/stat on Linux: busy time grows while this thread computes', () => {
    const a = cpuSnapshot();
    if (process.platform !== 'linux') {
      expect(a).toBeUndefined();
      return;
    }
    let x = 0;
    for (let i = 0; i < 3e7; i++) x += Math.sqrt(i);
    const b = cpuSnapshot();
    expect(x).toBeGreaterThan(0);
    expect(b && a && b.busyS >= a.busyS).toBe(true);
    expect(b && a && b.ownS > a.ownS).toBe(true);
    expect(othersBusyCores(a, b, 0)).toBeGreaterThanOrEqual(0);
  });
});
