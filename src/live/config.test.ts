import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIVE_SCHEMA_FILE, liveSchemaText } from '../../scripts/live/export-live-schema.ts';
import { loadLiveConfig, parseLiveConfig } from './config.ts';

const base = `name: t
scenario: x.yaml
feed: { kind: replay, file: data/sp500.csv }
store: t.sqlite
`;

describe('live config', () => {
  it('fills every default', () => {
    const c = parseLiveConfig(base, 't.yaml');
    expect(c.health).toEqual({ staleSeconds: 30, suspectSigmas: 8, lambda: 0.94, warmup: 20 });
    expect(c.execution).toEqual({ kind: 'paper', latencyMs: 0 });
    expect(c.api).toEqual({ host: '127.0.0.1', port: 8787, bodyLimit: 16384 });
    expect([c.snapshotEvery, c.commitEvery, c.session.mode]).toEqual([50, 1, 'bar']);
    expect(c.escalation).toBeUndefined();
    expect(c.feed).toMatchObject({ kind: 'replay', speed: 'max', fill: 'none' });
  });

  it('names the line, path and rule of every problem', () => {
    expect(() => parseLiveConfig(`${base}snapshotEvery: 0\n`, 't.yaml')).toThrow(
      't.yaml:5: snapshotEvery: must be >= 1 (got 0)',
    );
    expect(() => parseLiveConfig(base.replace('kind: replay', 'kind: kafka'), 't.yaml')).toThrow(
      /^t\.yaml:3: feed\.kind: /,
    );
    expect(() => parseLiveConfig(`${base}escalation: { indexDrop: { deRisk: 0.3 } }\n`, 't.yaml')).toThrow(
      /t\.yaml:5: escalation\.indexDrop\.protect: must be > deRisk \(0\.3\)/,
    );
    expect(() => parseLiveConfig(`${base}colour: red\n`, 't.yaml')).toThrow(/t\.yaml:5: colour: unknown key/);
  });

  it('validates an inline scenario with the scenario schema, located in the file', () => {
    const inline = base.replace(
      'scenario: x.yaml',
      'scenario:\n  name: s\n  portfolio: { initialValue: -1, assets: [] }',
    );
    expect(() => parseLiveConfig(inline, 't.yaml')).toThrow(/t\.yaml:4: scenario\.portfolio\.initialValue: /);
  });

  it('keeps the restart fingerprint across speed and API changes, not across the book', () => {
    const fp = (text: string) => {
      const file = join(mkdtempSync(join(tmpdir(), 'hk-cfg-')), 'l.yaml');
      writeFileSync(file, text);
      return loadLiveConfig(file).fingerprint;
    };
    const a = fp(base);
    expect(fp(base.replace('file: data/sp500.csv', 'file: data/sp500.csv, speed: 5'))).toBe(a);
    expect(fp(`${base}api: { port: 9999 }\n`)).toBe(a);
    expect(fp(`${base}trade: other\n`)).not.toBe(a);
  });

  it('schemas/live.schema.json is up to date (else run: npx tsx scripts/live/export-live-schema.ts)', () => {
    expect(readFileSync(LIVE_SCHEMA_FILE, 'utf8')).toBe(liveSchemaText());
  });

  it.each(['examples/live-2008.yaml', 'examples/live-crash.yaml'])('%s validates', (f) => {
    const c = loadLiveConfig(f).config;
    expect(c.escalation).toBeDefined();
    expect(typeof c.scenario).toBe('string');
  });
});
