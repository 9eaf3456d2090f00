/**
 * `chain-file`: `hedgekit price --file` on a 1,000,000-row option chain (CSV: European calls and
 * puts, BSM, strikes 50–149, expiries 0.1–2 y, vols 10–50 %), in JSON Lines and in table mode.
 * Each timed run is a fresh Node process (the streaming reader, zod validation per row, pricing,
 * output formatting; process start-up ≈ 1 s of tsx included), reported per row; `accuracy` carries
 * the peak RSS of that process, which must not depend on the number of rows (issue 11 §2).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchWorkload } from '../types.ts';

const ROWS = 1_000_000;
const child = join(dirname(fileURLToPath(import.meta.url)), '..', 'support', 'chain-file-child.ts');
let file = '';
let last = { lines: 0, bytes: 0, maxRssBytes: 0 };

function writeChain(): string {
  const lines = ['type,spot,strike,expiry,vol,rate,dividend'];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      `${i % 2 ? 'put' : 'call'},100,${50 + (i % 100)},${(0.1 + (i % 20) * 0.095).toFixed(3)},${(0.1 + (i % 41) * 0.01).toFixed(2)},0.03,0.01`,
    );
  const p = join(mkdtempSync(join(tmpdir(), 'hedgekit-bench-')), 'chain.csv');
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

function run(mode: 'json' | 'table') {
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, file, mode], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  last = JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

const workload = (mode: 'json' | 'table'): BenchWorkload => ({
  name: mode === 'json' ? 'chain-file' : 'chain-file-table',
  unit: 'row',
  n: ROWS,
  reps: 1,
  description: `price --file, 1,000,000 rows, ${mode === 'json' ? 'JSON Lines' : 'fixed-width table'} (fresh process per run)`,
  setup() {
    file = writeChain();
  },
  run: () => run(mode),
  accuracy: () => ({
    peakRssMB: last.maxRssBytes / 1e6,
    outputLines: last.lines,
  }),
});

export const workloads: BenchWorkload[] = [workload('json'), workload('table')];
