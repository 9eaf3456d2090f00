/** Small multiples: a grid of panels (one per strategy) in one ECharts option. */

export interface Panel {
  readonly left: string;
  readonly top: number;
  readonly width: string;
  readonly height: number;
}

/** Panel rectangles for `n` panels in `cols` columns (pixel rows of `rowHeight`, `titleH` above each). */
export function panels(n: number, cols: number, rowHeight: number, titleH = 22, top = 36): Panel[] {
  const out: Panel[] = [];
  const w = 100 / cols;
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    out.push({
      left: `${(c * w + 5.5).toFixed(2)}%`,
      top: top + r * (rowHeight + titleH) + titleH,
      width: `${(w - 8).toFixed(2)}%`,
      height: rowHeight - 36,
    });
  }
  return out;
}

/** Total height of `n` panels in `cols` columns. */
export function panelsHeight(n: number, cols: number, rowHeight: number, titleH = 22, top = 36): number {
  return top + Math.ceil(n / cols) * (rowHeight + titleH) + 8;
}
