/**
 * The Greeks heat map: net cash Δ, cash Γ (per 1 % spot move) or ν by asset (rows) × expiry bucket
 * (columns; `spot` holds the assets themselves), as the monitor measures them every `risk.every`
 * steps (src/live/greeks-heatmap.ts). A selector switches the Greek; cells are shaded blue for
 * long, red for short, by size against the grid's largest |value|, with the number in the cell and
 * a title naming asset, bucket, Greek and unit. The last column is the row's total (the asset's
 * cash Δ, cash Γ or vega), the last row the book's.
 */
import { useState } from 'preact/hooks';
import { heat, maxAbs, num } from '../format.ts';
import type { DashRisk } from '../types.ts';
import { Empty } from './risk.tsx';

type Greek = 'cashDelta' | 'cashGamma' | 'vega';

const GREEKS: readonly { key: Greek; label: string; title: string }[] = [
  { key: 'cashDelta', label: 'Δ', title: 'cash Δ: Δ·S, currency' },
  { key: 'cashGamma', label: 'Γ', title: 'cash Γ: Γ·S²/100, currency per 1 % spot move' },
  { key: 'vega', label: 'ν', title: 'vega, currency per 1.00 vol' },
];

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

export function HeatmapPanel({ risk }: { risk: DashRisk | undefined }) {
  const [greek, setGreek] = useState<Greek>('cashDelta');
  if (!risk) return <Empty title="Greeks by asset × expiry bucket" why="not measured yet" id="greeks" />;
  const h = risk.heatmap;
  const g = GREEKS.find((x) => x.key === greek) ?? GREEKS[0];
  const grid = h[greek];
  const m = maxAbs(grid.flat());
  const book = h.columns.map((_, c) => sum(grid.map((row) => row[c])));
  return (
    <section class="panel span2" data-testid="greeks">
      <h2>Greeks by asset × expiry bucket</h2>
      <fieldset class="selector" aria-label="Greek shown">
        {GREEKS.map((x) => (
          <button
            type="button"
            key={x.key}
            aria-pressed={x.key === greek}
            class={x.key === greek ? 'on' : ''}
            title={x.title}
            data-testid={`heat-${x.key}`}
            onClick={() => setGreek(x.key)}
          >
            {x.label}
          </button>
        ))}
        <span class="muted">{g.title}</span>
      </fieldset>
      <table class="grid heatmap" data-testid="heatmap" data-greek={greek}>
        <caption class="muted">
          {g.title}, by asset (rows) and time to expiry (columns; spot = the assets held)
        </caption>
        <thead>
          <tr>
            <th scope="col">asset</th>
            {h.columns.map((c) => (
              <th class="r" scope="col" key={c}>
                {c}
              </th>
            ))}
            <th class="r" scope="col">
              total
            </th>
          </tr>
        </thead>
        <tbody>
          {h.assets.map((a, i) => (
            <tr key={a}>
              <th scope="row">{a}</th>
              {grid[i].map((x, c) => (
                <td
                  class="r heat"
                  key={h.columns[c]}
                  data-testid="heat-cell"
                  data-value={String(x)}
                  title={`${a} · ${h.columns[c]} · ${g.title}: ${num(x)}`}
                  style={{ background: heat(x, m) }}
                >
                  {num(x)}
                </td>
              ))}
              <td class="r" data-testid="heat-row-total" title={`${a} · all expiries · ${g.title}`}>
                {num(sum(grid[i]))}
              </td>
            </tr>
          ))}
          <tr class="total">
            <th scope="row">book</th>
            {book.map((x, c) => (
              <td class="r" key={h.columns[c]} title={`book · ${h.columns[c]} · ${g.title}`}>
                {num(x)}
              </td>
            ))}
            <td class="r">{num(sum(book))}</td>
          </tr>
        </tbody>
      </table>
      <p class="muted">
        gross exposure Σ|cash Δ| {num(risk.gross)} · cash Δ {num(risk.cashDelta)} · cash Γ{' '}
        {num(risk.cashGamma)} · vega {num(risk.vega)}
      </p>
    </section>
  );
}
