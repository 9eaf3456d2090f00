/**
 * A small Redis client for BullMQ (its `IRedisClient` interface): one TCP connection speaking
 * RESP2, commands pipelined in order, Lua scripts loaded once per connection and run by EVALSHA,
 * replies in the shapes ioredis gives (BullMQ's reference driver). BullMQ 6 made its drivers
 * optional peers; none (ioredis, node-redis) is installed in this project, so this adapter stands
 * in — replace it by `createIORedisClient(new IORedis(...))` once ioredis is a dependency
 * (docs/scale-out.md). It implements exactly what BullMQ's interface declares, nothing more.
 *
 * Connection life: status `wait` → `connecting` → `ready`; an unexpected loss rejects the commands
 * in flight with "Connection is closed." (BullMQ's connection-error message) and reconnects after
 * `retryDelayMs`, unless `retry` is false; `disconnect()` / `quit()` end it (`end`).
 *
 * References: Redis serialization protocol RESP2 (https://redis.io/docs/reference/protocol-spec/);
 * BullMQ `IRedisClient` (bullmq/dist/esm/interfaces/redis-client.d.ts).
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';

/** Connection settings. */
export interface RespOptions {
  readonly host: string;
  readonly port: number;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly db?: number | undefined;
  /** Give up a connection attempt after this long, ms (default 3000). */
  readonly connectTimeout?: number | undefined;
  /** Reconnect after an unexpected loss (default true). */
  readonly retry?: boolean | undefined;
  /** Delay before a reconnection, ms (default 500). */
  readonly retryDelayMs?: number | undefined;
  /** CLIENT SETNAME on every connection. */
  readonly connectionName?: string | undefined;
  /** BullMQ reads these from `options` (null: no per-request retry limit). */
  readonly maxRetriesPerRequest?: null | undefined;
}

/** A reply error from the server (`-ERR …`). */
export class RedisReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

const CLOSED = 'Connection is closed.';
type Arg = string | number | Buffer;
type Reply = string | number | null | Error | Reply[];
interface Pending {
  resolve(r: Reply): void;
  reject(e: Error): void;
}

/** Encodes one command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * Parses one reply at `pos`; returns it and the position after it, or undefined if the buffer
 * does not hold a whole reply yet. Errors inside arrays (EXEC) are Error values.
 */
export function parseReply(buf: Buffer, pos: number): { value: Reply; next: number } | undefined {
  if (pos >= buf.length) return undefined;
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString('utf8', pos + 1, eol);
  switch (type) {
    case '+':
      return { value: line, next: eol + 2 };
    case '-':
      return { value: new RedisReplyError(line), next: eol + 2 };
    case ':':
      return { value: Number(line), next: eol + 2 };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2 };
      if (buf.length < eol + 2 + n + 2) return undefined;
      return { value: buf.toString('utf8', eol + 2, eol + 2 + n), next: eol + 2 + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2 };
      const out: Reply[] = [];
      let at = eol + 2;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, at);
        if (!r) return undefined;
        out.push(r.value);
        at = r.next;
      }
      return { value: out, next: at };
    }
    default:
      throw new RedisReplyError(`unexpected reply type ${JSON.stringify(type)} from the server`);
  }
}

interface Script {
  readonly sha: string;
  readonly lua: string;
  readonly keys: number;
}

/**
 * Script arguments flattened as ioredis flattens them: BullMQ passes either a list or one array,
 * and nested arrays are spread in place.
 */
function scriptArgs(args: unknown[]): Arg[] {
  const out: Arg[] = [];
  const add = (x: unknown) => {
    if (Array.isArray(x)) for (const y of x) add(y);
    else if (Buffer.isBuffer(x) || typeof x === 'string' || typeof x === 'number') out.push(x);
    else if (x instanceof Uint8Array) out.push(Buffer.from(x.buffer, x.byteOffset, x.byteLength));
    else out.push(x === undefined || x === null ? '' : String(x));
  };
  add(args);
  return out;
}

/** A queued command of a pipeline or transaction. */
type Queued = { args: Arg[]; script?: Script; map?: (r: Reply) => unknown };

