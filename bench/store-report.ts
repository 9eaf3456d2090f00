/**
 * Measures what the run store and the HTML report cost on the article case (npm start's scenario):
 * CPU time of the run without and with the report detail + store save (alternating, so machine
 * load affects both alike), the save alone, the store's size per run, and the report's render time
 * and size from the stored run. `node --import tsx bench/store-report.ts [reps]`; numbers go to
 * docs/run-store.md and docs/report.md.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detailToSeries } from '../src/report/detail/detail-series.ts';
import { buildHtmlReport } from '../src/report/html/report-html.ts';
import { reportInputFromStored, runWithDetail } from '../src/report/html/report-source.ts';
import { runScenarioFile } from '../src/scenario/run.ts';
import { codeHash } from '../src/store/provenance.ts';
import { recordRun } from '../src/store/record-run.ts';
import { RunStore } from '../src/store/run-store.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const FILE = join(root, 'examples/article-case.yaml');
const reps = Number(process.argv[2] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'hedgekit-bench-'));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];

let t = performance.now();
codeHash();
const hashMs = performance.now() - t;

runScenarioFile(FILE, { paths: 256 }); // warm-up (JIT, module loads)
const plain: number[] = [];
const stored: number[] = [];
const saves: number[] = [];
const storeFile = join(dir, 'runs.sqlite');
let lastId = 0;
for (let i = 0; i < reps; i++) {
  let c = cpu();
  runScenarioFile(FILE);
  plain.push(cpu() - c);
  c = cpu();
  const run = runWithDetail(FILE);
  const s0 = performance.now();
  const store = RunStore.open(storeFile);
  lastId = recordRun(store, {
    file: run.file,
    text: run.text,
    options: {},
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    result: run.result,
    series: detailToSeries(run.detail),
  });
  store.close();
  saves.push(performance.now() - s0);
  stored.push(cpu() - c);
}
const size = statSync(storeFile).size;
const store = RunStore.open(storeFile);
const renders: number[] = [];
let bytes = 0;
let charts = 0;
for (let i = 0; i < reps; i++) {
  t = performance.now();
  const rep = buildHtmlReport(reportInputFromStored(store.get(lastId)));
  renders.push(performance.now() - t);
  bytes = Buffer.byteLength(rep.html);
  charts = rep.charts.length;
}
store.close();
rmSync(dir, { recursive: true, force: true });
const p = median(plain);
const s = median(stored);
console.log(`run, no store (CPU ms):          ${plain.map(Math.round).join(', ')}  median ${Math.round(p)}`);
console.log(`run + detail + save (CPU ms):    ${stored.map(Math.round).join(', ')}  median ${Math.round(s)}`);
console.log(
  `overhead (median):               ${Math.round(s - p)} ms = ${((100 * (s - p)) / p).toFixed(1)} %`,
);
console.log(
  `save alone (open + write, ms):   ${saves.map(Math.round).join(', ')}; code hash (cold) ${Math.round(hashMs)} ms`,
);
console.log(`store size after ${reps} runs:        ${(size / 1e6).toFixed(2)} MB`);
console.log(
  `report from the store (ms):      ${renders.map(Math.round).join(', ')}; ${charts} charts, ${(bytes / 1e6).toFixed(2)} MB`,
);
