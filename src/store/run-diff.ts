/**
 * `hedgekit runs diff A B`: metric by metric, what changed between two stored runs, and whether
 * the scenario (its text's hash), the seed, the version or the code (codeHash) changed. Markets and
 * strategies are matched by label and name, so reordering a scenario's strategies does not produce
 * spurious differences; those present in only one run are listed.
 */
import type { RunStore, RunSummary } from './run-store.ts';

/** One metric that differs (or, with `all`, every metric). */
export interface MetricChange {
  readonly market: string;
  readonly strategy: string;
  readonly metric: string;
  /** NaN when undefined in that run. */
  readonly a: number;
  readonly b: number;
  /** b − a (NaN when either is undefined). */
  readonly delta: number;
}

export interface RunDiff {
  readonly a: RunSummary;
  readonly b: RunSummary;
  readonly scenarioChanged: boolean;
  readonly seedChanged: boolean;
  readonly versionChanged: boolean;
  readonly codeChanged: boolean;
  /** Metrics compared (present in both). */
  readonly compared: number;
  readonly changes: readonly MetricChange[];
  /** `market / strategy` present in only one of the runs. */
  readonly onlyInA: readonly string[];
  readonly onlyInB: readonly string[];
}

function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** Labels `market / strategy` → metric rows, for one stored run. */
function labelled(
  store: RunStore,
  id: number,
): { summary: RunSummary; rows: Map<string, Map<string, number>> } {
  const run = store.get(id);
  const byIndex = store.metrics(id);
  const rows = new Map<string, Map<string, number>>();
  run.result.markets.forEach((m, mi) => {
    m.strategies.forEach((s, si) => {
      rows.set(`${m.label}\u0000${s.name}`, byIndex.get(`${mi}/${si}`) ?? new Map());
    });
  });
  return { summary: run, rows };
}

/**
 * Compares two stored runs metric by metric.
 * @param opts.all keep unchanged metrics too
 * @throws StoreError when a run is not in the store
 * @example diffRuns(store, 1, 2).changes.length // 0 for two runs of the same scenario, seed and code
 */
export function diffRuns(store: RunStore, a: number, b: number, opts: { all?: boolean } = {}): RunDiff {
  const A = labelled(store, a);
  const B = labelled(store, b);
  const changes: MetricChange[] = [];
  const onlyInA: string[] = [];
  const onlyInB: string[] = [];
  let compared = 0;
  const show = (k: string) => k.replace('\u0000', ' / ');
  for (const [k, ra] of A.rows) {
    const rb = B.rows.get(k);
    if (!rb) {
      onlyInA.push(show(k));
      continue;
    }
    const [market, strategy] = k.split('\u0000');
    for (const [metric, va] of ra) {
      const vb = rb.get(metric);
      if (vb === undefined) continue;
      compared++;
      if (opts.all || !same(va, vb)) changes.push({ market, strategy, metric, a: va, b: vb, delta: vb - va });
    }
  }
  for (const k of B.rows.keys()) if (!A.rows.has(k)) onlyInB.push(show(k));
  return {
    a: A.summary,
    b: B.summary,
    scenarioChanged: A.summary.scenarioHash !== B.summary.scenarioHash,
    seedChanged: A.summary.seed !== B.summary.seed,
    versionChanged: A.summary.version !== B.summary.version,
    codeChanged: A.summary.codeHash !== B.summary.codeHash,
    compared,
    changes,
    onlyInA,
    onlyInB,
  };
}
