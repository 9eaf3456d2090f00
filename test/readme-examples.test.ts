/**
 * Issue 11 §5: the README's library examples run as they are. Every ```ts block that imports from
 * 'hedgekit' is written to a file inside this package (so the import resolves through the package's
 * own `exports`, like a user's) and run by Node with tsx; the `source` export condition maps
 * 'hedgekit' to src/api.ts, so the examples run against the sources under test (the installed
 * package's dist/ is covered by test/package/package.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;
const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1])
  .filter((code) => /from 'hedgekit'/.test(code));

describe("the README's library examples", () => {
  it('there are some', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((code, i) => [i + 1, code.split('\n')[0]] as const))(
    'block %i (%s …) runs as it is',
    (i) => {
      const dir = join(root, 'tmp', 'readme-examples');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `block-${i}.ts`);
      writeFileSync(file, blocks[i - 1]);
      // Throws (failing the test with the example's stderr) on any error the example raises.
      execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      });
    },
    150_000,
  );
});
