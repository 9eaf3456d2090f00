/**
 * Writes schemas/scenario.schema.json from the zod schema (src/config/scenario.ts).
 * Run after changing the schema:  npx tsx scripts/export-schema.ts
 * (src/config/scenario-schema-file.test.ts fails while the committed file is out of date.)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../src/config/scenario.ts';

/** The committed file's exact text: the schema, 2-space indented, with a final newline. */
export function schemaFileText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

export const SCHEMA_FILE = fileURLToPath(new URL('../schemas/scenario.schema.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaFileText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
