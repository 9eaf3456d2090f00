/**
 * The bad-input catalogue of issue 11: one case (at least) per class of input that hedgekit once
 * accepted silently, answered with NaN/Infinity, or answered with a stack trace. Each case drives
 * the CLI through `runCli` with a captured CliIo (or a real child process where the process itself
 * matters: pipes closed by the reader) and asserts the one-line error, its field and its bound.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonFiniteResultError, parseScenario, requireFiniteFields } from '../src/api.ts';
import { runCli } from '../src/cli/program.ts';

const root = new URL('../', import.meta.url).pathname;

async function cli(...argv: string[]) {
  const out: string[] = [];
  let err = '';
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (t) => (err += t) });
  return { code, out, err, stdout: out.join('\n') };
}

function tmpFile(name: string, text: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'hedgekit-bad-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A stack frame as Node prints it: `    at fn (file.ts:12:3)`. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

const CALL = [
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
];
const withFlags = (over: Record<string, string>) => {
  const m = new Map<string, string>();
  for (let i = 0; i < CALL.length; i += 2) m.set(CALL[i], CALL[i + 1]);
  for (const [k, v] of Object.entries(over)) m.set(k, v);
  return [...m].flat();
};

/** A small valid scenario; `extra` lines are appended at the top level. */
const scenario = (extra = '', top = '') => `name: t
${top}portfolio:
  assets:
    - { name: eq, class: equity, weight: 1 }
floor: { level: 0.8 }
markets:
  - kind: gbm
    vols: [0.2]
strategies:
  - { kind: buy-and-hold }
  - { kind: cppi, multiplier: 4 }
${extra}`;

function scenarioError(text: string): string {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the scenario to be refused');
}

describe('§1 numbers outside their stated bounds are refused at the edge, naming field and bound', () => {
  it.each([
    [{ '--rate': '-800' }, '--rate: must be >= -1 (got -800)'],
    [{ '--rate': '-1e308' }, '--rate: must be >= -1 (got -1e+308)'],
    [{ '--rate': '2' }, '--rate: must be <= 1 (annual decimal, 1 = 100 %) (got 2)'],
    [{ '--expiry': '1e308', '--type': 'put' }, '--expiry: must be <= 100 (years) (got 1e+308)'],
    [{ '--vol': '50' }, '--vol: must be <= 10 (annual decimal, 10 = 1,000 %) (got 50)'],
    [{ '--spot': '1e300' }, '--spot: must be <= 1,000,000,000,000 (currency) (got 1e+300)'],
    [{ '--dividend': '-5' }, '--dividend: must be >= -1 (got -5)'],
  ])('price %j → %s', async (over, message) => {
    const r = await cli('price', ...withFlags(over), '--json');
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toBe(`hedgekit: ${message}\n`);
  });

  it('an American put with a huge expiry is refused, not priced into NaN Greeks', async () => {
    const r = await cli(
      'price',
      ...withFlags({ '--type': 'put', '--style': 'american', '--expiry': '1e308' }),
    );
    expect(r.code).toBe(2);
    expect(r.stdout).not.toMatch(/NaN|Infinity|null/);
    expect(r.err).toContain('--expiry: must be <= 100 (years)');
  });

  it.each([
    ['rate: 1e308\n', 'rate: must be <= 1 (annual decimal, 1 = 100 %) (got 1e+308)'],
    ['horizon: 1e9\n', 'horizon: must be <= 100 (years) (got 1000000000)'],
    ['paths: 1e9\n', 'paths: must be <= 10,000,000 (paths) (got 1000000000)'],
    ['stepsPerYear: 1e7\n', 'stepsPerYear: must be <= 100,000 (steps per year) (got 10000000)'],
    ['borrowSpread: 5\n', 'borrowSpread: must be <= 1 (annual decimal, 1 = 100 %) (got 5)'],
  ])('scenario %j → %s', (extra, message) => {
    expect(scenarioError(scenario(extra))).toContain(message);
  });

  it.each([
    [
      '  - { kind: protective-put, strike: 1e300 }\n',
      'strategies[2].strike: must be <= 1e12 (the bound on any number hedgekit reads) (got 1e+300)',
    ],
    ['  - { kind: synthetic-put, vol: 1e300 }\n', 'strategies[2].vol: must be <= 1e12'],
    ['  - { kind: cppi, multiplier: 1e300 }\n', 'strategies[2].multiplier: must be <= 1e12'],
  ])('a strategy parameter with no bound of its own still has the general one: %j', (extra, message) => {
    expect(scenarioError(scenario(extra))).toContain(message);
  });

  it('a kernel result with NaN or ±Infinity is a typed error naming the field, never output', () => {
    expect(requireFiniteFields({ price: 1, delta: 0.5 })).toEqual({ price: 1, delta: 0.5 });
    expect(() => requireFiniteFields({ price: 1, gamma: Number.NaN })).toThrow(NonFiniteResultError);
    expect(() => requireFiniteFields({ price: Number.POSITIVE_INFINITY })).toThrow(
      /price came out \+Infinity/,
    );
    try {
      requireFiniteFields({ vega: Number.NaN });
    } catch (e) {
      expect((e as NonFiniteResultError).code).toBe('non-finite');
      expect((e as NonFiniteResultError).field).toBe('vega');
    }
  });
});

