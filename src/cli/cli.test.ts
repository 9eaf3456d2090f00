import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bsmGreeks } from '../api.ts';
import { runCli } from './program.ts';

async function cli(...argv: string[]) {
  const out: string[] = [];
  let err = '';
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (t) => (err += t) });
  return { code, out, err, stdout: out.join('\n') };
}

const root = new URL('../../', import.meta.url).pathname;
const ex = (f: string) => join(root, 'examples', f);

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hedgekit-cli-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('hedgekit price', () => {
  it('prints price and Greeks of one option as JSON in base units', async () => {
    const r = await cli(
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
    );
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v).toEqual(bsmGreeks('call', 100, 100, 1, 0.05, 0, 0.2));
  });

  it('converts to broker units on request (vega per point, theta per day, rho per point)', async () => {
    const r = await cli(
      'price',
      '--type',
      'put',
      '--spot',
      '100',
      '--strike',
      '95',
      '--expiry',
      '0.5',
      '--vol',
      '0.3',
      '--rate',
      '0.02',
      '--json',
      '--broker-units',
    );
    const g = bsmGreeks('put', 100, 95, 0.5, 0.02, 0, 0.3);
    const v = JSON.parse(r.stdout);
    expect(v.vega).toBeCloseTo(g.vega / 100, 14);
    expect(v.theta).toBeCloseTo(g.theta / 365, 14);
    expect(v.rho).toBeCloseTo(g.rho / 100, 14);
  });

  it('prints a human-readable table with units by default', async () => {
    const r = await cli(
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
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('10.4506');
    expect(r.stdout).toContain('per 1.00 of vol');
  });

  it('rejects a negative vol naming the flag and the rule, exit code 2, no stack trace', async () => {
    const r = await cli(
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
      '-0.2',
      '--rate',
      '0.05',
    );
    expect(r.code).toBe(2);
    expect(r.err).toBe('hedgekit: --vol: must be >= 0 (got -0.2)\n');
  });

  it.each([
    [['--expiry', '0'], '--expiry: must be > 0 (got 0)'],
    [['--type', 'straddle'], '--type: must be call or put (got "straddle")'],
    [['--spot', 'abc'], '--spot: must be a number (got "abc")'],
    [['--barrier', '80'], '--barrier-type: is required when the other barrier field is given'],
    [['--model', 'black76'], '--forward: is required for model black76'],
  ])('rejects %j with "%s"', async (override, message) => {
    const base: Record<string, string> = {
      '--type': 'call',
      '--spot': '100',
      '--strike': '100',
      '--expiry': '1',
      '--vol': '0.2',
      '--rate': '0.05',
    };
    for (let i = 0; i < override.length; i += 2) base[override[i]] = override[i + 1];
    const r = await cli('price', ...Object.entries(base).flat());
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('rejects a missing required value and an unknown flag', async () => {
    const r = await cli(
      'price',
      '--type',
      'call',
      '--spot',
      '100',
      '--expiry',
      '1',
      '--vol',
      '0.2',
      '--rate',
      '0.05',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('--strike: is required');
    const u = await cli('price', '--colour', 'blue');
    expect(u.code).toBe(2);
    expect(u.err).toContain("unknown option '--colour'");
  });

  it('prices a CSV file row by row as JSON Lines, in order', async () => {
    const r = await cli('price', '--file', ex('chain.csv'), '--json');
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(Object.keys(lines[0])).toEqual(['price', 'delta', 'gamma', 'vega', 'theta', 'rho']);
    expect(lines[0].price).toBe(bsmGreeks('call', 100, 100, 1, 0.05, 0, 0.2).price);
    // American put >= European put; Black-76 delta is with respect to the forward.
    expect(lines[2].price).toBeGreaterThan(bsmGreeks('put', 100, 110, 0.5, 0.05, 0.02, 0.3).price);
  });

  it('prices a JSON Lines file', async () => {
    const r = await cli('price', '--file', ex('chain.jsonl'), '--json');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(2);
  });

  it('reports bad rows with their file:line and code while the other rows go on (exit 1)', async () => {
    const r = await cli('price', '--file', ex('bad-chain.csv'), '--json');
    expect(r.code).toBe(1);
    const lines = r.out.map((l) => JSON.parse(l));
    expect(lines[0].price).toBeCloseTo(10.4505835721856, 12);
    expect(lines.slice(1)).toEqual([
      { row: 2, error: { code: 'invalid-input', message: 'bad-chain.csv:3: vol: must be >= 0 (got -0.2)' } },
      {
        row: 3,
        error: {
          code: 'invalid-input',
          message: 'bad-chain.csv:4: type: must be call or put (got "straddle")',
        },
      },
      { row: 4, error: { code: 'invalid-input', message: 'bad-chain.csv:5: expiry: must be > 0 (got 0)' } },
      { row: 5, error: { code: 'malformed-row', message: 'bad-chain.csv:6: expected 6 fields, got 5' } },
      {
        row: 6,
        error: { code: 'invalid-input', message: 'bad-chain.csv:7: spot: must be a number (got "abc")' },
      },
    ]);
    expect(r.err).toContain('5 of 6 rows failed');
  });

  it('rejects an unknown column naming file:line, and a missing file', async () => {
    const p = tmpFile('chain.csv', 'type,spot,strike,expiry,volatility,rate\ncall,100,100,1,0.2,0.05\n');
    const r = await cli('price', '--file', p);
    expect(r.code).toBe(2);
    expect(r.err).toContain('chain.csv:1: unknown column "volatility" (column 5)');
    const m = await cli('price', '--file', '/nonexistent/chain.csv');
    expect(m.code).toBe(2);
    expect(m.err).toContain('/nonexistent/chain.csv: cannot read file (ENOENT)');
  });

  it('rejects option flags combined with --file', async () => {
    const r = await cli('price', '--file', ex('chain.csv'), '--vol', '0.2');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--vol: cannot be combined with --file');
  });
});

describe('hedgekit iv', () => {
  it('recovers the volatility of a priced option', async () => {
    const price = bsmGreeks('call', 100, 100, 1, 0.05, 0, 0.2).price;
    const r = await cli(
      'iv',
      '--type',
      'call',
      '--spot',
      '100',
      '--strike',
      '100',
      '--expiry',
      '1',
      '--rate',
      '0.05',
      '--price',
      String(price),
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).vol).toBeCloseTo(0.2, 14);
  });

  it('names the violated bound for an impossible price', async () => {
    const r = await cli(
      'iv',
      '--type',
      'call',
      '--spot',
      '100',
      '--strike',
      '50',
      '--expiry',
      '1',
      '--rate',
      '0',
      '--price',
      '10',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/below/);
    const up = await cli(
      'iv',
      '--type',
      'call',
      '--spot',
      '100',
      '--strike',
      '50',
      '--expiry',
      '1',
      '--rate',
      '0',
      '--price',
      '120',
    );
    expect(up.code).toBe(2);
    expect(up.err).toMatch(/upper bound/);
  });

  it('solves a file with per-row error codes below-intrinsic and above-upper-bound', async () => {
    const p = tmpFile(
      'quotes.csv',
      'type,spot,strike,expiry,rate,price\ncall,100,100,1,0.05,10.450583572185565\ncall,100,50,1,0,10\ncall,100,50,1,0,120\n',
    );
    const r = await cli('iv', '--file', p, '--json');
    expect(r.code).toBe(1);
    const lines = r.out.map((l) => JSON.parse(l));
    expect(lines[0].vol).toBeCloseTo(0.2, 13);
    expect(lines[1]).toMatchObject({ row: 2, error: { code: 'below-intrinsic' } });
    expect(lines[2]).toMatchObject({ row: 3, error: { code: 'above-upper-bound' } });
  });

  it('inverts an American price with the American engine', async () => {
    const priced = await cli(
      'price',
      '--type',
      'put',
      '--style',
      'american',
      '--spot',
      '100',
      '--strike',
      '110',
      '--expiry',
      '0.5',
      '--vol',
      '0.3',
      '--rate',
      '0.05',
      '--json',
    );
    const price = JSON.parse(priced.stdout).price as number;
    const r = await cli(
      'iv',
      '--type',
      'put',
      '--style',
      'american',
      '--spot',
      '100',
      '--strike',
      '110',
      '--expiry',
      '0.5',
      '--rate',
      '0.05',
      '--price',
      String(price),
      '--json',
    );
    expect(JSON.parse(r.stdout).vol).toBeCloseTo(0.3, 9);
  });
});

describe('hedgekit vol', () => {
  it('fits GARCH on the shipped DAX series and forecasts', async () => {
    const r = await cli(
      'vol',
      '--file',
      join(root, 'data/eustockmarkets.csv'),
      '--column',
      'DAX',
      '--model',
      'garch',
      '--horizon',
      '5',
      '--json',
    );
    expect(r.code).toBe(0);
    const est = JSON.parse(r.stdout);
    expect(est.forecast).toHaveLength(5);
    expect(est.params.alpha + est.params.beta).toBeLessThan(1);
  });

  it('names the unknown column and lists the available ones', async () => {
    const r = await cli('vol', '--file', join(root, 'data/eustockmarkets.csv'), '--column', 'NIKKEI');
    expect(r.code).toBe(2);
    expect(r.err).toContain('available: DAX, SMI, CAC, FTSE');
  });

  it('rejects a bad --horizon and a bad --model', async () => {
    const h = await cli(
      'vol',
      '--file',
      join(root, 'data/eustockmarkets.csv'),
      '--column',
      'DAX',
      '--horizon',
      '0',
    );
    expect(h.err).toContain('--horizon: must be an integer >= 1 (got "0")');
    const m = await cli(
      'vol',
      '--file',
      join(root, 'data/eustockmarkets.csv'),
      '--column',
      'DAX',
      '--model',
      'arch',
    );
    expect(m.code).toBe(2);
    expect(m.err).toContain('Allowed choices are ewma, garch, realized');
  });
});

describe('hedgekit regimes', () => {
  it('lists every named regime with its description, and all parameters as JSON', async () => {
    const r = await cli('regimes');
    for (const name of [
      'calm-bull',
      'bear-grind',
      'crash',
      'v-rebound',
      'whipsaw',
      'vol-spike',
      'stagflation',
      'hist-full',
    ])
      expect(r.stdout).toContain(name);
    const j = JSON.parse((await cli('regimes', '--json')).stdout) as {
      name: string;
      description: string;
      parameters: unknown;
    }[];
    expect(j.length).toBeGreaterThanOrEqual(10);
    for (const x of j) {
      expect(x.description.length).toBeGreaterThan(10);
      expect(x.parameters).toBeDefined();
    }
  });
});

describe('hedgekit binary', () => {
  it('runs as a process: --help on every command, demo, and non-zero exit on bad input', () => {
    const bin = join(root, 'bin/hedgekit.js');
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    for (const c of ['price', 'iv', 'vol', 'demo', 'regimes']) {
      expect(help).toContain(c);
      expect(execFileSync(process.execPath, [bin, c, '--help'], { encoding: 'utf8' })).toContain(
        'Usage: hedgekit',
      );
    }
    const demo = execFileSync(process.execPath, [bin, 'demo'], { encoding: 'utf8' });
    expect(demo).toContain('down-and-out');
    const bad = spawnSync(process.execPath, [bin, 'price', '--type', 'call'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toContain('    at ');
  });

  /** Spawns the CLI with stdout on a pipe whose reader closes after the first chunk. */
  function closeAfterFirstChunk(
    args: string[],
  ): Promise<{ code: number | null; stderr: string; got: string }> {
    const child = spawn(process.execPath, [join(root, 'bin/hedgekit.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let got = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.stdout.once('data', (chunk: Buffer) => {
      got = chunk.toString('utf8');
      child.stdout.destroy(); // like `| head -1`: the reader goes away, the next write gets EPIPE
    });
    return new Promise((done) => child.on('close', (code) => done({ code, stderr, got })));
  }

  it('exits quietly (code 0, no stack trace) when the reader of stdout closes early', async () => {
    const small = await closeAfterFirstChunk(['regimes']);
    expect(small.got.length).toBeGreaterThan(0);
    expect(small.stderr).toBe('');
    expect(small.code).toBe(0);
    // Far more than a pipe buffer (64 KiB) of JSON Lines: the writer must hit the closed pipe.
    const rows = ['type,spot,strike,expiry,vol,rate'];
    for (let i = 0; i < 4000; i++) rows.push(`call,100,${80 + (i % 40)},1,0.2,0.03`);
    const big = await closeAfterFirstChunk([
      'price',
      '--file',
      tmpFile('many.csv', rows.join('\n')),
      '--json',
    ]);
    expect(big.stderr).not.toContain('    at ');
    expect(big.stderr).not.toContain('EPIPE');
    expect(big.stderr).toBe('');
    expect(big.code).toBe(0);
  });
});
