/**
 * Issue 11 §5: hedgekit as an npm package. `npm pack` (which builds dist/ through `prepare`), then
 * `npm install <tarball>` into an empty folder, and there: the `hedgekit` command runs the compiled
 * CLI; `import { bsmPrice } from 'hedgekit'` works from plain Node 20 (no tsx); a TypeScript consumer
 * type-checks against the shipped declarations; a worker-thread engine run works from the compiled
 * code. Runs in CI (.ci/run); it needs the npm registry (or a warm npm cache) for the dependencies.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

/**
 * A copy of the package's own files to pack from: `npm pack` runs `prepare` (the build), and building
 * into this checkout's dist/ while other tests run bin/hedgekit.js could let them load a half-written
 * build.
 */
function packageCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'hedgekit-src-'));
  for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md'])
    cpSync(join(root, f), join(copy, f));
  // the build also bundles the live dashboard (web/ → dist/web/dashboard)
  mkdirSync(join(copy, 'scripts'));
  cpSync(join(root, 'scripts/build-dashboard.ts'), join(copy, 'scripts/build-dashboard.ts'));
  for (const d of ['src', 'bin', 'schemas', 'examples', 'scenarios', 'data', 'web'])
    cpSync(join(root, d), join(copy, d), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hedgekit-pack-'));
  npm(['pack', '--pack-destination', dir], packageCopy());
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  // --ignore-scripts: native builds of optional server dependencies are not needed to test the package.
  npm(['install', `./${tarball}`, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
}, 300_000);

const node = (args: string[]) =>
  execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the packed package, installed in an empty folder', () => {
  it('ships compiled JavaScript and declarations, not the TypeScript sources', () => {
    const files = readdirSync(join(dir, 'node_modules/hedgekit'));
    expect(files).toEqual(expect.arrayContaining(['dist', 'bin', 'package.json', 'README.md']));
    expect(files).not.toContain('src');
    expect(readdirSync(join(dir, 'node_modules/hedgekit/dist'))).toEqual(
      expect.arrayContaining(['api.js', 'api.d.ts']),
    );
    // the live dashboard's bundle, served by `hedgekit live --api` (src/server/dashboard.ts)
    expect(readdirSync(join(dir, 'node_modules/hedgekit/dist/web/dashboard')).sort()).toEqual([
      'app.css',
      'app.js',
      'index.html',
    ]);
  });

  it('the hedgekit command runs (compiled CLI)', () => {
    const out = node([
      'node_modules/hedgekit/bin/hedgekit.js',
      'price',
      '--type',
      'call',
      '--spot',
      '100',
      '--strike',
      '100',
      '--expiry',
      '1',
      '--vol',
      '0.2',
      '--rate',
      '0.05',
      '--json',
    ]);
    expect(JSON.parse(out).price).toBeCloseTo(10.450583572185565, 12);
  });

  it("import { bsmPrice } from 'hedgekit' works from plain Node", () => {
    writeFileSync(
      join(dir, 'plain.mjs'),
      "import { bsmPrice } from 'hedgekit';\nconsole.log(bsmPrice('call', 100, 100, 1, 0.05, 0, 0.2));\n",
    );
    expect(Number(node(['plain.mjs']))).toBeCloseTo(10.450583572185565, 12);
  });

  it('a TypeScript consumer type-checks against the shipped declarations', () => {
    writeFileSync(
      join(dir, 'consumer.ts'),
      "import { bsmPrice, type OptionValuation, priceOption } from 'hedgekit';\n" +
        "const x: number = bsmPrice('call', 100, 100, 1, 0.05, 0, 0.2);\n" +
        "const v: OptionValuation = priceOption({ type: 'put', style: 'european', model: 'bsm', underlying: 100, strike: 100, expiry: 1, rate: 0, dividend: 0 }, 0.2);\n" +
        '// @ts-expect-error: the type is checked\nconst bad: string = bsmPrice;\nexport { x, v, bad };\n',
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      encoding: 'utf8',
    });
  });

  it('worker-thread engine runs work from the compiled code', () => {
    writeFileSync(
      join(dir, 'builder.mjs'),
      `import { GbmGenerator, buyAndHold, constantRate, costModel, uniformGrid } from 'hedgekit';
export function gbm(args, range) {
  const weights = Float64Array.of(1);
  return {
    generator: new GbmGenerator({ assets: [{ name: 'EQ', assetClass: 'equity', spot: 100 }], vols: [0.2], rate: constantRate(0.02) }),
    grid: uniformGrid(1, 52), nPaths: range.nPaths, firstPath: range.firstPath, seed: args.seed, initialValue: 100,
    runs: [{ strategy: buyAndHold({ weights }), costs: costModel(), rebalance: {}, vols: { kind: 'constant', vol: 0.2 } }],
    stepsPerYear: 52, chunkPaths: 512,
  };
}
`,
    );
    writeFileSync(
      join(dir, 'parallel.mjs'),
      `import { runEngineParallel } from 'hedgekit';
const spec = { module: new URL('./builder.mjs', import.meta.url).href, builder: 'gbm', args: { seed: 3 }, nPaths: 2048 };
const a = await runEngineParallel(spec, { workers: 2 });
const b = await runEngineParallel(spec, { workers: 1 });
console.log(JSON.stringify({ n: a.runs[0].terminal.length, same: a.runs[0].terminal.every((x, i) => x === b.runs[0].terminal[i]) }));
`,
    );
    expect(JSON.parse(node(['parallel.mjs']))).toEqual({ n: 2048, same: true });
  });
});
