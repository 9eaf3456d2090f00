/** Process entry of the `hedgekit` CLI: the only place that touches process.exit. */
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
