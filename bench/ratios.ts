/**
 * `npm run bench:ratios [-- [--rounds N] [--json] [name-filter ...]]` (also `npm run bench -- --baselines`):
 * hedgekit ÷ scalar C measured in the same minutes. The machines here are shared and noisy, so an
 * absolute time means little; a ratio whose two sides ran side by side means a lot.
 *
 * It builds the C programs of `../shared/perf-baselines` (or `$HEDGEKIT_PERF_BASELINES`) with their
 * own Makefile in a temporary folder (nothing is written to the repository; the folder is removed at
 * the end), then runs N rounds; each round runs, for every workload, the scalar C program (best of
 * 3 timed repetitions) and hedgekit's matching `npm run bench` workload in a fresh Node process
 * (warm-up, best of 3), one right after the other, then (when python3 with NumPy and SciPy is there)
 * the same job in NumPy (bench/numpy/baselines.py, best of 3). It prints per workload the median over
 * rounds of the per-round ratios, their ranges, and the times, with the machine and the load average.
 * Without gcc (or without the C sources) it says so and exits 0.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import type { BenchResult } from './run-one.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** One workload: its hedgekit bench file and name, and the C program that does the same job. */
interface Pair {
  name: string;
  file: string;
  cProgram: string;
  /** Arguments of the C program before the repetition count (`{data}` = the generated IV cases). */
  cArgs: string[];
  /** The same job in NumPy (bench/numpy/baselines.py): its name and arguments before the repetitions. */
  numpy: string[];
}

const PAIRS: Pair[] = [
  {
    name: 'bs-batch',
    file: 'bs-batch.ts',
    cProgram: 'w1_bs_scalar',
    cArgs: ['10000000'],
    numpy: ['bs', '10000000'],
  },
  {
    name: 'iv-batch',
    file: 'iv-batch.ts',
    cProgram: 'w2_iv_scalar',
    cArgs: ['{data}'],
    numpy: ['iv', '{data}'],
  },
  {
    name: 'engine-delta-hedge',
    file: 'engine.ts',
    cProgram: 'w3_hedge_scalar',
    cArgs: ['10000', '252'],
    numpy: ['hedge', '10000', '252'],
  },
  {
    name: 'engine-cppi3',
    file: 'engine.ts',
    cProgram: 'w4_cppi_scalar',
    cArgs: ['10000', '252'],
    numpy: ['cppi', '10000', '252'],
  },
  {
    name: 'paths-gbm3',
    file: 'paths.ts',
    cProgram: 'gbm3_paths_scalar',
    cArgs: ['10000', '252'],
    numpy: ['gbm3', '10000', '252'],
  },
];

/** Whether `python3` with NumPy and SciPy is there (the NumPy column is left out otherwise). */
function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy, scipy.special'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Best (minimum) ns per unit from a C program's summary line (`kernel_min_s`, `n` or paths × steps). */
export function parseCLine(stdout: string): number {
  const min = /kernel_min_s=([0-9.eE+-]+)/.exec(stdout);
  const n = /\bn=(\d+)/.exec(stdout);
  const paths = /\bpaths=(\d+)/.exec(stdout);
  const steps = /\bsteps=(\d+)/.exec(stdout);
  const units = n ? Number(n[1]) : paths && steps ? Number(paths[1]) * Number(steps[1]) : Number.NaN;
  if (!min || !Number.isFinite(units))
    throw new Error(`unexpected C baseline output: ${stdout.slice(0, 200)}`);
  return (1e9 * Number(min[1])) / units;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** `model name` from /proc/cpuinfo (falls back to Node's view of the first core). */
function machine(): string {
  let model = os.cpus()[0]?.model ?? 'unknown cpu';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const fam = /cpu family\s*:\s*(\d+)/.exec(info);
    const mod = /^model\s*:\s*(\d+)/m.exec(info);
    if (fam && mod) model += `, family ${fam[1]} model ${mod[1]}`;
  } catch {
    // not Linux: the model name alone
  }
  return `${model} (${os.cpus().length} cores), ${os.platform()} ${os.arch()}, Node ${process.version}`;
}

function hasGcc(): boolean {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function runHedgekit(file: string, name: string): BenchResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'run-one.ts'), join(here, 'workloads', file), name],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  const rows = JSON.parse(out.trim().split('\n').pop() ?? '[]') as BenchResult[];
  const row = rows[0];
  if (!row) throw new Error(`workload ${name} printed no result`);
  return row;
}

