/**
 * Tables of the 256-layer ziggurat for the standard normal density, built once at module load.
 *
 * The unnormalised density f(x) = exp(−x²/2) on x ≥ 0 is covered by 256 horizontal layers of equal
 * area V: layer 0 is the base strip [0, X₀] × [0, f(R)] whose part beyond R stands for the tail, and
 * layer i ≥ 1 is the rectangle [0, Xᵢ] × [f(Xᵢ), f(Xᵢ₊₁)], with X₁ = R, X₂₅₆ = 0 and
 * Xᵢ₊₁ = √(−2·ln(V/Xᵢ + f(Xᵢ))). A point x = u·Xᵢ (u uniform on [0, 1)) is accepted at once when
 * u < Xᵢ₊₁/Xᵢ (about 99.3 % of draws); otherwise the wedge or tail test in `rng.ts` decides. Layout as
 * in Doornik's ZIGNOR (separate uniform for the abscissa, no integer–double correlation).
 *
 * References: G. Marsaglia, W. W. Tsang, "The ziggurat method for generating random variables",
 * J. Stat. Softw. 5(8) (2000) (R = 3.6541528853610088 for 256 layers); J. A. Doornik, "An improved
 * ziggurat method to generate normal random samples" (2005); G. Marsaglia, "Generating a variable
 * from the tail of the normal distribution", Technometrics 6 (1964) 101–102.
 */
import { erfc } from './normal.ts';

/** Number of layers. */
export const ZIG_LAYERS = 256;

/** Start of the tail, R (Marsaglia & Tsang 2000, 256 layers). */
export const ZIG_R = 3.6541528853610088;

/** Area of each layer under exp(−x²/2): V = R·f(R) + √(π/2)·erfc(R/√2) ≈ 0.00492867323399. */
export const ZIG_V =
  ZIG_R * Math.exp(-0.5 * ZIG_R * ZIG_R) + Math.sqrt(Math.PI / 2) * erfc(ZIG_R / Math.SQRT2);

/** Layer widths X₀..X₂₅₆. Shape: [257]. */
export const ZIG_X = new Float64Array(ZIG_LAYERS + 1);
/** Acceptance ratios Xᵢ₊₁/Xᵢ for i = 0..255 (the fast-path threshold on u). Shape: [256]. */
export const ZIG_RATIO = new Float64Array(ZIG_LAYERS);
/** Density at the layer edges, f(Xᵢ) = exp(−Xᵢ²/2) for i = 0..256 (f(X₀) set to f(R)). Shape: [257]. */
export const ZIG_F = new Float64Array(ZIG_LAYERS + 1);

{
  const fR = Math.exp(-0.5 * ZIG_R * ZIG_R);
  ZIG_X[0] = ZIG_V / fR;
  ZIG_X[1] = ZIG_R;
  for (let i = 2; i < ZIG_LAYERS; i++) {
    const x = ZIG_X[i - 1];
    ZIG_X[i] = Math.sqrt(-2 * Math.log(ZIG_V / x + Math.exp(-0.5 * x * x)));
  }
  ZIG_X[ZIG_LAYERS] = 0;
  for (let i = 0; i < ZIG_LAYERS; i++) ZIG_RATIO[i] = ZIG_X[i + 1] / ZIG_X[i];
  for (let i = 0; i <= ZIG_LAYERS; i++) ZIG_F[i] = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  ZIG_F[0] = fR;
}
