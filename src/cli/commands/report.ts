/**
 * `hedgekit report RUN|scenario|sweep -o report.html`: the self-contained HTML report (inline SVG
 * charts, metrics with definitions, the scenario text, provenance) of a stored run (a run number or
 * `latest`), of a scenario file run now, of a stored sweep, or of a sweep file run now (heat maps
 * over two swept parameters, the frontier, every point's metrics); what is run now is stored too,
 * unless --no-store.
 */
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import {
  DomainError,
  detailToSeries,
  getSweep,
  type HeatmapAxesOptions,
  HedgekitError,
  isSweepFile,
  loadSweep,
  recordRun,
  recordSweep,
  reportInputFromRun,
  reportInputFromStored,
  runSweep,
  runWithDetail,
  sweepReportInputFromRun,
  sweepReportInputFromStored,
  writeHtmlReport,
  writeSweepHtmlReport,
} from '../../api.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { addStoreFlags, openStore, outputPath } from '../store-flags.ts';
import { parseRunId } from './runs.ts';

interface ReportFlags {
  output: string;
  paths?: string;
  seed?: string;
  store?: string | boolean;
  x?: string;
  y?: string;
  hold?: string[];
}

/** The heat-map flags (`--x`, `--y`, `--hold path=value`, the value read as YAML: 0.8 is a number). */
function axesFlags(opts: ReportFlags): HeatmapAxesOptions {
  const fixed: Record<string, unknown> = {};
  for (const h of opts.hold ?? []) {
    const eq = h.lastIndexOf('=');
    if (eq <= 0)
      throw new CliError(`--hold: must be path=value, e.g. floor.level=0.8 (got ${JSON.stringify(h)})`);
    fixed[h.slice(0, eq).trim()] = parseYaml(h.slice(eq + 1)) as unknown;
  }
  return { x: opts.x, y: opts.y, fixed };
}

/** A DomainError of the heat-map layout, named by its flag (`--x`, `--y`, `--hold path`). */
function axesError(e: unknown): unknown {
  if (!(e instanceof DomainError)) return e;
  const flag = e.param === 'x' || e.param === 'y' ? `--${e.param}` : e.param.replace(/^fixed\./, '--hold ');
  return e.message.startsWith(e.param) ? new CliError(flag + e.message.slice(e.param.length)) : e;
}

/** Registers `report` on the program. */
export function registerReport(program: Command, io: CliIo): void {
  const cmd = program
    .command('report')
    .description(
      'write the HTML report of a stored run or sweep, or of a scenario or sweep file (charts, metrics, provenance)',
    )
    .argument(
      '<run|scenario|sweep>',
      'a stored run or sweep number, "latest", or a scenario or sweep file to run now',
    )
    .option('-o, --output <file>', 'the HTML file to write', 'report.html')
    .option('--paths <n>', 'Monte-Carlo paths per market when running a scenario (overrides the file)')
    .option('--seed <s>', 'random seed when running a scenario (overrides the file)')
    .option('--x <param>', 'sweeps: the heat maps’ horizontal parameter (default: the first swept one)')
    .option('--y <param>', 'sweeps: the heat maps’ vertical parameter (default: the second)')
    .option(
      '--hold <param=value>',
      'sweeps: hold another parameter at one value (repeatable; default: a heat map per value)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .addHelpText(
      'after',
      `
Examples:
  hedgekit report latest -o report.html
  hedgekit report 3 -o run-3.html
  hedgekit report examples/article-case.yaml -o article.html
  hedgekit report examples/sweep-cppi.yaml -o sweep.html
  hedgekit report 7 -o sweep.html --x floor.level --y "strategies[cppi].multiplier" --hold "strategies[cppi].tolerance=0.02"
The file needs no network to view and prints cleanly; see docs/report.md.`,
    );
  addStoreFlags(cmd, { optOut: true }).action(async (target: string, opts: ReportFlags) => {
    const file = outputPath(opts.output, io);
    const isRun = /^\d+$/.test(target) || target === 'latest';
    const axes = axesFlags(opts);
    const axesGiven = opts.x !== undefined || opts.y !== undefined || (opts.hold ?? []).length > 0;
    const notForRuns = () => {
      if (axesGiven) throw new CliError('--x, --y, --hold: for sweeps only (heat-map axes)');
    };
    const store = openStore(isRun && opts.store === false ? true : opts.store, io, { mustExist: isRun });
    try {
      let written: ReturnType<typeof writeHtmlReport>;
      if (isRun) {
        if (!store) throw new CliError('no run store: give --store PATH (or set HEDGEKIT_STORE)');
        const id = parseRunId(target, store);
        if (store.kindOf(id) !== 'sweep') notForRuns();
        try {
          written =
            store.kindOf(id) === 'sweep'
              ? writeSweepHtmlReport(file, sweepReportInputFromStored(getSweep(store, id), axes))
              : writeHtmlReport(file, reportInputFromStored(store.get(id)));
        } catch (e) {
          throw axesError(e);
        }
      } else if (isSweepFile(target)) {
        if (opts.paths !== undefined || opts.seed !== undefined)
          throw new CliError('--paths, --seed: for scenario files; a sweep file sets its own paths and seed');
        const plan = loadSweep(target);
        const startedAt = new Date();
        let outcome: Awaited<ReturnType<typeof runSweep>>;
        try {
          outcome = await runSweep(plan, {
            cacheDir: join(dirname(resolve(target)), '.hedgekit', 'sweeps'),
            signal: io.interrupts?.(),
          });
        } catch (e) {
          if (e instanceof HedgekitError && e.code === 'interrupted') throw new CliError(e.message, 130);
          throw e;
        }
        const endedAt = new Date();
        const id = store
          ? recordSweep(store, {
              plan,
              result: outcome.result,
              mode: 'local',
              options: { threads: null, queue: false },
              startedAt,
              endedAt,
            })
          : undefined;
        try {
          written = writeSweepHtmlReport(
            file,
            sweepReportInputFromRun(plan, outcome.result, {
              startedAt,
              endedAt,
              runId: id,
              mode: 'local',
              axes,
            }),
          );
        } catch (e) {
          throw axesError(e);
        }
        if (id !== undefined) io.stdout(`Saved as run ${id} in ${store?.file}.`);
      } else {
        notForRuns();
        const num = (flag: string, v: string | undefined, min: number) => {
          if (v === undefined) return undefined;
          const x = Number(v);
          if (!(Number.isSafeInteger(x) && x >= min))
            throw new CliError(`${flag}: must be an integer >= ${min} (got ${JSON.stringify(v)})`);
          return x;
        };
        const paths = num('--paths', opts.paths, 1);
        const seed = num('--seed', opts.seed, 0);
        const run = runWithDetail(target, { paths, seed });
        const id = store
          ? recordRun(store, {
              file: run.file,
              text: run.text,
              options: { paths: paths ?? null, seed: seed ?? null, attribution: null },
              startedAt: run.startedAt,
              endedAt: run.endedAt,
              result: run.result,
              series: detailToSeries(run.detail),
            })
          : undefined;
        written = writeHtmlReport(file, reportInputFromRun(run, id));
        if (id !== undefined) io.stdout(`Saved as run ${id} in ${store?.file}.`);
      }
      io.stdout(
        `Report: ${written.file} (${written.charts} charts, ${(written.bytes / 1e6).toFixed(1)} MB).`,
      );
    } finally {
      store?.close();
    }
  });
}
