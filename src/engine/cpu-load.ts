/**
 * How busy the machine's cores are with OTHER processes, measured over a window of this process's
 * own life (e.g. while `hedgekit run` loads and builds its scenario): the kernel's CPU time counters
 * (`/proc/stat`, all CPUs, in USER_HZ ticks) minus this process's own CPU time
 * (`/proc/self/stat`, every thread), divided by the window's wall time. Unlike the one-minute
 * load average it answers for now, not for the last minute, and it does not count this process.
 * Without procfs (not Linux) it reports nothing and callers fall back to the load average.
 *
 * References: Linux Documentation/filesystems/proc.rst (/proc/stat "cpu" line; USER_HZ = 100).
 */
import { readFileSync } from 'node:fs';

/** One reading of the machine's and this process's CPU counters. */
export interface CpuSnapshot {
  /** Wall clock, ms (performance.now()). */
  readonly at: number;
  /** Busy CPU time of all cores (user + nice + system + irq + softirq + steal), s. */
  readonly busyS: number;
  /** This process's CPU time (user + system, all threads; 10 ms ticks), s. */
  readonly ownS: number;
}

const USER_HZ = 100;

/** Reads the counters now (undefined without /proc/stat). */
export function cpuSnapshot(): CpuSnapshot | undefined {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0];
  } catch {
    return undefined;
  }
  const f = line?.trim().split(/\s+/);
  if (f?.[0] !== 'cpu' || f.length < 5) return undefined;
  const v = f.slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const busy = v[0] + v[1] + v[2] + (v[5] ?? 0) + (v[6] ?? 0) + (v[7] ?? 0);
  if (!Number.isFinite(busy)) return undefined;
  // this process, every thread: utime and stime, fields 14 and 15 of /proc/self/stat (after the
  // parenthesized command name, which may hold spaces)
  let ownTicks = Number.NaN;
  try {
    const st = readFileSync('/proc/self/stat', 'latin1');
    const g = st.slice(st.lastIndexOf(')') + 2).split(' ');
    ownTicks = Number(g[11]) + Number(g[12]);
  } catch {
    return undefined;
  }
  if (!Number.isFinite(ownTicks)) return undefined;
  return { at: performance.now(), busyS: busy / USER_HZ, ownS: ownTicks / USER_HZ };
}

/**
 * Cores kept busy by other processes between two snapshots (≥ 0), or undefined when either is
 * missing or the window is shorter than `minMs` (the counters tick every 10 ms).
 * @example othersBusyCores(a, b) // 0.02 on an idle machine, ≈ 1 with one other busy process
 */
export function othersBusyCores(
  a: CpuSnapshot | undefined,
  b: CpuSnapshot | undefined,
  minMs = 150,
): number | undefined {
  if (!a || !b) return undefined;
  const wallS = (b.at - a.at) / 1000;
  if (!(wallS * 1000 >= minMs)) return undefined;
  return Math.max(0, (b.busyS - a.busyS - (b.ownS - a.ownS)) / wallS);
}
