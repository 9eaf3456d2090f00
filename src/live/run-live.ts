/**
 * `hedgekit live`: a validated live config → feed, ledger, paper broker, escalation protocol and
 * the monitor around the engine stepper; then the feed is driven to its end (or until closed).
 */

import { Readable } from 'node:stream';
import { loadScenario, resolveIn } from '../config/scenario-load.ts';
import { DomainError, ValidationError } from '../core/errors.ts';
import { type BuiltScenario, buildScenario } from '../scenario/build.ts';
import type { LoadedLiveConfig } from './config.ts';
import { createEscalation } from './escalation/protocol.ts';
import type { Level } from './escalation/types.ts';
import type { FeedEvent } from './feed/event.ts';
import { type Clock, type Feed, systemClock } from './feed/feed.ts';
import { jsonlFeed, jsonlFileFeed } from './feed/jsonl-feed.ts';
import { replayFeed } from './feed/replay-feed.ts';
import { wsFeed } from './feed/ws-feed.ts';
import { LedgerStore } from './ledger-store.ts';
import { type Listener, LiveMonitor } from './monitor.ts';
import { PaperBroker } from './paper-broker.ts';

export interface LiveOptions {
  /** Pacing and staleness clock (default the system clock). */
  readonly clock?: Clock;
  /**
   * Standard input, for a `jsonl` feed on '-': an async iterable of chunks (process.stdin is one),
   * a plain type so that the shipped declarations need no Node typings.
   */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  /** Replaces the configured feed (tests, benchmarks). */
  readonly feed?: Feed;
  /** Reads the feed from this WebSocket URL instead of the configured feed (`hedgekit live --feed`). */
  readonly feedUrl?: string;
  /** Keep value paths and trade lists of every run in memory. */
  readonly keepHistory?: boolean;
  /** Called with every state update. */
  readonly onState?: Listener;
}

/** An opened live session: everything built, the monitor recovered, the feed not yet driven. */
export interface LiveSession {
  readonly monitor: LiveMonitor;
  readonly ledger: LedgerStore;
  readonly broker: PaperBroker;
  readonly feed: Feed;
  readonly built: BuiltScenario;
  /** Drives the feed to its end, then `finish`es the monitor. */
  run(): Promise<LiveSummary>;
  close(): void;
}

export interface LiveSummary {
  readonly run: string;
  readonly steps: number;
  readonly lastSeq: number;
  readonly level: Level;
  readonly value: number;
  readonly floor: number | undefined;
  readonly counts: Readonly<Record<string, number>>;
  readonly store: string;
}

function builtOf(loaded: LoadedLiveConfig): BuiltScenario {
  const sc = loaded.config.scenario;
  if (typeof sc === 'string') {
    const ls = loadScenario(resolveIn(loaded.dir, sc));
    return buildScenario(ls.scenario, ls.dir);
  }
  return buildScenario(sc, loaded.dir);
}

/**
 * Builds a live session from a loaded config (a restart when its ledger already has events).
 * @throws ValidationError naming the config field for an unknown strategy, asset or index
 */
