/**
 * `hedgekit feed <file>`: a simulated market for demos and tests — serves a history CSV (replayed
 * as bars and EWMA vols) or a JSON Lines file of events over a WebSocket on the loopback
 * interface; every client gets the whole stream from the start at the chosen speed.
 */
import type { Command } from 'commander';
import { startFeedServer } from '../../api.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';

function columns(list: string[] | undefined): Record<string, string> | undefined {
  if (!list || list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const m = /^([^=]+)=(.+)$/.exec(item);
    if (!m) throw new CliError(`--column: must be INSTRUMENT=COLUMN (got ${JSON.stringify(item)})`);
    out[m[1]] = m[2];
  }
  return out;
}

export function registerFeed(program: Command, io: CliIo): void {
  program
    .command('feed')
    .description('serve a history CSV or a JSON Lines file as a market feed over a loopback WebSocket')
    .argument('<file>', 'history CSV (date + one column per series) or .jsonl events')
    .option('--port <n>', 'port (0 = any free port)', '9000')
    .option('--host <h>', 'interface to bind', '127.0.0.1')
    .option('--speed <x>', "replay speed: 1 = real time, N = N× faster, 'max' = no waiting", 'max')
    .option(
      '--column <instrument=column...>',
      'instrument name for a CSV column (repeatable; default every column)',
    )
    .option('--from <date>', 'first date (ISO)')
    .option('--to <date>', 'last date (ISO)')
    .option('--clients <n>', 'exit after serving this many clients (default: run until interrupted)')
    .addHelpText(
      'after',
      `
Examples:
  hedgekit feed data/sp500.csv --column SPX=close --from 2008-09-02 --to 2008-10-31 --speed 86400
  hedgekit feed examples/live-crash.csv --port 9001 --clients 1`,
    )
    .action(
      async (
        file: string,
        o: {
          port: string;
          host: string;
          speed: string;
          column?: string[];
          from?: string;
          to?: string;
          clients?: string;
        },
      ) => {
        const port = Number(o.port);
        if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
          throw new CliError(`--port: must be an integer in [0, 65535] (got ${JSON.stringify(o.port)})`);
        const speed = o.speed === 'max' ? 'max' : Number(o.speed);
        if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0))
          throw new CliError(`--speed: must be a number > 0 or 'max' (got ${JSON.stringify(o.speed)})`);
        const clients = o.clients === undefined ? undefined : Number(o.clients);
        if (clients !== undefined && !(Number.isInteger(clients) && clients >= 1))
          throw new CliError(`--clients: must be an integer >= 1 (got ${JSON.stringify(o.clients)})`);
        const cols = columns(o.column);
        let served = 0;
        let done: () => void = () => {};
        const finished = new Promise<void>((resolve) => {
          done = resolve;
        });
        const server = await startFeedServer({
          file,
          ...(cols ? { instruments: cols } : {}),
          from: o.from,
          to: o.to,
          port,
          host: o.host,
          speed,
          onClientDone: () => {
            served++;
            if (clients !== undefined && served >= clients) done();
          },
        });
        io.stderr(`hedgekit feed: ${server.events} events of ${file} on ${server.url}\n`);
        await finished;
        await server.close();
      },
    );
}
