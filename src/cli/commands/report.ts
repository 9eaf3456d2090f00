/**
 * `hedgekit report RUN|scenario -o report.html`: the self-contained HTML report (inline SVG
 * charts, metrics with definitions, the scenario text, provenance) of a stored run (a run number or
 * `latest`) or of a scenario file, run now (and stored, unless --no-store).
 */
import type { Command } from 'commander';
import {
  detailToSeries,
  recordRun,
  reportInputFromRun,
  reportInputFromStored,
  runWithDetail,
  writeHtmlReport,
} from '../../api.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { addStoreFlags, openStore, outputPath } from '../store-flags.ts';
import { parseRunId } from './runs.ts';

/** Registers `report` on the program. */
export function registerReport(program: Command, io: CliIo): void {
  const cmd = program
    .command('report')
    .description('write the HTML report of a stored run or of a scenario file (charts, metrics, provenance)')
    .argument('<run|scenario>', 'a stored run number, "latest", or a scenario file to run now')
    .option('-o, --output <file>', 'the HTML file to write', 'report.html')
    .option('--paths <n>', 'Monte-Carlo paths per market when running a scenario (overrides the file)')
    .option('--seed <s>', 'random seed when running a scenario (overrides the file)')
    .addHelpText(
      'after',
      `
Examples:
  hedgekit report latest -o report.html
  hedgekit report 3 -o run-3.html
  hedgekit report examples/article-case.yaml -o article.html
The file needs no network to view and prints cleanly; see docs/report.md.`,
    );
  addStoreFlags(cmd, { optOut: true }).action(
    (target: string, opts: { output: string; paths?: string; seed?: string; store?: string | boolean }) => {
      const file = outputPath(opts.output, io);
      const isRun = /^\d+$/.test(target) || target === 'latest';
      const store = openStore(isRun && opts.store === false ? true : opts.store, io, { mustExist: isRun });
      try {
        let written: ReturnType<typeof writeHtmlReport>;
        if (isRun) {
          if (!store) throw new CliError('no run store: give --store PATH (or set HEDGEKIT_STORE)');
          written = writeHtmlReport(file, reportInputFromStored(store.get(parseRunId(target, store))));
        } else {
          const num = (flag: string, v: string | undefined, min: number) => {
            if (v === undefined) return undefined;
            const x = Number(v);
            if (!(Number.isSafeInteger(x) && x >= min))
              throw new CliError(`${flag}: must be an integer >= ${min} (got ${JSON.stringify(v)})`);
            return x;
          };
          const paths = num('--paths', opts.paths, 1);
          const seed = num('--seed', opts.seed, 0);
          const run = runWithDetail(target, { paths, seed });
          const id = store
            ? recordRun(store, {
                file: run.file,
                text: run.text,
                options: { paths: paths ?? null, seed: seed ?? null, attribution: null },
                startedAt: run.startedAt,
                endedAt: run.endedAt,
                result: run.result,
                series: detailToSeries(run.detail),
              })
            : undefined;
          written = writeHtmlReport(file, reportInputFromRun(run, id));
          if (id !== undefined) io.stdout(`Saved as run ${id} in ${store?.file}.`);
        }
        io.stdout(
          `Report: ${written.file} (${written.charts} charts, ${(written.bytes / 1e6).toFixed(1)} MB).`,
        );
      } finally {
        store?.close();
      }
    },
  );
}
