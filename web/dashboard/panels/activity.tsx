/** Orders, fills, alerts and feed health. */
import { num, qty, when } from '../format.ts';
import type { Model } from '../model.ts';
import type { DashAlert } from '../types.ts';
import { LevelBadge } from './level.tsx';

/** Rows shown per list (the model keeps more). */
const SHOW = 15;

export function OrdersPanel({ m }: { m: Model }) {
  return (
    <section class="panel span2" data-testid="orders">
      <h2>
        Orders <span class="count">{m.orders.length}</span> and fills{' '}
        <span class="count">{m.fills.length}</span>
      </h2>
      <table>
        <thead>
          <tr>
            <th>feed time</th>
            <th>side</th>
            <th class="r">qty</th>
            <th>instrument</th>
            <th class="r">price</th>
            <th>level</th>
            <th>filled</th>
          </tr>
        </thead>
        <tbody>
          {m.orders
            .slice(-SHOW)
            .reverse()
            .map((o) => {
              const f = m.fills.find((x) => x.orderId === o.id);
              return (
                <tr key={o.id}>
                  <td>{when(o.ts)}</td>
                  <td class={o.side}>{o.side}</td>
                  <td class="r">{qty(Math.abs(o.qty))}</td>
                  <td>{o.instrument}</td>
                  <td class="r">{num(o.price, 4)}</td>
                  <td>
                    <LevelBadge level={o.level} />
                  </td>
                  <td>{f ? `${qty(Math.abs(f.qty))} @ ${num(f.price, 4)} (${when(f.ts)})` : 'open'}</td>
                </tr>
              );
            })}
        </tbody>
      </table>
      {m.orders.length === 0 ? <p class="muted">No order yet.</p> : null}
    </section>
  );
}

function alertText(a: DashAlert): string {
  if (a.kind === 'transition')
    return `${a.transition.from} → ${a.transition.to} (${a.transition.driver}): ${a.transition.reason}`;
  return `${a.problem.kind}${a.problem.instrument ? ` ${a.problem.instrument}` : ''}: ${a.problem.detail}`;
}

export function AlertsPanel({ m }: { m: Model }) {
  return (
    <section class="panel" data-testid="alerts">
      <h2>
        Alerts <span class="count">{m.alerts.length}</span>
      </h2>
      {m.alerts.length === 0 ? <p class="muted">No alert.</p> : null}
      <ul class="alerts">
        {m.alerts
          .slice(-SHOW)
          .reverse()
          .map((a) => (
            <li
              key={alertText(a) + (a.kind === 'health' ? a.problem.seq : a.transition.timeMs)}
              class={a.kind}
            >
              <span class="when">{when(a.kind === 'health' ? a.problem.ts : a.transition.timeMs)}</span>{' '}
              {alertText(a)}
            </li>
          ))}
      </ul>
    </section>
  );
}

export function HealthPanel({ m, now, link }: { m: Model; now: number; link: string }) {
  const s = m.state;
  const kinds = Object.entries(m.health);
  return (
    <section class="panel" data-testid="feed-health">
      <h2>Feed health</h2>
      <table>
        <tbody>
          <tr>
            <th>stream</th>
            <td data-testid="link">{link}</td>
          </tr>
          <tr>
            <th>last sequence number</th>
            <td data-testid="seq">{s ? s.seq : '–'}</td>
          </tr>
          <tr>
            <th>feed time</th>
            <td>{s ? when(s.ts) : '–'}</td>
          </tr>
          <tr>
            <th>engine step</th>
            <td data-testid="step">{s ? s.step : '–'}</td>
          </tr>
          <tr>
            <th>updates received</th>
            <td data-testid="messages">{m.messages}</td>
          </tr>
          <tr>
            <th>last update</th>
            <td data-testid="age">
              {now > 0 ? `${Math.max(0, Math.round((Date.now() - now) / 1000))} s ago` : '–'}
            </td>
          </tr>
          <tr>
            <th>findings</th>
            <td data-testid="findings">
              {kinds.length === 0 ? 'none' : kinds.map(([k, n]) => `${k} ${n}`).join(', ')}
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
