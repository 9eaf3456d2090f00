/**
 * Scenario file (YAML or JSON) → validated {@link Scenario}. Both formats go through the `yaml`
 * package (JSON is YAML 1.2), so every error can name the line: a syntax error, or a schema issue
 * located by walking the document to the issue's path. Errors are data ({@link ScenarioIssue}) and
 * print as one line each: `scenario.yaml:14: strategies[2].multiplier: must be > 0 (got -1)`.
 *
 * References: yaml 2 (https://eemeli.org/yaml/) LineCounter and node ranges; zod 4 issues.
 */
import { accessSync, constants } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { type Scenario, ScenarioSchema } from './scenario.ts';
import {
  type FileIssue,
  FileValidationError,
  parseYamlSource,
  parseYamlWith,
  readConfigText,
} from './yaml-source.ts';

/** One problem of a scenario file (path, message, 1-based line when known). */
export type ScenarioIssue = FileIssue;

/** A scenario that failed validation: `message` is one line, `issues` the data. */
export class ScenarioError extends FileValidationError {
  constructor(file: string, issues: readonly ScenarioIssue[]) {
    super(file, issues, 'scenario-invalid');
  }
}

const scenarioError = (file: string, issues: ScenarioIssue[]) => new ScenarioError(file, issues);

/** A validated scenario and where it came from (relative paths inside resolve against `dir`). */
export interface LoadedScenario {
  readonly scenario: Scenario;
  /** The file as named by the caller (for messages). */
  readonly file: string;
  /** Directory that relative paths in the scenario (history CSVs) are resolved against. */
  readonly dir: string;
}

/**
 * Parses and validates scenario text (YAML or JSON).
 * @param file name used in messages (`file:line`)
 * @throws ScenarioError (code `scenario-invalid`) listing every issue with its line
 * @example parseScenario('name: x\n…', 'x.yaml').horizon // 1 (the schema default)
 */
export function parseScenario(text: string, file = 'scenario'): Scenario {
  return parseYamlWith(ScenarioSchema, text, file, scenarioError).value;
}

/**
 * Reads, parses and validates a scenario file; checks that every history CSV it names is readable
 * (relative paths resolve against the scenario file's directory).
 * @throws ScenarioError for an unreadable file, invalid YAML/JSON, a schema issue or a missing CSV
 * @example loadScenario('scenarios/default.yaml').scenario.strategies.length // 6
 */
export function loadScenario(file: string): LoadedScenario {
  const text = readConfigText(file, 'scenario file', scenarioError);
  const scenario = parseScenario(text, file);
  const dir = dirname(resolve(file));
  const src = parseYamlSource(text, file, scenarioError);
  const issues: ScenarioIssue[] = [];
  scenario.markets.forEach((m, i) => {
    if (m.kind !== 'history') return;
    const csv = resolveIn(dir, m.file);
    try {
      accessSync(csv, constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      issues.push({
        path: ['markets', i, 'file'],
        message: `cannot read ${JSON.stringify(m.file)} (${code}; resolved to ${csv})`,
        line: src.lineOf(['markets', i, 'file']),
      });
    }
  });
  if (issues.length > 0) throw new ScenarioError(file, issues);
  return { scenario, file, dir };
}

/** `p` if absolute, else resolved against `dir`. */
export function resolveIn(dir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(dir, p);
}
