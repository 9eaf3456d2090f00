/**
 * `hedgekit run <scenario>`: validates a scenario file, runs every strategy in every market and
 * prints the comparison table (or, with --json, every metric, the value paths of historical replays
 * and the kept ledgers). A progress bar on stderr appears on runs longer than a moment, only when
 * stderr is a terminal and the output is not JSON.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  comparisonReport,
  detailToSeries,
  PATHS_BOUND,
  recordRun,
  reportInputFromRun,
  type runScenarioFile,
  runScenarioFileThreaded,
  runWithDetailThreaded,
  writeHtmlReport,
} from '../../api.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { intFlag } from '../number-flag.ts';
import { addStoreFlags, openStore, outputPath } from '../store-flags.ts';

/** Delay before the progress bar appears, ms (short runs print no bar at all). */
const BAR_DELAY_MS = 400;

/** A lazily shown progress bar on `stream` (a terminal); a no-op without one. */
function progress(stream: NodeJS.WritableStream | undefined) {
  const t0 = Date.now();
  let bar: SingleBar | undefined;
  return {
    update(done: number, total: number) {
      if (!stream) return;
      if (!bar) {
        if (Date.now() - t0 < BAR_DELAY_MS || done >= total) return;
        bar = new SingleBar({
          stream,
          format: 'hedgekit run [{bar}] {percentage}% | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(total, done);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Registers `run` on the program; it prints through `io` (progress bar on `io.progress`). */
export function registerRun(program: Command, io: CliIo): void {
  const out = io.stdout;
  const cmd = program
    .command('run')
    .description('run a scenario file: every strategy in every market, then the comparison table')
    .argument('<scenario>', 'scenario file, YAML or JSON (see docs/scenarios.md; `hedgekit init` writes one)')
    .option('--json', 'write every metric as JSON (with value paths of historical replays and kept ledgers)')
    .option('--paths <n>', 'Monte-Carlo paths per market (overrides the file)')
    .option('--seed <s>', 'random seed, integer >= 0 (overrides the file)')
    .option('--wide', 'print every table column, whatever the terminal width')
    .option(
      '--columns <list>',
      'table columns to show, comma-separated (e.g. "ann. return,P(end<F),excess"); default: all that fit the terminal',
    )
    .option(
      '--threads <n>',
      'threads, integer >= 1 (default: every core not busy with other processes, when the run is large enough; 1 = one thread). Results, stored figures and reports are identical whatever the count',
    )
    .option(
      '--attribution <level>',
      'P&L attribution: off | book (per strategy) | lines (per strategy and position line); overrides the file',
    )
    .addHelpText(
      'after',
      `
Examples:
  hedgekit run scenarios/default.yaml
  hedgekit run examples/cppi-gap-risk.yaml --paths 500 --seed 7
  hedgekit run scenarios/default.yaml --json > result.json
  hedgekit run examples/delta-hedge-hull.yaml --attribution lines
  hedgekit run scenarios/default.yaml --no-store
  hedgekit run examples/article-case.yaml --no-store --threads 2

Every run is saved in the run store (.hedgekit/runs.sqlite, or $HEDGEKIT_STORE, or --store):
see hedgekit runs --help.`,
    );
  cmd.option('--report <file>', 'also write the HTML report of this run (see hedgekit report --help)');
  addStoreFlags(cmd, { optOut: true }).action(
    async (
      file: string,
      opts: {
        json?: boolean;
        paths?: string;
        seed?: string;
        attribution?: string;
        store?: string | boolean;
        report?: string;
        wide?: boolean;
        columns?: string;
        threads?: string;
      },
    ) => {
      const paths = intFlag('--paths', opts.paths, 1, PATHS_BOUND.max);
      const threads = intFlag('--threads', opts.threads, 1);
      const seed = intFlag('--seed', opts.seed, 0);
      const attribution = opts.attribution;
      if (
        attribution !== undefined &&
        attribution !== 'off' &&
        attribution !== 'book' &&
        attribution !== 'lines'
      )
        throw new CliError(`--attribution: must be off, book or lines (got ${JSON.stringify(attribution)})`);
      const store = openStore(opts.store, io); // before the run: a bad store fails fast
      try {
        const bar = progress(opts.json ? undefined : io.progress);
        const runOpts = {
          paths,
          seed,
          attribution: attribution as 'off' | 'book' | 'lines' | undefined, // checked above
          onProgress: (d: number, t: number) => bar.update(d, t),
        };
        // The report's detail (bounded: quantile histograms, sums) is collected when it will be kept.
        const wantDetail = store !== undefined || opts.report !== undefined;
        let run: Awaited<ReturnType<typeof runWithDetailThreaded>> | undefined;
        let result: ReturnType<typeof runScenarioFile>;
        try {
          if (wantDetail) {
            run = await runWithDetailThreaded(file, { ...runOpts, threads });
            result = run.result;
          } else result = await runScenarioFileThreaded(file, { ...runOpts, threads });
        } finally {
          bar.stop();
        }
        const id =
          store && run
            ? recordRun(store, {
                file: run.file,
                text: run.text,
                options: { paths: paths ?? null, seed: seed ?? null, attribution: attribution ?? null },
                startedAt: run.startedAt,
                endedAt: run.endedAt,
                result,
                series: detailToSeries(run.detail),
              })
            : undefined;
        const columns = opts.columns
          ?.split(',')
          .map((c) => c.trim())
          .filter((c) => c !== '');
        out(
          opts.json
            ? JSON.stringify(result)
            : comparisonReport(result, { width: opts.wide ? undefined : io.columns, columns }),
        );
        if (id !== undefined && !opts.json)
          out(`Saved as run ${id} in ${store?.file} (hedgekit runs show ${id}).`);
        if (run && opts.report !== undefined) {
          const w = writeHtmlReport(outputPath(opts.report, io), reportInputFromRun(run, id));
          if (!opts.json) out(`Report: ${w.file} (${w.charts} charts, ${(w.bytes / 1e6).toFixed(1)} MB).`);
        }
      } finally {
        store?.close();
      }
    },
  );
}
