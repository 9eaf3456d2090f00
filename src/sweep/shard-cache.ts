/**
 * The sweep's result cache on disk: `<dir>/<sweep hash>/shards/<shard id>.json`, one file per
 * finished shard, written atomically (temporary file + rename), so an interrupted sweep leaves only
 * whole shards behind and a re-run computes just the missing ones. A file that does not decode is
 * treated as missing (computed again and overwritten).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeShard, encodeShard, type ShardResult } from './shard-result.ts';

/** The shard files of one sweep. */
export class ShardCache {
  readonly dir: string;
  private seq = 0;

  /** @param root cache root (e.g. `.hedgekit/sweeps`); @param hash the sweep hash */
  constructor(root: string, hash: string) {
    this.dir = join(root, hash);
    mkdirSync(join(this.dir, 'shards'), { recursive: true });
  }

  private file(id: string): string {
    return join(this.dir, 'shards', `${id}.json`);
  }

  /** The cached result of a shard, or undefined (missing or unreadable). */
  get(id: string): ShardResult | undefined {
    let text: string;
    try {
      text = readFileSync(this.file(id), 'utf8');
    } catch {
      return undefined;
    }
    try {
      return decodeShard(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  /** Writes in flight (see {@link flush}). */
  private readonly pending = new Set<Promise<void>>();
  /** The first failed write, reported by {@link flush}. */
  private failed: Error | undefined;

  /**
   * Stores a shard result (atomically), in the background: the file is written off the calling
   * thread's event loop (a sweep's coordinator keeps dispatching shards meanwhile — a blocking
   * write of ~0.3 MB held it for ~10 ms on this machine's disk). {@link flush} waits for every
   * write and reports the first that failed.
   */
  put(id: string, r: ShardResult): void {
    const tmp = `${this.file(id)}.${this.seq++}.tmp`;
    const w = writeFile(tmp, JSON.stringify(encodeShard(r)))
      .then(() => rename(tmp, this.file(id)))
      .catch((e: Error) => {
        this.failed ??= e;
      })
      .finally(() => this.pending.delete(w));
    this.pending.add(w);
  }

  /** Waits for every {@link put} so far. @throws the first write error */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failed) throw this.failed;
  }

  /** Writes a file next to the shards (e.g. `result.json`), atomically; returns its path. */
  write(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(`${p}.tmp`, text);
    renameSync(`${p}.tmp`, p);
    return p;
  }
}
