/**
 * `hedgekit run <scenario>`: validates a scenario file, runs every strategy in every market (the
 * Monte-Carlo markets over worker threads when the work pays for their start-up, `--threads N`;
 * results bit-identical to one thread) and prints the comparison table (or, with --json, every metric, the value paths of historical replays
 * and the kept ledgers). A progress bar on stderr appears on runs longer than a moment, only when
 * stderr is a terminal and the output is not JSON.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { comparisonReport, runScenarioFileThreaded } from '../../api.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';

/** Delay before the progress bar appears, ms (short runs print no bar at all). */
const BAR_DELAY_MS = 400;

function intFlag(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!(Number.isSafeInteger(x) && x >= min))
    throw new CliError(`${flag}: must be an integer >= ${min} (got ${JSON.stringify(v)})`);
  return x;
}

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

interface RunFlags {
  json?: boolean;
  paths?: string;
  seed?: string;
  attribution?: string;
  threads?: string;
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
    .option(
      '--threads <n>',
      'worker threads, integer >= 1 (default: all cores when the run is large enough and a core is spare; 1 = one thread)',
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
  hedgekit run examples/article-case.yaml --threads 1`,
    )
    .action(async (file: string, opts: RunFlags) => {
      const paths = intFlag('--paths', opts.paths, 1);
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
      const bar = progress(opts.json ? undefined : io.progress);
      let result: Awaited<ReturnType<typeof runScenarioFileThreaded>>;
      try {
        result = await runScenarioFileThreaded(file, {
          paths,
          seed,
          attribution,
          threads,
          onProgress: (d, t) => bar.update(d, t),
        });
      } finally {
        bar.stop();
      }
      out(opts.json ? JSON.stringify(result) : comparisonReport(result));
    });
}
