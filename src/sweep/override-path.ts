/**
 * Override paths of a sweep file — `strategies[cppi].multiplier`, `floor.level`,
 * `markets[crash].paths`, `pricingVol.initial[0]` — parsed and applied to a scenario as written
 * (the raw YAML data, before validation; the changed scenario is validated afterwards).
 *
 * Grammar: `key ( '.' key | '[' selector ']' )*`, key = `[A-Za-z_$][\w$-]*`. A selector on a list
 * is an index (`[2]`), or a name: the entry whose `name` equals it, else the one entry whose `kind`
 * (or, for markets, `preset`) equals it — ambiguous or unknown names are errors listing the choices.
 */

/** One step of an override path. */
export type PathStep = { readonly key: string } | { readonly select: string };

/** A parsed override path with the text it came from. */
export interface OverridePath {
  readonly text: string;
  readonly steps: readonly PathStep[];
}

/** An override path that does not parse or does not lead anywhere in the scenario. */
export class OverridePathError extends Error {}

const KEY = /^[A-Za-z_$][\w$-]*/;

/**
 * Parses an override path.
 * @throws OverridePathError naming the position and what was expected
 * @example parseOverridePath('strategies[cppi].multiplier').steps // [{key:'strategies'},{select:'cppi'},{key:'multiplier'}]
 */
export function parseOverridePath(text: string): OverridePath {
  const steps: PathStep[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new OverridePathError(`invalid override path "${text}": ${what} at character ${i + 1}`);
  };
  while (i < text.length) {
    if (text[i] === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) fail('missing "]"');
      const sel = text.slice(i + 1, end).trim();
      if (sel === '') fail('empty selector');
      steps.push({ select: sel });
      i = end + 1;
      continue;
    }
    if (steps.length > 0) {
      if (text[i] !== '.') fail('expected "." or "["');
      i++;
    }
    const m = KEY.exec(text.slice(i));
    if (!m) fail('expected a key');
    steps.push({ key: m![0] });
    i += m![0].length;
  }
  if (steps.length === 0) fail('empty path');
  if (!('key' in steps[0])) fail('must start with a key');
  return { text, steps };
}

function describe(el: unknown): string | undefined {
  if (typeof el !== 'object' || el === null) return undefined;
  const o = el as Record<string, unknown>;
  return typeof o.name === 'string' ? o.name : typeof o.kind === 'string' ? o.kind : undefined;
}

/** The index of the list entry a selector names. @throws OverridePathError */
function selectIndex(list: unknown[], sel: string): number {
  if (/^\d+$/.test(sel)) {
    const i = Number(sel);
    if (i >= list.length)
      throw new OverridePathError(`index ${i} is past the end (the list has ${list.length} entries)`);
    return i;
  }
  const field = (el: unknown, k: string) =>
    typeof el === 'object' && el !== null ? (el as Record<string, unknown>)[k] : undefined;
  const byName = list.findIndex((el) => field(el, 'name') === sel);
  if (byName >= 0) return byName;
  for (const k of ['kind', 'preset']) {
    const hits = list.flatMap((el, i) => (field(el, k) === sel ? [i] : []));
    if (hits.length === 1) return hits[0];
    if (hits.length > 1)
      throw new OverridePathError(
        `"${sel}" matches ${hits.length} entries by ${k}; select one by name or index`,
      );
  }
  const names = list.map(describe).filter((x) => x !== undefined);
  throw new OverridePathError(`no entry named "${sel}" (entries: ${names.join(', ')})`);
}

/**
 * Sets `value` at `path` in `data` (a deep copy is returned; the input is not changed). Missing
 * object keys are created (validation rejects unknown ones afterwards).
 * @throws OverridePathError when a step does not fit the data (selector on a non-list, …)
 * @example applyOverride({ floor: { level: 0.7 } }, parseOverridePath('floor.level'), 0.8) // { floor: { level: 0.8 } }
 */
export function applyOverride(data: unknown, path: OverridePath, value: unknown): unknown {
  const root = structuredClone(data) as Record<string, unknown>;
  let node: unknown = root;
  const steps = path.steps;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s];
    const last = s === steps.length - 1;
    if ('key' in step) {
      if (typeof node !== 'object' || node === null || Array.isArray(node))
        throw new OverridePathError(`"${step.key}" is not inside a mapping`);
      const o = node as Record<string, unknown>;
      if (last) o[step.key] = structuredClone(value);
      else {
        if (o[step.key] === undefined) o[step.key] = {};
        node = o[step.key];
      }
    } else {
      if (!Array.isArray(node)) throw new OverridePathError(`[${step.select}] is not on a list`);
      const i = selectIndex(node, step.select);
      if (last) node[i] = structuredClone(value);
      else node = node[i];
    }
  }
  return root;
}
