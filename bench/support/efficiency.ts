/**
 * Efficiency accounting for the parallel benchmarks (docs/performance.md, "Both cores"): wall-clock
 * speed-ups mean little on a shared 2-core machine, CPU time does. From the calling thread's CPU
 * time of a one-thread run and, for the same work on a pool, every worker job's thread CPU time
 * (EnginePool.jobStats) and the calling thread's own CPU time (setup, dispatch, merge: the serial
 * part), it derives:
 *
 * - `efficiency` = CPU(1 thread) / (Σ worker CPU + main CPU): 1 means the threads do no more work
 *   than one thread did;
 * - `serialFraction` = main CPU / CPU(1 thread) (Amdahl's s);
 * - `idleSpeedup` = CPU(1 thread) / (max per-worker CPU + main CPU): the speed-up on idle cores when
 *   the main thread's work does not overlap the workers' (Amdahl; a floor);
 * - `idleSpeedupMax` = CPU(1 thread) / max(max per-worker CPU, (Σ worker CPU + main CPU) / cores):
 *   the ceiling when it overlaps fully;
 * - `waitFraction` = Σ worker run-queue wait / (Σ worker CPU + wait): how busy the machine was.
 *
 * References: G. M. Amdahl, "Validity of the single processor approach to achieving large scale
 * computing capabilities", AFIPS 1967; Linux sched-stats (thread CPU and run-queue wait).
 */
import type { JobStats } from '../../src/engine/parallel.ts';

export interface Efficiency {
  readonly cpu1Ms: number;
  readonly workersCpuMs: number;
  readonly maxWorkerCpuMs: number;
  readonly mainCpuMs: number;
  readonly efficiency: number;
  readonly serialFraction: number;
  readonly idleSpeedup: number;
  readonly idleSpeedupMax: number;
  readonly waitFraction: number;
}

/** The figures above for one pool run (`jobs`: that run's JobStats). */
export function efficiencyOf(
  cpu1Ms: number,
  mainCpuMs: number,
  jobs: readonly (JobStats & { readonly worker: number })[],
  cores = 2,
): Efficiency {
  const per = new Map<number, number>();
  let cpu = 0;
  let wait = 0;
  for (const j of jobs) {
    cpu += j.cpuMs ?? Number.NaN;
    wait += j.waitMs ?? Number.NaN;
    per.set(j.worker, (per.get(j.worker) ?? 0) + (j.cpuMs ?? Number.NaN));
  }
  const maxW = Math.max(...per.values());
  return {
    cpu1Ms,
    workersCpuMs: cpu,
    maxWorkerCpuMs: maxW,
    mainCpuMs,
    efficiency: cpu1Ms / (cpu + mainCpuMs),
    serialFraction: mainCpuMs / cpu1Ms,
    idleSpeedup: cpu1Ms / (maxW + mainCpuMs),
    idleSpeedupMax: cpu1Ms / Math.max(maxW, (cpu + mainCpuMs) / cores),
    waitFraction: wait / (cpu + wait),
  };
}

/** The median of each field over several measurements (robust to one disturbed run). */
export function medianEfficiency(xs: readonly Efficiency[]): Efficiency {
  const med = (f: (e: Efficiency) => number) => {
    const v = xs.map(f).sort((a, b) => a - b);
    const m = v.length >> 1;
    return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
  };
  return {
    cpu1Ms: med((e) => e.cpu1Ms),
    workersCpuMs: med((e) => e.workersCpuMs),
    maxWorkerCpuMs: med((e) => e.maxWorkerCpuMs),
    mainCpuMs: med((e) => e.mainCpuMs),
    efficiency: med((e) => e.efficiency),
    serialFraction: med((e) => e.serialFraction),
    idleSpeedup: med((e) => e.idleSpeedup),
    idleSpeedupMax: med((e) => e.idleSpeedupMax),
    waitFraction: med((e) => e.waitFraction),
  };
}

/** The load averages now (`uptime`'s three figures), for the record of every measurement. */
export { loadavg } from 'node:os';
