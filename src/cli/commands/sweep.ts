/**
 * `hedgekit sweep <sweep.yaml>`: runs a parameter sweep (docs/scale-out.md) — locally over worker
 * threads, or with `--queue redis://host:port` through BullMQ workers (`hedgekit worker`) — with a
 * progress bar on a terminal, clean Ctrl-C (finished shards stay cached; run again to resume), and
 * prints the table of every parameter point × market × strategy with the frontier marked (or, with
 * --json, every metric). The merged result is also written as JSON (`--out`, default
 * `<cache>/<hash>/result.json`) and saved in the run store (unless --no-store; one transaction,
 * after the merge: an interrupted sweep stores nothing); `--report FILE` writes its HTML report.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  HedgekitError,
  loadSweep,
  recordSweep,
  runSweep,
  runSweepOnQueue,
  sweepReport,
  sweepReportInputFromRun,
  writeSweepHtmlReport,
} from '../../api.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { addStoreFlags, openStore, outputPath } from '../store-flags.ts';

interface SweepFlags {
  json?: boolean;
  threads?: string;
  queue?: string;
  cache?: string;
  out?: string;
  store?: string | boolean;
  report?: string;
}

function threadsFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!(Number.isSafeInteger(x) && x >= 1))
    throw new CliError(`--threads: must be an integer >= 1 (got ${JSON.stringify(v)})`);
  return x;
}

/** Registers `sweep` on the program. */
export function registerSweep(program: Command, io: CliIo): void {
  const cmd = program
    .command('sweep')
    .description(
      'run a parameter sweep: a base scenario × a grid of overrides, sharded over threads or a queue',
    )
    .argument('<sweep>', 'sweep file, YAML or JSON (docs/scale-out.md; examples/sweep-cppi.yaml)')
    .option('--json', 'write the merged result (every metric per point, market and strategy) as JSON')
    .option('--threads <n>', 'worker threads on this machine, integer >= 1 (default: all cores)')
    .option(
      '--queue <url>',
      'send the shards to `hedgekit worker` processes through BullMQ at redis://host:port',
    )
    .option('--cache <dir>', 'shard cache directory (default: .hedgekit/sweeps beside the sweep file)')
    .option('--out <file>', 'also write the merged JSON result here')
    .addHelpText(
      'after',
      `
Examples:
  hedgekit sweep examples/sweep-cppi.yaml
  hedgekit sweep examples/sweep-cppi.yaml --threads 1 --json > sweep.json
  hedgekit worker --queue redis://127.0.0.1:6379 &    # on every machine, any number
  hedgekit sweep examples/sweep-cppi.yaml --queue redis://127.0.0.1:6379
  hedgekit sweep examples/sweep-cppi.yaml --report sweep.html
Interrupted (Ctrl-C), it keeps every finished shard: the same command again computes only the rest.
Every finished sweep is saved in the run store (hedgekit runs; --no-store opts out).`,
    )
    .option(
      '--report <file>',
      'also write the HTML report of this sweep (heat maps, frontier; hedgekit report --help)',
    );
  addStoreFlags(cmd, { optOut: true }).action(async (file: string, opts: SweepFlags) => {
    const threads = threadsFlag(opts.threads);
    const plan = loadSweep(file);
    const store = openStore(opts.store, io); // before the sweep: a bad store fails fast
    try {
      const cacheDir = opts.cache ? resolve(opts.cache) : join(dirname(resolve(file)), '.hedgekit', 'sweeps');
      const signal = io.interrupts?.();
      let bar: SingleBar | undefined;
      const stream = io.progress;
      const onProgress = (done: number, total: number) => {
        if (!stream || opts.json) return;
        if (!bar) {
          bar = new SingleBar({
            stream,
            format: 'hedgekit sweep [{bar}] {value}/{total} shards | ETA {eta_formatted}',
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 20,
          });
          bar.start(total, done);
        }
        bar.update(done);
      };
      let outcome: Awaited<ReturnType<typeof runSweep>>;
      const startedAt = new Date();
      try {
        outcome = opts.queue
          ? await runSweepOnQueue(plan, { url: opts.queue, cacheDir, signal, onProgress })
          : await runSweep(plan, { cacheDir, threads, signal, onProgress });
      } catch (e) {
        if (e instanceof HedgekitError && e.code === 'interrupted') throw new CliError(e.message, 130);
        throw e;
      } finally {
        bar?.stop();
      }
      const endedAt = new Date();
      const mode = opts.queue ? 'queue' : 'local';
      const id = store
        ? recordSweep(store, {
            plan,
            result: outcome.result,
            mode,
            options: { threads: threads ?? null, queue: opts.queue !== undefined },
            startedAt,
            endedAt,
          })
        : undefined;
      if (opts.out) writeFileSync(opts.out, JSON.stringify(outcome.result));
      io.stderr(`hedgekit: sweep result written to ${opts.out ?? outcome.file}\n`);
      io.stdout(opts.json ? JSON.stringify(outcome.result) : sweepReport(outcome.result));
      if (id !== undefined && !opts.json)
        io.stdout(`Saved as run ${id} in ${store?.file} (hedgekit runs show ${id}).`);
      if (opts.report !== undefined) {
        const w = writeSweepHtmlReport(
          outputPath(opts.report, io),
          sweepReportInputFromRun(plan, outcome.result, { startedAt, endedAt, runId: id, mode }),
        );
        if (!opts.json)
          io.stdout(`Report: ${w.file} (${w.charts} charts, ${(w.bytes / 1e6).toFixed(1)} MB).`);
      }
    } finally {
      store?.close();
    }
  });
}
