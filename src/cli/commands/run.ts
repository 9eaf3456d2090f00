/**
 * `hedgekit run <scenario>`: validates a scenario file, runs every strategy in every market and
 * prints the comparison table (or, with --json, every metric, the value paths of historical replays
 * and the kept ledgers). A progress bar on stderr appears on runs longer than a moment, only when
 * stderr is a terminal and the output is not JSON.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { comparisonReport, PATHS_BOUND, runScenarioFile } from '../../api.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { intFlag } from '../number-flag.ts';

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
  program
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
  hedgekit run examples/delta-hedge-hull.yaml --attribution lines`,
    )
    .action(
      (
        file: string,
        opts: {
          json?: boolean;
          paths?: string;
          seed?: string;
          attribution?: string;
          wide?: boolean;
          columns?: string;
        },
      ) => {
        const paths = intFlag('--paths', opts.paths, 1, PATHS_BOUND.max);
        const seed = intFlag('--seed', opts.seed, 0);
        const attribution = opts.attribution;
        if (
          attribution !== undefined &&
          attribution !== 'off' &&
          attribution !== 'book' &&
          attribution !== 'lines'
        )
          throw new CliError(
            `--attribution: must be off, book or lines (got ${JSON.stringify(attribution)})`,
          );
        const bar = progress(opts.json ? undefined : io.progress);
        let result: ReturnType<typeof runScenarioFile>;
        try {
          result = runScenarioFile(file, {
            paths,
            seed,
            attribution,
            onProgress: (d, t) => bar.update(d, t),
          });
        } finally {
          bar.stop();
        }
        const columns = opts.columns
          ?.split(',')
          .map((c) => c.trim())
          .filter((c) => c !== '');
        out(
          opts.json
            ? JSON.stringify(result)
            : comparisonReport(result, { width: opts.wide ? undefined : io.columns, columns }),
        );
      },
    );
}
