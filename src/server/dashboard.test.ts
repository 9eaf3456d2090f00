/**
 * The dashboard's routes (dashboard.ts): the page and its bundle with their content types and the
 * same-origin Content-Security-Policy; a missing bundle is a 503 naming the build command; the
 * bundle directory is the package root's dist/web/dashboard.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DIR, registerDashboard } from './dashboard.ts';

const dir = mkdtempSync(join(tmpdir(), 'hedgekit-dash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dashboard routes', () => {
  it('serve the page, its script and its style sheet with their types and a same-origin CSP', async () => {
    const built = join(dir, 'built');
    mkdirSync(built);
    writeFileSync(join(built, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(built, 'app.js'), 'console.log(1)');
    writeFileSync(join(built, 'app.css'), 'body{}');
    const app = Fastify();
    registerDashboard(app, built);
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe('<!doctype html><div id="app"></div>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const js = await app.inject('/dashboard/app.js');
    expect([js.statusCode, js.headers['content-type'], js.body]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'console.log(1)',
    ]);
    const css = await app.inject('/dashboard/app.css');
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect((await app.inject('/dashboard')).headers.location).toBe('/');
    await app.close();
  });

  it('answer 503 naming `npm run build` when the bundle is missing', async () => {
    const app = Fastify();
    registerDashboard(app, join(dir, 'nothing-here'));
    const r = await app.inject('/');
    expect(r.statusCode).toBe(503);
    expect(r.json().error).toMatch(
      /the dashboard is not built \(.*index\.html is missing\): run `npm run build`/,
    );
    await app.close();
  });

  it('look for the bundle in dist/web/dashboard at the package root', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    expect(DASHBOARD_DIR).toBe(join(root, 'dist/web/dashboard/'));
  });
});
