/**
 * What a stored run records about the code that made it: hedgekit's version (package.json) and a
 * hash of its source (every non-test `.ts` file under src/, sorted by path), so `runs diff` can say
 * whether the code changed between two runs even when the version did not.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('..', import.meta.url));

let cachedVersion: string | undefined;
let cachedCodeHash: string | undefined;

/** hedgekit's version from package.json, e.g. `0.1.0`. */
export function hedgekitVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')) as { version?: string };
    cachedVersion = pkg.version ?? 'unknown';
  }
  return cachedVersion;
}

function sourceFiles(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/**
 * SHA-256 (hex, first 16 characters) over the relative path and contents of every non-test `.ts`
 * file under src/, in sorted order: equal hashes mean the same engine code. Computed once per process.
 */
export function codeHash(): string {
  if (cachedCodeHash === undefined) {
    const h = createHash('sha256');
    for (const f of sourceFiles(SRC, []).sort()) {
      h.update(relative(SRC, f));
      h.update('\0');
      h.update(readFileSync(f));
      h.update('\0');
    }
    cachedCodeHash = h.digest('hex').slice(0, 16);
  }
  return cachedCodeHash;
}

/** SHA-256 (hex) of a scenario's text. */
export function scenarioHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
