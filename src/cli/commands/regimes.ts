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
      out(
        table(
          ['name', 'model', 'description'],
          regimes.map((r) => [r.name, r.model, r.description]),
        ),
      );
    });
}
