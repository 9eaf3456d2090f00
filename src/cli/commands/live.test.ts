import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program.ts';

async function cli(argv: string[], stdin?: NodeJS.ReadableStream, onErr?: (t: string) => void) {
  const out: string[] = [];
  let err = '';
  const code = await runCli(argv, {
    stdout: (l) => out.push(l),
    stderr: (t) => {
      err += t;
      onErr?.(t);
    },
    stdin,
  });
  return { code, out, err, stdout: out.join('\n') };
}

const root = new URL('../../../', import.meta.url).pathname;

/** The example config with its store moved to a fresh directory (and optional edits). */
function example(edits: [string, string][] = []): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hedgekit-live-'));
  let t = readFileSync(join(root, 'examples/live-2008.yaml'), 'utf8')
    .replace(
      'scenario: live-2008-scenario.yaml',
      `scenario: ${join(root, 'examples/live-2008-scenario.yaml')}`,
    )
    .replace('file: ../data/sp500.csv', `file: ${join(root, 'data/sp500.csv')}`)
    .replace('store: live-2008.sqlite', `store: ${join(dir, 'live.sqlite')}`);
  for (const [a, b] of edits) {
    expect(t).toContain(a);
    t = t.replace(a, b);
  }
  const file = join(dir, 'live.yaml');
  writeFileSync(file, t);
  return { file, dir };
}

describe('hedgekit live', () => {
  it('runs the 2008 example: one line per step, the escalation alerts, a summary; no NaN', async () => {
    const { file } = example();
    const r = await cli(['live', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    expect(r.out[0]).toMatch(/^2008-09-02 +NORMAL +value 99\.\d\d +floor 80\.00 +cushion .*orders: buy /);
    expect(r.stdout).toMatch(/2008-09-29 +DE-RISK .*alerts: NORMAL→DE-RISK \(indexDrop\)/);
    expect(r.out[r.out.length - 1]).toMatch(
      /^live-2008: 44 steps, level [A-Z-]+, value \d+\.\d\d, floor 80\.00; ledger .*: \d+ fill, 89 market, \d+ order/,
    );
    // a second run resumes the ledger: the feed is already processed, nothing is added
    const again = await cli(['live', file, '--quiet']);
    expect(again.code, again.err).toBe(0);
    expect(again.out[again.out.length - 1]).toBe(r.out[r.out.length - 1]);
  });

  it('reads a JSON Lines feed on standard input', async () => {
    const { file } = example([
      ['feed:\n  kind: replay', 'feed:\n  kind: jsonl\n  file: "-"\nold:\n  kind: replay'],
    ]);
    // the edit above leaves the replay keys under an unknown key: the config is refused, naming it
    const bad = await cli(['live', file]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/live\.yaml:\d+: old: unknown key/);
    const { file: ok } = example();
    const text = readFileSync(ok, 'utf8')
      .replace(/feed:\n( {2}.*\n)+/, 'feed: { kind: jsonl, file: "-" }\n')
      .replace(/session: \{ steps: 43 \}/, 'session: { steps: 2 }');
    writeFileSync(ok, text);
    const lines = [
      { kind: 'bar', seq: 1, ts: 0, instrument: 'SPX', close: 100 },
      { kind: 'bar', seq: 2, ts: 86_400_000, instrument: 'SPX', close: 101 },
      { kind: 'bar', seq: 3, ts: 2 * 86_400_000, instrument: 'SPX', close: 99 },
    ];
    const r = await cli(['live', ok], Readable.from(lines.map((l) => `${JSON.stringify(l)}\n`)));
    expect(r.code, r.err).toBe(0);
    expect(r.out[0]).toMatch(/^1970-01-01 +NORMAL/);
    expect(r.out[r.out.length - 1]).toMatch(/: 3 steps, /);
  });

  it('names the file, line and rule of a bad config', async () => {
    const { file } = example([['latencyMs: 0', 'latencyMs: -5']]);
    const r = await cli(['live', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^hedgekit: .*live\.yaml:\d+: execution\.latencyMs: must be >= 0 \(got -5\)\n$/);
  });
});

describe('hedgekit feed', () => {
  it('serves a CSV window over a loopback WebSocket that hedgekit live consumes', async () => {
    const { file } = example([['  kind: replay\n', '  kind: ws\n  url: URL\nx:\n  kind: replay\n']]);
    let url = '';
    const served = cli(
      [
        'feed',
        join(root, 'data/sp500.csv'),
        '--column',
        'SPX=close',
        '--from',
        '2008-09-02',
        '--to',
        '2008-10-31',
        '--port',
        '0',
        '--clients',
        '1',
      ],
      undefined,
      (t) => {
        const m = /on (ws:\/\/\S+)/.exec(t);
        if (m) url = m[1];
      },
    );
    while (url === '') await new Promise((r) => setTimeout(r, 10));
    const cfg = readFileSync(file, 'utf8').replace('url: URL\nx:\n  kind: replay\n', `url: ${url}\nx:\n`);
    const clean = cfg.replace(/x:\n( {2}.*\n)+/, '');
    writeFileSync(file, clean);
    const r = await cli(['live', file, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out[0]).toMatch(/^live-2008: 44 steps, /);
    const f = await served;
    expect(f.code).toBe(0);
    expect(f.err).toMatch(/^hedgekit feed: 88 events of .*sp500\.csv on ws:\/\/127\.0\.0\.1:\d+\n$/);
  });

  it('refuses a bad flag', async () => {
    const r = await cli(['feed', 'x.csv', '--speed', 'fast']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`hedgekit: --speed: must be a number > 0 or 'max' (got "fast")\n`);
  });
});
