/**
 * Text reports that fit the terminal: how wide a rendered block is, which table columns to keep
 * when it is too wide, and word wrapping for prose lines. Widths count code points (the reports use
 * no wide East Asian characters; box-drawing and Greek letters are one column each).
 */

/** Columns of the widest line of `text`. */
export function blockWidth(text: string): number {
  let w = 0;
  for (const line of text.split('\n')) w = Math.max(w, [...line].length);
  return w;
}

/**
 * Wraps one line at word boundaries to `width` columns; continuation lines get `indent` (default:
 * the line's own leading blanks plus two). Words longer than the width stay whole.
 * @example wrapLine('  aa bb cc', 7) // ['  aa bb', '    cc']
 */
export function wrapLine(line: string, width: number, indent?: string): string[] {
  if ([...line].length <= width) return [line];
  const lead = /^\s*/.exec(line)?.[0] ?? '';
  const cont = indent ?? `${lead}  `;
  const words = line.slice(lead.length).split(' ');
  const out: string[] = [];
  let cur = lead;
  let curLen = lead.length;
  let empty = true;
  for (const w of words) {
    const wl = [...w].length;
    if (!empty && curLen + 1 + wl > width) {
      out.push(cur);
      cur = cont + w;
      curLen = cont.length + wl;
    } else {
      cur += empty ? w : ` ${w}`;
      curLen += (empty ? 0 : 1) + wl;
    }
    empty = false;
  }
  out.push(cur);
  return out;
}

/**
 * The columns to keep so that `render(kept)` fits `width`: drops columns in `dropOrder` (names of
 * droppable columns, first dropped first) until the rendering fits or nothing droppable is left.
 * @returns the kept column names, in their original order, and the dropped ones
 */
export function fitColumns(
  all: readonly string[],
  dropOrder: readonly string[],
  width: number,
  render: (kept: readonly string[]) => string,
): { kept: string[]; dropped: string[] } {
  let kept = [...all];
  const dropped: string[] = [];
  for (const d of dropOrder) {
    if (blockWidth(render(kept)) <= width) break;
    if (!kept.includes(d)) continue;
    kept = kept.filter((c) => c !== d);
    dropped.push(d);
  }
  return { kept, dropped };
}
