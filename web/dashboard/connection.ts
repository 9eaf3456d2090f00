/**
 * The WebSocket stream of state updates (`GET /api/stream`, same origin), reconnecting with
 * exponential backoff (model.ts `backoffDelay`) whenever the connection drops or cannot be made —
 * e.g. while the server restarts. The attempt counter resets once a message arrives.
 */
import { backoffDelay } from './model.ts';
import type { DashState } from './types.ts';

export type LinkStatus =
  | { readonly kind: 'connecting'; readonly attempt: number }
  | { readonly kind: 'live' }
  | { readonly kind: 'waiting'; readonly attempt: number; readonly retryAt: number };

export interface StreamHandlers {
  onState(s: DashState): void;
  onStatus(s: LinkStatus): void;
  /** Called on every (re)connection before the first state: time to re-read the ledger. */
  onConnected(): void;
}

/** The stream URL of the page's origin. */
export function streamUrl(loc: Location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/api/stream`;
}

export function connectStream(url: string, h: StreamHandlers): { close(): void } {
  let attempt = 0;
  let ws: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const open = () => {
    h.onStatus({ kind: 'connecting', attempt });
    ws = new WebSocket(url);
    let got = false;
    ws.onopen = () => h.onConnected();
    ws.onmessage = (ev) => {
      if (!got) {
        got = true;
        attempt = 0;
        h.onStatus({ kind: 'live' });
      }
      h.onState(JSON.parse(String(ev.data)) as DashState);
    };
    // `error` is always followed by `close`: one place schedules the retry
    ws.onclose = () => {
      ws = undefined;
      if (closed) return;
      const delay = backoffDelay(attempt);
      h.onStatus({ kind: 'waiting', attempt: attempt + 1, retryAt: Date.now() + delay });
      attempt += 1;
      timer = setTimeout(open, delay);
    };
  };
  open();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      ws?.close();
    },
  };
}
