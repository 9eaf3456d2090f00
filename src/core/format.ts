/** Display formatting shared by labels, reports and the CLI (no I/O). */

/** Options of {@link percentLabel}. */
export interface PercentLabelOptions {
  /** Decimals kept after rounding, trailing zeros dropped (default 1). */
  readonly decimals?: number;
  /** Put a space before the sign, `70 %` (reports, prose), instead of `70%` (names, default). */
  readonly space?: boolean;
}

/**
 * A fraction as a short percent label for display names: round(x·10^(d+2))/10^d, printed in the
 * shortest form, then `%`.
 * @param x - a fraction, e.g. 0.9 for 90 %.
 * @example
 * percentLabel(0.8); // returns '80%'
 * percentLabel(0.925); // returns '92.5%'
 * percentLabel(0.9125, { decimals: 2 }); // returns '91.25%'
 * percentLabel(0.6, { space: true }); // returns '60 %'
 */
export function percentLabel(x: number, opts: PercentLabelOptions = {}): string {
  const d = opts.decimals ?? 1;
  // 10 ** k is exact for these k, so d = 1 is exactly Math.round(x * 1000) / 10.
  const v = Math.round(x * 10 ** (d + 2)) / 10 ** d;
  return `${v}${opts.space ? ' %' : '%'}`;
}

/**
 * A fraction as a percent value with fixed decimals, for table cells and messages: (100·x) to
 * `digits` decimals, then ` %`; not finite → `n/a`.
 * @param x - a fraction, e.g. 0.0123 for 1.23 %.
 * @param digits - decimals, integer in [0, 100] (default 2).
 * @example
 * percentValue(0.0123); // returns '1.23 %'
 * percentValue(Number.NaN); // returns 'n/a'
 */
export function percentValue(x: number, digits = 2): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : 'n/a';
}
