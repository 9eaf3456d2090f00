/**
 * Architecture rules checked on the source text (docs/architecture.md, STYLE §1 and §4):
 * - src/cli sees the library only through src/api.ts (plus its own modules and npm/node packages);
 * - only src/cli/main.ts touches `process`: every other module gets what it needs injected;
 * - the volatility module's step kernels depend on core only (market/ and paths/ use them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(SRC, 'cli');
const API = join(SRC, 'api.ts');
const MAIN = join(CLI, 'main.ts');
/** This file: its self-check below holds sample imports as strings, not as imports. */
const SELF = fileURLToPath(import.meta.url);

/**
 * Lines outside src/cli/main.ts that still use `process`, in folders being rewritten elsewhere at
 * the time this test was written. Each entry is exempt for exactly that line's text (trimmed); an
 * entry that no longer matches fails the test, so the list only shrinks. TO EMPTY: give the module
 * the value as a parameter (the CLI passes it from main.ts), then delete the entry.
 */
const PROCESS_ALLOW_LIST: readonly { file: string; line: string }[] = [];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const rel = (file: string) => relative(SRC, file).split(sep).join('/');
const isTest = (file: string) => file.endsWith('.test.ts');

/** The text with comments blanked (line structure kept), so docs may mention `process.exit`. */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Module specifiers of static imports/re-exports, side-effect imports, import() and new URL(…, import.meta.url). */
function specifiers(text: string): string[] {
  const code = withoutComments(text);
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\bnew\s+URL\(\s*['"`]([^'"`]+\.ts)['"`]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

/** Uses of the `process` global (or the node:process module) in code, as `line: text`. */
function processUses(text: string): { line: number; text: string }[] {
  const lines = withoutComments(text).split('\n');
  const original = text.split('\n');
  const re =
    /(?<![\w$.])process\s*(?:\.|\[|\?\.)|\bglobalThis\.process\b|(?:\bfrom\s*|\bimport\s*\(\s*)['"](?:node:)?process['"]/;
  return lines.flatMap((l, i) => (re.test(l) ? [{ line: i + 1, text: original[i].trim() }] : []));
}

describe('layering', () => {
  it('src/cli imports only src/api.ts, cli-local modules and packages', () => {
    const bad: string[] = [];
    for (const file of sourceFiles(CLI)) {
      if (file === SELF) continue;
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue; // npm and node: packages
        const target = resolve(dirname(file), spec);
        const local = target === CLI || target.startsWith(CLI + sep);
        if (!(local || target === API)) bad.push(`${rel(file)} imports ${spec}`);
      }
    }
    expect(bad, 'src/cli must reach the library through src/api.ts only').toEqual([]);
  });

  it('the volatility step kernels depend on core only, so market inputs and path models can use them', () => {
    // The one EWMA and GARCH filter step (volatility/ewma.ts, garch.ts) is used by the pricing vol
    // (market/) and the replay (paths/): it must sit below both (docs/architecture.md).
    const VOL = join(SRC, 'volatility');
    const bad: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (target.startsWith(join(SRC, 'core') + sep)) continue;
        if (target.startsWith(VOL + sep)) visit(target);
        else bad.push(`${rel(file)} imports ${spec}`);
      }
    };
    visit(join(VOL, 'ewma.ts'));
    visit(join(VOL, 'garch.ts'));
    expect(bad, 'volatility/ewma.ts and garch.ts (and what they import) may import only core/').toEqual([]);
  });

  it('only src/cli/main.ts uses process (tests, bench/ and scripts/ excepted)', () => {
    const allowed = new Set(PROCESS_ALLOW_LIST.map((a) => `${a.file}\n${a.line}`));
    const used = new Set<string>();
    const bad: string[] = [];
    for (const file of sourceFiles(SRC)) {
      // Test files spawn the CLI (process.execPath) and change directory; they are not the product.
      if (file === MAIN || isTest(file)) continue;
      for (const u of processUses(readFileSync(file, 'utf8'))) {
        const key = `${rel(file)}\n${u.text}`;
        if (allowed.has(key)) used.add(key);
        else bad.push(`${rel(file)}:${u.line}: ${u.text}`);
      }
    }
    expect(bad, 'pass the value in from src/cli/main.ts instead of reading process').toEqual([]);
    const stale = [...allowed].filter((k) => !used.has(k)).map((k) => k.replace('\n', ': '));
    expect(stale, 'PROCESS_ALLOW_LIST entries that no longer match: delete them').toEqual([]);
  });

  it('the checks see what they look for', () => {
    expect(
      specifiers(`import { a } from '../x.ts';\nexport * from "./y.ts";\nawait import('../z.ts');`),
    ).toEqual(['../x.ts', './y.ts', '../z.ts']);
    expect(specifiers(`import type {\n  A,\n  B,\n} from '../engine/engine.ts';`)).toEqual([
      '../engine/engine.ts',
    ]);
    expect(specifiers(`const w = new URL('../engine/worker.ts', import.meta.url);`)).toEqual([
      '../engine/worker.ts',
    ]);
    const uses = processUses(
      `// process.exit in a comment\n/** process.env */\nconst a = process.env.X;\nprocess?.exit(1);\nimport { argv } from 'node:process';\nconst jump = 'process';\nmyprocess.x;\nthis.process.y;\nconst p = await import('process');`,
    );
    expect(uses.map((u) => u.line)).toEqual([3, 4, 5, 9]);
  });
});
