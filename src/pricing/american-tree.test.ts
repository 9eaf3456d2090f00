import { describe, expect, it } from 'vitest';
import { aloPut } from './american-alo.ts';
import { americanTree } from './american-tree.ts';
import { bsmPrice } from './black-scholes.ts';

describe('americanTree (Leisen–Reimer)', () => {
  it('forces an odd step count (n and n + 1 give the same tree when n is even)', () => {
    const a = americanTree(false, 95, 100, 1, 0.05, 0.01, 0.3, 200, false);
    const b = americanTree(false, 95, 100, 1, 0.05, 0.01, 0.3, 201, false);
    expect(a).toEqual(b);
  });

  it('reproduces the European price to O(1/n²) when early exercise is never optimal', () => {
    // Call on a non-dividend stock: the tree's early-exercise check never binds.
    const euro = bsmPrice('call', 100, 110, 2, 0.05, 0, 0.2);
    expect(Math.abs(americanTree(true, 100, 110, 2, 0.05, 0, 0.2, 1001, false).price - euro)).toBeLessThan(
      1e-5,
    );
  });

  it('Richardson extrapolation over (n, 2n + 1) beats the plain 2n + 1 tree against ALO', () => {
    const ref = aloPut(100, 110, 2, 0.07, 0.03, 0.2).price;
    const plain = Math.abs(americanTree(false, 100, 110, 2, 0.07, 0.03, 0.2, 2003, false).price - ref);
    const extra = Math.abs(americanTree(false, 100, 110, 2, 0.07, 0.03, 0.2, 1001, true).price - ref);
    expect(extra).toBeLessThan(plain / 4);
    expect(extra / ref).toBeLessThan(2e-5);
  });

  it('gives delta and gamma close to the ALO engine', () => {
    const ref = aloPut(100, 100, 1, 0.05, 0.02, 0.25);
    const t = americanTree(false, 100, 100, 1, 0.05, 0.02, 0.25);
    expect(Math.abs(t.delta - ref.delta)).toBeLessThan(1e-5);
    expect(Math.abs(t.gamma - ref.gamma)).toBeLessThan(1e-5);
    expect(Math.abs(t.theta - ref.theta)).toBeLessThan(1e-3);
  });
});