export async function openLive(loaded: LoadedLiveConfig, opts: LiveOptions = {}): Promise<LiveSession> {
  const cfg = loaded.config;
  const built = builtOf(loaded);
  const names = built.strategyNames;
  let trade =
    cfg.trade !== undefined ? names.indexOf(cfg.trade) : names.findIndex((_, i) => i !== built.benchmark);
  if (cfg.trade !== undefined && trade < 0)
    throw new ValidationError(
      'trade',
      `must name a strategy of the scenario (${names.map((n) => JSON.stringify(n)).join(', ')}) (got ${JSON.stringify(cfg.trade)})`,
    );
  if (trade < 0) trade = 0;
  const assetNames = built.assets.map((a) => a.name);
  for (const k of Object.keys(cfg.instruments))
    if (!assetNames.includes(k))
      throw new ValidationError(
        `instruments.${k}`,
        `must name an asset of the scenario (${assetNames.join(', ')})`,
      );
  const instruments = built.assets.map((a) => (a.name in cfg.instruments ? cfg.instruments[a.name] : a.name));
  const index = cfg.risk.index !== undefined ? assetNames.indexOf(cfg.risk.index) : 0;
  if (index < 0)
    throw new ValidationError(
      'risk.index',
      `must name an asset (${assetNames.join(', ')}) (got ${JSON.stringify(cfg.risk.index)})`,
    );
  const stepsPerYear = cfg.session.stepsPerYear ?? built.scenario.stepsPerYear;
  const clock = opts.clock ?? systemClock;
  let feed: Feed;
  let planned = cfg.session.steps;
  let plannedTs: readonly number[] | undefined;
  // group commit only where nobody waits for the next event: a replay at full speed, a file
  let batch = 1;
  if (opts.feed) feed = opts.feed;
  else if (opts.feedUrl !== undefined) {
    if (!/^wss?:\/\//.test(opts.feedUrl))
      throw new ValidationError(
        '--feed',
        `must be a ws:// or wss:// URL (got ${JSON.stringify(opts.feedUrl)})`,
      );
    feed = wsFeed(opts.feedUrl);
  } else if (cfg.feed.kind === 'replay') {
    const f = cfg.feed;
    const rf = replayFeed({
      file: resolveIn(loaded.dir, f.file),
      ...(f.columns ? { instruments: f.columns } : {}),
      from: f.from,
      to: f.to,
      dateColumn: f.dateColumn,
      fill: f.fill,
      periodsPerYear: stepsPerYear,
      speed: f.speed,
      clock,
    });
    planned ??= rf.rows - 1;
    plannedTs = rf.timestamps;
    feed = rf;
    if (f.speed === 'max') batch = cfg.commitEvery;
  } else if (cfg.feed.kind === 'jsonl') {
    if (cfg.feed.file === '-') {
      if (!opts.stdin) throw new DomainError('feed.file', '-', 'needs standard input');
      feed = jsonlFeed(Readable.from(opts.stdin), 'stdin');
    } else {
      feed = jsonlFileFeed(resolveIn(loaded.dir, cfg.feed.file));
      batch = cfg.commitEvery;
    }
  } else feed = wsFeed(cfg.feed.url);
  const esc = cfg.escalation ? createEscalation(cfg.escalation) : undefined;
  const shock = esc
    ? { spot: esc.config.shockedLoss.spot, volPoints: esc.config.shockedLoss.vol * 100 }
    : { spot: -0.1, volPoints: 10 };
  const store = resolveIn(loaded.dir, cfg.store);
  const ledger = new LedgerStore(store, cfg.name, loaded.fingerprint);
  const broker = new PaperBroker({
    costs: built.costs,
    latencyMs: cfg.execution.latencyMs,
    store: cfg.execution.store ? resolveIn(loaded.dir, cfg.execution.store) : `${store}.broker`,
  });
  let monitor: LiveMonitor;
  try {
    monitor = await LiveMonitor.open({
      run: cfg.name,
      built,
      trade,
      instruments,
      stepsPerYear,
      plannedSteps: planned,
      plannedTs,
      mode: cfg.session.mode,
      health: {
        staleMs: cfg.health.staleSeconds * 1000,
        suspectSigmas: cfg.health.suspectSigmas,
        lambda: cfg.health.lambda,
        warmup: cfg.health.warmup,
      },
      escalation: esc,
      adapter: broker,
      ledger,
      risk: {
        multiplier: esc?.config.cushion.multiplier ?? 4,
        shock,
        ladder: {
          ...(cfg.risk.spotShocks ? { spotShocks: cfg.risk.spotShocks } : {}),
          ...(cfg.risk.volShocks ? { volShocks: cfg.risk.volShocks } : {}),
        },
        every: cfg.risk.every,
        index,
        lambda: esc?.config.moveSigmas.lambda ?? 0.94,
      },
      snapshotEvery: cfg.snapshotEvery,
      clock,
      attribution: true,
      keepHistory: opts.keepHistory ?? false,
    });
  } catch (e) {
    ledger.close();
    broker.close();
    throw e;
  }
  if (opts.onState) monitor.subscribe(opts.onState);
  const close = () => {
    feed.close();
    ledger.close();
    broker.close();
  };
  return {
    monitor,
    ledger,
    broker,
    feed,
    built,
    close,
    async run() {
      const timer = clock === systemClock ? setInterval(() => monitor.checkStale(), 1000) : undefined;
      try {
        if (batch > 1) {
          let group: FeedEvent[] = [];
          for await (const e of feed) {
            group.push(e);
            if (group.length >= batch) {
              monitor.processBatchSync(group);
              group = [];
            }
          }
          monitor.processBatchSync(group);
        } else for await (const e of feed) await monitor.process(e);
        await monitor.finish();
      } finally {
        if (timer) clearInterval(timer);
      }
      const st = monitor.state();
      return {
        run: cfg.name,
        steps: monitor.stepper.lastStep,
        lastSeq: monitor.lastSeq,
        level: monitor.level,
        value: st.book?.value ?? Number.NaN,
        floor: st.floor?.floor,
        counts: ledger.counts(),
        store,
      };
    },
  };
}