/** Pipeline (`multi: false`) or MULTI/EXEC transaction over a {@link RespClient}. */
class RespBatch {
  private readonly cmds: Queued[] = [];
  constructor(
    private readonly client: RespClient,
    private readonly multi: boolean,
  ) {}
  private add(args: Arg[], map?: (r: Reply) => unknown): this {
    this.cmds.push(map ? { args, map } : { args });
    return this;
  }
  hgetall(key: string): this {
    return this.add(['HGETALL', key], toObject);
  }
  hset(key: string, data: Record<string, string | number>): this {
    return this.add(['HSET', key, ...Object.entries(data).flat()]);
  }
  hscan(key: string, cursor: string | number, options?: { COUNT?: number }): this {
    return this.add(['HSCAN', key, cursor, ...(options?.COUNT ? ['COUNT', options.COUNT] : [])]);
  }
  smembers(key: string): this {
    return this.add(['SMEMBERS', key]);
  }
  sscan(key: string, cursor: string | number, options?: { COUNT?: number }): this {
    return this.add(['SSCAN', key, cursor, ...(options?.COUNT ? ['COUNT', options.COUNT] : [])]);
  }
  zrange(key: string, start: number, end: number): this {
    return this.add(['ZRANGE', key, start, end]);
  }
  lrange(key: string, start: number, end: number): this {
    return this.add(['LRANGE', key, start, end]);
  }
  llen(key: string): this {
    return this.add(['LLEN', key]);
  }
  del(...keys: string[]): this {
    return this.add(['DEL', ...keys]);
  }
  runCommand(name: string, args: unknown[]): this {
    const script = this.client.script(name);
    this.cmds.push({ args: ['EVALSHA', script.sha, script.keys, ...scriptArgs(args)], script });
    return this;
  }
  async exec(): Promise<[Error | null, unknown][] | null> {
    await this.client.loadScripts(this.cmds.flatMap((c) => (c.script ? [c.script] : [])));
    if (!this.multi) {
      const replies = await Promise.all(
        this.cmds.map((c) =>
          this.client.raw(c.args).then(
            (r) => [null, c.map ? c.map(r) : r] as [Error | null, unknown],
            (e: Error) => [e, null] as [Error | null, unknown],
          ),
        ),
      );
      return replies;
    }
    const all: Promise<Reply>[] = [this.client.raw(['MULTI'])];
    for (const c of this.cmds) all.push(this.client.raw(c.args));
    all.push(this.client.raw(['EXEC']));
    const settled = await Promise.allSettled(all);
    const exec = settled[settled.length - 1];
    if (exec.status === 'rejected') throw exec.reason;
    const out = exec.value;
    if (out === null) return null;
    return (out as Reply[]).map((r, i) => {
      const c = this.cmds[i];
      return r instanceof Error ? [r, null] : [null, c.map ? c.map(r) : r];
    });
  }
}

function toObject(r: Reply): Record<string, string> {
  const out: Record<string, string> = {};
  const a = (r ?? []) as string[];
  for (let i = 0; i + 1 < a.length; i += 2) out[a[i]] = a[i + 1];
  return out;
}

/** The client. Create one per connection; `duplicate()` opens another with the same settings. */
export class RespClient extends EventEmitter {
  status = 'wait';
  readonly isCluster = false;
  options: Record<string, unknown>;
  private readonly opts: RespOptions;
  private socket: Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private readonly offline: { args: Arg[]; p: Pending }[] = [];
  private readonly scripts = new Map<string, Script>();
  private loaded = new Set<string>();
  private connecting: Promise<void> | undefined;
  private ending = false;

  constructor(opts: RespOptions) {
    super();
    this.opts = opts;
    this.options = { ...opts, maxRetriesPerRequest: null };
  }

