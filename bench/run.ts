/**
 * `npm run bench [-- [--json] [name-filter ...]]`: runs every workload exported by
 * `bench/workloads/*.ts`, each in a fresh Node process (so one workload's JIT feedback cannot
 * help or hurt another), and prints a table or, with `--json`, a JSON array of
 * `{ name, unit, nsPerUnit, n, ... }`. With `--baselines` it prints hedgekit ÷ scalar C instead
 * (bench/ratios.ts).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import type { BenchResult } from './run-one.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.includes('--baselines')) {
  // Same-run ratios to the scalar C baselines: see bench/ratios.ts.
  const { main } = await import('./ratios.ts');
  process.exit(main(args.filter((a) => a !== '--baselines')));
}
const json = args.includes('--json');
const filters = args.filter((a) => !a.startsWith('--'));

const files = readdirSync(join(here, 'workloads'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .sort();

function runOne(file: string, name?: string): BenchResult[] {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'run-one.ts'), join(here, 'workloads', file), ...(name ? [name] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as BenchResult[];
}

const results: BenchResult[] = [];
for (const file of files) {
  // First list the workloads of the file, then run each matching one in its own process.
  const names = runOne(file, '--list').map((r) => r.name);
  for (const name of names) {
    if (filters.length > 0 && !filters.some((f) => name.includes(f))) continue;
    if (!json) process.stderr.write(`running ${name} …\n`);
    results.push(...runOne(file, name));
  }
}

if (json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(`Node ${process.version} on ${cpu} (${os.cpus().length} cores), ${os.platform()} ${os.arch()}`);
  const table = new Table({ head: ['workload', 'ns/unit', 'unit', 'n', 'accuracy'] });
  for (const r of results) {
    const acc = r.accuracy
      ? Object.entries(r.accuracy)
          .map(([k, v]) => `${k}=${Number(v).toPrecision(3)}`)
          .join(' ')
      : '';
    table.push([r.name, r.nsPerUnit.toFixed(1), r.unit, r.n.toLocaleString('en-US'), acc]);
  }
  console.log(table.toString());
}
