/**
 * `hedgekit runs`: the run store. `runs` (or `runs list`) lists the stored runs; `runs show ID`
 * prints one run's provenance and comparison tables; `runs diff A B` compares two runs metric by
 * metric and says whether the scenario, seed, version or code changed; `runs rm ID…` deletes runs.
 * ID is a run number or `latest`. Sweeps (`hedgekit sweep`) share the ids: `runs` lists them with
 * their kind, `runs show` prints a sweep's table, `runs diff` compares two sweeps point by point
 * (a run and a sweep are refused), `runs rm` removes either.
 */
import type { Command } from 'commander';
import {
  comparisonReport,
  diffStored,
  getSweep,
  type RunDiff,
  type RunStore,
  type RunSummary,
  type StoredSweep,
  type SweepDiff,
  sweepReport,
} from '../../api.ts';
import { CliError } from '../cli-error.ts';
import { keyValueTable, table } from '../format.ts';
import type { CliIo } from '../io.ts';
import { addStoreFlags, openStore } from '../store-flags.ts';

/** Metrics `runs diff` lists unless --full: the comparison table's. */
const KEY_PREFIX = 'key.';

/** A run id from the command line: a positive integer or `latest`. */
export function parseRunId(v: string, store: RunStore): number {
  if (v === 'latest') {
    const id = store.latest();
    if (id === undefined) throw new CliError(`${store.file}: the run store is empty`);
    return id;
  }
  const x = Number(v);
  if (!(Number.isSafeInteger(x) && x >= 1))
    throw new CliError(`run id: must be a run number >= 1 or "latest" (got ${JSON.stringify(v)})`);
  return x;
}

/** Number for a table cell: 6 significant digits; undefined (NaN) statistics print as "—". */
function num(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '—' : x > 0 ? '+∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e9) return x.toExponential(4);
  return Number(x.toPrecision(6)).toString();
}

function withStore<T>(flag: string | undefined, io: CliIo, f: (s: RunStore) => T): T {
  const store = openStore(flag ?? true, io, { mustExist: true });
  if (!store) throw new CliError('no run store: give --store PATH (or set HEDGEKIT_STORE)');
  try {
    return f(store);
  } finally {
    store.close();
  }
}

function sweepProvenance(s: StoredSweep): [string, string][] {
  return [
    ['run', `${s.id} (sweep)`],
    ['sweep', `${s.name}${s.sweepFile ? ` (${s.sweepFile})` : ''}`],
    ['sweep sha256', s.sweepHash.slice(0, 16)],
    ['base scenario', s.scenarioFile ?? ''],
    ['scenario sha256', s.scenarioHash.slice(0, 16)],
    ['seed', String(s.seed)],
    ['shards', `${s.result.stats.shards} (${s.mode})`],
    ['hedgekit', `${s.version} (code ${s.codeHash})`],
    ['started', s.startedAt],
    ['ended', s.endedAt],
  ];
}

const yesNo = (changed: boolean, a: string, b: string) => (changed ? `changed: ${a} → ${b}` : `same (${a})`);

function printRunDiff(out: (l: string) => void, d: RunDiff, full: boolean | undefined): void {
  out(
    table(
      ['', `run ${d.a.id} → run ${d.b.id}`],
      [
        ['scenario', yesNo(d.scenarioChanged, d.a.scenarioHash.slice(0, 12), d.b.scenarioHash.slice(0, 12))],
        ['seed', yesNo(d.seedChanged, String(d.a.seed), String(d.b.seed))],
        ['hedgekit version', yesNo(d.versionChanged, d.a.version, d.b.version)],
        ['code', yesNo(d.codeChanged, d.a.codeHash, d.b.codeHash)],
      ],
    ),
  );
  const shown = full ? d.changes : d.changes.filter((c) => c.metric.startsWith(KEY_PREFIX));
  out(
    `${d.compared} metrics compared, ${d.changes.length} differ` +
      (full || shown.length === d.changes.length
        ? '.'
        : `; the ${shown.length} of the comparison table below (--full for all).`),
  );
  for (const k of d.onlyInA) out(`only in run ${d.a.id}: ${k}`);
  for (const k of d.onlyInB) out(`only in run ${d.b.id}: ${k}`);
  if (shown.length > 0)
    out(
      table(
        ['market', 'strategy', 'metric', `run ${d.a.id}`, `run ${d.b.id}`, 'change'],
        shown.map((c) => [c.market, c.strategy, c.metric, num(c.a), num(c.b), num(c.delta)]),
      ),
    );
}

