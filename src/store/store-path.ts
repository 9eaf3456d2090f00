/** Where `hedgekit run` keeps its runs when no `--store` is given. */
import { isAbsolute, join, resolve } from 'node:path';

/** The default store file relative to the working directory. */
export const DEFAULT_STORE_FILE = join('.hedgekit', 'runs.sqlite');

/**
 * The store file to use: the `--store` flag, else `$HEDGEKIT_STORE`, else
 * `<cwd>/.hedgekit/runs.sqlite`; undefined when none is given and no working directory is known
 * (an embedding without a file system home: nothing is stored).
 * @example resolveStorePath({ cwd: '/work/x' }) // '/work/x/.hedgekit/runs.sqlite'
 */
export function resolveStorePath(o: {
  flag?: string | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
  cwd?: string | undefined;
}): string | undefined {
  const base = o.cwd ?? '.';
  const pick = o.flag ?? (o.env?.HEDGEKIT_STORE || undefined);
  if (pick !== undefined) return isAbsolute(pick) ? pick : resolve(base, pick);
  return o.cwd !== undefined ? join(o.cwd, DEFAULT_STORE_FILE) : undefined;
}
