/** An error the CLI reports as one line and an exit code (2 = usage/input, 1 = some rows failed). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
