import { EnginePool } from '../../src/engine/parallel.ts';
import { cpuSince, threadCpu } from '../../src/engine/thread-cpu.ts';
import { runScenarioFileThreaded } from '../../src/scenario/run-threaded.ts';
const close = EnginePool.prototype.close;
EnginePool.prototype.close = async function () {
  const st = this.jobStats();
  for (const w of [0, 1]) {
    const mine = st.filter((s) => s.worker === w);
    const cpu = mine.reduce((t, s) => t + (s.cpuMs ?? 0), 0);
    const wait = mine.reduce((t, s) => t + (s.waitMs ?? 0), 0);
    const build = mine.reduce((t, s) => t + s.buildMs, 0);
    console.log(`w${w}: jobs ${mine.length} cpu ${cpu.toFixed(0)} wait ${wait.toFixed(0)} build ${build.toFixed(0)} first3 ${mine.slice(0, 3).map((s) => s.cpuMs?.toFixed(0)).join(',')}`);
  }
  return close.call(this);
};
const file = process.argv[2] ?? 'examples/article-case.yaml';
const threads = Number(process.argv[3] ?? 2);
const a = threadCpu(); const p = process.cpuUsage(); const t0 = performance.now();
await runScenarioFileThreaded(file, { threads });
const c = cpuSince(a, threadCpu())!; const pc = process.cpuUsage(p);
console.log(`threads ${threads}: wall ${(performance.now() - t0).toFixed(0)} main cpu ${(c.cpuNs / 1e6).toFixed(0)} proc cpu ${((pc.user + pc.system) / 1e3).toFixed(0)}`);
