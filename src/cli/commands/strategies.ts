/** `hedgekit strategies`: every registered strategy with its parameters (from the registry). */
import type { Command } from 'commander';
import { describeStrategies } from '../../api.ts';
import { table } from '../format.ts';
import type { CliIo } from '../io.ts';

export function registerStrategies(program: Command, io: CliIo): void {
  const out = io.stdout;
  program
    .command('strategies')
    .description('list the strategies a scenario can use, with their parameters and defaults')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const all = describeStrategies();
      if (opts.json) {
        out(JSON.stringify(all));
        return;
      }
      out(
        table(
          ['kind', 'parameters (default)', 'summary'],
          all.map((s) => [
            s.kind,
            s.parameters
              .map(
                (p) =>
                  `${p.name}${p.required ? '*' : ''}${p.default !== undefined ? `=${JSON.stringify(p.default)}` : ''}`,
              )
              .join(' '),
            s.summary,
          ]),
        ),
      );
      out('* required; every entry also takes name and rebalance (sleeve strategies: weights)');
    });
}
