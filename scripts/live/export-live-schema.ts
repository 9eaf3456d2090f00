/**
 * Writes schemas/live.schema.json (editor completion for `hedgekit live` configs) from the zod
 * schema (src/live/config.ts). Run after changing it:  npx tsx scripts/live/export-live-schema.ts
 * (src/live/config.test.ts fails while the committed file is out of date.)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LiveConfigSchema } from '../../src/live/config.ts';

/** The committed file's exact text. */
export function liveSchemaText(): string {
  const schema = z.toJSONSchema(LiveConfigSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return `${JSON.stringify({ title: 'hedgekit live config', ...schema }, null, 2)}\n`;
}

export const LIVE_SCHEMA_FILE = fileURLToPath(new URL('../../schemas/live.schema.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(LIVE_SCHEMA_FILE, liveSchemaText());
  process.stdout.write(`wrote ${LIVE_SCHEMA_FILE}\n`);
}
