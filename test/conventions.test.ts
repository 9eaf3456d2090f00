/**
 * House conventions that a type checker cannot see.
 *
 * `noUncheckedIndexedAccess` stays off (tsconfig.json): the hot loops index Float64Arrays on every
 * path, and the flag would turn each `a[p]` into `number | undefined`, to be asserted (noise) or
 * checked (a branch per element in the kernels). So an index expression is a number, and an
 * assertion on `a[p]` would assert nothing: there are none, and this test keeps it so. Bounds are
 * guaranteed by construction (arrays sized from nPaths / nAssets at init) and checked at the edges.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;
/** `]` followed by `!`, built so that this file does not match itself. */
const ASSERTED_INDEX = new RegExp(['\\]', '!'].join(''));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('conventions', () => {
  it('no non-null assertion on an indexed access: with noUncheckedIndexedAccess off it asserts nothing', () => {
    const offenders: string[] = [];
    for (const dir of ['src', 'test', 'bench', 'scripts']) {
      for (const f of tsFiles(join(root, dir))) {
        readFileSync(f, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (ASSERTED_INDEX.test(line.replace(/'[^']*'|"[^"]*"|`[^`]*`|\/\/.*$|\/\*.*$/g, '')))
              offenders.push(`${f.slice(root.length)}:${i + 1}`);
          });
      }
    }
    expect(offenders).toEqual([]);
  });

  it('tsconfig keeps noUncheckedIndexedAccess off (the decision above)', () => {
    const cfg = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
    expect(cfg.compilerOptions.noUncheckedIndexedAccess).toBe(false);
  });
});
