/**
 * `hedgekit worker --queue redis://host:port`: a sweep worker (docs/scale-out.md). Pulls shards of
 * any sweep from the BullMQ queue and runs them on `--threads` engine threads until Ctrl-C (the
 * running shards finish first; a second Ctrl-C stops at once and the queue retries them elsewhere).
 */
import type { Command } from 'commander';
import { startSweepWorker } from '../../api.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';

function intFlag(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!(Number.isSafeInteger(x) && x >= min))
    throw new CliError(`${flag}: must be an integer >= ${min} (got ${JSON.stringify(v)})`);
  return x;
}

/** Registers `worker` on the program. */
export function registerWorker(program: Command, io: CliIo): void {
  program
    .command('worker')
    .description('compute sweep shards from a queue (run on any number of machines)')
    .requiredOption('--queue <url>', 'the sweep queue, redis://host:port')
    .option('--threads <n>', 'engine threads = shards at once, integer >= 1', '1')
    .option('--lock-ms <ms>', 'job lock: a dead worker’s shard is retried after about this long', '30000')
    .option('--stall-ms <ms>', 'how often to look for shards of dead workers', '15000')
    .addHelpText(
      'after',
      `
Examples:
  hedgekit worker --queue redis://10.0.0.5:6379 --threads 8
  hedgekit sweep examples/sweep-cppi.yaml --queue redis://10.0.0.5:6379`,
    )
    .action(async (opts: { queue: string; threads: string; lockMs: string; stallMs: string }) => {
      const worker = await startSweepWorker({
        url: opts.queue,
        threads: intFlag('--threads', opts.threads, 1),
        lockMs: intFlag('--lock-ms', opts.lockMs, 100),
        stalledMs: intFlag('--stall-ms', opts.stallMs, 100),
        log: (line) => io.stderr(`hedgekit worker: ${line}\n`),
      });
      const signal = io.interrupts?.();
      if (!signal) throw new CliError('worker: needs a terminal to run until interrupted');
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
      io.stderr('hedgekit worker: stopping after the running shards (Ctrl-C again to stop now)\n');
      await worker.close();
      io.stderr(`hedgekit worker: stopped (${worker.computed()} shards computed)\n`);
    });
}
