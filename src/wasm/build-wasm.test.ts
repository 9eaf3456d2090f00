import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileKernel, KERNELS, renderModule } from '../../scripts/wasm-build.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('generated WebAssembly modules', () => {
  for (const k of KERNELS) {
    it(`${k.output} is byte-identical to a fresh build of ${k.source} (npm run build:wasm)`, async () => {
      const fresh = renderModule(k, await compileKernel(root, k));
      expect(readFileSync(join(root, k.output), 'utf8') === fresh, 'run npm run build:wasm and commit').toBe(
        true,
      );
    });
  }
});
