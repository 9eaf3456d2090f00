/**
 * The versions a sweep's coordinator and workers must agree on: hedgekit's own (package.json) and
 * the sweep protocol (shard job and result formats). A worker refuses a shard of another version.
 */
import { hedgekitVersion } from '../store/provenance.ts';

/** Version of the shard job / result formats; bump on any change to them. */
export const SWEEP_PROTOCOL = 1;

/** `hedgekit 0.1.0 (sweep protocol 1)`: what coordinator and worker compare. */
export function sweepVersion(): string {
  return `hedgekit ${hedgekitVersion()} (sweep protocol ${SWEEP_PROTOCOL})`;
}
