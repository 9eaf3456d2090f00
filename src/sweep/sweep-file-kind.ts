/**
 * Tells a sweep file from a scenario file (`hedgekit report FILE` takes either): a sweep file is a
 * mapping with a `scenario` string (its base) and a `grid` or `points`; scenario files have no
 * `scenario` key. Anything unreadable or unparsable is "not a sweep": loading it as a scenario then
 * reports the real error with its file:line.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';

/** Sweep files above this size are not sniffed (scenario files have their own size limit). */
const MAX_SNIFF_BYTES = 4 * 1024 * 1024;

/**
 * True when `file` looks like a sweep file.
 * @example isSweepFile('examples/sweep-cppi.yaml') // true; isSweepFile('examples/article-case.yaml') // false
 */
export function isSweepFile(file: string): boolean {
  try {
    if (statSync(file).size > MAX_SNIFF_BYTES) return false;
    const data = parse(readFileSync(file, 'utf8')) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) return false;
    const d = data as Record<string, unknown>;
    return typeof d.scenario === 'string' && (d.grid !== undefined || d.points !== undefined);
  } catch {
    return false;
  }
}
