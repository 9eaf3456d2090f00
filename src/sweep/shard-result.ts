/**
 * A shard's result — per strategy run, the PathMetrics per-path arrays of the shard's paths — and
 * its text form for the disk cache and the queue: every Float64Array as base64 of its IEEE-754
 * bytes (little-endian, as every platform Node runs on), so values cross machines bit for bit
 * (NaN and −0 included), unlike decimal JSON numbers.
 */
import { HedgekitError } from '../core/errors.ts';
import type { MergedEngineResult } from '../engine/parallel.ts';

/** Per-run per-path metrics of one shard. Shape: every array [shard nPaths]. */
export interface ShardResult {
  readonly runs: readonly {
    readonly name: string;
    readonly kind: string;
    readonly metrics: Readonly<Record<string, Float64Array>>;
  }[];
}

/** The shard result of an engine run over the shard's paths. */
export function shardResultOf(res: MergedEngineResult): ShardResult {
  return { runs: res.runs.map((r) => ({ name: r.name, kind: r.kind, metrics: r.metrics ?? {} })) };
}

const toB64 = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function fromB64(s: string): Float64Array {
  const b = Buffer.from(s, 'base64');
  if (b.byteLength % 8 !== 0) throw new HedgekitError('shard-corrupt', 'a shard array is not whole doubles');
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** Wire / file form of a shard result. */
export interface ShardResultText {
  readonly runs: { name: string; kind: string; metrics: Record<string, string> }[];
}

/** A shard result → JSON-safe data (arrays as base64). */
export function encodeShard(r: ShardResult): ShardResultText {
  return {
    runs: r.runs.map((x) => ({
      name: x.name,
      kind: x.kind,
      metrics: Object.fromEntries(Object.entries(x.metrics).map(([k, a]) => [k, toB64(a)])),
    })),
  };
}

/**
 * JSON-safe data → shard result.
 * @throws HedgekitError `shard-corrupt` when the data is not a shard result
 */
export function decodeShard(t: unknown): ShardResult {
  const runs = (t as ShardResultText | undefined)?.runs;
  if (!Array.isArray(runs)) throw new HedgekitError('shard-corrupt', 'not a shard result');
  return {
    runs: runs.map((x) => {
      if (typeof x?.name !== 'string' || typeof x.metrics !== 'object' || x.metrics === null)
        throw new HedgekitError('shard-corrupt', 'not a shard result');
      return {
        name: x.name,
        kind: String(x.kind),
        metrics: Object.fromEntries(Object.entries(x.metrics).map(([k, s]) => [k, fromB64(String(s))])),
      };
    }),
  };
}
