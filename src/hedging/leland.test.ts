import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { lelandNumber, lelandVol, lelandVolBatch } from './leland.ts';

describe('Leland adjusted vol', () => {
  it('σ = 20 %, k = 1 %: weekly rebalancing → 22.70 %, daily → 25.56 %', () => {
    expect(lelandVol(0.2, 0.01, 1 / 52)).toBeCloseTo(0.227, 4);
    expect(lelandVol(0.2, 0.01, 1 / 252)).toBeCloseTo(0.2556, 4);
  });

  it('is σ·√(1 + √(2/π)·k/(σ√Δt)) for the writer and σ·√(1 − Le) for the buyer', () => {
    const le = Math.sqrt(2 / Math.PI) * (0.005 / (0.3 * Math.sqrt(0.01)));
    expect(lelandNumber(0.3, 0.005, 0.01)).toBeCloseTo(le, 15);
    expect(lelandVol(0.3, 0.005, 0.01)).toBeCloseTo(0.3 * Math.sqrt(1 + le), 15);
    expect(lelandVol(0.3, 0.005, 0.01, 'buyer')).toBeCloseTo(0.3 * Math.sqrt(1 - le), 15);
    expect(lelandVol(0.3, 0, 0.01)).toBe(0.3);
  });

  it('throws a DomainError naming the parameter for invalid inputs', () => {
    expect(() => lelandVol(0, 0.01, 1 / 52)).toThrow(/^vol \(0\) must be > 0$/);
    expect(() => lelandVol(0.2, -0.01, 1 / 52)).toThrow(/roundTripCost \(-0.01\)/);
    expect(() => lelandVol(0.2, 0.01, 0)).toThrow(/dt \(0\)/);
    expect(() => lelandVol(0.2, 0.05, 1 / 252, 'buyer')).toThrow(DomainError);
  });

  it('batch form: same values, NaN for invalid paths', () => {
    const out = new Float64Array(3);
    lelandVolBatch(Float64Array.of(0.2, -0.1, Number.NaN), 0.01, 1 / 52, out);
    expect(out[0]).toBe(lelandVol(0.2, 0.01, 1 / 52));
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeNaN();
  });
});
