/**
 * Child process of the `chain-file` workload: runs `hedgekit price --file <csv> [--json]` through
 * the CLI (runCli, stdout lines counted, not printed) and prints `{ rows, maxRssBytes }` — the peak
 * resident set of this process, the figure that must not grow with the number of rows.
 */
import { runCli } from '../../src/cli/program.ts';

const [file, mode] = process.argv.slice(2);
let lines = 0;
let bytes = 0;
const code = await runCli(['price', '--file', String(file), ...(mode === 'json' ? ['--json'] : [])], {
  stdout: (l) => {
    lines++;
    bytes += l.length + 1;
  },
  stderr: (t) => process.stderr.write(t),
});
if (code !== 0) throw new Error(`price --file exited ${code}`);
console.log(JSON.stringify({ lines, bytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
