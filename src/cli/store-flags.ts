/** The run store's CLI flags (`--store PATH`, `--no-store`) and the store they select. */
import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { RunStore, resolveStorePath } from '../api.ts';
import type { CliIo } from './io.ts';

/** Adds `--store <path>` (and, for commands that store by default, `--no-store`). */
export function addStoreFlags(c: Command, opts: { optOut: boolean }): Command {
  c.option('--store <path>', 'run store file (default: $HEDGEKIT_STORE, else .hedgekit/runs.sqlite here)');
  if (opts.optOut) c.option('--no-store', 'do not save this run in the run store');
  return c;
}

/** The store file the flags select; undefined with --no-store or when no location is known. */
export function storeFile(store: string | boolean | undefined, io: CliIo): string | undefined {
  if (store === false) return undefined;
  return resolveStorePath({ flag: typeof store === 'string' ? store : undefined, env: io.env, cwd: io.cwd });
}

/**
 * Opens the store the flags select (undefined when none); commands that only read pass
 * `mustExist` so that looking creates no file. @throws StoreError
 */
export function openStore(
  store: string | boolean | undefined,
  io: CliIo,
  opts: { mustExist?: boolean } = {},
): RunStore | undefined {
  const file = storeFile(store, io);
  return file === undefined ? undefined : RunStore.open(file, opts);
}

/** An output file named on the command line, relative to the CLI's working directory when known. */
export function outputPath(file: string, io: CliIo): string {
  return isAbsolute(file) || io.cwd === undefined ? file : resolve(io.cwd, file);
}