function printSweepDiff(
  out: (l: string) => void,
  d: SweepDiff,
  sa: StoredSweep,
  sb: StoredSweep,
  full: boolean | undefined,
): void {
  out(
    table(
      ['', `sweep ${d.a.id} → sweep ${d.b.id}`],
      [
        ['sweep file', yesNo(d.sweepChanged, sa.sweepHash.slice(0, 12), sb.sweepHash.slice(0, 12))],
        [
          'base scenario',
          yesNo(d.scenarioChanged, d.a.scenarioHash.slice(0, 12), d.b.scenarioHash.slice(0, 12)),
        ],
        ['seed', yesNo(d.seedChanged, String(d.a.seed), String(d.b.seed))],
        ['hedgekit version', yesNo(d.versionChanged, d.a.version, d.b.version)],
        ['code', yesNo(d.codeChanged, d.a.codeHash, d.b.codeHash)],
      ],
    ),
  );
  const shown = full ? d.changes : d.changes.filter((c) => c.metric.startsWith(KEY_PREFIX));
  out(
    `${d.rows} rows (point × market × strategy) in both, ${d.compared} metrics compared, ${d.changes.length} differ` +
      (full || shown.length === d.changes.length
        ? '.'
        : `; the ${shown.length} key metrics below (--full for all).`),
  );
  for (const k of d.frontierChanged) out(`frontier mark changed: ${k}`);
  for (const k of d.onlyInA) out(`only in sweep ${d.a.id}: ${k}`);
  for (const k of d.onlyInB) out(`only in sweep ${d.b.id}: ${k}`);
  if (shown.length > 0)
    out(
      table(
        ['point', 'market', 'strategy', 'metric', `run ${d.a.id}`, `run ${d.b.id}`, 'change'],
        shown.map((c) => [c.point, c.market, c.strategy, c.metric, num(c.a), num(c.b), num(c.delta)]),
      ),
    );
}

function provenance(r: RunSummary): [string, string][] {
  return [
    ['run', String(r.id)],
    ['scenario', `${r.name}${r.scenarioFile ? ` (${r.scenarioFile})` : ''}`],
    ['scenario sha256', r.scenarioHash.slice(0, 16)],
    ['seed', String(r.seed)],
    ['hedgekit', `${r.version} (code ${r.codeHash})`],
    ['started', r.startedAt],
    ['ended', r.endedAt],
  ];
}

