/**
 * Typed errors shared by every layer. Core code throws these; only the CLI / server boundary maps
 * them to exit codes or HTTP statuses.
 */

/** Base class: every hedgekit error carries a stable machine-readable `code`. */
export class HedgekitError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A public numeric function was called outside its domain, e.g. `vol (-0.2) must be >= 0`.
 * Mirrors QuantLib's `QL_REQUIRE`: names the parameter, its value and the rule broken.
 */
export class DomainError extends HedgekitError {
  readonly param: string;
  readonly value: unknown;
  constructor(param: string, value: unknown, rule: string) {
    super('domain', `${param} (${formatValue(value)}) ${rule}`);
    this.param = param;
    this.value = value;
  }
}

/** Input validation failure at an edge (file, flag, request); `where` is a path or `file:line`. */
export class ValidationError extends HedgekitError {
  readonly where: string;
  constructor(where: string, message: string, code = 'invalid-input') {
    super(code, where ? `${where}: ${message}` : message);
    this.where = where;
  }
}

export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** Throws a DomainError unless `value` is a finite number. */
export function requireFinite(param: string, value: number): void {
  if (!Number.isFinite(value)) throw new DomainError(param, value, 'must be a finite number');
}

/** Throws a DomainError unless `value` is finite and > 0. */
export function requirePositive(param: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new DomainError(param, value, 'must be > 0');
}

/** Throws a DomainError unless `value` is finite and >= 0. */
export function requireNonNegative(param: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new DomainError(param, value, 'must be >= 0');
}
