/**
 * Serves the live dashboard (web/dashboard/, bundled by scripts/build-dashboard.ts into
 * dist/web/dashboard/) next to the API, same origin: `GET /` is the page, `/dashboard/app.js` and
 * `/dashboard/app.css` its bundle. The files are read on each request (a rebuild shows on reload).
 * The bundle sits at the package root's dist/web/dashboard, which this module finds the same way
 * from src/server (a source checkout) and dist/server (the built package). A missing bundle answers
 * 503 naming the command that builds it.
 *
 * Headers: a Content-Security-Policy that allows only this origin (scripts, styles, fetch and the
 * WebSocket stream) and no framing; the page holds no secret (the operator types the bearer token).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** Where the built bundle lives (src/server/ and dist/server/ are both two levels below the root). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/web/dashboard/', import.meta.url));

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // uPlot and preact set element styles from script
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/dashboard/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/dashboard/app.css': ['app.css', 'text/css; charset=utf-8'],
};

/** Adds the dashboard's routes to the API app. */
export function registerDashboard(app: FastifyInstance, dir = DASHBOARD_DIR): void {
  for (const [path, [file, type]] of Object.entries(FILES)) {
    app.get(path, async (_req, reply) => {
      const full = join(dir, file);
      if (!existsSync(full))
        return reply.code(503).send({
          error: `the dashboard is not built (${full} is missing): run \`npm run build\``,
        });
      return reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .send(await readFile(full));
    });
  }
  app.get('/dashboard', async (_req, reply) => reply.redirect('/'));
}
