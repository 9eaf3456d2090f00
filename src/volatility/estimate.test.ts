import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { loadPriceHistory, parsePriceHistory } from '../market/history-csv.ts';
import { estimateVolatility } from './estimate.ts';
import { ewmaVolatility } from './ewma.ts';
import { realizedVolatility } from './realized.ts';
import { logReturns } from './returns.ts';

const history = loadPriceHistory('data/eustockmarkets.csv');
const dax = logReturns(history.prices[0]);
const fixture = JSON.parse(readFileSync('test/fixtures/r-fgarch/garch.json', 'utf8')) as {
  cases: { column: string; params: Record<string, number>; predictSd: number[] }[];
};

describe('estimateVolatility', () => {
  it('EWMA: current vol equals ewmaVolatility and the term structure is flat', () => {
    const e = estimateVolatility({ history, column: 'DAX', model: 'ewma', horizon: 5 });
    expect(e.currentVol).toBeCloseTo(ewmaVolatility(dax, 0.94, 252), 15);
    expect(e.params).toEqual({ lambda: 0.94 });
    expect(e.forecast.length).toBe(5);
    for (const s of e.forecast) expect(s.averageVol).toBeCloseTo(e.currentVol, 15);
    expect(e.logLikelihood).toBeNull();
    expect(e.asOf).toBe('1998-08-14');
    expect(e.nReturns).toBe(1859);
  });

  it('realized: uses the last window of returns', () => {
    const e = estimateVolatility({
      history,
      column: 'SMI',
      model: 'realized',
      window: 63,
      periodsPerYear: 260,
    });
    const smi = logReturns(history.prices[1]);
    expect(e.currentVol).toBeCloseTo(realizedVolatility(smi.subarray(smi.length - 63), 260), 14);
    expect(e.params).toEqual({ window: 63 });
    expect(e.horizon).toBe(10);
  });

  it('GARCH: forecasts match fGarch predict() and the result is plain JSON', () => {
    const e = estimateVolatility({ history, column: 'DAX', model: 'garch', horizon: 10 });
    const ref = fixture.cases.find((c) => c.column === 'DAX')!;
    expect(e.converged).toBe(true);
    expect(e.logLikelihood).toBeGreaterThan(5966.2);
    for (let k = 0; k < 10; k++) {
      expect(Math.abs(Math.sqrt(e.forecast[k].variance) / ref.predictSd[k] - 1)).toBeLessThan(5e-6);
      expect(e.forecast[k].vol).toBeCloseTo(Math.sqrt(252) * Math.sqrt(e.forecast[k].variance), 14);
    }
    expect(Math.abs(e.params.alpha! / ref.params.alpha! - 1)).toBeLessThan(5e-5);
    expect(e.termStructure).toEqual(e.forecast.map((s) => s.averageVol));
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('an unknown column is a ValidationError naming the available columns', () => {
    try {
      estimateVolatility({ history, column: 'NIKKEI', model: 'ewma' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).code).toBe('unknown-column');
      expect((err as Error).message).toBe(
        'column: unknown column "NIKKEI" in data/eustockmarkets.csv; available: DAX, SMI, CAC, FTSE',
      );
    }
  });

  it('reports too-short histories and invalid options', () => {
    const short = parsePriceHistory('date,A\n2024-01-02,100\n2024-01-03,101\n2024-01-04,99\n', 'short.csv');
    expect(() => estimateVolatility({ history: short, column: 'A', model: 'garch' })).toThrow(
      /short.csv: column "A" has 2 returns; model garch needs at least 10/,
    );
    expect(() => estimateVolatility({ history, column: 'DAX', model: 'ewma', horizon: 0 })).toThrow(
      /horizon/,
    );
    expect(() => estimateVolatility({ history, column: 'DAX', model: 'ewma', lambda: 1.5 })).toThrow(
      /lambda/,
    );
    expect(() => estimateVolatility({ history, column: 'DAX', model: 'realized', window: 1 })).toThrow(
      /window/,
    );
    expect(() => estimateVolatility({ history, column: 'DAX', model: 'foo' as 'ewma' })).toThrow(/model/);
  });
});
