/**
 * The live dashboard: one page served by `hedgekit live --api` next to its API (same origin). It
 * reads the ledger once per connection (orders, fills, escalation history so far), then folds every
 * streamed state into the model (model.ts) and redraws at most once per animation frame; a 1 s
 * ticker keeps the ages and the reconnection countdown current.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { connectStream, type LinkStatus, streamUrl } from './connection.ts';
import { when } from './format.ts';
import { applyHistory, applyState, emptyModel, markConnected } from './model.ts';
import { AlertsPanel, HealthPanel, OrdersPanel } from './panels/activity.tsx';
import { Controls } from './panels/controls.tsx';
import { HeatmapPanel } from './panels/heatmap.tsx';
import { LevelBadge, LevelHistory } from './panels/level.tsx';
import { PlanPanel } from './panels/plan.tsx';
import { AttributionPanel, LadderPanel } from './panels/risk.tsx';
import { ValuePanel } from './panels/value.tsx';
import type { StoredEvent } from './types.ts';

function linkText(l: LinkStatus): string {
  if (l.kind === 'live') return 'live';
  if (l.kind === 'connecting')
    return l.attempt === 0 ? 'connecting' : `connecting (attempt ${l.attempt + 1})`;
  const s = Math.max(0, Math.ceil((l.retryAt - Date.now()) / 1000));
  return `disconnected: retry ${l.attempt} in ${s} s`;
}

async function ledgerRows(path: string): Promise<StoredEvent[]> {
  const res = await fetch(path);
  if (!res.ok) return [];
  return ((await res.json()) as { events: StoredEvent[] }).events;
}

export function App() {
  const model = useRef(emptyModel());
  const [version, setVersion] = useState(0);
  const [link, setLink] = useState<LinkStatus>({ kind: 'connecting', attempt: 0 });
  const [lastAt, setLastAt] = useState(0);
  const [, setTick] = useState(0);

  useEffect(() => {
    let frame = 0;
    const redraw = () => {
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    };
    const ticker = setInterval(() => setTick((t) => t + 1), 1000);
    const stream = connectStream(streamUrl(window.location), {
      onState: (s) => {
        applyState(model.current, s);
        setLastAt(Date.now());
        redraw();
      },
      onStatus: setLink,
      onConnected: () => {
        markConnected(model.current);
        Promise.all([
          ledgerRows('/api/history?type=order&limit=1000'),
          ledgerRows('/api/history?type=fill&limit=1000'),
          ledgerRows('/api/audit?limit=1000'),
        ])
          .then((parts) => {
            applyHistory(model.current, parts.flat());
            redraw();
          })
          .catch(() => undefined); // the stream still runs; the lists fill from it
      },
    });
    return () => {
      stream.close();
      clearInterval(ticker);
      cancelAnimationFrame(frame);
    };
  }, []);

  const m = model.current;
  const s = m.state;
  return (
    <div class="page">
      <header>
        <h1>hedgekit live</h1>
        <span class="run" data-testid="run">
          {s?.run ?? ''}
        </span>
        <span class="date" data-testid="date">
          {s?.date ?? (s ? when(s.ts) : '')}
        </span>
        <LevelBadge level={s?.level} testId="level" />
        <span class={`link link-${link.kind}`}>{linkText(link)}</span>
      </header>
      <main data-version={version}>
        <ValuePanel s={s} series={m.series} version={version} />
        <LevelHistory transitions={m.transitions} />
        <Controls />
        <PlanPanel s={s} />
        <HeatmapPanel risk={s?.risk} />
        <AttributionPanel s={s} />
        <LadderPanel risk={s?.risk} />
        <AlertsPanel m={m} />
        <OrdersPanel m={m} />
        <HealthPanel m={m} now={lastAt} link={linkText(link)} />
      </main>
    </div>
  );
}
