/**
 * JSON that keeps NaN and ±Infinity (undefined statistics are NaN: docs/metrics.md): they travel
 * as `{"$f": "NaN"}` and come back as numbers. Used for the stored run and sweep results.
 */

/** `JSON.stringify` replacer: non-finite numbers as `{ $f: "NaN" | "Infinity" | "-Infinity" }`. */
export function finiteReplacer(_k: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? { $f: String(v) } : v;
}

/** `JSON.parse` reviver undoing {@link finiteReplacer}. */
export function finiteReviver(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const f = (v as { $f?: unknown }).$f;
    if (typeof f === 'string' && Object.keys(v).length === 1) return Number(f);
  }
  return v;
}
