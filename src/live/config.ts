/**
 * The live monitor's configuration file (`hedgekit live config.yaml`), validated with zod, every
 * problem reported as `file:line: path: rule (got x)`. Defaults live here, once; docs/live.md lists
 * every key.
 *
 * ```yaml
 * name: live-2008                      # the run's identity: part of every order id
 * scenario: ./scenarios/2008.yaml      # the back-test scenario schema: book, floor, strategies
 * trade: cppi m=4                      # the strategy whose trades become orders
 * instruments: { equity: SPX }         # asset → feed instrument (null: flat)
 * feed: { kind: replay, file: ../data/sp500.csv, columns: { SPX: close }, from: 2008-09-02, to: 2008-10-31 }
 * execution: { kind: paper, latencyMs: 0 }
 * escalation: {}                       # the protocol (src/live/escalation/config.ts); omit: none
 * store: ./live-2008.sqlite
 * ```
 */
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { type Scenario, ScenarioSchema } from '../config/scenario.ts';
import { resolveIn } from '../config/scenario-load.ts';
import { type FileIssue, FileValidationError, parseYamlWith, readConfigText } from '../config/yaml-source.ts';
import { isoDate, nonNegative, obj, posInt, positive } from '../core/schema.ts';
import { EscalationConfigSchema } from './escalation/config.ts';

/** A live config that failed validation (`file:line: path: rule`). */
export class LiveConfigError extends FileValidationError {
  constructor(file: string, issues: readonly FileIssue[]) {
    super(file, issues, 'live-config-invalid');
  }
}

const speed = z
  .union([z.literal('max'), positive()])
  .default('max')
  .describe('Replay speed: 1 = real time, N = N× faster, max = as fast as possible.');

const ReplayFeed = obj({
  kind: z.literal('replay'),
  file: z
    .string()
    .min(1)
    .describe('History CSV (date column + one column per series), relative to this file.'),
  columns: z
    .record(z.string(), z.string())
    .optional()
    .describe('Instrument name → CSV column (default: every column under its own name).'),
  from: isoDate().optional(),
  to: isoDate().optional(),
  dateColumn: z.string().default('date'),
  fill: z.enum(['none', 'forward', 'drop']).default('none'),
  speed,
});
const JsonlFeed = obj({
  kind: z.literal('jsonl'),
  file: z.string().min(1).describe("JSON Lines file relative to this file, or '-' for standard input."),
});
const WsFeed = obj({
  kind: z.literal('ws'),
  url: z.string().regex(/^wss?:\/\//, { error: 'must be a ws:// or wss:// URL' }),
});

export const LiveConfigSchema = obj({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, { error: 'must be letters, digits, dot, dash or underscore' })
    .describe('Name of the run: part of every order id and of the ledger.'),
  scenario: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .describe('The scenario (the back-test schema) as a file path relative to this file, or inline.'),
  trade: z
    .string()
    .optional()
    .describe('Strategy whose trades become orders (default: the first non-benchmark).'),
  instruments: z
    .record(z.string(), z.string().nullable())
    .default({})
    .describe('Asset name → feed instrument (null: flat). Default: the asset name.'),
  feed: z.discriminatedUnion('kind', [ReplayFeed, JsonlFeed, WsFeed]),
  session: obj({
    mode: z
      .enum(['bar', 'tick'])
      .default('bar')
      .describe('One step per complete bar set, or per price event.'),
    steps: posInt().optional().describe("Planned steps after inception (default: a replay feed's window)."),
    stepsPerYear: positive().optional().describe("Steps per year (default: the scenario's stepsPerYear)."),
  }).prefault({}),
  health: obj({
    staleSeconds: positive().default(30),
    suspectSigmas: nonNegative()
      .default(8)
      .describe('k: a print beyond k EWMA sigmas is held as suspect; 0 = off.'),
    lambda: z.number().gt(0).lt(1).default(0.94),
    warmup: z.number().int().gte(0).default(20).describe('Returns seen before the suspect check starts.'),
  }).prefault({}),
  execution: obj({
    kind: z.literal('paper').default('paper'),
    latencyMs: nonNegative().default(0).describe('Order-to-fill delay, ms of feed time.'),
    store: z.string().optional().describe("The paper broker's own SQLite file (default: <store>.broker)."),
  }).prefault({}),
  risk: obj({
    index: z
      .string()
      .optional()
      .describe('Index asset for the drop and move drivers (default: the first asset).'),
    every: posInt()
      .default(1)
      .describe('Shocked loss, Greeks and ladder every this many steps (floor and cushion: every step).'),
    spotShocks: z.array(z.number().gt(-1)).optional(),
    volShocks: z.array(z.number()).optional(),
  }).prefault({}),
  escalation: EscalationConfigSchema.optional().describe('The escalation protocol; omitted: none.'),
  store: z.string().min(1).describe('The ledger (SQLite), relative to this file.'),
  snapshotEvery: posInt().default(50).describe('Engine snapshot every this many steps.'),
  commitEvery: posInt()
    .default(1)
    .describe(
      'Feed events per ledger transaction (group commit) for file feeds read at full speed; live feeds commit every event.',
    ),
  api: obj({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().gte(0).lte(65535).default(8787),
    tokenFile: z.string().optional().describe('Bearer token file (default: <store>.token).'),
    bodyLimit: posInt().default(16_384),
  }).prefault({}),
});

