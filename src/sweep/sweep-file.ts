/**
 * Sweep files (YAML or JSON), `hedgekit sweep sweep.yaml`: a base scenario, a grid and/or a list of
 * overrides, optional market and strategy selections, and how the work is cut into shards. Loaded
 * into a {@link SweepPlan}: every parameter point's scenario, validated like a scenario file; every
 * error names `file:line` (the sweep file's line of the offending key; the base scenario's errors
 * name the base file).
 *
 * ```yaml
 * scenario: article-case.yaml            # the base, relative to this file
 * paths: 2000                            # optional: Monte-Carlo paths of every market
 * markets: [calm (calm-bull), crash (crash)]   # optional: base markets by name, or market entries
 * strategies: [cppi m=3]                 # optional: base strategies kept (the benchmark always is)
 * grid:                                  # cartesian product; the first key varies slowest
 *   strategies[cppi].multiplier: [2, 3, 4, 5, 6]
 *   floor.level: [0.7, 0.8, 0.9]
 * points:                                # and/or an explicit list of points
 *   - strategies[cppi].multiplier: 8     # (block style: flow mappings cannot hold "[" in keys)
 *     floor.level: 0.75
 * shardPaths: 1024                       # paths per shard, a multiple of 512
 * frontier: { risk: probEndBelowFloor, reward: excessReturn }
 * ```
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../config/issues.ts';
import { marketLabel, type Scenario, ScenarioSchema, strategyLabel } from '../config/scenario.ts';
import { loadScenario, resolveIn } from '../config/scenario-load.ts';
import {
  type FileIssue,
  FileValidationError,
  parseYamlSource,
  parseYamlWith,
  readConfigText,
  zodMessage,
} from '../config/yaml-source.ts';
import { DomainError, ValidationError } from '../core/errors.ts';
import { obj, posInt } from '../core/schema.ts';
import { buildScenario } from '../scenario/build.ts';
import type { KeyMetrics } from '../scenario/run.ts';
import { applyOverride, type OverridePath, OverridePathError, parseOverridePath } from './override-path.ts';

/** Engine chunk of every shard (paths); shards are whole chunks so results never depend on the cut. */
export const SWEEP_CHUNK_PATHS = 512;

/** A sweep file that failed validation (`file:line: path: rule`). */
export class SweepFileError extends FileValidationError {
  constructor(file: string, issues: readonly FileIssue[]) {
    super(file, issues, 'sweep-invalid');
  }
}

const sweepError = (file: string, issues: FileIssue[]) => new SweepFileError(file, issues);

const KEY_METRICS = [
  'annualizedReturn',
  'volatility',
  'maxDrawdown',
  'probEndBelowFloor',
  'probTouchFloor',
  'terminalP20',
  'cvar95',
  'costOfProtection',
  'upsideGivenUp',
  'excessReturn',
] as const satisfies readonly (keyof KeyMetrics)[];

const Value = z.union([
  z.number(),
  z.string(),
  z.boolean(),
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
]);

/** The sweep file schema (defaults live here, once). */
export const SweepFileSchema = obj({
  $schema: z.string().optional(),
  name: z.string().min(1).optional().describe('Name of the sweep; default the file name without extension.'),
  description: z.string().optional(),
  scenario: z
    .string()
    .min(1, { error: 'must be a non-empty string' })
    .describe('Base scenario file, relative to the sweep file.'),
  paths: posInt().optional().describe('Monte-Carlo paths of every market (overrides the base).'),
  seed: z.number().int({ error: 'must be an integer' }).gte(0, { error: 'must be >= 0' }).optional(),
  markets: z
    .array(z.union([z.string(), z.record(z.string(), z.unknown())]))
    .min(1, { error: 'must list at least one market' })
    .optional()
    .describe('Markets: a base market by name, or a market entry as in scenario files.'),
  strategies: z
    .array(z.string())
    .min(1, { error: 'must list at least one strategy' })
    .optional()
    .describe('Base strategies kept, by name (the benchmark is always kept).'),
  grid: z
    .record(z.string(), z.array(Value).min(1, { error: 'must list at least one value' }))
    .optional()
    .describe('Override path → values; the sweep runs every combination (first key slowest).'),
  points: z
    .array(z.record(z.string(), Value))
    .optional()
    .describe('Explicit parameter points: override path → value.'),
  shardPaths: z
    .number()
    .int({ error: 'must be an integer' })
    .gte(SWEEP_CHUNK_PATHS, { error: `must be >= ${SWEEP_CHUNK_PATHS}` })
    .refine((n) => n % SWEEP_CHUNK_PATHS === 0, { error: `must be a multiple of ${SWEEP_CHUNK_PATHS}` })
    .default(1024)
    .describe('Paths per shard (a parameter point × market × block of paths).'),
  frontier: obj({
    risk: z.enum(KEY_METRICS).default('probEndBelowFloor').describe('Minimized.'),
    reward: z.enum(KEY_METRICS).default('excessReturn').describe('Maximized.'),
  })
    .prefault({})
    .describe('The efficient frontier marked in the output (key metrics).'),
});

