/**
 * `hedgekit init [file]`: writes the commented starter scenario (src/config/scenario-template.ts);
 * refuses to overwrite an existing file unless --force.
 */
import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { SCENARIO_SCHEMA_PATH, scenarioTemplate } from '../../api.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';

/** Registers `init` on the program; it prints through `io`. */
export function registerInit(program: Command, io: CliIo): void {
  const out = io.stdout;
  program
    .command('init')
    .description('write a commented starter scenario file')
    .argument('[file]', 'where to write it', 'scenario.yaml')
    .option('--force', 'overwrite an existing file')
    .action((file: string, opts: { force?: boolean }) => {
      const schema = relative(dirname(resolve(file)), SCENARIO_SCHEMA_PATH)
        .split('\\')
        .join('/');
      try {
        writeFileSync(file, scenarioTemplate(schema), { flag: opts.force ? 'w' : 'wx' });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new CliError(`${file} already exists (use --force to overwrite it)`);
        throw new CliError(`cannot write ${file} (${code ?? String(e)})`);
      }
      out(`wrote ${file}; edit it, then run: hedgekit run ${file}`);
    });
}
