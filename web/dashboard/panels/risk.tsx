/**
 * The book's risk as the monitor measures it every `risk.every` steps by full revaluation
 * (src/live/analytics.ts): the spot × vol P&L ladder and the P&L attribution since the open (the
 * Greeks heat map is heatmap.tsx).
 */
import { heat, maxAbs, num, pct } from '../format.ts';
import type { DashRisk, DashState } from '../types.ts';

export function LadderPanel({ risk }: { risk: DashRisk | undefined }) {
  const l = risk?.ladder;
  if (!l) return <Empty title="P&L ladder (spot × vol)" why="not measured yet" id="ladder" />;
  const m = maxAbs(l.pnl.flat());
  return (
    <section class="panel span2" data-testid="ladder">
      <h2>P&L ladder (spot × vol)</h2>
      <table class="grid">
        <thead>
          <tr>
            <th>spot \ vol</th>
            {l.volShocks.map((v) => (
              <th class="r" key={v}>
                {v > 0 ? '+' : ''}
                {v} pts
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {l.spotShocks.map((sp, i) => (
            <tr key={sp}>
              <th>{pct(sp, 0)}</th>
              {l.pnl[i].map((x, j) => (
                <td class="r heat" key={l.volShocks[j]} style={{ background: heat(x, m) }}>
                  {num(x)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        P&L of the positions (cash excluded, worth {num(l.baseValue)} now) under each shock, by full
        revaluation.
      </p>
    </section>
  );
}

export function AttributionPanel({ s }: { s: DashState | undefined }) {
  const a = s?.attribution;
  if (!a) return <Empty title="P&L attribution since the open" why="not tracked" id="attribution" />;
  const rows = Object.entries(a);
  const m = maxAbs(rows.filter(([k]) => k !== 'total').map(([, v]) => v));
  return (
    <section class="panel" data-testid="attribution">
      <h2>P&L attribution since the open</h2>
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k} class={k === 'total' ? 'total' : ''}>
              <th>{k}</th>
              <td class="r">{num(v)}</td>
              <td class="bar-cell">
                {k !== 'total' && m > 0 ? (
                  <span
                    class={v < 0 ? 'bar neg' : 'bar pos'}
                    style={{ width: `${(Math.min(1, Math.abs(v) / m) * 100).toFixed(1)}%` }}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Empty({ title, why, id }: { title: string; why: string; id: string }) {
  return (
    <section class="panel" data-testid={id}>
      <h2>{title}</h2>
      <p class="muted">{why}</p>
    </section>
  );
}