  /** Opens the connection (AUTH, SELECT, CLIENT SETNAME as configured). */
  connect(): Promise<void> {
    if (this.status === 'ready') return Promise.resolve();
    if (this.connecting) return this.connecting;
    this.ending = false;
    this.status = 'connecting';
    this.connecting = new Promise<void>((resolve, reject) => {
      const sock = connect({ host: this.opts.host, port: this.opts.port });
      sock.setNoDelay(true);
      this.socket = sock;
      this.buffer = Buffer.alloc(0);
      this.loaded = new Set();
      const timer = setTimeout(() => {
        sock.destroy(new Error(`connect ETIMEDOUT ${this.opts.host}:${this.opts.port}`));
      }, this.opts.connectTimeout ?? 3000);
      let opened = false;
      sock.on('data', (d) => this.onData(d));
      sock.on('error', (e) => {
        if (opened) this.emit('error', e);
        else {
          clearTimeout(timer);
          this.connecting = undefined;
          this.status = 'end';
          reject(e);
        }
      });
      sock.on('close', () => this.onClose(sock));
      sock.once('connect', () => {
        opened = true;
        clearTimeout(timer);
        this.status = 'connect';
        this.emit('connect');
        const hello: Promise<Reply>[] = [];
        if (this.opts.password)
          hello.push(
            this.send(
              this.opts.username
                ? ['AUTH', this.opts.username, this.opts.password]
                : ['AUTH', this.opts.password],
            ),
          );
        if (this.opts.db) hello.push(this.send(['SELECT', this.opts.db]));
        if (this.opts.connectionName) hello.push(this.send(['CLIENT', 'SETNAME', this.opts.connectionName]));
        Promise.all(hello).then(
          () => {
            this.connecting = undefined;
            this.status = 'ready';
            for (const o of this.offline.splice(0)) this.write(o.args, o.p);
            this.emit('ready');
            resolve();
          },
          (e: Error) => {
            this.connecting = undefined;
            sock.destroy();
            reject(e);
          },
        );
      });
    });
    return this.connecting;
  }

  private onData(d: Buffer): void {
    this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
    let pos = 0;
    for (;;) {
      const r = parseReply(this.buffer, pos);
      if (!r) break;
      pos = r.next;
      const p = this.pending.shift();
      if (!p) continue;
      if (r.value instanceof Error) p.reject(r.value);
      else p.resolve(r.value);
    }
    this.buffer = pos === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(pos);
  }

  private onClose(sock: Socket): void {
    if (sock !== this.socket) return;
    this.socket = undefined;
    const closed = new Error(CLOSED);
    for (const p of this.pending.splice(0)) p.reject(closed);
    const wasReady = this.status === 'ready';
    this.emit('close');
    if (this.ending || this.opts.retry === false || !wasReady) {
      this.status = 'end';
      for (const o of this.offline.splice(0)) o.p.reject(closed);
      this.emit('end');
      return;
    }
    this.status = 'reconnecting';
    this.emit('reconnecting');
    setTimeout(() => {
      if (this.ending) return;
      this.connect().catch(() => this.onClose(sock));
    }, this.opts.retryDelayMs ?? 500).unref();
  }

  private write(args: Arg[], p: Pending): void {
    if (!this.socket) {
      p.reject(new Error(CLOSED));
      return;
    }
    this.pending.push(p);
    this.socket.write(encodeCommand(args));
  }

  /** Sends a command now (during the handshake too). */
  private send(args: Arg[]): Promise<Reply> {
    return new Promise((resolve, reject) => this.write(args, { resolve, reject }));
  }

