/**
 * `hedgekit sweep`: the table with the frontier, JSON output, the result file, exit codes for bad
 * input and a clean interruption (exit 130, how to resume).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.ts';
import { runCli } from '../src/cli/program.ts';
import { SWEEP, writeSweep } from './support/sweep-fixture.ts';

async function cli(argv: string[], extra: Partial<CliIo> = {}) {
  const out: string[] = [];
  let err = '';
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (t) => (err += t), ...extra });
  return { code, err, stdout: out.join('\n') };
}

describe('hedgekit sweep', () => {
  it('prints one table per market with the frontier marked and writes the merged JSON', async () => {
    const { file, cache, dir } = writeSweep();
    const out = join(dir, 'out.json');
    const r = await cli(['sweep', file, '--threads', '1', '--cache', cache, '--out', out]);
    expect(r.err).toMatch(/sweep result written to .*out\.json/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Sweep "small" — 4 parameter points/);
    expect(r.stdout).toMatch(/Market: calm/);
    expect(r.stdout).toMatch(/Market: crash/);
    expect(r.stdout).toMatch(/│ 5 +│ 0\.9 +│ cppi/);
    expect(r.stdout).toContain('◆');
    expect(r.stdout).toMatch(/Shards: 24 \(0 from the cache, 24 computed\)/);
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.rows.length).toBe(16);
    expect(existsSync(join(cache, json.hash, 'result.json'))).toBe(true);
    // --json again: everything from the cache, the same rows
    const again = await cli(['sweep', file, '--cache', cache, '--json']);
    const j2 = JSON.parse(again.stdout);
    expect(j2.stats).toEqual({ shards: 24, cached: 24, computed: 0 });
    expect(JSON.stringify(j2.rows)).toBe(JSON.stringify(json.rows));
  });

  it('exits 2 with file:line for a bad sweep file and for a bad --threads', async () => {
    const { file, cache } = writeSweep(SWEEP.replace('floor.level: [0.75, 0.9]', 'floor.level: [0.75, 2]'));
    const r = await cli(['sweep', file, '--cache', cache]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^hedgekit: \S*sweep\.yaml:6: grid\.floor\.level: points 1 .* must be < 1\.5 \(got 2\); /,
    );
    const t = await cli(['sweep', file, '--threads', '0']);
    expect(t.code).toBe(2);
    expect(t.err).toBe('hedgekit: --threads: must be an integer >= 1 (got "0")\n');
  });

  it('stops cleanly when interrupted (exit 130) and says how to resume', async () => {
    const { file, cache } = writeSweep();
    const ctl = new AbortController();
    ctl.abort();
    const r = await cli(['sweep', file, '--cache', cache, '--threads', '2'], {
      interrupts: () => ctl.signal,
    });
    expect(r.code).toBe(130);
    expect(r.err).toMatch(
      /^hedgekit: interrupted: 0 of 24 shards done and cached in .*; run the same sweep again to compute only the rest\n$/,
    );
  });

  it('exits 2 with a clear message for a bad or unreachable --queue (sweep and worker)', async () => {
    const { file, cache } = writeSweep();
    const bad = await cli(['sweep', file, '--cache', cache, '--queue', 'http://localhost:6379']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'hedgekit: --queue: must be a URL redis://host:port (got "http://localhost:6379")\n',
    );
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    for (const argv of [
      ['sweep', file, '--cache', cache, '--queue', `redis://127.0.0.1:${port}`],
      ['worker', '--queue', `redis://127.0.0.1:${port}`],
    ]) {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `hedgekit: cannot reach Redis at redis://127.0.0.1:${port}: ECONNREFUSED (is redis-server running there? the --queue URL is redis://host:port)\n`,
      );
    }
  });
});

describe('hedgekit run --threads', () => {
  it('refuses a thread count that is not an integer >= 1', async () => {
    const r = await cli(['run', 'examples/article-case.yaml', '--threads', '1.5']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('hedgekit: --threads: must be an integer >= 1 (got "1.5")\n');
  });
});
