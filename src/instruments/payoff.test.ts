import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payoff, touches } from './payoff.ts';
import { contractId, type OptionTerms } from './terms.ts';

const put: OptionTerms = { kind: 'option', asset: 0, type: 'put', style: 'european' };
const call: OptionTerms = { kind: 'option', asset: 0, type: 'call', style: 'european' };

describe('payoff', () => {
  it('pays the vanilla intrinsic values', () => {
    expect(payoff(put, 100, 90, false)).toBe(10);
    expect(payoff(put, 100, 110, false)).toBe(0);
    expect(payoff(call, 100, 110, false)).toBe(10);
    expect(payoff({ kind: 'forward', asset: 0 }, 100, 90, false)).toBe(-10);
    expect(payoff({ kind: 'asset', asset: 0 }, 0, 90, false)).toBe(90);
  });

  it('applies the knock-in / knock-out rebate rules of Reiner–Rubinstein', () => {
    const dao: OptionTerms = { ...put, barrier: { type: 'down-out', rebate: 2 } };
    const dai: OptionTerms = { ...put, barrier: { type: 'down-in', rebate: 2 } };
    expect(payoff(dao, 100, 90, false)).toBe(10);
    expect(payoff(dao, 100, 90, true)).toBe(0); // the rebate was paid at the hit
    expect(payoff(dai, 100, 90, true)).toBe(10);
    expect(payoff(dai, 100, 90, false)).toBe(2);
  });

  it('pays digitals on the right side of the strike only', () => {
    const cashCall = { kind: 'digital', asset: 0, type: 'call', payoff: 'cash', cash: 5 } as const;
    const assetPut = { kind: 'digital', asset: 0, type: 'put', payoff: 'asset' } as const;
    expect(payoff(cashCall, 100, 101, false)).toBe(5);
    expect(payoff(cashCall, 100, 100, false)).toBe(0);
    expect(payoff(assetPut, 100, 99, false)).toBe(99);
    expect(payoff(assetPut, 100, 101, false)).toBe(0);
  });

  it('satisfies put-call parity at expiry: call − put = forward (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 1, max: 500, noNaN: true }),
        (K, S) => {
          const lhs = payoff(call, K, S, false) - payoff(put, K, S, false);
          expect(lhs).toBeCloseTo(payoff({ kind: 'forward', asset: 0 }, K, S, false), 9);
        },
      ),
      { seed: 7 },
    );
  });

  it('monitors barriers on the right side', () => {
    expect(touches('down-out', 80, 80)).toBe(true);
    expect(touches('down-in', 81, 80)).toBe(false);
    expect(touches('up-out', 120, 120)).toBe(true);
    expect(touches('up-in', 119, 120)).toBe(false);
  });
});

describe('contractId', () => {
  it('names the terms traded', () => {
    expect(contractId(put, 'SPX', 95, 0.25)).toBe('SPX put K=95 T=0.25');
    expect(contractId({ ...put, barrier: { type: 'down-out', rebate: 0 } }, 'SPX', 100, 1, 80)).toBe(
      'SPX down-out put K=100 H=80 T=1',
    );
    expect(contractId({ ...put, style: 'american' }, 'SPX', 1 / 3, 1 / 3)).toBe(
      'SPX american put K=0.333333 T=0.333333',
    );
    expect(contractId({ kind: 'future', asset: 1 }, 'WTI', 61.2, 0.5)).toBe('WTI future K=61.2 T=0.5');
    expect(contractId({ kind: 'asset', asset: 0 }, 'SPX', 0, Number.POSITIVE_INFINITY)).toBe('SPX');
  });
});