// Values a user (or a fuzzer) might type for a numeric flag or cell.
const numericText = fc.oneof(
  fc.double({ noNaN: false }).map(String),
  fc.double({ min: -2, max: 2, noNaN: true }).map(String),
  fc.double({ min: 1e-12, max: 1e13, noNaN: true }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom(
    '0x64',
    '0b11',
    'Infinity',
    '-Infinity',
    'NaN',
    'abc',
    '1e308',
    '-1e308',
    '5e-324',
    '1_000',
    '.5',
    '1e',
  ),
);
const FIELDS = ['spot', 'strike', 'expiry', 'vol', 'rate', 'dividend'] as const;
const optionRow = fc.record({
  type: fc.constantFrom('call', 'put'),
  style: fc.constantFrom('european', 'american'),
  spot: numericText,
  strike: numericText,
  expiry: numericText,
  vol: numericText,
  rate: numericText,
  dividend: numericText,
});

/** Every number in a JSON output value is finite (JSON has no NaN/Infinity; null would stand for one). */
function allFinite(v: Record<string, unknown>): boolean {
  return Object.values(v).every((x) => typeof x === 'number' && Number.isFinite(x));
}

describe('§1 property: every output line is finite numbers or a typed error; never a stack frame', () => {
  it('price from random flag values', async () => {
    await fc.assert(
      fc.asyncProperty(optionRow, async (row) => {
        const argv = ['price', '--json', '--type', row.type, '--style', row.style];
        for (const f of FIELDS) argv.push(`--${f}`, row[f]);
        const r = await cli(...argv);
        expect(r.err).not.toMatch(STACK_FRAME);
        expect(r.stdout).not.toMatch(/NaN|Infinity|null/);
        if (r.code === 0) {
          expect(r.out).toHaveLength(1);
          expect(allFinite(JSON.parse(r.out[0]))).toBe(true);
        } else {
          expect(r.code).toBe(2);
          expect(r.err).toMatch(/^hedgekit: --?[a-z]/);
          expect(r.err.trimEnd().split('\n')).toHaveLength(1);
        }
      }),
      { seed: 11, numRuns: 150 },
    );
  });

  it('price --file from random option-file rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(optionRow, { minLength: 1, maxLength: 8 }), async (rows) => {
        const csv = [
          `type,style,${FIELDS.join(',')}`,
          ...rows.map((r) => [r.type, r.style, ...FIELDS.map((f) => r[f])].join(',')),
        ].join('\n');
        const r = await cli('price', '--file', tmpFile('rows.csv', csv), '--json');
        expect(r.err).not.toMatch(STACK_FRAME);
        expect(r.out).toHaveLength(rows.length);
        for (const line of r.out) {
          const v = JSON.parse(line);
          if ('error' in v) {
            expect(typeof v.row).toBe('number');
            expect(v.error.code).toMatch(/^[a-z-]+$/);
            expect(v.error.message).toMatch(/^rows\.csv:\d+: /);
          } else expect(allFinite(v)).toBe(true);
        }
        expect([0, 1]).toContain(r.code);
      }),
      { seed: 12, numRuns: 60 },
    );
  });

  it('iv from random flag values', async () => {
    await fc.assert(
      fc.asyncProperty(optionRow, numericText, async (row, price) => {
        const argv = ['iv', '--json', '--type', row.type, '--style', row.style, '--price', price];
        for (const f of FIELDS) if (f !== 'vol') argv.push(`--${f}`, row[f]);
        const r = await cli(...argv);
        expect(r.err).not.toMatch(STACK_FRAME);
        expect(r.stdout).not.toMatch(/NaN|Infinity|null/);
        if (r.code === 0) expect(allFinite(JSON.parse(r.out[0]))).toBe(true);
        else expect(r.err).toMatch(/^hedgekit: /);
      }),
      { seed: 13, numRuns: 100 },
    );
  });
});

