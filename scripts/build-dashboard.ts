/**
 * Bundles the live dashboard (web/dashboard/, preact + uPlot) with esbuild into
 * dist/web/dashboard/ {index.html, app.js, app.css}, where `hedgekit live --api` serves it
 * (src/server/dashboard.ts). Run by `npm run build` (so by `npm ci` and `npm pack` through
 * `prepare`); prints the sizes, raw and gzipped, against the 150 kB gzip budget.
 *
 *   npx tsx scripts/build-dashboard.ts [outDir]
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Budget for the whole page (HTML + JS + CSS), gzipped bytes (issue 10 §3). */
export const DASHBOARD_GZIP_BUDGET = 150 * 1024;

export const DASHBOARD_FILES = ['index.html', 'app.js', 'app.css'] as const;

export interface BundleSize {
  readonly file: string;
  readonly bytes: number;
  readonly gzip: number;
}

/** Builds the bundle into `outDir` (default dist/web/dashboard) and returns each file's size. */
export async function buildDashboard(outDir = join(root, 'dist/web/dashboard')): Promise<BundleSize[]> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { app: join(root, 'web/dashboard/main.tsx') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'eof',
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'web/dashboard/index.html'), join(outDir, 'index.html'));
  return DASHBOARD_FILES.map((file) => {
    const data = readFileSync(join(outDir, file));
    return { file, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = await buildDashboard(process.argv[2]);
  const total = sizes.reduce((s, x) => s + x.gzip, 0);
  for (const s of sizes)
    console.log(
      `dashboard ${s.file.padEnd(10)} ${String(s.bytes).padStart(7)} B, ${String(s.gzip).padStart(6)} B gzipped`,
    );
  console.log(`dashboard total ${total} B gzipped (budget ${DASHBOARD_GZIP_BUDGET} B)`);
  if (total > DASHBOARD_GZIP_BUDGET) {
    console.error('dashboard bundle over its gzip budget');
    process.exit(1);
  }
}
