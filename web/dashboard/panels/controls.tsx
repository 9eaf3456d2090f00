/**
 * Operator actions: acknowledge, halt, re-arm (POST /api/acknowledge | halt | rearm). The bearer
 * token is typed by the operator and kept in this component's memory only: never in the page's
 * markup, the URL or browser storage. The server's answer — accepted with the new level, or refused
 * with its status and message — is shown under the buttons.
 */
import { useState } from 'preact/hooks';

type Action = 'acknowledge' | 'halt' | 'rearm';
const LABEL: Record<Action, string> = { acknowledge: 'Acknowledge', halt: 'Halt', rearm: 'Re-arm' };

interface Result {
  readonly ok: boolean;
  readonly text: string;
}

export function Controls() {
  const [token, setToken] = useState('');
  const [actor, setActor] = useState('dashboard');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | undefined>(undefined);

  const send = async (action: Action) => {
    setBusy(true);
    try {
      const body: Record<string, string> = { actor: actor.trim() };
      if (note.trim() !== '') body.note = note.trim();
      const res = await fetch(`/api/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.trim()}` },
        body: JSON.stringify(body),
      });
      const answer = (await res.json().catch(() => ({}))) as { level?: string; error?: string };
      setResult(
        res.ok
          ? { ok: true, text: `${LABEL[action]}: accepted, level ${answer.level ?? '?'}` }
          : {
              ok: false,
              text: `${LABEL[action]}: refused (${res.status}) ${answer.error ?? res.statusText}`,
            },
      );
    } catch (e) {
      setResult({ ok: false, text: `${LABEL[action]}: not sent (${(e as Error).message})` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" data-testid="controls">
      <h2>Operator</h2>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <label>
          bearer token
          <input
            type="password"
            autocomplete="off"
            data-testid="token"
            value={token}
            onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          actor
          <input
            data-testid="actor"
            value={actor}
            onInput={(e) => setActor((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          note
          <input
            data-testid="note"
            value={note}
            onInput={(e) => setNote((e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="buttons">
          {(Object.keys(LABEL) as Action[]).map((a) => (
            <button type="button" key={a} data-testid={`do-${a}`} disabled={busy} onClick={() => send(a)}>
              {LABEL[a]}
            </button>
          ))}
        </div>
      </form>
      {result ? (
        <p class={result.ok ? 'accepted' : 'refused'} data-testid="action-result" data-ok={String(result.ok)}>
          {result.text}
        </p>
      ) : null}
    </section>
  );
}
