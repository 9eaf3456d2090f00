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
  /**
   * Opts in to clean interruption: the returned signal aborts on the first Ctrl-C (SIGINT/SIGTERM)
   * and the command winds down itself; a second Ctrl-C ends the process at once. Commands that do
   * not call it keep the default (Ctrl-C ends the process). Absent in tests that do not need it.
   */
  readonly interrupts?: (() => AbortSignal) | undefined;
}
