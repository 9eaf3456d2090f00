/**
 * The versions a sweep's coordinator and workers must agree on: hedgekit's own (package.json) and
 * the sweep protocol (shard job and result formats). A worker refuses a shard of another version.
 */
import { readFileSync } from 'node:fs';

/** Version of the shard job / result formats; bump on any change to them. */
export const SWEEP_PROTOCOL = 1;

let cached: string | undefined;

/** hedgekit's version (package.json), read once. */
export function hedgekitVersion(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}

/** `hedgekit 0.1.0 (sweep protocol 1)`: what coordinator and worker compare. */
export function sweepVersion(): string {
  return `hedgekit ${hedgekitVersion()} (sweep protocol ${SWEEP_PROTOCOL})`;
}
