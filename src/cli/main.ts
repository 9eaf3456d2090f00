/**
 * The `hedgekit` command line. Only this file calls process.exit: every error becomes one line on
 * stderr and an exit code (2 = bad input or usage, 1 = some rows of a file failed).
 */
import { Command, CommanderError } from 'commander';
import { HedgekitError } from '../core/errors.ts';
import { CliError } from './cli-error.ts';
import { registerDemo } from './commands/demo.ts';
import { registerIv } from './commands/iv.ts';
import { registerPrice } from './commands/price.ts';

const out = (s: string) => {
  process.stdout.write(`${s}\n`);
};

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('hedgekit')
    .description('Dynamic-hedging portfolio insurance: option pricing, Greeks, simulation and back-tests')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerDemo(program, out);
  registerPrice(program, out);
  registerIv(program, out);
  for (const c of program.commands) c.exitOverride();
  return program;
}

function exitCodeFor(e: unknown): { code: number; message?: string } {
  if (e instanceof CommanderError) {
    // Help and version requests end with code 0; commander already printed the message.
    return { code: e.exitCode === 0 ? 0 : 2 };
  }
  if (e instanceof CliError) return { code: e.exitCode, message: e.message };
  if (e instanceof HedgekitError) return { code: 2, message: `${e.message}` };
  if (e instanceof Error) return { code: 2, message: e.message };
  return { code: 2, message: String(e) };
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  const { code, message } = exitCodeFor(e);
  if (message) process.stderr.write(`hedgekit: ${message}\n`);
  process.exit(code);
}
