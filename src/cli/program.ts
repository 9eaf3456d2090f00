/**
 * The `hedgekit` command tree and `runCli`, which maps every error to one line on stderr and an
 * exit code (0 ok, 1 some rows of a file failed, 2 bad input or usage). No stack traces.
 */
import { Command, CommanderError } from 'commander';
import { HedgekitError, printable } from '../api.ts';
import { CliError } from './cli-error.ts';
import { registerDemo } from './commands/demo.ts';
import { registerFeed } from './commands/feed.ts';
import { registerGreeks } from './commands/greeks.ts';
import { registerHedge } from './commands/hedge.ts';
import { registerInit } from './commands/init.ts';
import { registerIv } from './commands/iv.ts';
import { registerLive } from './commands/live.ts';
import { registerPrice } from './commands/price.ts';
import { registerRegimes } from './commands/regimes.ts';
import { registerReport } from './commands/report.ts';
import { registerRun } from './commands/run.ts';
import { registerRuns } from './commands/runs.ts';
import { registerStrategies } from './commands/strategies.ts';
import { registerSweep } from './commands/sweep.ts';
import { registerVol } from './commands/vol.ts';
import { registerWorker } from './commands/worker.ts';
import type { CliIo } from './io.ts';

export type { CliIo } from './io.ts';

export function buildProgram(io: CliIo): Command {
  const program = new Command();
  program
    .name('hedgekit')
    .description('Dynamic-hedging portfolio insurance: option pricing, Greeks, simulation and back-tests')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s.replace(/\n$/, '')), writeErr: (s) => io.stderr(s) });
  registerDemo(program, io);
  registerPrice(program, io);
  registerIv(program, io);
  registerVol(program, io);
  registerRegimes(program, io);
  registerStrategies(program, io);
  registerRun(program, io);
  registerRuns(program, io);
  registerReport(program, io);
  registerGreeks(program, io);
  registerHedge(program, io);
  registerInit(program, io);
  registerFeed(program, io);
  registerLive(program, io);
  registerSweep(program, io);
  registerWorker(program, io);
  const override = (c: Command) => {
    c.exitOverride();
    c.configureOutput({ writeOut: (s) => io.stdout(s.replace(/\n$/, '')), writeErr: (s) => io.stderr(s) });
    for (const sub of c.commands) override(sub);
  };
  override(program);
  return program;
}

/** Runs the CLI on `argv` (user arguments only, without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander printed the message
    const code = e instanceof CliError ? e.exitCode : 2;
    const message = e instanceof HedgekitError || e instanceof Error ? e.message : String(e);
    io.stderr(`hedgekit: ${printable(message)}\n`);
    return code;
  }
}
