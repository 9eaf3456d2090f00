import { describe, expect, it } from 'vitest';
import { cpuSince, threadCpu } from './thread-cpu.ts';

describe('threadCpu', () => {
  it('counts CPU time spent by the calling thread on Linux (schedstat), none elsewhere', () => {
    const a = threadCpu();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += Math.sqrt(i);
    const d = cpuSince(a, threadCpu());
    expect(x).toBeGreaterThan(0);
    if (process.platform !== 'linux') {
      expect(d).toBeUndefined();
      return;
    }
    expect(d?.cpuNs).toBeGreaterThan(0);
    expect(d?.waitNs).toBeGreaterThanOrEqual(0);
  });

  it('cpuSince is undefined when either reading is missing, else the field-wise difference', () => {
    expect(cpuSince(undefined, { cpuNs: 5, waitNs: 1 })).toBeUndefined();
    expect(cpuSince({ cpuNs: 5, waitNs: 1 }, undefined)).toBeUndefined();
    expect(cpuSince({ cpuNs: 5, waitNs: 1 }, { cpuNs: 12, waitNs: 4 })).toEqual({ cpuNs: 7, waitNs: 3 });
  });
});
