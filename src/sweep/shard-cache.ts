/**
 * The sweep's result cache on disk: `<dir>/<sweep hash>/shards/<shard id>.json`, one file per
 * finished shard, written atomically (temporary file + rename), so an interrupted sweep leaves only
 * whole shards behind and a re-run computes just the missing ones. A file that does not decode is
 * treated as missing (computed again and overwritten).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

  /** Stores a shard result (atomically). */
  put(id: string, r: ShardResult): void {
    const tmp = `${this.file(id)}.${this.seq++}.tmp`;
    writeFileSync(tmp, JSON.stringify(encodeShard(r)));
    renameSync(tmp, this.file(id));
  }

  /** Writes a file next to the shards (e.g. `result.json`), atomically; returns its path. */
  write(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(`${p}.tmp`, text);
    renameSync(`${p}.tmp`, p);
    return p;
  }
}