/** Runs the real CLI with its stdout read only up to `bytes`, then closed; resolves with its exit code and stderr. */
function readThenClose(
  args: string[],
  bytes: number,
): Promise<{ code: number | null; signal: string | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/hedgekit.js', ...args], { cwd: root });
    let got = 0;
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= bytes) child.stdout.destroy();
    });
    child.on('close', (code, signal) => resolve({ code, signal, err }));
  });
}

describe('§1 a reader that closes the pipe early ends the program quietly (real processes)', () => {
  const bigChain = tmpFile(
    'big.csv',
    [
      'type,spot,strike,expiry,vol,rate',
      ...Array.from({ length: 20000 }, (_, i) => `call,100,${50 + (i % 100)},1,0.2,0.05`),
    ].join('\n'),
  );
  it.each([
    [
      [
        'vol',
        '--file',
        'data/eustockmarkets.csv',
        '--column',
        'DAX',
        '--model',
        'garch',
        '--horizon',
        '2000',
      ],
    ],
    [['run', 'examples/cppi-gap-risk.yaml', '--json', '--paths', '20']],
    [['price', '--file', bigChain, '--json']],
    [['price', '--file', bigChain]],
  ])(
    '%j',
    async (args) => {
      const r = await readThenClose(args, 10);
      expect(r.err).not.toMatch(STACK_FRAME);
      expect(r.err).not.toContain('EPIPE');
      expect([0, 141]).toContain(r.code ?? 141);
    },
    60_000,
  );
});

/** Writes a scenario next to the data folder's relative path and runs it through the CLI. */
async function runScenarioText(text: string, ...flags: string[]) {
  const p = tmpFile('s.yaml', text);
  return { file: p, ...(await cli('run', p, ...flags)) };
}

const HISTORY = (from: string, to = '1998-08-14') => `name: h
portfolio:
  assets:
    - { name: DAX, class: equity, weight: 1 }
floor: { level: 0.8 }
horizon: 0.5
markets:
  - { kind: history, file: ${join(root, 'data/eustockmarkets.csv')}, from: ${from}, to: ${to} }
strategies:
  - { kind: buy-and-hold }
  - { kind: cppi, multiplier: 4 }
`;

