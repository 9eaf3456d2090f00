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

// The hedge: section starts on line 25 of GOOD + HEDGE.
const HEDGE = `hedge:
  targets:
    delta: { SPX: 25 }
    gamma: { SPX: [-3000, 1000] }
    vega: { SPX: 400 }
  instruments:
    SPX:
      underlying: { spreadBps: 1, maxQty: 5000, lotSize: 1 }
      futures:
        - { expiry: 3M, spreadBps: 0.5, multiplier: 50, feePerContract: 1.5, lotSize: 50 }
      options:
        strikes: [0.9, 1, 1.1]
        expiries: [1M, 0.5]
        spread: { volPoints: 0.5 }
        feePerContract: 1
        multiplier: 10
        lotSize: 10
`;
const HEDGED = GOOD + HEDGE;

describe('book file: the hedge section', () => {
  it('resolves bands, tenors, defaults and the spread kind', () => {
    const h = parseBookFile(HEDGED).hedge!;
    expect(h.weights).toEqual({ gamma: 1, vega: 1 });
    expect(h.assets.length).toBe(1);
    const a = h.assets[0];
    expect(a.asset).toBe(0);
    expect(a.delta).toEqual({ lo: -25, hi: 25 });
    expect(a.gamma).toEqual({ lo: -3000, hi: 1000 });
    // one band for every bucket of the default edges (5 buckets)
    expect(a.vega).toEqual(Array.from({ length: 5 }, () => ({ lo: -400, hi: 400 })));
    expect(a.underlying).toEqual({
      spreadBps: 1,
      fee: 0,
      maxQty: 5000,
      lotSize: 1,
      feePerContract: 0,
      multiplier: 1,
    });
    expect(a.futures).toEqual([
      {
        kind: 'future',
        expiry: 0.25,
        spreadBps: 0.5,
        fee: 0,
        feePerContract: 1.5,
        multiplier: 50,
        lotSize: 50,
      },
    ]);
    expect(a.options).toMatchObject({
      types: ['put', 'call'],
      strikes: [0.9, 1, 1.1],
      expiries: [1 / 12, 0.5],
      spread: { kind: 'vol', points: 0.5 },
      fee: 0,
      feePerContract: 1,
      multiplier: 10,
      lotSize: 10,
    });
    expect(parseBookFile(GOOD).hedge).toBeUndefined();
  });
  it('vega bands per bucket, with null for an open bucket; a price spread', () => {
    const h = parseBookFile(
      HEDGED.replace(
        'vega: { SPX: 400 }',
        'vega: { SPX: { buckets: [100, [-50, 200], null, 300, 400] } }',
      ).replace('spread: { volPoints: 0.5 }', 'spread: { price: 2 }'),
    ).hedge!;
    expect(h.assets[0].vega).toEqual([
      { lo: -100, hi: 100 },
      { lo: -50, hi: 200 },
      null,
      { lo: -300, hi: 300 },
      { lo: -400, hi: 400 },
    ]);
    expect(h.assets[0].options?.spread).toEqual({ kind: 'price', spread: 2 });
  });
  it('a target on an unknown asset', () => {
    expect(errorOf(HEDGED.replace('delta: { SPX: 25 }', 'delta: { SPY: 25 }'))).toBe(
      'bad.yaml:27: hedge.targets.delta.SPY: must name an asset of the book: one of SPX, WTI (got "SPY")',
    );
  });
  it('instruments on an unknown asset', () => {
    expect(errorOf(HEDGED.replace('    SPX:\n      underlying', '    GOLD:\n      underlying'))).toBe(
      'bad.yaml:32: hedge.instruments.GOLD: must name an asset of the book: one of SPX, WTI (got "GOLD")',
    );
  });
  it('a band ±x needs x >= 0; [lo, hi] needs lo <= hi', () => {
    expect(errorOf(HEDGED.replace('delta: { SPX: 25 }', 'delta: { SPX: -25 }'))).toBe(
      'bad.yaml:27: hedge.targets.delta.SPX: a band ±x needs x >= 0 (got -25)',
    );
    expect(errorOf(HEDGED.replace('[-3000, 1000]', '[1000, -3000]'))).toBe(
      'bad.yaml:28: hedge.targets.gamma.SPX: a band [lo, hi] needs lo <= hi (got [1000, -3000])',
    );
  });
  it('a band of the wrong shape', () => {
    expect(errorOf(HEDGED.replace('delta: { SPX: 25 }', 'delta: { SPX: [1, 2, 3] }'))).toBe(
      'bad.yaml:27: hedge.targets.delta.SPX: must be a band: a number x >= 0 (meaning [-x, x]) or a list [lo, hi] (got a list)',
    );
    expect(errorOf(HEDGED.replace('delta: { SPX: 25 }', 'delta: { SPX: "25" }'))).toMatch(
      /^bad\.yaml:27: hedge\.targets\.delta\.SPX: must be a band: .* \(got "25"\)$/,
    );
  });
  it('vega per bucket needs one band per bucket', () => {
    expect(errorOf(HEDGED.replace('vega: { SPX: 400 }', 'vega: { SPX: { buckets: [1, 2, 3] } }'))).toBe(
      'bad.yaml:29: hedge.targets.vega.SPX.buckets: needs one band (or null) per vega bucket: 5 (≤1M, 1M–3M, 3M–6M, 6M–1Y, >1Y) (got 3)',
    );
    expect(
      errorOf(HEDGED.replace('vega: { SPX: 400 }', 'vega: { SPX: { buckets: [1, 2, 3, -4, 5] } }')),
    ).toBe('bad.yaml:29: hedge.targets.vega.SPX.buckets[3]: a band ±x needs x >= 0 (got -4)');
  });
  it('weights are >= 0', () => {
    expect(
      errorOf(HEDGED.replace('vega: { SPX: 400 }', 'vega: { SPX: 400 }\n    weights: { gamma: -1 }')),
    ).toBe('bad.yaml:30: hedge.targets.weights.gamma: must be >= 0 (got -1)');
  });
  it('an option spread gives exactly one of price, volPoints', () => {
    expect(errorOf(HEDGED.replace('{ volPoints: 0.5 }', '{ volPoints: 0.5, price: 1 }'))).toBe(
      'bad.yaml:38: hedge.instruments.SPX.options.spread: must give exactly one of price, volPoints (got both)',
    );
    expect(errorOf(HEDGED.replace('{ volPoints: 0.5 }', '{ }'))).toBe(
      'bad.yaml:38: hedge.instruments.SPX.options.spread: must give exactly one of price, volPoints (got neither)',
    );
  });
  it('size limits: maxQty >= 0, lotSize > 0', () => {
    expect(errorOf(HEDGED.replace('maxQty: 5000', 'maxQty: -1'))).toBe(
      'bad.yaml:32: hedge.instruments.SPX.underlying.maxQty: must be >= 0 (got -1)',
    );
    expect(errorOf(HEDGED.replace('        lotSize: 10', '        lotSize: 0'))).toBe(
      'bad.yaml:41: hedge.instruments.SPX.options.lotSize: must be > 0 (got 0)',
    );
  });
  it('strikes > 0 and unique; expiries are years or tenors, unique; option types', () => {
    expect(errorOf(HEDGED.replace('[0.9, 1, 1.1]', '[0.9, 0, 1.1]'))).toBe(
      'bad.yaml:36: hedge.instruments.SPX.options.strikes[1]: must be > 0 (got 0)',
    );
    expect(errorOf(HEDGED.replace('[0.9, 1, 1.1]', '[0.9, 1, 0.9]'))).toBe(
      'bad.yaml:36: hedge.instruments.SPX.options.strikes[2]: duplicate strike (got 0.9)',
    );
    expect(errorOf(HEDGED.replace('[1M, 0.5]', '[1M, 6M, 0.5]'))).toBe(
      'bad.yaml:37: hedge.instruments.SPX.options.expiries[2]: duplicate expiry (got 0.5)',
    );
    expect(errorOf(HEDGED.replace('[1M, 0.5]', '[1X]'))).toBe(
      'bad.yaml:37: hedge.instruments.SPX.options.expiries[0]: must be years > 0 or a tenor like 2W, 1M, 1Y (got "1X")',
    );
    expect(errorOf(HEDGED.replace('        strikes:', '        types: [straddle]\n        strikes:'))).toBe(
      'bad.yaml:36: hedge.instruments.SPX.options.types[0]: must be one of: call, put (got "straddle")',
    );
  });
  it('duplicate futures; an unknown key lists the allowed ones', () => {
    expect(
      errorOf(
        HEDGED.replace(
          '        - { expiry: 3M,',
          '        - { expiry: 0.25, spreadBps: 1 }\n        - { expiry: 3M,',
        ),
      ),
    ).toBe('bad.yaml:35: hedge.instruments.SPX.futures[1].expiry: duplicate future expiry (got "3M")');
    expect(errorOf(HEDGED.replace('spreadBps: 1, maxQty', 'spredBps: 1, maxQty'))).toMatch(
      /^bad\.yaml:32: hedge\.instruments\.SPX\.underlying\.spredBps: unknown key \(allowed here: spreadBps, fee, maxQty, lotSize\)/,
    );
  });
});
