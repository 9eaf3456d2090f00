/**
 * `hedgekit runs diff A B` for two stored sweeps: point by point, metric by metric, what changed,
 * and whether the sweep file, the base scenario, the seed, the version or the code changed. Rows
 * are matched by their parameter values (`floor.level=0.8, strategies[cppi].multiplier=4`, keys
 * sorted), market label and strategy name — not by position — so a reordered grid compares
 * equal; rows present in only one sweep are listed. A run and a sweep are not compared.
 */
import { diffRuns, type RunDiff } from './run-diff.ts';
import type { RunStore, RunSummary } from './run-store.ts';
import { StoreError } from './store-error.ts';
import { getSweep, sweepMetrics } from './sweep-store.ts';

/** One metric of one row that differs (or, with `all`, every metric). */
export interface SweepMetricChange {
  /** The parameter point, `path=value, …` (keys sorted). */
  readonly point: string;
  readonly market: string;
  readonly strategy: string;
  readonly metric: string;
  /** NaN when undefined in that sweep. */
  readonly a: number;
  readonly b: number;
  /** b − a (NaN when either is undefined). */
  readonly delta: number;
}

export interface SweepDiff {
  readonly a: RunSummary;
  readonly b: RunSummary;
  readonly sweepChanged: boolean;
  readonly scenarioChanged: boolean;
  readonly seedChanged: boolean;
  readonly versionChanged: boolean;
  readonly codeChanged: boolean;
  /** Rows (point × market × strategy) present in both. */
  readonly rows: number;
  /** Metrics compared (of the rows present in both). */
  readonly compared: number;
  /** Rows whose frontier mark differs (`point / market / strategy`). */
  readonly frontierChanged: readonly string[];
  readonly changes: readonly SweepMetricChange[];
  /** `point / market / strategy` present in only one of the sweeps. */
  readonly onlyInA: readonly string[];
  readonly onlyInB: readonly string[];
}

/** A point's values as a label independent of the grid's order: `k=v, …`, keys sorted. */
export function pointLabel(values: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(values).sort();
  return keys.length === 0 ? '(base)' : keys.map((k) => `${k}=${JSON.stringify(values[k])}`).join(', ');
}

function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

const SEP = '\u0000';

function labelled(store: RunStore, id: number) {
  const s = getSweep(store, id);
  const metrics = sweepMetrics(store, id);
  const rows = new Map<string, { metrics: Map<string, number>; frontier: boolean }>();
  s.result.rows.forEach((r, i) => {
    const k = [pointLabel(r.values), r.market, r.strategy].join(SEP);
    if (!rows.has(k)) rows.set(k, { metrics: metrics.get(i) ?? new Map(), frontier: r.frontier });
  });
  return { sweep: s, rows };
}

/**
 * Compares two stored sweeps row by row and metric by metric.
 * @param opts.all keep unchanged metrics too
 * @throws StoreError when one is missing or is not a sweep
 * @example diffSweeps(store, 4, 5).changes.length // 0 for the same sweep file, seed and code
 */
export function diffSweeps(store: RunStore, a: number, b: number, opts: { all?: boolean } = {}): SweepDiff {
  const A = labelled(store, a);
  const B = labelled(store, b);
  const show = (k: string) => k.split(SEP).join(' / ');
  const changes: SweepMetricChange[] = [];
  const frontierChanged: string[] = [];
  const onlyInA: string[] = [];
  let rows = 0;
  let compared = 0;
  for (const [k, ra] of A.rows) {
    const rb = B.rows.get(k);
    if (!rb) {
      onlyInA.push(show(k));
      continue;
    }
    rows++;
    if (ra.frontier !== rb.frontier) frontierChanged.push(show(k));
    const [point, market, strategy] = k.split(SEP);
    for (const [metric, va] of ra.metrics) {
      const vb = rb.metrics.get(metric);
      if (vb === undefined) continue;
      compared++;
      if (opts.all || !same(va, vb))
        changes.push({ point, market, strategy, metric, a: va, b: vb, delta: vb - va });
    }
  }
  const onlyInB = [...B.rows.keys()].filter((k) => !A.rows.has(k)).map(show);
  const sa = A.sweep;
  const sb = B.sweep;
  return {
    a: summaryOf(sa),
    b: summaryOf(sb),
    sweepChanged: sa.sweepHash !== sb.sweepHash,
    scenarioChanged: sa.scenarioHash !== sb.scenarioHash,
    seedChanged: sa.seed !== sb.seed,
    versionChanged: sa.version !== sb.version,
    codeChanged: sa.codeHash !== sb.codeHash,
    rows,
    compared,
    frontierChanged,
    changes,
    onlyInA,
    onlyInB,
  };
}

function summaryOf(s: RunSummary): RunSummary {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    scenarioFile: s.scenarioFile,
    scenarioHash: s.scenarioHash,
    version: s.version,
    codeHash: s.codeHash,
    seed: s.seed,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
  };
}

/** What `runs diff` found: two runs or two sweeps compared. */
export type StoredDiff =
  | { readonly kind: 'run'; readonly diff: RunDiff }
  | { readonly kind: 'sweep'; readonly diff: SweepDiff };

/**
 * Compares two stored records of the same kind: two runs metric by metric ({@link diffRuns}),
 * two sweeps point by point ({@link diffSweeps}).
 * @throws StoreError `store-kind` for a run and a sweep (they have nothing to compare point by
 *   point); `store-not-found` for a missing id
 */
export function diffStored(store: RunStore, a: number, b: number, opts: { all?: boolean } = {}): StoredDiff {
  const ka = store.kindOf(a);
  const kb = store.kindOf(b);
  for (const [id, k] of [
    [a, ka],
    [b, kb],
  ] as const)
    if (k === undefined)
      throw new StoreError(
        store.file,
        `run ${id}: not found (hedgekit runs lists the stored runs)`,
        'store-not-found',
      );
  if (ka !== kb) {
    const what = (k: typeof ka) => (k === 'sweep' ? 'a sweep' : 'a scenario run');
    throw new StoreError(
      store.file,
      `run ${a} is ${what(ka)} and run ${b} is ${what(kb)}: runs diff compares two scenario runs or two sweeps`,
      'store-kind',
    );
  }
  return ka === 'sweep'
    ? { kind: 'sweep', diff: diffSweeps(store, a, b, opts) }
    : { kind: 'run', diff: diffRuns(store, a, b, opts) };
}