export type SweepFile = z.output<typeof SweepFileSchema>;

/** One parameter point: its overrides (path text → value) and the scenario they give. */
export interface SweepPoint {
  readonly index: number;
  readonly values: Readonly<Record<string, unknown>>;
  readonly scenario: Scenario;
}

/** A loaded sweep: everything the coordinator needs (plain data). */
export interface SweepPlan {
  readonly name: string;
  readonly file: string;
  /** The base scenario file, resolved. */
  readonly baseFile: string;
  /** Directory history paths resolve against (the base scenario's). */
  readonly dir: string;
  /** Override paths in order. */
  readonly parameters: readonly string[];
  readonly points: readonly SweepPoint[];
  readonly shardPaths: number;
  readonly chunkPaths: number;
  readonly frontier: { readonly risk: keyof KeyMetrics; readonly reward: keyof KeyMetrics };
}

/** The points of a grid (cartesian product, first key slowest) followed by the listed points. */
function expandPoints(f: SweepFile): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const grid = Object.entries(f.grid ?? {});
  if (grid.length > 0) {
    let acc: Record<string, unknown>[] = [{}];
    for (const [k, vs] of grid) acc = acc.flatMap((p) => vs.map((v) => ({ ...p, [k]: v })));
    out.push(...acc);
  }
  for (const p of f.points ?? []) out.push({ ...p });
  return out;
}

function short(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
}

/**
 * Parses sweep text and builds the plan.
 * @param file the sweep file's name (messages; relative paths resolve against its directory)
 * @throws SweepFileError (code `sweep-invalid`) with `file:line` for every issue; ScenarioError for
 *   a bad base scenario (its own file:line)
 */