export function main(argv: string[]): number {
  const json = argv.includes('--json');
  const ri = argv.indexOf('--rounds');
  const rounds = ri >= 0 ? Number(argv[ri + 1]) : 3;
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error('bench:ratios: --rounds must be a positive integer');
    return 2;
  }
  const filters = argv.filter((a, i) => !a.startsWith('--') && !(ri >= 0 && i === ri + 1));
  const pairs = PAIRS.filter((p) => filters.length === 0 || filters.some((f) => p.name.includes(f)));
  const src = resolve(
    process.env.HEDGEKIT_PERF_BASELINES ?? join(here, '..', '..', 'shared', 'perf-baselines'),
  );
  if (!hasGcc()) {
    console.log('bench:ratios: gcc not found, so the C baselines cannot be built; skipping the ratios.');
    return 0;
  }
  if (!existsSync(join(src, 'Makefile'))) {
    console.log(`bench:ratios: no C baselines at ${src} (set HEDGEKIT_PERF_BASELINES); skipping the ratios.`);
    return 0;
  }
  const work = mkdtempSync(join(os.tmpdir(), 'hedgekit-baselines-'));
  try {
    for (const f of readdirSync(src)) {
      if (f.endsWith('.c') || f.endsWith('.h') || f === 'Makefile') cpSync(join(src, f), join(work, f));
    }
    process.stderr.write('building the C baselines …\n');
    execFileSync('make', ['-s', '-C', work, 'all'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const bin = (p: string) => join(work, 'bin', p);
    const data = join(work, 'w2.bin');
    if (pairs.some((p) => p.name === 'iv-batch')) {
      execFileSync(bin('w2_iv_scalar'), ['gen', data, '1000000'], { stdio: 'ignore' });
    }
    const env = { ...process.env, OMP_NUM_THREADS: '1' };
    const load0 = os.loadavg()[0];
    const started = new Date();
    const c: Record<string, number[]> = {};
    const h: Record<string, number[]> = {};
    const np: Record<string, number[]> = {};
    const numpy = hasNumpy();
    if (!numpy && !json) process.stderr.write('python3 with NumPy and SciPy not found: no NumPy column\n');
    const npEnv = { ...env, OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    for (let r = 0; r < rounds; r++) {
      for (const p of pairs) {
        if (!json) process.stderr.write(`round ${r + 1}/${rounds}: ${p.name} …\n`);
        const args = [...p.cArgs.map((a) => (a === '{data}' ? data : a)), '3'];
        const cNs = parseCLine(execFileSync(bin(p.cProgram), args, { encoding: 'utf8', env }));
        const hNs = runHedgekit(p.file, p.name).nsPerUnit;
        (c[p.name] ??= []).push(cNs);
        (h[p.name] ??= []).push(hNs);
        if (numpy) {
          const npArgs = [
            join(here, 'numpy', 'baselines.py'),
            ...p.numpy.map((a) => (a === '{data}' ? data : a)),
            '3',
          ];
          (np[p.name] ??= []).push(
            parseCLine(execFileSync('python3', npArgs, { encoding: 'utf8', env: npEnv })),
          );
        }
      }
    }
    const load1 = os.loadavg()[0];
    const rows = pairs.map((p) => {
      const ratios = h[p.name].map((x, i) => x / c[p.name][i]);
      const npRatios = (np[p.name] ?? []).map((x, i) => h[p.name][i] / x);
      return {
        name: p.name,
        ratio: median(ratios),
        ratioMin: Math.min(...ratios),
        ratioMax: Math.max(...ratios),
        hedgekitNs: median(h[p.name]),
        cScalarNs: median(c[p.name]),
        ...(npRatios.length > 0
          ? {
              ratioNumpy: median(npRatios),
              ratioNumpyMin: Math.min(...npRatios),
              ratioNumpyMax: Math.max(...npRatios),
              numpyNs: median(np[p.name]),
            }
          : {}),
      };
    });
    const head = {
      machine: machine(),
      from: started.toISOString(),
      to: new Date().toISOString(),
      rounds,
      load: [load0, load1],
      wasm: process.env.HEDGEKIT_NO_WASM === '1' ? 'off (HEDGEKIT_NO_WASM=1)' : 'on when available',
    };
    if (json) {
      process.stdout.write(`${JSON.stringify({ ...head, rows }, null, 2)}\n`);
      return 0;
    }
    console.log(
      `hedgekit ÷ scalar C (-O3 -march=native, one thread), same run, ${rounds} interleaved rounds`,
    );
    console.log(`machine: ${head.machine}`);
    console.log(`${head.from} → ${head.to}, 1-min load average ${load0.toFixed(1)} → ${load1.toFixed(1)}`);
    const table = new Table({
      head: [
        'workload',
        '× scalar C',
        'range',
        'hedgekit ns',
        'C ns',
        ...(numpy ? ['× NumPy', 'range', 'NumPy ns'] : []),
      ],
    });
    for (const r of rows) {
      table.push([
        r.name,
        r.ratio.toFixed(2),
        `${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}`,
        r.hedgekitNs.toFixed(1),
        r.cScalarNs.toFixed(1),
        ...(r.ratioNumpy !== undefined && r.ratioNumpyMin !== undefined && r.ratioNumpyMax !== undefined
          ? [
              r.ratioNumpy.toFixed(2),
              `${r.ratioNumpyMin.toFixed(2)}–${r.ratioNumpyMax.toFixed(2)}`,
              (r.numpyNs ?? Number.NaN).toFixed(1),
            ]
          : []),
      ]);
    }
    console.log(table.toString());
    console.log(
      `ratio = median over rounds of (hedgekit best of 3) ÷ (C best of 3)${numpy ? ' and ÷ (NumPy best of 3, bench/numpy/baselines.py)' : ''}; lower is better.`,
    );
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