/** Registers `runs` and its subcommands on the program. */
export function registerRuns(program: Command, io: CliIo): void {
  const out = io.stdout;
  const runs = program
    .command('runs')
    .description('the run store: list, show, diff and remove saved runs (every `hedgekit run` is saved)')
    .addHelpText(
      'after',
      `
Examples:
  hedgekit runs
  hedgekit runs show latest
  hedgekit runs diff 3 4
  hedgekit runs rm 2
Sweeps (hedgekit sweep) are stored too, with kind "sweep": runs show prints a sweep's tables,
runs diff compares two sweeps point by point.
The store is .hedgekit/runs.sqlite in the working directory, or $HEDGEKIT_STORE, or --store PATH.`,
    );

  addStoreFlags(runs.command('list', { isDefault: true }).description('list the stored runs'), {
    optOut: false,
  })
    .option('--json', 'write the list as JSON')
    .action((opts: { store?: string; json?: boolean }) => {
      withStore(opts.store, io, (store) => {
        const list = store.list();
        if (opts.json) return out(JSON.stringify(list));
        if (list.length === 0)
          return out(`No runs in ${store.file} yet (hedgekit run <scenario> saves one).`);
        out(
          table(
            ['id', 'kind', 'name', 'seed', 'started (UTC)', 'seconds', 'hedgekit', 'code', 'scenario sha256'],
            list.map((r) => [
              String(r.id),
              r.kind,
              r.name,
              String(r.seed),
              r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ''),
              ((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1),
              r.version,
              r.codeHash.slice(0, 8),
              r.scenarioHash.slice(0, 8),
            ]),
          ),
        );
      });
    });

  addStoreFlags(
    runs.command('show').description('one run: provenance and its comparison tables (a sweep: its table)'),
    {
      optOut: false,
    },
  )
    .argument('<id>', 'run number or "latest"')
    .option('--json', 'write the stored run (provenance, scenario text, every result) as JSON')
    .option('--scenario', 'print the stored scenario text only (a sweep: its base scenario)')
    .option('--sweep-file', 'print the stored sweep file only (sweeps)')
    .action(
      (idArg: string, opts: { store?: string; json?: boolean; scenario?: boolean; sweepFile?: boolean }) => {
        withStore(opts.store, io, (store) => {
          const id = parseRunId(idArg, store);
          if (store.kindOf(id) === 'sweep') {
            const s = getSweep(store, id);
            if (opts.scenario) return out(s.scenarioText.replace(/\n$/, ''));
            if (opts.sweepFile) return out(s.sweepText.replace(/\n$/, ''));
            if (opts.json)
              return out(
                JSON.stringify(s, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
              );
            out(keyValueTable(sweepProvenance(s)));
            return out(sweepReport(s.result));
          }
          if (opts.sweepFile) throw new CliError(`run ${id} is a scenario run: --sweep-file is for sweeps`);
          const run = store.get(id);
          if (opts.scenario) return out(run.scenarioText.replace(/\n$/, ''));
          if (opts.json) {
            const { series: _series, ...rest } = run;
            return out(JSON.stringify(rest));
          }
          out(keyValueTable(provenance(run)));
          out(comparisonReport(run.result));
        });
      },
    );

  addStoreFlags(
    runs
      .command('diff')
      .description(
        'compare two runs metric by metric, or two sweeps point by point (and say whether scenario, seed or code changed)',
      ),
    { optOut: false },
  )
    .argument('<a>', 'run number or "latest"')
    .argument('<b>', 'run number or "latest"')
    .option('--full', 'list every changed metric (default: the comparison table metrics, key.*)')
    .option('--json', 'write the comparison as JSON (every metric)')
    .action((aArg: string, bArg: string, opts: { store?: string; full?: boolean; json?: boolean }) => {
      withStore(opts.store, io, (store) => {
        const a = parseRunId(aArg, store);
        const b = parseRunId(bArg, store);
        const d = diffStored(store, a, b);
        if (opts.json)
          return out(
            JSON.stringify(d.diff, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
          );
        if (d.kind === 'run') return printRunDiff(out, d.diff, opts.full);
        printSweepDiff(out, d.diff, getSweep(store, a), getSweep(store, b), opts.full);
      });
    });

  addStoreFlags(runs.command('rm').description('delete stored runs'), { optOut: false })
    .argument('<id...>', 'run numbers (or "latest")')
    .action((ids: string[], opts: { store?: string }) => {
      withStore(opts.store, io, (store) => {
        const parsed = ids.map((v) => parseRunId(v, store));
        const missing = parsed.filter((id) => !store.remove(id));
        const removed = parsed.length - missing.length;
        if (removed > 0) out(`Removed ${removed} run${removed === 1 ? '' : 's'} from ${store.file}.`);
        if (missing.length > 0) throw new CliError(`run ${missing.join(', ')}: not found in ${store.file}`);
      });
    });
}
