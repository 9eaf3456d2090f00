#!/usr/bin/env node
// Entry point of the `hedgekit` command. An installed package runs the compiled JavaScript in dist/
// (built by `npm run build`, which `npm ci` / `npm pack` run through the `prepare` script): start-up
// ≈ 0.2 s. In a source checkout whose dist/ is missing or older than a file under src/, it runs the
// TypeScript sources through tsx instead (≈ 1 s), so a stale build is never what runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'main.js');

/** Newest modification time (ms) of the files under `dir`, recursively. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const src = join(root, 'src');
const fresh = existsSync(compiled) && (!existsSync(src) || statSync(compiled).mtimeMs >= newest(src));
if (fresh) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
