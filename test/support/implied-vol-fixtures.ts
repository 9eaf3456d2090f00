/**
 * The implied-vol reference fixtures, typed: mpmath (scripts/fixtures; both models, with the vol,
 * vega and tolerance of each case) and QuantLib (Black-76 on forwards). Shared by the pricing tests
 * and the WebAssembly kernel's bit-identity tests.
 */
import { readFileSync } from 'node:fs';
import type { OptionType } from '../../src/pricing/types.ts';

export interface IvCase {
  model: 'bsm' | 'black76';
  type: OptionType;
  price: number;
  spot?: number;
  forward?: number;
  strike: number;
  expiry: number;
  rate: number;
  dividend?: number;
  vol: number;
  vega: number;
  tol: number;
  tags: string[];
}

export interface QuantLibIvCase {
  type: OptionType;
  price: number;
  forward: number;
  strike: number;
  expiry: number;
  rate: number;
  vol: number;
}

const read = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));

/** test/fixtures/mpmath/implied-vol.json */
export const mpmathIv = read('mpmath/implied-vol.json') as {
  tolerance: { wellPosedAbsolute: number };
  cases: IvCase[];
};

/** test/fixtures/quantlib/implied-vol.json */
export const quantlibIv = read('quantlib/implied-vol.json') as {
  tolerance: { absolute: number };
  cases: QuantLibIvCase[];
};
