/**
 * `hedgekit live <config>`: runs a protected book live — a feed drives the back-test engine one
 * step at a time, orders go to the paper broker, everything is recorded in the SQLite ledger (a
 * restart with the same config resumes where the ledger ends). Prints one line per step and a
 * summary; with `--api` it also serves the HTTP/WebSocket API while it runs.
 */
import type { Command } from 'commander';
import { type LiveState, loadLiveConfig, openLive, startLiveServer } from '../../api.ts';
import { fmt } from '../format.ts';
import type { CliIo } from '../io.ts';

const num = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));

/** One printed line per step: date, level, value, floor distance, cushion (and in 1/m units), orders. */
export function stepLine(s: LiveState): string {
  const f = s.floor;
  const orders = s.orders
    .map((o) => `${o.side} ${fmt(Math.abs(o.qty))} ${o.instrument} @ ${fmt(o.price)}`)
    .join(', ');
  const alerts = s.alerts
    .map((a) =>
      a.kind === 'transition'
        ? `${a.transition.from}→${a.transition.to} (${a.transition.driver})`
        : `${a.problem.kind} (${a.problem.detail})`,
    )
    .join(', ');
  return [
    (s.date ?? '').padEnd(10),
    s.level.padEnd(7),
    `value ${num(s.book?.value)}`,
    `floor ${num(f?.floor)}`,
    `cushion ${num(f ? f.cushion * 100 : undefined, 1)}% = ${num(f?.cushionUnits)}×(1/m)`,
    orders ? `orders: ${orders}` : '',
    alerts ? `alerts: ${alerts}` : '',
  ]
    .filter((x) => x !== '')
    .join('  ');
}

export function registerLive(program: Command, io: CliIo): void {
  program
    .command('live')
    .description(
      'run a protected book live: feed → the back-test engine → paper broker, with a crash-safe ledger',
    )
    .argument('<config>', 'live config file, YAML (see docs/live.md; examples/live-2008.yaml)')
    .option('--api', 'serve the HTTP/WebSocket API while running (host, port and token file from the config)')
    .option(
      '--feed <url>',
      "read the market from this WebSocket (e.g. `hedgekit feed`'s) instead of the config's feed",
    )
    .option('--quiet', 'print only the summary')
    .addHelpText(
      'after',
      `
Examples:
  hedgekit live examples/live-2008.yaml
  hedgekit feed data/sp500.csv --column SPX=close --from 2008-09-02 --to 2008-10-31 --speed 86400 &
  hedgekit live examples/live-2008.yaml --feed ws://127.0.0.1:9000 --api`,
    )
    .action(async (file: string, opts: { api?: boolean; quiet?: boolean; feed?: string }) => {
      const loaded = loadLiveConfig(file);
      let last: string | undefined;
      const session = await openLive(loaded, {
        stdin: io.stdin,
        ...(opts.feed !== undefined ? { feedUrl: opts.feed } : {}),
        onState: (s) => {
          if (!opts.quiet && s.step >= 0 && (s.orders.length > 0 || s.alerts.length > 0 || s.date !== last)) {
            last = s.date;
            io.stdout(stepLine(s));
          }
        },
      });
      let server: Awaited<ReturnType<typeof startLiveServer>> | undefined;
      try {
        server = opts.api ? await startLiveServer(session, loaded) : undefined;
        if (server)
          io.stderr(
            `hedgekit live: API on ${server.url}, dashboard ${server.url}/ (bearer token in ${server.tokenFile})\n`,
          );
        const sum = await session.run();
        io.stdout(
          `${sum.run}: ${sum.steps + 1} steps, level ${sum.level}, value ${num(sum.value)}, floor ${num(sum.floor)}; ` +
            `ledger ${sum.store}: ${Object.entries(sum.counts)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ')}`,
        );
      } finally {
        await server?.close();
        session.close();
      }
    });
}
