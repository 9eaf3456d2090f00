/**
 * A small sweep for the sweep tests (src/sweep/*.test.ts, src/cli/sweep.test.ts): a two-asset base
 * scenario (GBM + the crash preset, monthly steps, 1,100 paths: three shards of 512 per market, the
 * last one short) and a sweep of CPPI multiplier × floor (4 points), written to a fresh directory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE = `name: sweep-base
portfolio:
  initialValue: 100
  assets:
    - { name: EQ, class: equity, spot: 100, weight: 0.7, carry: 0.01 }
    - { name: BD, class: bond, spot: 100, weight: 0.3 }
floor: { level: 0.8, accrues: true }
horizon: 1
stepsPerYear: 12
rate: 0.02
paths: 1100
seed: 20261203
markets:
  - { name: calm, kind: gbm, vols: [0.2, 0.05], correlation: [[1, -0.2], [-0.2, 1]], drifts: [0.06, 0.03] }
  - { name: crash, kind: regime, preset: crash }
costs: { bps: { equity: 5, bond: 2 } }
strategies:
  - { kind: buy-and-hold }
  - { name: cppi, kind: cppi, multiplier: 4, tolerance: 0.02 }
  - { kind: constant-mix }
`;

export const SWEEP = `name: small
scenario: base.yaml
strategies: [cppi]
grid:
  strategies[cppi].multiplier: [2, 5]
  floor.level: [0.75, 0.9]
shardPaths: 512
`;

/** Writes base.yaml and sweep.yaml (or `sweep` as given) to a new directory; returns their paths. */
export function writeSweep(sweep = SWEEP, base = BASE): { dir: string; file: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hedgekit-sweep-'));
  writeFileSync(join(dir, 'base.yaml'), base);
  writeFileSync(join(dir, 'sweep.yaml'), sweep);
  return { dir, file: join(dir, 'sweep.yaml'), cache: join(dir, 'cache') };
}
