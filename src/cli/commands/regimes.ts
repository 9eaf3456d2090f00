/** `hedgekit regimes`: the named market regimes usable from scenario files. */
import type { Command } from 'commander';
import { listRegimes } from '../../api.ts';
import { table } from '../format.ts';
import type { CliIo } from '../io.ts';

export function registerRegimes(program: Command, io: CliIo): void {
  const out = io.stdout;
  program
    .command('regimes')
    .description('list the named market regimes (presets) with a one-line description')
    .option('--json', 'machine-readable output, with every preset parameter')
    .action((opts: { json?: boolean }) => {
      const regimes = listRegimes();
      if (opts.json) {
        out(JSON.stringify(regimes));
        return;
      }
      const rows = regimes.map((r) => [r.name, r.model, r.description]);
      const name = Math.max(4, ...rows.map((r) => r[0].length)) + 2;
      const model = Math.max(5, ...rows.map((r) => r[1].length)) + 2;
      // Fit the terminal: the description column takes what is left and wraps (at least 30 wide).
      const description = io.columns === undefined ? undefined : Math.max(30, io.columns - name - model - 4);
      out(
        table(
          ['name', 'model', 'description'],
          rows,
          description === undefined ? undefined : [name, model, description],
        ),
      );
    });
}