export function parseSweep(text: string, file: string): SweepPlan {
  const { value: f, source } = parseYamlWith(SweepFileSchema, text, file, sweepError);
  const at = (path: (string | number)[], message: string): FileIssue => ({
    path,
    message,
    line: source.lineOf(path),
  });
  const fail = (issues: FileIssue[]): never => {
    throw new SweepFileError(file, issues);
  };
  if (!f.grid && !f.points)
    fail([at([], 'needs a `grid` or a `points` list (at least one parameter point)')]);

  const baseFile = resolve(dirname(resolve(file)), f.scenario);
  const base = loadScenario(baseFile);
  const baseRaw = parseYamlSource(readConfigText(baseFile, 'scenario file', sweepError), baseFile, sweepError)
    .data as Record<string, unknown>;

  // Paths of every override key, parsed once (errors at the key's line).
  const paths = new Map<string, OverridePath>();
  const keyIssues: FileIssue[] = [];
  const parseKey = (k: string, where: (string | number)[]) => {
    if (paths.has(k)) return;
    try {
      paths.set(k, parseOverridePath(k));
    } catch (e) {
      if (!(e instanceof OverridePathError)) throw e;
      keyIssues.push(at(where, e.message));
    }
  };
  for (const k of Object.keys(f.grid ?? {})) parseKey(k, ['grid', k]);
  (f.points ?? []).forEach((p, i) => {
    for (const k of Object.keys(p)) parseKey(k, ['points', i, k]);
  });
  if (keyIssues.length > 0) fail(keyIssues);

  // The base as written, with the sweep's market / strategy selections and path / seed overrides.
  const raw: Record<string, unknown> = structuredClone(baseRaw);
  const rawMarkets = (baseRaw.markets as unknown[]) ?? [];
  if (f.markets) {
    const labels = base.scenario.markets.map(marketLabel);
    const issues: FileIssue[] = [];
    raw.markets = f.markets.map((m, i) => {
      if (typeof m !== 'string') {
        // A market entry written in the sweep file: history paths are relative to the sweep file.
        const e = { ...m };
        if (typeof e.file === 'string') e.file = resolve(dirname(resolve(file)), e.file);
        return e;
      }
      const j = labels.indexOf(m);
      if (j < 0)
        issues.push(
          at(['markets', i], `must name a market of ${f.scenario} (${labels.join(', ')}) (got "${m}")`),
        );
      return rawMarkets[j];
    });
    if (issues.length > 0) fail(issues);
  }
  if (f.strategies) {
    const names = base.scenario.strategies.map(strategyLabel);
    const bench =
      base.scenario.benchmark ??
      names[
        Math.max(
          0,
          base.scenario.strategies.findIndex((s) => s.kind === 'buy-and-hold'),
        )
      ];
    const issues: FileIssue[] = [];
    f.strategies.forEach((n, i) => {
      if (!names.includes(n))
        issues.push(
          at(['strategies', i], `must name a strategy of ${f.scenario} (${names.join(', ')}) (got "${n}")`),
        );
    });
    if (issues.length > 0) fail(issues);
    const keep = new Set([bench, ...f.strategies]);
    raw.strategies = (baseRaw.strategies as unknown[]).filter((_, i) => keep.has(names[i]));
    if (raw.benchmark === undefined) raw.benchmark = bench;
  }
  if (f.paths !== undefined) {
    raw.paths = f.paths;
    raw.markets = (raw.markets as Record<string, unknown>[]).map(({ paths: _p, ...m }) => m);
  }
  if (f.seed !== undefined) raw.seed = f.seed;
  // History files of the base resolve against the base's directory: make them absolute.
  raw.markets = (raw.markets as Record<string, unknown>[]).map((m) =>
    typeof m?.file === 'string' ? { ...m, file: resolveIn(base.dir, m.file) } : m,
  );

  const parameters = [...paths.keys()];
  const points: SweepPoint[] = [];
  const issues: FileIssue[] = [];
  // One issue per (place, problem), listing the points that have it (a grid repeats a bad value).
  const byProblem = new Map<string, { where: (string | number)[]; problem: string; points: string[] }>();
  const invalid = (where: (string | number)[], problem: string, index: number, label: string) => {
    const k = `${JSON.stringify(where)}\n${problem}`;
    const e = byProblem.get(k);
    if (e) e.points.push(String(index));
    else byProblem.set(k, { where, problem, points: [`${index} (${label})`] });
  };
  const gridKeys = Object.values(f.grid ?? {});
  const gridCount = gridKeys.length > 0 ? gridKeys.reduce((n, vs) => n * vs.length, 1) : 0;
  expandPoints(f).forEach((values, index) => {
    let data: unknown = raw;
    // Where an error of this point is reported: its entry in `points`, or the grid key that broke it.
    const whereOf = (k: string): (string | number)[] =>
      index < gridCount ? ['grid', k] : ['points', index - gridCount, k];
    const label = Object.entries(values)
      .map(([k, v]) => `${k}=${short(v)}`)
      .join(', ');
    let lastKey = Object.keys(values)[0];
    try {
      for (const [k, v] of Object.entries(values)) {
        lastKey = k;
        data = applyOverride(data, paths.get(k) as OverridePath, v);
      }
    } catch (e) {
      if (!(e instanceof OverridePathError)) throw e;
      const where = whereOf(lastKey);
      if (!issues.some((x) => x.message === e.message && x.line === source.lineOf(where)))
        issues.push(at(where, e.message));
      return;
    }
    const r = ScenarioSchema.safeParse(data, { reportInput: true, error: zodMessage });
    if (!r.success) {
      const found = formatIssues(r.error);
      // Blame the override that wrote the first issue's field: same first key, same last key.
      const first = found[0]?.path ?? '';
      const head = (x: string) => x.split(/[.[]/)[0];
      const tail = (x: string) => x.split(/[.\]]/).pop();
      const keys = Object.keys(values);
      const blamed =
        keys.find((k) => first === k) ??
        keys.find((k) => head(k) === head(first) && tail(k) === tail(first)) ??
        keys.find((k) => head(k) === head(first)) ??
        keys[0];
      invalid(whereOf(blamed), found.map((x) => x.line).join('; '), index, label);
      return;
    }
    try {
      // Parameters only the strategy factories check, before any work is sent out.
      buildScenario({ ...r.data, markets: [] }, base.dir).makeRuns();
    } catch (e) {
      if (!(e instanceof ValidationError || e instanceof DomainError)) throw e;
      invalid(whereOf(Object.keys(values)[0]), e.message, index, label);
      return;
    }
    points.push({ index, values, scenario: r.data });
  });
  for (const { where, problem, points: ps } of byProblem.values()) {
    const which =
      ps.length === 1
        ? `point ${ps[0]}`
        : `points ${ps.slice(0, 6).join(', ')}${ps.length > 6 ? ', …' : ''} (${ps.length} points)`;
    issues.push(at(where, `${which} make${ps.length === 1 ? 's' : ''} the scenario invalid: ${problem}`));
  }
  if (issues.length > 0) fail(issues.slice(0, 20));
  if (points.length === 0) fail([at([], 'has no parameter points')]);
  const name = f.name ?? (file.split(/[\\/]/).pop() ?? file).replace(/\.(ya?ml|json)$/i, '');
  return {
    name,
    file,
    baseFile,
    dir: base.dir,
    parameters,
    points,
    shardPaths: f.shardPaths,
    chunkPaths: SWEEP_CHUNK_PATHS,
    frontier: f.frontier,
  };
}

/**
 * Reads, validates and plans a sweep file.
 * @throws SweepFileError (`file:line`) or the base scenario's ScenarioError
 * @example loadSweep('examples/sweep-cppi.yaml').points.length // 45
 */
export function loadSweep(file: string): SweepPlan {
  return parseSweep(readConfigText(file, 'sweep file', sweepError), file);
}
