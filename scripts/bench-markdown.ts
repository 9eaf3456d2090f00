/**
 * Formats `npm run bench -- --json` output as the Markdown table of BENCHMARKS.md:
 *   npm run bench --silent -- --json > /tmp/bench.json && node --import tsx scripts/bench-markdown.ts /tmp/bench.json
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

interface Row {
  name: string;
  unit: string;
  nsPerUnit: number;
  n: number;
  accuracy?: Record<string, number>;
  description?: string;
}

const text = readFileSync(process.argv[2] ?? 0, 'utf8');
const rows = JSON.parse(text.slice(text.indexOf('['))) as Row[];
const fmt = (x: number) =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} ms` : x >= 1e4 ? `${(x / 1e3).toFixed(1)} µs` : `${x.toFixed(1)} ns`;
console.log(
  `Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`,
);
console.log('');
console.log('| workload | per unit | unit | n | accuracy | what |');
console.log('|---|---:|---|---:|---|---|');
for (const r of rows) {
  const acc = r.accuracy
    ? Object.entries(r.accuracy)
        .map(([k, v]) => `${k} ${Number(v).toPrecision(3)}`)
        .join(', ')
    : '';
  console.log(
    `| \`${r.name}\` | ${fmt(r.nsPerUnit)} | ${r.unit} | ${r.n.toLocaleString('en-US')} | ${acc} | ${r.description ?? ''} |`,
  );
}
