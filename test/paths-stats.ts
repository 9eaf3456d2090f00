/**
 * Small statistics helpers for the Monte-Carlo tests of the path models (test-only).
 */

/** Sample mean and its standard error. */
export function meanSe(x: ArrayLike<number>): { mean: number; se: number; sd: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  return { mean, se: sd / Math.sqrt(n), sd };
}

/** Sample correlation of x and y. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = meanSe(x).mean;
  const my = meanSe(y).mean;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Asserts |estimate − expected| ≤ k·se, printing every input on failure. */
export function expectWithinSe(
  label: string,
  estimate: number,
  se: number,
  expected: number,
  inputs: Record<string, unknown> = {},
  k = 3,
): void {
  if (!(Math.abs(estimate - expected) <= k * se)) {
    throw new Error(
      `${label}: estimate ${estimate} vs expected ${expected}, |diff| = ${Math.abs(estimate - expected)} > ${k}·SE (SE ${se}); inputs ${JSON.stringify(inputs)}`,
    );
  }
}
