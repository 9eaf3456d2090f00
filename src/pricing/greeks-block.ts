/** Price and Greeks per unit, one array per quantity. Shape: each [n] (paths, or options of a batch). */
export interface GreeksBlock {
  readonly price: Float64Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
  readonly theta: Float64Array;
  readonly vanna: Float64Array;
  readonly volga: Float64Array;
}
