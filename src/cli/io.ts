/**
 * The CLI's only window on the outside world: cli/main.ts builds one from the process's streams,
 * tests build one that captures the text. Commands never touch `process`.
 */

/** Where the CLI writes (stdout lines, stderr text) and what it knows about the terminal. */
export interface CliIo {
  /** Writes one line to standard output (the newline is added). */
  stdout(line: string): void;
  /** Writes text to standard error as given (messages end with their own newline). */
  stderr(text: string): void;
  /**
   * A terminal stream for progress bars (stderr when it is a TTY); absent when progress must not
   * be drawn (redirected stderr, tests).
   */
  readonly progress?: NodeJS.WritableStream | undefined;
  /** Standard input, for commands that read a stream (`hedgekit live` with a JSON Lines feed on '-'). */
  readonly stdin?: NodeJS.ReadableStream | undefined;
  /**
   * The working directory: where relative files go and the default run store lives
   * (`<cwd>/.hedgekit/runs.sqlite`). Absent (tests): runs are stored only with `--store PATH`.
   */
  readonly cwd?: string | undefined;
  /** Environment variables the CLI reads (`HEDGEKIT_STORE`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Resolves when what was written to stdout has been taken by the reader (backpressure):
   * commands that stream many lines await it between batches so memory stays bounded when the
   * reader is slower than hedgekit. Absent in tests (nothing to wait for).
   */
  readonly drain?: (() => Promise<void>) | undefined;
  /**
   * Width of the terminal stdout writes to, columns; absent when stdout is not a terminal (a file,
   * a pipe, tests): reports are then as wide as they need, for tools that read them whole.
   */
  readonly columns?: number | undefined;
  /**
   * Opts in to clean interruption: the returned signal aborts on the first Ctrl-C (SIGINT/SIGTERM)
   * and the command winds down itself; a second Ctrl-C ends the process at once. Commands that do
   * not call it keep the default (Ctrl-C ends the process). Absent in tests that do not need it.
   */
  readonly interrupts?: (() => AbortSignal) | undefined;
}
