/**
 * YAML/JSON configuration files validated by a zod schema, with every error located in the file:
 * a syntax error, or a schema issue found by walking the document to the issue's path. Errors are
 * data ({@link FileIssue}) and print one line each: `book.yaml:14: positions[2].strike: must be > 0
 * (got -1)`. Shared by the scenario loader (scenario-load.ts) and the book loader (book-file.ts).
 *
 * References: yaml 2 (https://eemeli.org/yaml/) LineCounter and node ranges; zod 4 issues.
 */
import { readFileSync, statSync } from 'node:fs';
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import { joinIssues, quoteInput } from '../core/safe-text.ts';
import { formatPath } from './issues.ts';

/** Largest configuration file (scenario, book) read, bytes. */
export const MAX_CONFIG_BYTES = 5_000_000;

/** One problem of a configuration file. */
export interface FileIssue {
  /** Path in the file, e.g. `['strategies', 2, 'multiplier']`. */
  readonly path: readonly (string | number)[];
  /** What is wrong, with the value received where it helps: `must be > 0 (got -1)`. */
  readonly message: string;
  /** 1-based line in the file, when known. */
  readonly line: number | undefined;
}

/**
 * A configuration file that failed validation: `message` is one line per issue joined by `; `,
 * each `file:line: path: rule (got x)`; `issues` holds the data.
 */
export class FileValidationError extends ValidationError {
  readonly file: string;
  readonly issues: readonly FileIssue[];
  constructor(file: string, issues: readonly FileIssue[], code: string) {
    const lines = issues.map((i) => {
      const where = i.line === undefined ? file : `${file}:${i.line}`;
      const path = formatPath(i.path);
      return `${where}: ${path ? `${path}: ` : ''}${i.message}`;
    });
    super('', joinIssues(lines), code);
    this.file = file;
    this.issues = issues;
  }
}

/** `"x"` for strings, the number for numbers, `a list` / `a mapping` otherwise. */
export function describeReceived(input: unknown): string {
  if (typeof input === 'string') return quoteInput(input);
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
export function zodMessage(iss: z.core.$ZodRawIssue): string | undefined {
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
        if (branch.length > 0) return `${formatPath(branch[0].path) || 'value'}: ${branch[0].message}`;
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
export function nodeAt(root: unknown, path: readonly (string | number)[], keyOf?: string): Node | undefined {
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

/** A parsed document with its line counter: `lineOf(path)` is the 1-based line of a path. */
export interface YamlSource {
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The document as plain data (aliases expanded). */
  readonly data: unknown;
  /** 1-based line of the node at `path` (or of its deepest existing ancestor). */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/**
 * Parses YAML or JSON text, keeping positions.
 * @param file name used in messages
 * @param onError builds the error thrown for syntax errors (e.g. a ScenarioError)
 * @throws whatever `onError` returns, listing each syntax error with its line
 */
export function parseYamlSource(
  text: string,
  file: string,
  onError: (file: string, issues: FileIssue[]) => Error,
): YamlSource {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw onError(
      file,
      doc.errors.map((e) => ({
        path: [],
        message: `invalid YAML/JSON: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
        line: e.linePos?.[0]?.line,
      })),
    );
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const lineOf = (path: readonly (string | number)[]) => {
    const n = nodeAt(doc.contents, path);
    return n?.range ? lc.linePos(n.range[0]).line : undefined;
  };
  return { doc, lineCounter: lc, data, lineOf };
}

/** zod issues → located file issues (unknown keys point at the key itself). */
export function issuesFromZod(error: z.ZodError, src: YamlSource): FileIssue[] {
  const { doc, lineCounter: lc } = src;
  const lineOf = (n: Node | undefined) => (n?.range ? lc.linePos(n.range[0]).line : undefined);
  const out: FileIssue[] = [];
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
    } else if (
      input !== undefined &&
      !/\(got /.test(iss.message) &&
      !(iss.code === 'custom' && typeof input === 'object' && input !== null)
    ) {
      got = ` (got ${describeReceived(input)})`;
    }
    out.push({ path, message: `${iss.message}${got}`, line: lineOf(nodeAt(doc.contents, path)) });
  }
  return out;
}

/**
 * Parses YAML/JSON text and validates it with `schema`, every issue located by line.
 * @throws whatever `onError` returns (syntax errors and schema issues alike)
 * @example parseYamlWith(z.object({ a: z.number() }), 'a: 1', 'x.yaml', mkErr).value.a // returns 1
 */
export function parseYamlWith<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
  onError: (file: string, issues: FileIssue[]) => Error,
): { value: z.output<S>; source: YamlSource } {
  const source = parseYamlSource(text, file, onError);
  const r = schema.safeParse(source.data, { reportInput: true, error: zodMessage });
  if (!r.success) throw onError(file, issuesFromZod(r.error, source));
  return { value: r.data, source };
}

/**
 * Reads a text file or throws `onError(file, [cannot read <what> (ENOENT)])`.
 * @param what what the file is, for the message (`scenario file`, `book file`)
 */
export function readConfigText(
  file: string,
  what: string,
  onError: (file: string, issues: FileIssue[]) => Error,
): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw onError(file, [{ path: [], message: `cannot read ${what} (${code})`, line: undefined }]);
  }
  if (size > MAX_CONFIG_BYTES)
    throw onError(file, [
      {
        path: [],
        message: `${what} is ${(size / 1e6).toFixed(1)} MB; the limit is ${MAX_CONFIG_BYTES / 1e6} MB (a ${what} is a page of settings; data belongs in a CSV it names)`,
        line: undefined,
      },
    ]);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw onError(file, [{ path: [], message: `cannot read ${what} (${code})`, line: undefined }]);
  }
}
