import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadLiveConfig } from '../live/config.ts';
import { VirtualClock } from '../live/feed/feed.ts';
import { replayEvents } from '../live/feed/replay-feed.ts';
import { type LiveSession, openLive } from '../live/run-live.ts';
import { buildLiveApi } from './live-api.ts';
import { startLiveServer } from './live-server.ts';
import { bearerMatches, loadOrCreateToken } from './token.ts';

const cwd = process.cwd();
const TOKEN = 'test-token-0123456789abcdef';
let dir: string;
let file: string;
let session: LiveSession;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hk-api-'));
  file = join(dir, 'live.yaml');
  writeFileSync(
    file,
    `name: api-test
scenario: ${join(cwd, 'src/live/fixtures/scenario-2008.yaml')}
trade: cppi m=4
feed: { kind: replay, file: ${join(cwd, 'data/sp500.csv')}, columns: { SPX: close }, from: 2008-09-02, to: 2008-10-31 }
store: ${join(dir, 'ledger.sqlite')}
escalation: {}
api: { port: 0, bodyLimit: 512 }
`,
  );
  session = await openLive(loadLiveConfig(file), { clock: new VirtualClock(0) });
  const events = replayEvents({
    file: join(cwd, 'data/sp500.csv'),
    instruments: { SPX: 'close' },
    from: '2008-09-02',
    to: '2008-09-12',
  });
  for (const e of events) await session.monitor.process(e);
  app = await buildLiveApi(session.monitor, session.ledger, { token: TOKEN, bodyLimit: 512 });
});

