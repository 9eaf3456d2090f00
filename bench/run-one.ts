/**
 * Child process of `bench/run.ts`: imports one workload module and runs one workload (or lists
 * them with `--list`), printing a JSON array on the last line of stdout.
 */
import { pathToFileURL } from 'node:url';
import { useWasmKernels } from '../src/wasm/bs-kernel.ts';
import type { BenchWorkload } from './types.ts';

export interface BenchResult {
  name: string;
  unit: string;
  nsPerUnit: number;
  n: number;
  reps: number;
  accuracy?: Record<string, number>;
  description?: string;
}

const [file, name] = process.argv.slice(2);
// HEDGEKIT_NO_WASM=1: measure the JavaScript kernels (the reference) instead of WebAssembly.
if (process.env.HEDGEKIT_NO_WASM === '1') useWasmKernels(false);
const mod = (await import(pathToFileURL(file!).href)) as { workloads: BenchWorkload[] };

if (name === '--list') {
  console.log(
    JSON.stringify(mod.workloads.map((w) => ({ name: w.name, unit: w.unit, n: w.n, nsPerUnit: 0, reps: 0 }))),
  );
} else {
  const w = mod.workloads.find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${name} in ${file}`);
  await w.setup?.();
  await w.run(); // warm-up: lets the JIT optimise before timing
  const reps = w.reps ?? 3;
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < reps; k++) {
    const t0 = process.hrtime.bigint();
    await w.run();
    const ns = Number(process.hrtime.bigint() - t0);
    if (ns < best) best = ns;
  }
  const result: BenchResult = { name: w.name, unit: w.unit, nsPerUnit: best / w.n, n: w.n, reps };
  if (w.accuracy) result.accuracy = await w.accuracy();
  if (w.description) result.description = w.description;
  console.log(JSON.stringify([result]));
}
