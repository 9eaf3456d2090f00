/**
 * The report's detail collected on a threaded run (parts of every range absorbed in path order) is
 * the single-thread collection bit for bit, and the run's result is unchanged.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../config/scenario-load.ts';
import { EnginePool } from '../../engine/parallel.ts';
import { StepQuantiles } from '../../metrics/step-quantiles.ts';
import { buildScenario } from '../../scenario/build.ts';
import { runScenario } from '../../scenario/run.ts';
import { runScenarioThreaded } from '../../scenario/run-threaded.ts';
import { ReportCollector } from './report-collector.ts';
import type { ReportDetail } from './report-detail.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const SCENARIO = `name: collect-threads
portfolio:
  initialValue: 100
  assets:
    - { name: EQ, class: equity, spot: 100, weight: 0.7, carry: 0.01 }
    - { name: BD, class: bond, spot: 100, weight: 0.3, carry: 0.03 }
floor: { level: 0.8, accrues: false }
horizon: 1
stepsPerYear: 52
rate: 0.02
paths: 1300
seed: 7
markets:
  - { kind: gbm, vols: [0.2, 0.05], correlation: [[1, -0.2], [-0.2, 1]] }
  - { kind: history, file: data/eustockmarkets.csv, from: 1998-06-01, to: 1998-08-14, columns: { EQ: DAX } }
  - { kind: regime, preset: crash }
costs: { bps: { equity: 5, bond: 2 }, optionSpreadFraction: 0.02 }
pricingVol: { kind: ewma, lambda: 0.94, initial: [0.2, 0.05] }
strategies:
  - { kind: buy-and-hold }
  - { name: put, kind: protective-put, strike: 0.9 }
  - { kind: cppi, multiplier: 4 }
`;

const built = () => buildScenario(parseScenario(SCENARIO, 'collect.yaml'), root);

/** Every typed array of the detail as bytes (NaN payloads and signed zeros included). */
function bytes(d: ReportDetail): string {
  return JSON.stringify(d, (_k, v) =>
    ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : v,
  );
}

describe('ReportCollector on threaded runs', () => {
  it('collects the single-thread detail bit for bit on 2 and 3 threads, results unchanged', async () => {
    const c1 = new ReportCollector();
    const one = runScenario(built(), { collect: c1 });
    const ref = bytes(c1.detail());
    expect(c1.detail().markets.length).toBe(3);
    for (const threads of [2, 3]) {
      const c = new ReportCollector();
      const res = await runScenarioThreaded(built(), root, { threads, collect: c });
      expect(JSON.stringify(res)).toBe(JSON.stringify(one));
      expect(bytes(c.detail())).toBe(ref);
    }
  });

  it("uses the workers of a caller's pool for part of the ranges", async () => {
    const c1 = new ReportCollector();
    runScenario(built(), { collect: c1 });
    const pool = new EnginePool(1, { depth: 2 });
    try {
      const c = new ReportCollector();
      await runScenarioThreaded(built(), root, { threads: 2, pool, collect: c });
      expect(bytes(c.detail())).toBe(bytes(c1.detail()));
      const jobs = pool.jobStats().length; // 2 Monte-Carlo markets × 3 ranges
      expect(jobs).toBeGreaterThan(0);
      expect(jobs).toBeLessThan(6);
    } finally {
      await pool.close();
    }
  });
});

describe('StepQuantiles.absorb', () => {
  it('two halves absorbed in order equal one accumulator fed every value', () => {
    const v = Float64Array.from({ length: 900 }, (_, i) => 100 * Math.exp(0.3 * Math.sin(i * 1.7)));
    v[5] = Number.NaN;
    v[17] = 0;
    const whole = new StepQuantiles(2, 100);
    whole.add(1, v, v.length);
    const a = new StepQuantiles(2, 100);
    a.add(1, v.subarray(0, 400), 400);
    const b = new StepQuantiles(2, 100);
    b.add(1, v.subarray(400), 500);
    a.absorb(b.state());
    expect(a.state()).toEqual(whole.state());
    for (const q of [0, 0.05, 0.5, 0.95, 1]) expect(a.quantile(1, q)).toBe(whole.quantile(1, q));
    expect(() => a.absorb(new StepQuantiles(3, 100).state())).toThrow(/must match 2 samples, V0 100/);
  });
});