afterAll(async () => {
  await app?.close();
  session?.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };
const post = (url: string, payload: unknown, headers: Record<string, string> = auth) =>
  app.inject({ method: 'POST', url, payload: payload as string, headers });

describe('live API: reads', () => {
  it('serves health, the state with the book analytics, the history and the audit log', async () => {
    const h = await app.inject('/api/health');
    expect(h.json()).toMatchObject({ ok: true, run: 'api-test', level: session.monitor.level });
    const s = (await app.inject('/api/state')).json();
    expect(s.date).toBe('2008-09-12');
    expect(s.book.units.SPX).toBeGreaterThan(0);
    expect(s.floor.floor).toBe(80);
    expect(s.risk.ladder.pnl.length).toBe(8);
    const hist = (await app.inject('/api/history?type=order&limit=3')).json();
    expect(hist.events.length).toBe(3);
    expect(hist.events.every((e: { type: string }) => e.type === 'order')).toBe(true);
    const next = (await app.inject(`/api/history?type=order&after=${hist.events[2].rowid}&limit=1`)).json();
    expect(next.events[0].rowid).toBeGreaterThan(hist.events[2].rowid);
  });

  it('rejects a bad query with 400 naming the field', async () => {
    const r = await app.inject('/api/history?limit=0');
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^query\.limit: /);
    const t = await app.inject('/api/history?type=secret');
    expect(t.statusCode).toBe(400);
    expect(t.json().error).toMatch(/^query\.type: /);
    expect((await app.inject('/api/nope')).statusCode).toBe(404);
  });

  it('streams the state over a WebSocket, the current one first', async () => {
    const live = await buildLiveApi(session.monitor, session.ledger, { token: TOKEN, bodyLimit: 512 });
    await live.listen({ host: '127.0.0.1', port: 0 });
    const { port } = live.server.address() as AddressInfo;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/stream`);
    const messages: string[] = [];
    const got = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (messages.length >= n ? resolve() : setTimeout(check, 5));
        check();
      });
    ws.on('message', (d) => messages.push(String(d)));
    try {
      await got(1);
      expect(JSON.parse(messages[0]).run).toBe('api-test');
      session.monitor.manual({ kind: 'acknowledge', actor: 'stream-test' });
      await got(2);
      expect(JSON.parse(messages[1]).seq).toBe(session.monitor.lastSeq);
    } finally {
      ws.terminate();
      await live.close();
    }
  });
});

describe('live API: operator actions', () => {
  it('needs a bearer token: missing or wrong is 401 and changes nothing', async () => {
    const before = session.ledger.counts().manual ?? 0;
    const none = await post('/api/halt', { actor: 'ops' }, {});
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toBe('missing Authorization: Bearer <token> header');
    const wrong = await post('/api/halt', { actor: 'ops' }, { authorization: 'Bearer nope' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('invalid bearer token');
    const basic = await post('/api/halt', { actor: 'ops' }, { authorization: `Basic ${TOKEN}` });
    expect(basic.statusCode).toBe(401);
    expect(session.ledger.counts().manual ?? 0).toBe(before);
    expect(session.monitor.level).not.toBe('HALTED');
  });

  it('rejects malformed, invalid and oversize bodies with a clear 4xx', async () => {
    const before = session.ledger.counts().manual ?? 0;
    const bad = await app.inject({
      method: 'POST',
      url: '/api/halt',
      payload: '{"actor":',
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/JSON/i);
    const level = await post('/api/override', { actor: 'ops', level: 'PANIC' });
    expect(level.statusCode).toBe(400);
    expect(level.json().error).toMatch(/^body\.level: .*\(got "PANIC"\)/);
    const extra = await post('/api/halt', { actor: 'ops', sql: 'DROP TABLE events' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error).toMatch(/^body: /);
    const noActor = await post('/api/rearm', {});
    expect(noActor.statusCode).toBe(400);
    expect(noActor.json().error).toMatch(/^body\.actor: /);
    const big = await post('/api/acknowledge', { actor: 'ops', note: 'x'.repeat(2000) });
    expect(big.statusCode).toBe(413);
    const text = await app.inject({
      method: 'POST',
      url: '/api/halt',
      payload: 'halt',
      headers: { ...auth, 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    expect(session.ledger.counts().manual ?? 0).toBe(before);
  });

  it('halts, overrides and re-arms, each recorded in the ledger and the audit log', async () => {
    const halt = await post('/api/halt', { actor: 'ops', note: 'drill' });
    expect(halt.statusCode).toBe(200);
    expect(halt.json()).toMatchObject({ level: 'HALTED' });
    const ov = await post('/api/override', { actor: 'ops', level: 'WATCH' });
    expect(ov.statusCode).toBe(409); // HALTED is left only by a re-arm
    expect(ov.json()).toEqual({
      error: expect.stringMatching(/cannot leave HALTED by override; use rearm/),
      level: 'HALTED',
    });
    const rearm = await post('/api/rearm', { actor: 'ops' });
    expect(rearm.json().level).not.toBe('HALTED');
    const audit = (await app.inject('/api/audit?limit=1000')).json().events as {
      type: string;
      payload: { kind?: string; actor?: unknown };
    }[];
    const manual = audit.filter((e) => e.type === 'manual').map((e) => e.payload.kind);
    expect(manual.slice(-2)).toEqual(['halt', 'rearm']);
    expect(
      audit.some((e) => e.type === 'transition' && JSON.stringify(e.payload.actor) === '{"manual":"ops"}'),
    ).toBe(true);
  });
});

describe('API token and binding', () => {
  it('creates the token file with mode 0600 once, then reads it back', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'hk-tok-')), 'api.token');
    const t = loadOrCreateToken(f);
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(loadOrCreateToken(f)).toBe(t);
    chmodSync(f, 0o644);
    expect(() => loadOrCreateToken(f)).toThrow(/accessible to other users \(mode 644\)/);
  });

  it('compares bearer tokens exactly', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN.slice(1)}`, TOKEN)).toBe(false);
    expect(bearerMatches(TOKEN, TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
  });

  it('binds 127.0.0.1 by default and answers over HTTP', async () => {
    const server = await startLiveServer(session, loadLiveConfig(file));
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(statSync(server.tokenFile).mode & 0o777).toBe(0o600);
      const r = await fetch(`${server.url}/api/health`);
      expect(((await r.json()) as { ok: boolean }).ok).toBe(true);
    } finally {
      await server.close();
    }
  });
});
