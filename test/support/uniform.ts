/**
 * Plain uniform test data from a seed: xorshift32 (G. Marsaglia, "Xorshift RNGs", J. Stat. Softw. 8(14),
 * 2003). For tests that need many ordinary values — fast-check's doubles lean to edge values (0,
 * subnormals, extremes), which hide rounding differences.
 *
 * @example
 * const u = uniforms(7); u(); // a number in [0, 1), the same sequence for seed 7 every time
 */
export function uniforms(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