/** A validated live config; an inline scenario is validated (defaults filled) by `parseLiveConfig`. */
export type LiveConfig = Omit<z.output<typeof LiveConfigSchema>, 'scenario'> & {
  scenario: string | Scenario;
};

export interface LoadedLiveConfig {
  readonly config: LiveConfig;
  readonly file: string;
  /** Directory relative paths resolve against. */
  readonly dir: string;
  /** SHA-256 of what must not change across a restart (everything but speed and the API). */
  readonly fingerprint: string;
}

const err = (file: string, issues: FileIssue[]) => new LiveConfigError(file, issues);

/**
 * Parses and validates live config text; an inline scenario is validated with the scenario's
 * cross-checks too.
 * @throws LiveConfigError listing every issue with its line
 */
export function parseLiveConfig(text: string, file = 'live.yaml'): LiveConfig {
  const { value, source } = parseYamlWith(LiveConfigSchema, text, file, err);
  if (typeof value.scenario === 'string') return { ...value, scenario: value.scenario };
  const r = ScenarioSchema.safeParse(value.scenario, { reportInput: true });
  if (!r.success)
    throw err(
      file,
      r.error.issues.map((i) => {
        const path = ['scenario', ...i.path.filter((p): p is string | number => typeof p !== 'symbol')];
        return { path, message: i.message, line: source.lineOf(path) };
      }),
    );
  return { ...value, scenario: r.data };
}

/** Reads and validates a live config file. */
export function loadLiveConfig(file: string): LoadedLiveConfig {
  const text = readConfigText(file, 'live config', err);
  const config = parseLiveConfig(text, file);
  const { feed: _feed, api: _api, ...rest } = config;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ ...rest, feedKind: config.feed.kind }))
    .digest('hex');
  return { config, file, dir: dirname(resolve(file)), fingerprint };
}

/** The API settings of a loaded config, the token file resolved (default `<store>.token`). */
export function liveApiSettings(loaded: LoadedLiveConfig): {
  host: string;
  port: number;
  tokenFile: string;
  bodyLimit: number;
} {
  const api = loaded.config.api;
  const tokenFile = api.tokenFile
    ? resolveIn(loaded.dir, api.tokenFile)
    : `${resolveIn(loaded.dir, loaded.config.store)}.token`;
  return { host: api.host, port: api.port, tokenFile, bodyLimit: api.bodyLimit };
}
