/**
 * CPU time of the calling thread, for the worker pool's efficiency accounting: on Linux the
 * scheduler's per-thread statistics (`/proc/thread-self/schedstat`: nanoseconds on a CPU,
 * nanoseconds runnable but waiting for a CPU, time slices). Waiting time is what another process
 * on a busy core costs this thread; CPU time is what the work itself costs, whatever the load — so
 * speed-ups derived from CPU time hold on a shared machine where wall-clock ones do not.
 * Elsewhere (no procfs) the figures are undefined and callers report none.
 *
 * References: Linux Documentation/scheduler/sched-stats.rst (schedstat fields 1–3).
 */
import { readFileSync } from 'node:fs';

/** One reading of the calling thread's scheduler statistics. */
export interface ThreadCpu {
  /** Time on a CPU since the thread started, ns. */
  readonly cpuNs: number;
  /** Time runnable but waiting on a run queue since the thread started, ns. */
  readonly waitNs: number;
}

let unsupported = false;

/**
 * Reads the calling thread's CPU and run-queue wait time (Linux), or undefined where the platform
 * does not expose them.
 * @example const a = threadCpu(); work(); const b = threadCpu(); // b.cpuNs - a.cpuNs: ns on a CPU
 */
export function threadCpu(): ThreadCpu | undefined {
  if (unsupported) return undefined;
  try {
    const f = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ');
    const cpuNs = Number(f[0]);
    const waitNs = Number(f[1]);
    if (Number.isFinite(cpuNs) && Number.isFinite(waitNs)) return { cpuNs, waitNs };
  } catch {
    // no procfs
  }
  unsupported = true;
  return undefined;
}

/** b − a per field, or undefined if either reading is missing. */
export function cpuSince(a: ThreadCpu | undefined, b: ThreadCpu | undefined): ThreadCpu | undefined {
  return a && b ? { cpuNs: b.cpuNs - a.cpuNs, waitNs: b.waitNs - a.waitNs } : undefined;
}
