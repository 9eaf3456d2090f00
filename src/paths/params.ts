/** Validation of the per-asset parameter vectors shared by the path models. */
import { DomainError } from '../core/errors.ts';

/**
 * Copies a per-asset vector into a Float64Array after checking its length (nA) and each entry
 * with `check(name[a], value)`, which throws a DomainError naming the entry (e.g. `vols[1]`).
 */
export function perAssetVector(
  name: string,
  values: readonly number[],
  nA: number,
  check: (param: string, value: number) => void,
): Float64Array {
  if (values.length !== nA) throw new DomainError(`${name}.length`, values.length, `must be ${nA}`);
  const out = new Float64Array(nA);
  for (let a = 0; a < nA; a++) {
    check(`${name}[${a}]`, values[a]);
    out[a] = values[a];
  }
  return out;
}
