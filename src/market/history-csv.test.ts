import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { CsvValidationError, isIsoDate, loadPriceHistory, parsePriceHistory } from './history-csv.ts';

const dir = 'test/fixtures/csv';

function catchError(fn: () => unknown): CsvValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CsvValidationError);
    expect(e).toBeInstanceOf(ValidationError);
    return e as CsvValidationError;
  }
  throw new Error('expected a CsvValidationError, nothing was thrown');
}

describe('loadPriceHistory: shipped data', () => {
  it('loads data/eustockmarkets.csv with 1,860 rows and 4 columns', () => {
    const h = loadPriceHistory('data/eustockmarkets.csv');
    expect(h.dates.length).toBe(1860);
    expect(h.columns).toEqual(['DAX', 'SMI', 'CAC', 'FTSE']);
    expect(h.prices.length).toBe(4);
    for (const col of h.prices) expect(col.length).toBe(1860);
    expect(h.dates[0]).toBe('1991-07-01');
    expect(h.dates[1859]).toBe('1998-08-14');
    expect(h.prices[0][0]).toBe(1628.75);
    expect(h.prices[3][0]).toBe(2443.6);
    expect(h.report.rowsRead).toBe(1860);
    expect(h.report.rowsKept).toBe(1860);
    expect(h.report.filled).toEqual([]);
    expect(h.report.dropped).toEqual([]);
    expect(h.source).toBe('data/eustockmarkets.csv');
  });

  it('selects and reorders columns and restricts to a date range', () => {
    const h = loadPriceHistory('data/eustockmarkets.csv', {
      columns: ['FTSE', 'DAX'],
      from: '1991-07-02',
      to: '1991-07-04',
    });
    expect(h.columns).toEqual(['FTSE', 'DAX']);
    expect(h.dates).toEqual(['1991-07-02', '1991-07-03', '1991-07-04']);
    expect(h.prices[1][0]).toBe(1613.63);
    expect(h.prices[0][0]).toBe(2460.2);
    expect(h.report.rowsOutOfRange).toBe(1857);
  });
});

describe('loadPriceHistory: one error per bad file, with file:line and column', () => {
  const cases: [file: string, code: string, line: number | undefined, message: string][] = [
    [
      'unsorted-dates.csv',
      'csv-unsorted-dates',
      4,
      'unsorted-dates.csv:4: column "date": dates not increasing: 2024-01-03 comes after 2024-01-04 (line 3)',
    ],
    [
      'duplicate-date.csv',
      'csv-duplicate-date',
      4,
      'duplicate-date.csv:4: column "date": duplicate date 2024-01-03 (also on line 3)',
    ],
    [
      'malformed-date.csv',
      'csv-malformed-date',
      3,
      'malformed-date.csv:3: column "date": malformed date "2024-13-03" (expected YYYY-MM-DD)',
    ],
    [
      'missing-value.csv',
      'csv-missing-value',
      3,
      `missing-value.csv:3: column "A": missing value on 2024-01-03 (use fill 'forward' or 'drop' to handle gaps)`,
    ],
    ['non-numeric.csv', 'csv-non-numeric', 3, 'non-numeric.csv:3: column "B": non-numeric value "abc"'],
    [
      'non-positive-price.csv',
      'csv-non-positive-price',
      4,
      'non-positive-price.csv:4: column "A": price must be > 0 (got 0)',
    ],
    ['ragged-row.csv', 'csv-ragged-row', 3, 'ragged-row.csv:3: expected 3 fields (date,A,B), found 2'],
    ['empty.csv', 'csv-empty', undefined, 'empty.csv: file is empty (no header row)'],
    ['header-only.csv', 'csv-no-data', undefined, 'header-only.csv: no data rows after the header'],
    [
      'missing-date-column.csv',
      'csv-missing-date-column',
      1,
      'missing-date-column.csv:1: no date column "date" in header (day,A,B)',
    ],
  ];
  for (const [file, code, line, message] of cases) {
    it(`${file} fails with ${code}`, () => {
      const e = catchError(() => loadPriceHistory(`${dir}/${file}`));
      expect(e.code).toBe(code);
      expect(e.line).toBe(line);
      expect(e.message).toBe(`${dir}/${message}`);
    });
  }

  it('every error code is distinct', () => {
    expect(new Set(cases.map((c) => c[1])).size).toBe(cases.length);
  });

  it('an unknown requested column names the available columns', () => {
    const e = catchError(() => loadPriceHistory('data/eustockmarkets.csv', { columns: ['DAX', 'NIKKEI'] }));
    expect(e.code).toBe('csv-unknown-column');
    expect(e.column).toBe('NIKKEI');
    expect(e.message).toBe(
      'data/eustockmarkets.csv: column "NIKKEI": no such column; available: DAX, SMI, CAC, FTSE',
    );
  });

  it('an unreadable file is a validation error, not a raw fs error', () => {
    const e = catchError(() => loadPriceHistory(`${dir}/does-not-exist.csv`));
    expect(e.code).toBe('csv-file-unreadable');
  });
});