describe('§3 nothing accepted that should not be', () => {
  it('an impossible date in a scenario is refused like `vol --from` refuses it', async () => {
    const r = await runScenarioText(HISTORY('2020-02-30'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /s\.yaml:\d+: markets\[0\]\.from: must be a real calendar date \(no such day\) \(got "2020-02-30"\)/,
    );
    const v = await cli(
      'vol',
      '--file',
      join(root, 'data/eustockmarkets.csv'),
      '--column',
      'DAX',
      '--from',
      '2020-02-30',
    );
    expect(v.code).toBe(2);
  });

  it('ledgerPaths beyond the number of paths is an error, not an empty ledger', async () => {
    const r = await runScenarioText(scenario('ledgerPaths: [0, 50]\npaths: 20\n'), '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /s\.yaml:\d+: ledgerPaths\[1\]: path 50 does not exist: the most paths a market runs is 20 \(indices 0 to 19\)\n$/,
    );
  });

  it('hex, binary and Infinity spellings are not numbers, in flags and in option files', async () => {
    const f = await cli('price', ...withFlags({ '--spot': '0x64' }));
    expect(f.err).toBe('hedgekit: --spot: must be a number (got "0x64")\n');
    const h = await cli(
      'vol',
      '--file',
      join(root, 'data/eustockmarkets.csv'),
      '--column',
      'DAX',
      '--horizon',
      '0x10',
    );
    expect(h.err).toContain('--horizon: must be an integer >= 1 (got "0x10")');
    const csv = tmpFile(
      'hex.csv',
      'type,spot,strike,expiry,vol,rate\ncall,0x64,100,1,0.2,0.05\ncall,100,0b1,1,0.2,0.05\ncall,100,100,Infinity,0.2,0.05\n',
    );
    const r = await cli('price', '--file', csv, '--json');
    expect(r.code).toBe(1);
    expect(r.out.map((l) => JSON.parse(l).error.message)).toEqual([
      'hex.csv:2: spot: must be a number (got "0x64")',
      'hex.csv:3: strike: must be a number (got "0b1")',
      'hex.csv:4: expiry: must be a number (got "Infinity")',
    ]);
  });

  it('a history window starting decades before the data is refused, naming the first date', async () => {
    const v = await cli(
      'vol',
      '--file',
      join(root, 'data/eustockmarkets.csv'),
      '--column',
      'DAX',
      '--from',
      '1900-01-01',
      '--to',
      '1991-07-03',
    );
    expect(v.code).toBe(2);
    expect(v.err).toContain('from (1900-01-01) is 33418 days before the first date of the data (1991-07-01)');
    const r = await runScenarioText(HISTORY('1960-01-01', '1991-07-05'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('before the first date of the data (1991-07-01)');
  });

  it('a GARCH fit that did not converge is an error, not a result with persistence 1', async () => {
    const v = await cli(
      'vol',
      '--file',
      join(root, 'data/eustockmarkets.csv'),
      '--column',
      'DAX',
      '--from',
      '1998-07-10',
      '--json',
    );
    expect(v.code).toBe(2);
    expect(v.out).toEqual([]);
    expect(v.err).toMatch(
      /^hedgekit: GARCH\(1,1\) fit of column "DAX" \(25 returns\) did not converge.*use --model ewma or a longer window\n$/,
    );
  });

  it.each([
    ['head.csv', 'type,spot,strike,expiry,vol,rate\n', 'head.csv:1: no data rows after the header'],
    ['empty.jsonl', '\n\n', 'empty.jsonl:0: empty file: no rows'],
  ])('an option file with no data rows (%s) is an error, not an empty table', async (name, text, message) => {
    for (const json of [[], ['--json']]) {
      const r = await cli('price', '--file', tmpFile(name, text), ...json);
      expect(r.code).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err).toBe(`hedgekit: ${message}\n`);
    }
  });

  it('a scenario or book file beyond the size cap is refused before it is parsed', async () => {
    const big = `name: t\n# ${'x'.repeat(5_100_000)}\n`;
    const r = await runScenarioText(big);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/scenario file is 5\.1 MB; the limit is 5 MB/);
  });
});

describe('§3 messages that say what is wrong', () => {
  it('a two-flag rule does not end in "(got an object)"', async () => {
    const r = await cli('price', ...withFlags({ '--barrier': '80' }));
    expect(r.err).toBe('hedgekit: --barrier-type: is required when the other barrier field is given\n');
    const s = await cli('price', ...withFlags({ '--model': 'black76', '--forward': '100' }));
    expect(s.err).toBe('hedgekit: --spot: is only for model bsm (use forward)\n');
  });

  it('an unknown rebalance calendar lists the calendars', () => {
    expect(scenarioError(scenario('rebalance: { calendar: hourly }\n'))).toContain(
      'rebalance.calendar: must be daily, weekly, monthly, quarterly or a whole number of steps >= 1 (got "hourly")',
    );
  });

  it('maxExposure has a spelling for "no cap" that works in files', () => {
    const s = parseScenario(
      scenario('  - { kind: tipp, multiplier: 3, ratchet: 0.9, maxExposure: none }\n'),
      'ok.yaml',
    );
    expect(s.strategies[2].maxExposure).toBe(Number.POSITIVE_INFINITY);
    expect(
      scenarioError(scenario('  - { kind: tipp, multiplier: 3, ratchet: 0.9, maxExposure: .inf }\n')),
    ).toContain('maxExposure: must be a number > 0 or "none" (no cap) (got Infinity)');
  });

  it('an EWMA pricing vol without `initial` says that `initial` is required and what it is', () => {
    expect(scenarioError(scenario('', 'pricingVol: { kind: ewma }\n'))).toContain(
      'pricingVol.initial: is required: the starting annualized vol (one number for all assets, or a list, one per asset)',
    );
  });

  it('the synthetic-put floor error names the file, the line and the strategy', async () => {
    const r = await runScenarioText(
      scenario('  - { kind: synthetic-put }\n').replace('level: 0.8', 'level: 1'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /s\.yaml:12: strategies\[2\]\.floorAccrues: the guarantee 1·V0 must be < e\^\{rT\} = 1/,
    );
  });

  it('binary garbage is escaped, never echoed raw to the terminal', async () => {
    const r = await runScenarioText(
      Buffer.from([0, 1, 0xff, 0xfe, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x0a]).toString('latin1'),
    );
    expect(r.code).toBe(2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that there are none
    expect(r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(r.err).toContain('\\u001b[31m');
  });

  it('a CSV passed as a scenario is not repeated whole in the error', async () => {
    const r = await cli('run', join(root, 'data/eustockmarkets.csv'));
    expect(r.code).toBe(2);
    expect(r.err.length).toBeLessThan(300);
    expect(r.err).toMatch(/must be a mapping \(got "date,DAX,SMI,CAC,FTSE.*"… \([\d,]+ more characters\)\)/);
  });

  it('many bad list entries give the first few and a count; a huge list one line', () => {
    const list = (n: number) => `[${Array.from({ length: n }, () => '-1').join(', ')}]`;
    const m = scenarioError(scenario(`ledgerPaths: ${list(500)}\n`));
    expect(m.length).toBeLessThan(1000);
    expect(m).toContain('bad.yaml:12: ledgerPaths[0]: must be >= 0 (got -1)');
    expect(m).toMatch(/; … and 490 more issues \(500 in all\)$/);
    const huge = scenarioError(scenario(`ledgerPaths: ${list(100_000)}\n`));
    expect(huge).toBe(
      'bad.yaml:12: ledgerPaths: must list at most 1000 paths (each kept ledger holds every trade of its path) (got a list)',
    );
  });
});

describe('§2 memory and work are estimated before anything is allocated', () => {
  it('--paths beyond the memory budget is refused at once, saying how many paths fit', async () => {
    const r = await cli('run', join(root, 'examples/cppi-gap-risk.yaml'), '--paths', '10000000');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^hedgekit: .*paths: this run would need about 20 GB of memory .*the limit is 2\.00 GB: at most 1,000,000 paths per market fit with 5 strategies/,
    );
  });

  it('stepsPerYear × horizon beyond the work budget is refused, naming what to reduce', async () => {
    const r = await runScenarioText(scenario('stepsPerYear: 100000\nhorizon: 100\npaths: 2000\n'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('path-steps × strategies');
    expect(r.err).toContain('or use fewer stepsPerYear or a shorter horizon');
  });

  it('a price history beyond the size cap is refused before it is read', async () => {
    const p = tmpFile('huge.csv', 'date,X\n');
    truncateSync(p, 201_000_000); // sparse: no disk or time spent
    const r = await cli('vol', '--file', p, '--column', 'X');
    expect(r.code).toBe(2);
    expect(r.err).toContain('huge.csv: file is 201 MB; the limit is 200 MB');
  });

  it('vol --horizon is bounded (1e9 once ran out of memory after two minutes)', async () => {
    const r = await cli(
      'vol',
      '--file',
      join(root, 'data/eustockmarkets.csv'),
      '--column',
      'DAX',
      '--horizon',
      '1e9',
    );
    expect(r.code).toBe(2);
    expect(r.err).toBe('hedgekit: --horizon: must be <= 25,200 (got "1e9")\n');
  });
});
