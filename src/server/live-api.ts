/**
 * The live monitor's HTTP API (fastify) with a WebSocket stream of state updates
 * (@fastify/websocket). docs/live.md lists the endpoints with examples.
 *
 * - `GET  /api/health`                       liveness, run name, level
 * - `GET  /api/state`                        the latest state (book, Greeks, ladder, floor, level, …)
 * - `GET  /api/history?type=&after=&limit=`  ledger events (market, order, fill, transition, …)
 * - `GET  /api/audit?after=&limit=`          escalation transitions and manual actions
 * - `GET  /api/stream` (WebSocket)           the state now, then every update
 * - `POST /api/acknowledge | /api/override | /api/halt | /api/rearm`  operator actions
 * - `GET  /` the live dashboard (dashboard.ts)
 *
 * Security: every POST needs `Authorization: Bearer <token>` (token.ts; 401 otherwise); bodies are
 * JSON validated with zod (400 naming the field and rule); bodies over `bodyLimit` bytes get 413;
 * the server binds 127.0.0.1 unless told otherwise. Every error is `{ "error": "…" }`. A client
 * can only append validated manual actions to the ledger, through the monitor.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
// The server sees the library through src/api.ts only (docs/architecture.md). api.ts re-exports
// this server, so the values imported here are read inside functions, never while modules load.
import {
  DomainError,
  LEVELS,
  type LedgerEventType,
  type LedgerStore,
  type LiveMonitor,
  type ManualAction,
} from '../api.ts';
import { registerDashboard } from './dashboard.ts';
import { bearerMatches } from './token.ts';

/** The request schemas (built on first use: see the import note). */
function schemas() {
  const Actor = z
    .string()
    .trim()
    .min(1, { error: 'must be a non-empty string' })
    .max(64, { error: 'must be at most 64 characters' });
  const Note = z.string().max(500, { error: 'must be at most 500 characters' }).optional();
  const TYPES = ['market', 'order', 'fill', 'settlement', 'transition', 'manual', 'health'] as const;
  const int = (min: number, max: number) =>
    z.coerce.number().int({ error: 'must be an integer' }).min(min).max(max);
  const HistoryQuery = z.strictObject({
    type: z.enum(TYPES).optional(),
    after: int(0, Number.MAX_SAFE_INTEGER).default(0),
    limit: int(1, 1000).default(100),
  });
  return {
    Acknowledge: z.strictObject({ actor: Actor, note: Note }),
    Override: z.strictObject({ actor: Actor, level: z.enum(LEVELS), note: Note }),
    Halt: z.strictObject({ actor: Actor, note: Note }),
    Rearm: z.strictObject({ actor: Actor, note: Note }),
    HistoryQuery,
    AuditQuery: HistoryQuery.omit({ type: true }),
  };
}

/** `path: rule (got x)` for the first issue of a failed parse. */
function issueText(where: string, error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = [where, ...i.path.map(String)].filter((p) => p !== '').join('.');
      const input = (i as { input?: unknown }).input;
      const got =
        input === undefined || i.code === 'unrecognized_keys' ? '' : ` (got ${JSON.stringify(input)})`;
      return `${path}: ${i.message}${got}`;
    })
    .join('; ');
}

export interface LiveApiOptions {
  readonly token: string;
  /** Largest accepted request body, bytes. */
  readonly bodyLimit: number;
}

/** Builds the app (not listening: `listen` it, or `inject` requests in tests). */
export async function buildLiveApi(
  monitor: LiveMonitor,
  ledger: LedgerStore,
  opts: LiveApiOptions,
): Promise<FastifyInstance> {
  const S = schemas();
  // fastify is loaded when a server starts, not with the library (every command would pay for it).
  const [{ default: Fastify }, { default: websocket }] = await Promise.all([
    import('fastify'),
    import('@fastify/websocket'),
  ]);
  const app = Fastify({ bodyLimit: opts.bodyLimit, logger: false });
  await app.register(websocket, { options: { maxPayload: 1024 } });
  app.removeContentTypeParser('text/plain'); // JSON only: anything else is 415
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    reply.code(status).send({ error: status === 500 ? 'internal error' : err.message });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` });
  });

  const authorized = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (bearerMatches(req.headers.authorization, opts.token)) return true;
    reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({
        error:
          req.headers.authorization === undefined
            ? 'missing Authorization: Bearer <token> header'
            : 'invalid bearer token',
      });
    return false;
  };

  const action = <S extends z.ZodType>(
    path: string,
    schema: S,
    toAction: (b: z.output<S>) => ManualAction,
  ) => {
    app.post(path, async (req, reply) => {
      if (!authorized(req, reply)) return reply;
      const r = schema.safeParse(req.body ?? {}, { reportInput: true });
      if (!r.success) return reply.code(400).send({ error: issueText('body', r.error) });
      try {
        const transitions = monitor.manual(toAction(r.data));
        return { level: monitor.level, transitions };
      } catch (e) {
        // the protocol refused the action in this state (e.g. an override out of HALTED)
        if (e instanceof DomainError) return reply.code(409).send({ error: e.message, level: monitor.level });
        throw e;
      }
    });
  };
  action('/api/acknowledge', S.Acknowledge, (b) => ({ kind: 'acknowledge', actor: b.actor }));
  action('/api/override', S.Override, (b) => ({ kind: 'override', level: b.level, actor: b.actor }));
  action('/api/halt', S.Halt, (b) => ({ kind: 'halt', actor: b.actor }));
  action('/api/rearm', S.Rearm, (b) => ({ kind: 'rearm', actor: b.actor }));

  app.get('/api/health', async () => ({
    ok: true,
    run: monitor.opts.run,
    level: monitor.level,
    seq: monitor.lastSeq,
  }));
  app.get('/api/state', async () => monitor.state());
  app.get('/api/history', async (req, reply) => {
    const q = S.HistoryQuery.safeParse(req.query, { reportInput: true });
    if (!q.success) return reply.code(400).send({ error: issueText('query', q.error) });
    const types: LedgerEventType[] = q.data.type ? [q.data.type] : [];
    return { events: ledger.events({ after: q.data.after, types, limit: q.data.limit }) };
  });
  app.get('/api/audit', async (req, reply) => {
    const q = S.AuditQuery.safeParse(req.query, { reportInput: true });
    if (!q.success) return reply.code(400).send({ error: issueText('query', q.error) });
    return {
      events: ledger.events({ after: q.data.after, types: ['transition', 'manual'], limit: q.data.limit }),
    };
  });
  app.get('/api/stream', { websocket: true }, (socket) => {
    const send = (s: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(s));
    };
    send(monitor.state());
    const off = monitor.subscribe(send);
    socket.on('close', off);
    socket.on('message', () => socket.close(1008, 'the stream is read-only'));
  });
  registerDashboard(app);
  return app;
}
