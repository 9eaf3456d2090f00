/**
 * The last guard between a pricing kernel and the outside world: a result with a NaN or ±Infinity
 * in it is an error naming the field, never output. Inputs inside the stated bounds
 * (src/core/bounds.ts) should not get here; if a kernel still loses precision, the row fails with
 * code `non-finite` while the other rows of a file go on.
 */
import { HedgekitError } from '../core/errors.ts';

/** A kernel produced NaN or ±Infinity for inputs that passed validation. */
export class NonFiniteResultError extends HedgekitError {
  readonly field: string;
  constructor(field: string, value: number) {
    super(
      'non-finite',
      `${field} came out ${Number.isNaN(value) ? 'NaN' : value > 0 ? '+Infinity' : '-Infinity'}: the inputs are beyond what the pricer resolves in double precision`,
    );
    this.field = field;
  }
}

/**
 * Returns `values` unchanged when every numeric field is finite.
 * @throws NonFiniteResultError naming the first field that is not
 * @example requireFiniteFields({ price: 1, delta: 0.5 }) // returns { price: 1, delta: 0.5 }
 */
export function requireFiniteFields<T extends object>(values: T): T {
  // for…in rather than Object.entries: no array per call (this runs once per priced file row).
  for (const k in values) {
    const v = (values as Record<string, unknown>)[k];
    if (typeof v === 'number' && !Number.isFinite(v)) throw new NonFiniteResultError(k, v);
  }
  return values;
}
