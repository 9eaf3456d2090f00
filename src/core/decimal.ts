/**
 * Strict decimal numbers from text (CLI flags, CSV cells): `12`, `-0.5`, `.25`, `1e-3`, `1_000`
 * is not one. JavaScript's `Number()` also reads `0x64` (100), `0b11`, `0o7`, `Infinity` and the
 * empty string (0), which an input file or flag must never mean silently.
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The number `text` spells in decimal notation (surrounding blanks ignored), else `undefined`.
 * @example parseDecimal('1e-3') // 0.001
 * @example parseDecimal('0x64') // undefined
 */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : undefined;
}
