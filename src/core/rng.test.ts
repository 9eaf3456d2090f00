import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { normCdf } from './normal.ts';
import { blockRng, createRng, createRngFromState } from './rng.ts';
import { ZIG_R } from './ziggurat.ts';

function moments(x: Float64Array) {
  const n = x.length;
  let m1 = 0;
  for (let i = 0; i < n; i++) m1 += x[i];
  m1 /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m1;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean: m1, variance: m2, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

describe('xoshiro128** core', () => {
  it('reproduces the reference C implementation from state {1, 2, 3, 4}', () => {
    // xoshiro128starstar.c (Blackman & Vigna) outputs, re-derived with 64-bit Python integers
    const expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492];
    const rng = createRngFromState([1, 2, 3, 4]);
    expect(expected.map(() => rng.nextUint32())).toEqual(expected);
  });

  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(12345);
    const b = createRng(12345n);
    const c = createRng(12346);
    const xa = Array.from({ length: 8 }, () => a.nextUint32());
    const xb = Array.from({ length: 8 }, () => b.nextUint32());
    const xc = Array.from({ length: 8 }, () => c.nextUint32());
    expect(xb).toEqual(xa);
    expect(xc).not.toEqual(xa);
    for (const v of xa) expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
  });

  it('derives split streams from (seed, stream) only, distinct per stream', () => {
    const parent = createRng(7);
    const s3 = parent.split(3).nextUint32();
    for (let i = 0; i < 100; i++) parent.nextDouble();
    expect(parent.split(3).nextUint32()).toBe(s3);
    expect(blockRng(7, 3).nextUint32()).toBe(s3);
    const firsts = new Set<number>();
    for (let s = 0; s < 1000; s++) firsts.add(blockRng(7, s).nextUint32());
    expect(firsts.size).toBe(1000);
    expect(blockRng(8, 3).nextUint32()).not.toBe(s3);
  });

  it('split streams are uncorrelated with each other and with the parent', () => {
    const n = 200_000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    createRng(99).split(0).fillNormal(a);
    createRng(99).split(1).fillNormal(b);
    let sab = 0;
    for (let i = 0; i < n; i++) sab += a[i] * b[i];
    expect(Math.abs(sab / n)).toBeLessThan(3 / Math.sqrt(n));
  });

  it('rejects invalid seeds, streams and states', () => {
    expect(() => createRng(1.5)).toThrow(DomainError);
    expect(() => createRng(Number.NaN)).toThrow('seed (NaN) must be a safe integer or a bigint');
    expect(() => createRng(1).split(-1)).toThrow(DomainError);
    expect(() => blockRng(1, 0.5)).toThrow('block (0.5) must be an integer >= 0');
    expect(() => createRngFromState([0, 0, 0, 0])).toThrow(DomainError);
  });
});

describe('uniforms', () => {
  it('nextDouble lies in [0, 1) and fillUniform in (0, 1) with mean 1/2 and variance 1/12 (3 SE)', () => {
    const rng = createRng(2024);
    const n = 400_000;
    const u = new Float64Array(n);
    rng.fillUniform(u);
    let min = 1;
    let max = 0;
    for (const x of u) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    const m = moments(u);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(3 * Math.sqrt(1 / 12 / n));
    // Var of (U − ½)² is 1/180
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(3 * Math.sqrt(1 / 180 / n));
    for (let i = 0; i < 1000; i++) {
      const d = rng.nextDouble();
      expect(d >= 0 && d < 1).toBe(true);
    }
  });

  it('fills equiprobable bins uniformly (chi-square within 3 SD of its mean)', () => {
    const n = 256_000;
    const bins = 256;
    const u = new Float64Array(n);
    createRng(5).fillUniform(u);
    const count = new Float64Array(bins);
    for (const x of u) count[Math.floor(x * bins)]++;
    const e = n / bins;
    let chi2 = 0;
    for (const c of count) chi2 += (c - e) ** 2 / e;
    expect(Math.abs(chi2 - (bins - 1))).toBeLessThan(3 * Math.sqrt(2 * (bins - 1)));
  });
});

describe('ziggurat normals', () => {
  const n = 1_000_000;
  const z = new Float64Array(n);
  createRng(20261125).fillNormal(z);

  it('match the first four moments of N(0, 1) within 3 standard errors', () => {
    const m = moments(z);
    expect(Math.abs(m.mean)).toBeLessThan(3 / Math.sqrt(n));
    expect(Math.abs(m.variance - 1)).toBeLessThan(3 * Math.sqrt(2 / n));
    expect(Math.abs(m.skew)).toBeLessThan(3 * Math.sqrt(6 / n));
    expect(Math.abs(m.kurtosis - 3)).toBeLessThan(3 * Math.sqrt(24 / n));
  });

  it('have the normal shape: chi-square over 200 equiprobable bins within 3 SD', () => {
    const bins = 200;
    const count = new Float64Array(bins);
    for (const x of z) count[Math.min(bins - 1, Math.floor(normCdf(x) * bins))]++;
    const e = n / bins;
    let chi2 = 0;
    for (const c of count) chi2 += (c - e) ** 2 / e;
    expect(Math.abs(chi2 - (bins - 1))).toBeLessThan(3 * Math.sqrt(2 * (bins - 1)));
  });

  it('reach the tail beyond R with probability 2Φ(−R) and both signs equally (3 SE)', () => {
    let tail = 0;
    let neg = 0;
    for (const x of z) {
      if (Math.abs(x) > ZIG_R) tail++;
      if (x < 0) neg++;
    }
    const p = 2 * normCdf(-ZIG_R);
    expect(Math.abs(tail / n - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / n));
    expect(Math.abs(neg / n - 0.5)).toBeLessThan(3 * Math.sqrt(0.25 / n));
  });

  it('give the same numbers whether drawn in one call or in pieces', () => {
    const a = new Float64Array(1000);
    createRng(3).fillNormal(a);
    const rng = createRng(3);
    const b1 = new Float64Array(300);
    const b2 = new Float64Array(700);
    rng.fillNormal(b1);
    rng.fillNormal(b2);
    expect(Array.from(b1).concat(Array.from(b2))).toEqual(Array.from(a));
  });
});
