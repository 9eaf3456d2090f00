/**
 * Turns zod issues into hedgekit's one-line messages: `strategies[2].multiplier: must be > 0 (got -1)`.
 * Every edge (scenario files, option files, CLI flags, HTTP bodies) reports errors through this.
 */
import type { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import { joinIssues, quoteInput } from '../core/safe-text.ts';

/** `['strategies', 2, 'multiplier']` → `strategies[2].multiplier`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s === '' ? String(p) : `.${String(p)}`;
  }
  return s;
}

function formatReceived(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (typeof input === 'string') return quoteInput(input);
  if (typeof input === 'number' || typeof input === 'boolean' || input === null) return String(input);
  return Array.isArray(input) ? 'a list' : 'an object';
}

/** One line per issue; `rename` maps a field path to what the user typed (e.g. a CLI flag). */
export function formatIssues(
  error: z.ZodError,
  rename: (path: string) => string = (p) => p,
): { path: string; message: string; line: string }[] {
  return error.issues.map((issue) => {
    const path = rename(formatPath(issue.path));
    const input = (issue as { input?: unknown }).input;
    // A cross-field rule (custom issue) is about the object, not a value: "(got an object)" says nothing.
    const hasInput =
      'input' in issue &&
      issue.code !== 'unrecognized_keys' &&
      !(issue.code === 'custom' && typeof input === 'object' && input !== null);
    const got = hasInput ? ` (got ${formatReceived(input)})` : '';
    const message = `${issue.message}${got}`;
    return { path, message, line: path ? `${path}: ${message}` : message };
  });
}

/**
 * Parses `data` with `schema` or throws a ValidationError whose message lists every issue,
 * prefixed by `where` (e.g. `chain.csv:4`).
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  data: unknown,
  where = '',
  rename?: (path: string) => string,
): z.output<S> {
  const r = schema.safeParse(data, { reportInput: true });
  if (r.success) return r.data;
  const lines = formatIssues(r.error, rename).map((i) => i.line);
  throw new ValidationError(where, joinIssues(lines));
}
