/**
 * The commented starter scenario that `hedgekit init` writes. It is a valid scenario as is
 * (tested), small enough to run in seconds, and shows every section with its units; values left out
 * take the defaults of src/config/scenario.ts (listed in docs/scenarios.md).
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of the committed JSON Schema of scenario files (schemas/scenario.schema.json). */
export const SCENARIO_SCHEMA_PATH = fileURLToPath(
  new URL('../../schemas/scenario.schema.json', import.meta.url),
);

import { describeStrategies } from '../strategies/catalog.ts';

/**
 * The starter YAML.
 * @param schemaPath where the JSON Schema is, relative to the new file (for editor completion)
 * @example scenarioTemplate().startsWith('# yaml-language-server') // true
 */
export function scenarioTemplate(schemaPath = 'node_modules/hedgekit/schemas/scenario.schema.json'): string {
  return `# yaml-language-server: $schema=${schemaPath}
#
# A hedgekit scenario: run it with   hedgekit run <this file>
# Every field, its unit and its default: docs/scenarios.md. Unknown keys are errors.

name: my-scenario
description: 60/40 book protected at 80 % over one year

# The book: value at inception and the risky sleeve (weights sum to 1).
portfolio:
  initialValue: 100            # currency
  assets:
    # class: equity | bond | commodity | fx   spot: price at inception   carry: yield per year
    - { name: equity, class: equity, spot: 100, weight: 0.6, carry: 0.02 }
    - { name: bond, class: bond, spot: 100, weight: 0.4, carry: 0.03 }

# The protection floor, as a fraction of the initial value.
floor:
  level: 0.8
  accrues: false               # true: the floor grows at the short rate

horizon: 1                     # years
stepsPerYear: 252              # 252 = daily steps
rate: 0.02                     # short rate, continuously compounded
paths: 1000                    # Monte-Carlo paths per market
seed: 1                        # same seed, same results

# One or more markets; each gets its own table in the report.
markets:
  # A named regime preset (list: docs/regimes.md).
  - { kind: regime, preset: calm-bull }
  - { kind: regime, preset: crash }
  # A model with its parameters, one entry per asset.
  - kind: gbm
    name: gbm 18/6
    vols: [0.18, 0.06]
    correlation: [[1, -0.2], [-0.2, 1]]
  # Real history: a price CSV (date + one column per series), replayed once.
  # - kind: history
  #   file: data/eustockmarkets.csv      # relative to this file
  #   from: 1997-07-01
  #   to: 1998-06-30
  #   columns: { equity: DAX }           # unmapped bonds/commodities stay flat
  #   bootstrap: { meanBlockLength: 20 } # uncomment: many resampled paths instead of one replay

# Trading costs.
costs:
  bps: { equity: 5, bond: 2, commodity: 10, fx: 1 }   # basis points of traded notional
  optionSpreadFraction: 0.02   # option bid/ask as a fraction of mid (half paid per trade)
  optionSpreadVolPoints: 0     # or in vol points (1 = 0.01 of vol)
  feePerContract: 0

# When targets turn into trades (for every strategy unless it overrides it).
rebalance:
  calendar: daily              # daily | weekly | monthly | quarterly | every k steps
  # band: 0.02                 # only when off target by > 2 % of value
  # deltaBand: 0.05            # only when off the hedge by > 5 % of the option notional

# The vol options are priced with: constant | model | ewma | garch (optional smile).
pricingVol:
  kind: constant
  vol: [0.18, 0.06]            # one per asset, or one number for all

# The strategies to compare; fractions are of spot (strikes) or of V0 (floors).
strategies:
  - { kind: buy-and-hold }                                   # the benchmark
  - { kind: protective-put, strike: 0.9 }                    # tenor defaults to the horizon
  - { kind: collar, putStrike: 0.9, callStrike: 1.1 }
  - { kind: cppi, multiplier: 4 }                            # floor defaults to floor.level
  - { kind: tipp, multiplier: 4, ratchet: 0.85 }
  - { kind: synthetic-put, vol: 0.12 }

benchmark: buy-and-hold
ledgerPaths: [0]               # keep the full trade list of path 0 (in --json)

${strategyCatalog()}`;
}

/**
 * Every registered strategy as YAML comments: kind, summary and parameters with their defaults
 * (from the registry, so the template lists exactly what the schema accepts).
 */
export function strategyCatalog(): string {
  const lines = ['# Every strategy kind (hedgekit strategies shows the same list):'];
  for (const s of describeStrategies()) {
    lines.push(`#   ${s.kind}: ${s.summary}`);
    for (const p of s.parameters) {
      const dflt =
        p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : p.required ? ' (required)' : '';
      lines.push(`#     ${p.name}: ${p.type}${dflt}${p.description ? ` — ${p.description}` : ''}`);
    }
  }
  lines.push(
    '#   every entry also takes: name, rebalance, overlays (vol-target) and weights, for sleeve strategies',
  );
  return `${lines.join('\n')}\n`;
}
