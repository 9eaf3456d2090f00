import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaFileText } from '../../scripts/export-schema.ts';

describe('schemas/scenario.schema.json', () => {
  it('is up to date with the zod schema (else run: npx tsx scripts/export-schema.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaFileText());
  });

  it('describes the top-level keys, forbids unknown ones and lists the strategy kinds', () => {
    const s = JSON.parse(schemaFileText());
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(['name', 'portfolio', 'floor', 'markets', 'strategies']);
    const kinds = s.properties.strategies.items.oneOf.map(
      (o: { properties: { kind: { const: string } } }) => o.properties.kind.const,
    );
    expect(kinds).toContain('cppi');
    expect(s.properties.paths.default).toBe(2000);
  });
});
