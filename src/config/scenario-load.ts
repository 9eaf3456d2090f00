/**
 * Scenario file (YAML or JSON) → validated {@link Scenario}. Both formats go through the `yaml`
 * package (JSON is YAML 1.2), so every error can name the line: a syntax error, or a schema issue
 * located by walking the document to the issue's path. Errors are data ({@link ScenarioIssue}) and
 * print as one line each: `scenario.yaml:14: strategies[2].multiplier: must be > 0 (got -1)`.
 *
 * References: yaml 2 (https://eemeli.org/yaml/) LineCounter and node ranges; zod 4 issues.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import { formatPath } from './issues.ts';
import { type Scenario, ScenarioSchema } from './scenario.ts';

/** One problem of a scenario file. */
export interface ScenarioIssue {
  /** Path in the file, e.g. `['strategies', 2, 'multiplier']`. */
  readonly path: readonly (string | number)[];
  /** What is wrong, with the value received where it helps: `must be > 0 (got -1)`. */
  readonly message: string;
  /** 1-based line in the file, when known. */
  readonly line: number | undefined;
}

/** A scenario that failed validation: `message` is one line, `issues` the data. */
export class ScenarioError extends ValidationError {
  readonly file: string;
  readonly issues: readonly ScenarioIssue[];
  constructor(file: string, issues: readonly ScenarioIssue[]) {
    const lines = issues.map((i) => {
      const where = i.line === undefined ? file : `${file}:${i.line}`;
      const path = formatPath(i.path);
      return `${where}: ${path ? `${path}: ` : ''}${i.message}`;
    });
    super('', lines.join('; '), 'scenario-invalid');
    this.file = file;
    this.issues = issues;
  }
}

/** A validated scenario and where it came from (relative paths inside resolve against `dir`). */
export interface LoadedScenario {
  readonly scenario: Scenario;
  /** The file as named by the caller (for messages). */
  readonly file: string;
  /** Directory that relative paths in the scenario (history CSVs) are resolved against. */
  readonly dir: string;
}

function describeReceived(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (typeof input === 'number' || typeof input === 'boolean' || input === null) return String(input);
  if (Array.isArray(input)) return 'a list';
  return 'a mapping';
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  int: 'an integer',
};

/** Per-parse messages for zod's built-in issues (schema-level messages take precedence). */
function message(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'is required' : `must be ${TYPE_NAMES[iss.expected] ?? iss.expected}`;
    case 'invalid_value':
      return iss.values.length === 1
        ? `must be ${JSON.stringify(iss.values[0])}`
        : `must be one of: ${iss.values.map(String).join(', ')}`;
    case 'invalid_union': {
      const disc = (iss as { options?: unknown[]; discriminator?: string }).options;
      if (disc) return `must be one of: ${disc.map(String).join(', ')}`;
      const kinds = new Set<string>();
      for (const branch of iss.errors)
        for (const sub of branch)
          if (sub.code === 'invalid_type' && sub.path.length === 0)
            kinds.add(TYPE_NAMES[sub.expected] ?? sub.expected);
      if (kinds.size > 0) return `must be ${[...kinds].join(' or ')}`;
      for (const branch of iss.errors)
        if (branch.length > 0) return `${formatPath(branch[0]!.path) || 'value'}: ${branch[0]!.message}`;
      return 'matches none of the allowed forms';
    }
    case 'too_small':
      if (iss.origin === 'array')
        return `must have at least ${iss.minimum} entr${iss.minimum === 1 ? 'y' : 'ies'}`;
      if (iss.origin === 'string') return 'must be a non-empty string';
      return `must be ${iss.inclusive ? '>=' : '>'} ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'array') return `must have at most ${iss.maximum} entries`;
      return `must be ${iss.inclusive ? '<=' : '<'} ${iss.maximum}`;
    case 'unrecognized_keys':
      return 'unknown key';
    default:
      return undefined;
  }
}

/** The node at `path`, or the deepest existing ancestor; for a missing key, its parent mapping. */
function nodeAt(root: unknown, path: readonly (string | number)[], keyOf?: string): Node | undefined {
  let node = root as Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return node;
      node = item;
    } else return node;
  }
  if (keyOf !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === keyOf);
    if (pair) return pair.key as Node;
  }
  return node;
}

function toIssues(error: z.ZodError, doc: { contents: unknown }, lc: LineCounter): ScenarioIssue[] {
  const lineOf = (n: Node | undefined) => (n?.range ? lc.linePos(n.range[0]).line : undefined);
  const out: ScenarioIssue[] = [];
  for (const iss of error.issues) {
    const path = iss.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys)
        out.push({
          path: [...path, key],
          message: iss.message,
          line: lineOf(nodeAt(doc.contents, path, key)),
        });
      continue;
    }
    const input = (iss as { input?: unknown }).input;
    let got = '';
    if (
      iss.code === 'invalid_union' &&
      'discriminator' in iss &&
      typeof input === 'object' &&
      input !== null
    ) {
      const v = (input as Record<string, unknown>)[iss.discriminator as string];
      got = v === undefined ? ' (missing)' : ` (got ${describeReceived(v)})`;
      if (path[path.length - 1] !== iss.discriminator) path.push(iss.discriminator as string);
    } else if (input !== undefined && !/\(got /.test(iss.message)) {
      got = ` (got ${describeReceived(input)})`;
    }
    out.push({ path, message: `${iss.message}${got}`, line: lineOf(nodeAt(doc.contents, path)) });
  }
  return out;
}

/**
 * Parses and validates scenario text (YAML or JSON).
 * @param file name used in messages (`file:line`)
 * @throws ScenarioError (code `scenario-invalid`) listing every issue with its line
 * @example parseScenario('name: x\n…', 'x.yaml').horizon // 1 (the schema default)
 */
export function parseScenario(text: string, file = 'scenario'): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.map((e) => ({
        path: [],
        message: `invalid YAML/JSON: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        line: e.linePos?.[0]?.line,
      })),
    );
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const r = ScenarioSchema.safeParse(data, { reportInput: true, error: message });
  if (!r.success) throw new ScenarioError(file, toIssues(r.error, doc, lc));
  return r.data;
}

/**
 * Reads, parses and validates a scenario file; checks that every history CSV it names is readable
 * (relative paths resolve against the scenario file's directory).
 * @throws ScenarioError for an unreadable file, invalid YAML/JSON, a schema issue or a missing CSV
 * @example loadScenario('scenarios/default.yaml').scenario.strategies.length // 6
 */
export function loadScenario(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new ScenarioError(file, [
      { path: [], message: `cannot read scenario file (${code})`, line: undefined },
    ]);
  }
  const scenario = parseScenario(text, file);
  const dir = dirname(resolve(file));
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const issues: ScenarioIssue[] = [];
  scenario.markets.forEach((m, i) => {
    if (m.kind !== 'history') return;
    const csv = resolveIn(dir, m.file);
    try {
      accessSync(csv, constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      const node = nodeAt(doc.contents, ['markets', i, 'file']);
      issues.push({
        path: ['markets', i, 'file'],
        message: `cannot read ${JSON.stringify(m.file)} (${code}; resolved to ${csv})`,
        line: node?.range ? lc.linePos(node.range[0]).line : undefined,
      });
    }
  });
  if (issues.length > 0) throw new ScenarioError(file, issues);
  return { scenario, file, dir };
}

/** `p` if absolute, else resolved against `dir`. */
export function resolveIn(dir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(dir, p);
}
