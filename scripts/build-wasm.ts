/**
 * `npm run build:wasm [-- --check]`: compiles the AssemblyScript kernels of src/wasm/assembly/ with
 * the pinned compiler (assemblyscript, exact version in package.json) and writes each module as
 * base64 into src/wasm/generated/<name>.wasm.ts, so that `npm ci && npm start` needs no compile step.
 * With `--check` it writes nothing and exits 1 when a committed file differs from a fresh build
 * (CI runs this through src/wasm/build-wasm.test.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASC_VERSION, compileKernel, KERNELS, renderModule } from './wasm-build.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
let differs = 0;
for (const k of KERNELS) {
  const bytes = await compileKernel(root, k);
  const text = renderModule(k, bytes);
  const target = join(root, k.output);
  let old = '';
  try {
    old = readFileSync(target, 'utf8');
  } catch {
    // not generated yet
  }
  if (check) {
    if (old !== text) {
      differs++;
      console.error(`${k.output}: differs from a fresh build of ${k.source} (run npm run build:wasm)`);
    } else console.log(`${k.output}: up to date (${bytes.length} bytes, assemblyscript ${ASC_VERSION})`);
  } else {
    writeFileSync(target, text);
    console.log(`${k.output}: ${bytes.length} bytes (assemblyscript ${ASC_VERSION})`);
  }
}
process.exitCode = differs > 0 ? 1 : 0;
