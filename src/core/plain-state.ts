/**
 * Snapshots of objects whose state is plain data (numbers, strings, booleans, typed arrays, plain
 * arrays and objects of those): the engine's snapshot / restore of strategy states, metrics
 * accumulators and vol inputs. Functions and class instances other than typed arrays are skipped
 * (they are configuration, rebuilt identically from the same inputs).
 */

function isPlain(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint') return true;
  if (ArrayBuffer.isView(v)) return true;
  if (Array.isArray(v)) return v.every(isPlain);
  if (t === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.values(v as object).every(isPlain);
  return false;
}

/** Deep copy of every plain-data own field of `obj` (structured clone). */
export function snapshotFields(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (isPlain(v)) out[k] = structuredClone(v);
  return out;
}

/**
 * Writes fields saved by `snapshotFields` back into `obj`: typed arrays are copied into the
 * existing arrays when the lengths agree (so views others hold stay valid), everything else is
 * assigned a fresh clone.
 */
export function restoreFields(obj: object, saved: Record<string, unknown>): void {
  const target = obj as Record<string, unknown>;
  for (const [k, v] of Object.entries(saved)) {
    const cur = target[k];
    if (
      ArrayBuffer.isView(cur) &&
      ArrayBuffer.isView(v) &&
      (cur as Float64Array).length === (v as Float64Array).length
    )
      (cur as Float64Array).set(v as Float64Array);
    else target[k] = structuredClone(v);
  }
}

/**
 * Deep copy of a plain-data value (a strategy's state): typed arrays, arrays and plain objects.
 * @throws TypeError if the value holds a function or a class instance (state must be plain data)
 */
export function clonePlain<T>(value: T): T {
  if (!isPlain(value))
    throw new TypeError('strategy state must be plain data (typed arrays, numbers, arrays, objects)');
  return structuredClone(value);
}
