import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VEGA_EDGES } from '../risk/book-greeks.ts';
import { DEFAULT_SPOT_SHOCKS, DEFAULT_VOL_SHOCKS } from '../risk/scenario-ladder.ts';
import { BookFileError, loadBookFile, parseBookFile } from './book-file.ts';

const GOOD = `valuationDate: 2025-01-15
rate: 0.04
assets:
  - name: SPX
    spot: 5000
    vol: 0.18
    beta: 1
  - name: WTI
    spot: 72
    vol: 0.35
positions:
  - name: p1
    instrument: option
    asset: SPX
    type: put
    strike: 4500
    expiry: 0.5
    quantity: 10
  - name: f1
    instrument: forward
    asset: WTI
    strike: 73
    expiry: 2025-07-15
    quantity: 100
`;

function errorOf(text: string): string {
  try {
    parseBookFile(text, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(BookFileError);
    return (e as Error).message;
  }
  throw new Error('expected a BookFileError');
}

describe('book file: valid files', () => {
  it('fills the documented defaults (vega edges, ladder axes, european, carry 0)', () => {
    const b = parseBookFile(GOOD, 'good.yaml');
    expect(b.vegaEdges).toEqual(DEFAULT_VEGA_EDGES);
    expect(b.ladder).toEqual({
      spotShocks: DEFAULT_SPOT_SHOCKS,
      volShocks: DEFAULT_VOL_SHOCKS,
      timeShiftDays: 0,
    });
    expect(b.book.assets[0]).toEqual({ name: 'SPX', spot: 5000, carry: 0, vol: 0.18, beta: 1 });
    expect(b.book.positions[0].contract).toEqual({
      id: 'SPX put K=4500 T=0.5',
      terms: { kind: 'option', asset: 0, type: 'put', style: 'european' },
      strike: 4500,
      expiry: 0.5,
    });
  });
  it('turns a date expiry into ACT/365 years from valuationDate', () => {
    expect(parseBookFile(GOOD).book.positions[1].contract.expiry).toBe(181 / 365);
  });
  it('accepts tenor bucket edges and names unnamed positions by contract id', () => {
    const b = parseBookFile(
      `${GOOD.replace('  - name: p1\n    instrument', '  - instrument')}vegaBuckets: [2W, 1M, 1Y, 2Y]\n`,
    );
    expect(b.vegaEdges).toEqual([14 / 365, 1 / 12, 1, 2]);
    expect(b.book.positions[0].name).toBe('SPX put K=4500 T=0.5');
  });
  it('loads examples/book.yaml', () => {
    const b = loadBookFile(new URL('../../examples/book.yaml', import.meta.url).pathname);
    expect(b.book.assets.map((a) => a.name)).toEqual(['SPX', 'WTI', 'BUND']);
    expect(b.betaIndex).toBe('SPX');
    expect(readFileSync(new URL('../../examples/book.yaml', import.meta.url), 'utf8')).toContain(
      'instrument: forward',
    );
  });
});

describe('book file: each rule is an error naming file:line and the field', () => {
  it('wrong type', () => {
    expect(errorOf(GOOD.replace('spot: 5000', 'spot: "5000"'))).toBe(
      'bad.yaml:5: assets[0].spot: must be a number (got "5000")',
    );
  });
  it('negative strike', () => {
    expect(errorOf(GOOD.replace('strike: 4500', 'strike: -1'))).toBe(
      'bad.yaml:16: positions[0].strike: must be > 0 (got -1)',
    );
  });
  it('unknown instrument lists the kinds', () => {
    expect(errorOf(GOOD.replace('instrument: option', 'instrument: swap'))).toBe(
      'bad.yaml:13: positions[0].instrument: must be one of: option, digital, forward, future, asset (got "swap")',
    );
  });
  it('unknown key (a typo)', () => {
    expect(errorOf(GOOD.replace('strike: 4500', 'strik: 4500'))).toMatch(
      /^bad\.yaml:16: positions\[0\]\.strik: unknown key \(allowed here: name, instrument, asset, type/,
    );
  });
  it('a position naming an unknown asset names the position and the line', () => {
    expect(errorOf(GOOD.replace('asset: SPX\n    type', 'asset: SPY\n    type'))).toBe(
      'bad.yaml:14: positions[0].asset: position "p1" names an unknown asset: must be one of SPX, WTI (got "SPY")',
    );
  });
  it('a barrier only on options', () => {
    expect(
      errorOf(GOOD.replace('    strike: 73', '    barrier: { type: down-out, level: 60 }\n    strike: 73')),
    ).toBe('bad.yaml:22: positions[1].barrier: only options have a barrier (instrument is forward)');
  });
  it('a barrier only on european options', () => {
    expect(
      errorOf(
        GOOD.replace(
          '    strike: 4500',
          '    style: american\n    barrier: { type: down-out, level: 4000 }\n    strike: 4500',
        ),
      ),
    ).toBe('bad.yaml:17: positions[0].barrier: a barrier option must be european (style is american)');
  });
  it('an option needs a type; a forward has none', () => {
    expect(errorOf(GOOD.replace('    type: put\n', ''))).toBe(
      'bad.yaml:12: positions[0].type: is required for an option',
    );
    expect(errorOf(GOOD.replace('    strike: 73', '    type: call\n    strike: 73'))).toBe(
      'bad.yaml:22: positions[1].type: not allowed for a forward (got "call")',
    );
  });
  it('a derivative needs strike and expiry; an asset holding has neither', () => {
    expect(errorOf(GOOD.replace('    expiry: 0.5\n', ''))).toBe(
      'bad.yaml:12: positions[0].expiry: is required for an option',
    );
    expect(errorOf(GOOD.replace('instrument: forward', 'instrument: asset'))).toBe(
      'bad.yaml:22: positions[1].strike: not allowed for an asset holding; bad.yaml:23: positions[1].expiry: not allowed for an asset holding',
    );
  });
  it('only options have a style; only digitals a payoff', () => {
    expect(
      errorOf(GOOD.replace('    strike: 73', '    style: european\n    payoff: cash\n    strike: 73')),
    ).toBe(
      'bad.yaml:22: positions[1].style: only options have a style (instrument is forward); bad.yaml:23: positions[1].payoff: only digitals have a payoff (instrument is forward)',
    );
  });
  it('a date expiry needs valuationDate and must be after it', () => {
    expect(errorOf(GOOD.replace('valuationDate: 2025-01-15\n', ''))).toBe(
      'bad.yaml:22: positions[1].expiry: a date expiry needs valuationDate (got "2025-07-15")',
    );
    expect(errorOf(GOOD.replace('2025-07-15', '2024-12-31'))).toBe(
      'bad.yaml:23: positions[1].expiry: must be after valuationDate 2025-01-15 (got "2024-12-31")',
    );
    expect(errorOf(GOOD.replace('2025-07-15', '2025-02-30'))).toBe(
      'bad.yaml:23: positions[1].expiry: is not a calendar date (got "2025-02-30")',
    );
  });
  it('duplicate asset and position names', () => {
    expect(errorOf(GOOD.replace('name: WTI', 'name: SPX'))).toMatch(
      /^bad\.yaml:8: assets\[1\]\.name: must be unique \(got "SPX"\)/,
    );
    expect(errorOf(GOOD.replace('name: f1', 'name: p1'))).toBe(
      'bad.yaml:19: positions[1].name: position name must be unique (got "p1"); add a name',
    );
  });
  it('bucket edges must increase', () => {
    expect(errorOf(`${GOOD}vegaBuckets: [3M, 1M]\n`)).toBe(
      'bad.yaml:25: vegaBuckets[1]: must be greater than the previous edge (got "1M")',
    );
    expect(errorOf(`${GOOD}vegaBuckets: [3X]\n`)).toBe(
      'bad.yaml:25: vegaBuckets[0]: must be years > 0 or a tenor like 2W, 1M, 1Y (got "3X")',
    );
  });
  it('beta-weighting needs a known index, a beta for every other asset, and beta 1 for the index', () => {
    expect(errorOf(`betaIndex: SPY\n${GOOD}`)).toMatch(
      /^bad\.yaml:1: betaIndex: must be one of SPX, WTI \(got "SPY"\)/,
    );
    expect(errorOf(`betaIndex: SPX\n${GOOD}`)).toBe(
      'bad.yaml:9: assets[1]: beta is required when betaIndex is set (asset "WTI")',
    );
    expect(
      errorOf(
        `betaIndex: SPX\n${GOOD.replace('beta: 1', 'beta: 1.2').replace('vol: 0.35', 'vol: 0.35\n    beta: 0.3')}`,
      ),
    ).toBe("bad.yaml:8: assets[0].beta: the index's own beta must be 1 (got 1.2)");
  });
  it('ladder: spot shock > -100 %, asset must be listed', () => {
    expect(errorOf(`${GOOD}ladder: { spotShocks: [-1.2, 0] }\n`)).toBe(
      'bad.yaml:25: ladder.spotShocks[0]: must be > -1 (a relative shock) (got -1.2)',
    );
    expect(errorOf(`${GOOD}ladder: { asset: GOLD }\n`)).toBe(
      'bad.yaml:25: ladder.asset: must be one of SPX, WTI (got "GOLD")',
    );
  });
  it('a smile vol names its missing field', () => {
    expect(errorOf(GOOD.replace('vol: 0.18', 'vol: { base: 0.18, smile: { curvature: 1 } }'))).toMatch(
      /^bad\.yaml:6: assets\[0\]\.vol/,
    );
  });
  it('invalid YAML and an unreadable file', () => {
    expect(errorOf('rate: [1, 2\n')).toMatch(/^bad\.yaml:\d+: invalid YAML\/JSON/);
    expect(() => loadBookFile('/nowhere/book.yaml')).toThrow(
      '/nowhere/book.yaml: cannot read book file (ENOENT)',
    );
  });
});
