/**
 * data/us-multiasset.csv and the script that builds it (scripts/data/bond-index.ts): the bond index
 * moves opposite to yields with the stated duration, the committed file is what the script writes
 * today, and the loader reads the file and the source files with the columns and windows the
 * article case (examples/article-case.yaml) uses.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BOND_DURATION,
  bondIndex,
  buildMultiAsset,
  dayNumber,
  interpolateYields,
  multiAssetCsv,
} from '../../scripts/data/bond-index.ts';
import { loadPriceHistory } from '../../src/market/history-csv.ts';

const data = fileURLToPath(new URL('../../data', import.meta.url));
const FILE = `${data}/us-multiasset.csv`;

describe('bondIndex', () => {
  it('loses D per unit rise in yield and earns the yield over the calendar days', () => {
    const dates = ['2000-01-03', '2000-01-04', '2000-01-07'];
    const y = Float64Array.of(0.07, 0.071, 0.069);
    const p = bondIndex(dates, y, 7);
    expect(Math.log(p[1] / p[0])).toBeCloseTo(0.07 / 365 - 7 * 0.001, 15);
    expect(Math.log(p[2] / p[1])).toBeCloseTo((0.071 * 3) / 365 + 7 * 0.002, 15);
    expect(p[1]).toBeLessThan(p[0]); // yields up, price down
    expect(p[2]).toBeGreaterThan(p[1]); // yields down, price up
  });

  it('interpolates monthly averages linearly between mid-month anchors, flat outside', () => {
    const m = [
      { date: '2000-01-01', percent: 4 },
      { date: '2000-02-01', percent: 5 },
    ];
    const y = interpolateYields(m, ['1999-12-01', '2000-01-15', '2000-01-30', '2000-02-15', '2000-03-31']);
    const want = [0.04, 0.04, 0.04 + (0.01 * 15) / 31, 0.05, 0.05];
    for (let i = 0; i < want.length; i++) expect(y[i]).toBeCloseTo(want[i], 14);
  });
});

describe('data/us-multiasset.csv', () => {
  const built = buildMultiAsset(data);

  it('is what scripts/data/bond-index.ts writes (regenerate with npx tsx scripts/data/bond-index.ts)', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(multiAssetCsv(built));
  });

  it('holds 5,012 common dates 1999-01-04 … 2018-12-28 with sp500, nasdaq, wti, aaa_bond', () => {
    const h = loadPriceHistory(FILE);
    expect(h.columns).toEqual(['sp500', 'nasdaq', 'wti', 'aaa_bond']);
    expect(h.dates.length).toBe(5012);
    expect(h.dates[0]).toBe('1999-01-04');
    expect(h.dates[h.dates.length - 1]).toBe('2018-12-28');
    expect(built.droppedDates.length).toBe(19);
  });

  it('has a bond index whose daily log return minus carry is −7 × the yield change', () => {
    const h = loadPriceHistory(FILE, { columns: ['aaa_bond'] });
    const p = h.prices[0];
    const y = built.yields;
    let maxErr = 0;
    let sxy = 0;
    let sxx = 0;
    for (let i = 1; i < p.length; i++) {
      const dt = (dayNumber(h.dates[i]) - dayNumber(h.dates[i - 1])) / 365;
      const price = Math.log(p[i] / p[i - 1]) - y[i - 1] * dt;
      const dy = y[i] - y[i - 1];
      maxErr = Math.max(maxErr, Math.abs(price + BOND_DURATION * dy));
      sxy += price * dy;
      sxx += dy * dy;
    }
    expect(maxErr).toBeLessThan(2e-8); // the file's 6 decimals
    expect(sxy / sxx).toBeCloseTo(-BOND_DURATION, 4); // regression slope: the duration, negative
  });

  it('loads the article case windows with the expected rows', () => {
    const w = (from: string, to: string) => loadPriceHistory(FILE, { from, to });
    const dotcom = w('2000-03-24', '2002-10-09');
    expect([dotcom.dates[0], dotcom.dates[dotcom.dates.length - 1], dotcom.dates.length]).toEqual([
      '2000-03-24',
      '2002-10-09',
      634,
    ]);
    const gfc = w('2007-10-09', '2009-03-09');
    expect([gfc.dates[0], gfc.dates[gfc.dates.length - 1], gfc.dates.length]).toEqual([
      '2007-10-09',
      '2009-03-09',
      356,
    ]);
    // the S&P 500 fell 49 % peak to trough over 2000-02 and 57 % over 2007-09
    const sp = (h: typeof dotcom) => h.prices[0][h.prices[0].length - 1] / h.prices[0][0];
    expect(sp(dotcom)).toBeCloseTo(776.76001 / 1527.459961, 10);
    expect(sp(gfc)).toBeCloseTo(676.530029 / 1565.150024, 10);
  });

  it('reads the copied source files: the close of the OHLC files, WTI and the monthly yields', () => {
    const sp = loadPriceHistory(`${data}/sp500.csv`, { columns: ['close'] });
    expect([sp.dates.length, sp.dates[0], sp.prices[0][0]]).toEqual([5031, '1999-01-04', 1228.099976]);
    const nq = loadPriceHistory(`${data}/nasdaq.csv`, { columns: ['close'] });
    expect(nq.dates.length).toBe(5031);
    const wti = loadPriceHistory(`${data}/wti.csv`);
    expect([wti.columns, wti.dates.length, wti.dates[0]]).toEqual([['WTI'], 8321, '1986-01-02']);
    const ylds = loadPriceHistory(`${data}/corporate-yields-monthly.csv`);
    expect([ylds.columns, ylds.dates.length]).toEqual([['AAA', 'BAA'], 1200]);
  });
});