describe('parsePriceHistory: inline cases', () => {
  it('reports an unclosed quote as a syntax error with its line', () => {
    const e = catchError(() => parsePriceHistory('date,A\n2024-01-02,"100\n', 'x.csv'));
    expect(e.code).toBe('csv-syntax');
    expect(e.where).toBe('x.csv:2');
  });

  it('rejects a duplicate header column', () => {
    const e = catchError(() => parsePriceHistory('date,A,A\n2024-01-02,1,2\n', 'x.csv'));
    expect(e.code).toBe('csv-duplicate-column');
    expect(e.message).toBe('x.csv:1: column "A": duplicate column name in header');
  });

  it('rejects a header with only the date column', () => {
    expect(catchError(() => parsePriceHistory('date\n2024-01-02\n', 'x.csv')).code).toBe('csv-no-columns');
  });

  it('rejects impossible calendar dates and non-ISO formats', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2024-04-31')).toBe(false);
    expect(isIsoDate('02/01/2024')).toBe(false);
    expect(isIsoDate('2024-1-02')).toBe(false);
  });

  it('rejects hexadecimal, infinite and partially numeric values as non-numeric', () => {
    for (const v of ['0x10', 'Infinity', '12abc', '1,5']) {
      const text = `date,A\n2024-01-02,"${v}"\n`;
      const e = catchError(() => parsePriceHistory(text, 'x.csv'));
      expect(e.code, v).toBe('csv-non-numeric');
    }
  });

  it('accepts a BOM, quoted fields, blank lines, exponents and a case-insensitive date column', () => {
    const h = parsePriceHistory('\uFEFFDate,"A"\n\n"2024-01-02",1e2\n2024-01-03, 101.5 \n', 'x.csv');
    expect(h.dates).toEqual(['2024-01-02', '2024-01-03']);
    expect(Array.from(h.prices[0])).toEqual([100, 101.5]);
    expect(h.report.dateColumn).toBe('Date');
  });

  it('uses a custom date column anywhere in the header', () => {
    const h = parsePriceHistory('A,when\n5,2024-01-02\n6,2024-01-03\n', 'x.csv', { dateColumn: 'when' });
    expect(h.columns).toEqual(['A']);
    expect(Array.from(h.prices[0])).toEqual([5, 6]);
  });

  it('validates only the selected columns', () => {
    const h = parsePriceHistory('date,A,B\n2024-01-02,1,oops\n2024-01-03,2,\n', 'x.csv', { columns: ['A'] });
    expect(Array.from(h.prices[0])).toEqual([1, 2]);
  });

  it('rejects malformed from/to options and an empty range', () => {
    expect(
      catchError(() => parsePriceHistory('date,A\n2024-01-02,1\n', 'x', { from: '2024/01/01' })).code,
    ).toBe('csv-bad-option');
    expect(
      catchError(() => parsePriceHistory('date,A\n2024-01-02,1\n', 'x', { from: '2025-01-01' })).code,
    ).toBe('csv-no-data');
  });
});

describe('gap handling', () => {
  it('fails on a gap by default', () => {
    expect(catchError(() => loadPriceHistory(`${dir}/gaps.csv`)).code).toBe('csv-missing-value');
  });

  it('forward-fills on request and lists the filled rows', () => {
    const h = loadPriceHistory(`${dir}/gaps.csv`, { fill: 'forward' });
    expect(Array.from(h.prices[0])).toEqual([100, 100, 102, 103]);
    expect(Array.from(h.prices[1])).toEqual([50, 51, 51, 53]);
    expect(h.report.filled).toEqual([
      { line: 3, date: '2024-01-03', columns: ['A'] },
      { line: 4, date: '2024-01-04', columns: ['B'] },
    ]);
    expect(h.report.dropped).toEqual([]);
  });

  it('drops rows with a missing value on request and lists them', () => {
    const h = loadPriceHistory(`${dir}/gaps.csv`, { fill: 'drop' });
    expect(h.dates).toEqual(['2024-01-02', '2024-01-05']);
    expect(Array.from(h.prices[0])).toEqual([100, 103]);
    expect(h.report.dropped.map((r) => r.line)).toEqual([3, 4]);
    expect(h.report.rowsKept).toBe(2);
  });

  it('only drops rows whose missing values are in the selected columns', () => {
    const h = loadPriceHistory(`${dir}/gaps.csv`, { fill: 'drop', columns: ['B'] });
    expect(h.dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-05']);
  });

  it('cannot forward-fill the first row', () => {
    const e = catchError(() =>
      parsePriceHistory('date,A\n2024-01-02,\n2024-01-03,1\n', 'x.csv', { fill: 'forward' }),
    );
    expect(e.code).toBe('csv-missing-value');
    expect(e.line).toBe(2);
  });
});

describe('returns files', () => {
  it('builds a price index starting at 1 from simple returns', () => {
    const h = loadPriceHistory(`${dir}/returns.csv`, { kind: 'returns' });
    expect(h.prices[0][0]).toBe(1);
    expect(h.prices[0][1]).toBeCloseTo(1.01, 15);
    expect(h.prices[0][2]).toBeCloseTo(1.01 * 1.02, 15);
    expect(h.prices[1][2]).toBeCloseTo(0.98 * 1.01, 15);
  });

  it('rejects a return of -100% or worse', () => {
    const e = catchError(() =>
      parsePriceHistory('date,A\n2024-01-02,\n2024-01-03,-1\n', 'x.csv', { kind: 'returns' }),
    );
    expect(e.code).toBe('csv-invalid-return');
    expect(e.line).toBe(3);
  });

  it('accepts negative returns that a prices file would reject', () => {
    expect(() => parsePriceHistory('date,A\n2024-01-02,0.1\n2024-01-03,-0.5\n', 'x.csv')).toThrow(
      /price must be > 0/,
    );
    const h = parsePriceHistory('date,A\n2024-01-02,0.1\n2024-01-03,-0.5\n', 'x.csv', { kind: 'returns' });
    expect(Array.from(h.prices[0])).toEqual([1, 0.5]);
  });
});