  /** Sends a command once ready (queued while connecting; refused once ended). */
  raw(args: Arg[]): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const p = { resolve, reject };
      if (this.status === 'ready') this.write(args, p);
      else if (this.status === 'end' || this.ending) reject(new Error(CLOSED));
      else {
        this.offline.push({ args, p });
        if (this.status === 'wait') this.connect().catch(reject);
      }
    });
  }

  disconnect(reconnect = false): void {
    // Synchronous teardown: the commands in flight fail now (never answered by a later socket).
    const s = this.socket;
    this.socket = undefined;
    this.connecting = undefined;
    const closed = new Error(CLOSED);
    for (const p of this.pending.splice(0)) p.reject(closed);
    this.buffer = Buffer.alloc(0);
    s?.destroy();
    this.emit('close');
    if (reconnect) {
      this.ending = false;
      this.status = 'reconnecting';
      this.emit('reconnecting');
      void this.connect().catch((e: Error) => this.emit('error', e));
      return;
    }
    this.ending = true;
    this.status = 'end';
    for (const o of this.offline.splice(0)) o.p.reject(closed);
    this.emit('end');
  }

  async quit(): Promise<string> {
    this.ending = true;
    if (!this.socket) {
      this.status = 'end';
      return 'OK';
    }
    const sock = this.socket;
    const ended = new Promise<void>((r) => sock.once('close', () => r()));
    const r = await this.raw(['QUIT']).catch(() => 'OK');
    sock.end();
    await ended;
    return String(r);
  }

  duplicate(overrides: Partial<RespOptions> = {}): RespClient {
    return new RespClient({ ...this.opts, ...overrides });
  }

  // ---- scripts ----------------------------------------------------------------------------------

  defineCommand(name: string, def: { numberOfKeys: number; lua: string }): void {
    const sha = createHash('sha1').update(def.lua).digest('hex');
    this.scripts.set(name, { sha, lua: def.lua, keys: def.numberOfKeys });
    // ioredis exposes defined commands as properties; BullMQ checks for them before defining.
    (this as unknown as Record<string, unknown>)[name] = true;
  }

  /** A defined script. @throws Error for an unknown name */
  script(name: string): Script {
    const s = this.scripts.get(name);
    if (!s) throw new Error(`unknown script command ${name}`);
    return s;
  }

  /** SCRIPT LOAD of the scripts this connection has not loaded yet. */
  async loadScripts(scripts: readonly Script[]): Promise<void> {
    for (const s of scripts) {
      if (this.loaded.has(s.sha)) continue;
      await this.raw(['SCRIPT', 'LOAD', s.lua]);
      this.loaded.add(s.sha);
    }
  }

  async runCommand(name: string, args: unknown[]): Promise<unknown> {
    const s = this.script(name);
    await this.loadScripts([s]);
    try {
      return await this.raw(['EVALSHA', s.sha, s.keys, ...scriptArgs(args)]);
    } catch (e) {
      if (!(e instanceof RedisReplyError && e.message.startsWith('NOSCRIPT'))) throw e;
      this.loaded.delete(s.sha);
      return this.raw(['EVAL', s.lua, s.keys, ...scriptArgs(args)]);
    }
  }

  multi(): RespBatch {
    return new RespBatch(this, true);
  }

  pipeline(): RespBatch {
    return new RespBatch(this, false);
  }

  // ---- commands (ioredis reply shapes) -----------------------------------------------------------

  async hgetall(key: string): Promise<Record<string, string>> {
    return toObject(await this.raw(['HGETALL', key]));
  }
  async hget(key: string, field: string): Promise<string | null> {
    return (await this.raw(['HGET', key, field])) as string | null;
  }
  async hmget(key: string, ...fields: string[]): Promise<(string | null)[]> {
    return (await this.raw(['HMGET', key, ...fields])) as (string | null)[];
  }
  async hset(key: string, data: Record<string, string | number>): Promise<number> {
    return (await this.raw(['HSET', key, ...Object.entries(data).flat()])) as number;
  }
  async hdel(key: string, ...fields: string[]): Promise<number> {
    return (await this.raw(['HDEL', key, ...fields])) as number;
  }
  async hexists(key: string, field: string): Promise<number> {
    return (await this.raw(['HEXISTS', key, field])) as number;
  }
  async get(key: string): Promise<string | null> {
    return (await this.raw(['GET', key])) as string | null;
  }
  async set(
    key: string,
    value: string | number,
    options?: { PX?: number; EX?: number },
  ): Promise<string | null> {
    const extra: Arg[] =
      options?.PX !== undefined ? ['PX', options.PX] : options?.EX !== undefined ? ['EX', options.EX] : [];
    return (await this.raw(['SET', key, value, ...extra])) as string | null;
  }
  async del(...keys: string[]): Promise<number> {
    return (await this.raw(['DEL', ...keys])) as number;
  }
  async zrange(
    key: string,
    start: number,
    end: number,
    options?: { WITHSCORES?: boolean },
  ): Promise<string[]> {
    return (await this.raw([
      'ZRANGE',
      key,
      start,
      end,
      ...(options?.WITHSCORES ? ['WITHSCORES'] : []),
    ])) as string[];
  }
  async zrevrange(
    key: string,
    start: number,
    end: number,
    options?: { WITHSCORES?: boolean },
  ): Promise<string[]> {
    return (await this.raw([
      'ZREVRANGE',
      key,
      start,
      end,
      ...(options?.WITHSCORES ? ['WITHSCORES'] : []),
    ])) as string[];
  }
  async zcard(key: string): Promise<number> {
    return (await this.raw(['ZCARD', key])) as number;
  }
  async zscore(key: string, member: string): Promise<string | null> {
    return (await this.raw(['ZSCORE', key, member])) as string | null;
  }
  async lrange(key: string, start: number, end: number): Promise<string[]> {
    return (await this.raw(['LRANGE', key, start, end])) as string[];
  }
  async llen(key: string): Promise<number> {
    return (await this.raw(['LLEN', key])) as number;
  }
  async ltrim(key: string, start: number, end: number): Promise<string> {
    return (await this.raw(['LTRIM', key, start, end])) as string;
  }
  async lpos(key: string, value: string): Promise<number | null> {
    return (await this.raw(['LPOS', key, value])) as number | null;
  }
  async smembers(key: string): Promise<string[]> {
    return (await this.raw(['SMEMBERS', key])) as string[];
  }
  async xadd(
    key: string,
    id: string,
    fields: Record<string, string | number>,
    options?: { MAXLEN?: number; approximate?: boolean },
  ): Promise<string> {
    const trim: Arg[] =
      options?.MAXLEN !== undefined ? ['MAXLEN', ...(options.approximate ? ['~'] : []), options.MAXLEN] : [];
    return (await this.raw(['XADD', key, ...trim, id, ...Object.entries(fields).flat()])) as string;
  }
  async xread(
    streams: { key: string; id: string }[],
    options?: { BLOCK?: number; COUNT?: number },
  ): Promise<unknown> {
    const args: Arg[] = ['XREAD'];
    if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
    if (options?.BLOCK !== undefined) args.push('BLOCK', options.BLOCK);
    args.push('STREAMS', ...streams.map((s) => s.key), ...streams.map((s) => s.id));
    return this.raw(args);
  }
  async xtrim(
    key: string,
    strategy: 'MAXLEN',
    threshold: number,
    options?: { approximate?: boolean },
  ): Promise<number> {
    return (await this.raw([
      'XTRIM',
      key,
      strategy,
      ...(options?.approximate ? ['~'] : []),
      threshold,
    ])) as number;
  }
  async bzpopmin(key: string, timeout: number): Promise<[string, string, string] | null> {
    return (await this.raw(['BZPOPMIN', key, timeout])) as [string, string, string] | null;
  }
  async info(): Promise<string> {
    return (await this.raw(['INFO'])) as string;
  }
  async clientSetName(name: string): Promise<unknown> {
    return this.raw(['CLIENT', 'SETNAME', name]);
  }
  async clientList(): Promise<string> {
    return (await this.raw(['CLIENT', 'LIST'])) as string;
  }
  async clientInfo(): Promise<string> {
    return (await this.raw(['CLIENT', 'INFO'])) as string;
  }
  async scan(
    cursor: string | number,
    options: { MATCH?: string; COUNT?: number },
  ): Promise<[string, string[]]> {
    const args: Arg[] = ['SCAN', cursor];
    if (options.MATCH) args.push('MATCH', options.MATCH);
    if (options.COUNT) args.push('COUNT', options.COUNT);
    return (await this.raw(args)) as [string, string[]];
  }
  /** SCAN as a stream of key batches (one array per SCAN reply, as ioredis emits them). */
  scanStream(options: { match: string; count?: number }): Readable {
    let cursor = '0';
    let first = true;
    const scan = (c: string) => this.scan(c, { MATCH: options.match, COUNT: options.count ?? 100 });
    return new Readable({
      objectMode: true,
      read() {
        if (!first && cursor === '0') {
          this.push(null);
          return;
        }
        first = false;
        scan(cursor).then(
          ([next, keys]) => {
            cursor = next;
            this.push(keys);
          },
          (e: Error) => this.destroy(e),
        );
      },
    });
  }
}
