/**
 * Bjerksund & Stensland (2002) closed-form approximation of American options under generalized
 * Black-Scholes-Merton with cost of carry b = r − q.
 *
 * The call is valued as the exact price of a feasible exercise policy: exercise at the first hit
 * of the flat trigger I₂ on [0, t₁] and of the lower flat trigger I₁ on [t₁, T], with
 * t₁ = ½(√5 − 1)T (the golden split). Being the value of one admissible policy it is a lower bound
 * of the true American price (typically within 1e-4–1e-3 relative; see docs/american.md).
 *
 *   β   = (½ − b/σ²) + √((b/σ² − ½)² + 2r/σ²),   B∞ = β/(β − 1)·K,   B₀ = max(K, r/(r − b)·K)
 *   hᵢ  = −(b·tᵢ + 2σ√tᵢ)·K²/((B∞ − B₀)B₀),  Iᵢ = B₀ + (B∞ − B₀)(1 − e^{hᵢ}),  t₂ = T
 *   αᵢ  = (Iᵢ − K)·Iᵢ^{−β}
 *   C   = α₂S^β − α₂φ(S,t₁,β,I₂,I₂) + φ(S,t₁,1,I₂,I₂) − φ(S,t₁,1,I₁,I₂) − Kφ(S,t₁,0,I₂,I₂)
 *         + Kφ(S,t₁,0,I₁,I₂) + α₁φ(S,t₁,β,I₁,I₂) − α₁ψ(S,T,β,I₁,I₂,I₁,t₁) + ψ(S,T,1,I₁,I₂,I₁,t₁)
 *         − ψ(S,T,1,K,I₂,I₁,t₁) − Kψ(S,T,0,I₁,I₂,I₁,t₁) + Kψ(S,T,0,K,I₂,I₁,t₁)     (S < I₂)
 *   C   = S − K                                                                       (S ≥ I₂)
 *
 * φ(S,T,γ,H,I) = E[e^{−rT} S_T^γ; S_T ≤ H, max S < I] = e^{λT} S^γ [Φ(−d₁) − (I/S)^κ Φ(−d₂)] and
 * ψ is its two-period analogue (barrier I₂ on [0,t₁], I₁ on [t₁,T]) with four bivariate-normal
 * terms of correlation ±√(t₁/T); λ = −r + γb + ½γ(γ−1)σ², κ = 2b/σ² + 2γ − 1. The terms of ψ are
 * derived here by the reflection principle (they agree with Haug's table 3-2 to all printed
 * digits). Puts use the Bjerksund–Stensland put-call transformation
 * P(S, K, T, r, b, σ) = C(K, S, T, r − b, −b, σ). If b ≥ r (call) the early-exercise right is
 * worthless and the European value is returned.
 *
 * References: P. Bjerksund & G. Stensland, "Closed form valuation of American options", NHH
 * discussion paper (2002); E. G. Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed.
 * (2007) §3.3–3.4; Genz (2004) for the bivariate normal.
 */

import { normCdf } from '../core/normal.ts';
import { bivariateNormalCdf } from './bivariate-normal.ts';
import { bsmPrice } from './black-scholes.ts';

const T1_FRACTION = 0.5 * (Math.sqrt(5) - 1);

/** φ(S, T, γ, H, I) of Bjerksund–Stensland (barrier I, strike-like level H). */
function phi(
  S: number,
  T: number,
  gamma: number,
  H: number,
  I: number,
  r: number,
  b: number,
  v2: number,
): number {
  const sv = Math.sqrt(v2 * T);
  const lambda = (-r + gamma * b + 0.5 * gamma * (gamma - 1) * v2) * T;
  const mu = (b + (gamma - 0.5) * v2) * T;
  const kappa = (2 * b) / v2 + (2 * gamma - 1);
  const lnIS = Math.log(I / S);
  const d1 = (Math.log(S / H) + mu) / sv;
  const d2 = (2 * lnIS - Math.log(H / S) + mu) / sv; // ln(I²/(SH))
  return Math.exp(lambda + gamma * Math.log(S)) * (normCdf(-d1) - Math.exp(kappa * lnIS) * normCdf(-d2));
}

/**
 * ψ(S, T, γ, H, I₂, I₁, t₁) = E[e^{−rT} S_T^γ; S_T ≤ H, max_{[0,t₁]} S < I₂, max_{[t₁,T]} S < I₁].
 */
function psi(
  S: number,
  T: number,
  gamma: number,
  H: number,
  I2: number,
  I1: number,
  t1: number,
  r: number,
  b: number,
  v2: number,
): number {
  const s1 = Math.sqrt(v2 * t1);
  const sT = Math.sqrt(v2 * T);
  const rho = Math.sqrt(t1 / T);
  const lambda = -r + gamma * b + 0.5 * gamma * (gamma - 1) * v2;
  const kappa = (2 * b) / v2 + (2 * gamma - 1);
  const m = b + (gamma - 0.5) * v2;
  const lnS = Math.log(S);
  const lnI1 = Math.log(I1);
  const lnI2 = Math.log(I2);
  const lnH = Math.log(H);
  const mt1 = m * t1;
  const mT = m * T;
  const e1 = (lnS - lnI1 + mt1) / s1;
  const e2 = (2 * lnI2 - lnS - lnI1 + mt1) / s1;
  const e3 = (lnS - lnI1 - mt1) / s1;
  const e4 = (2 * lnI2 - lnS - lnI1 - mt1) / s1;
  const f1 = (lnS - lnH + mT) / sT;
  const f2 = (2 * lnI2 - lnS - lnH + mT) / sT;
  const f3 = (2 * lnI1 - lnS - lnH + mT) / sT;
  const f4 = (lnS + 2 * lnI1 - 2 * lnI2 - lnH + mT) / sT;
  return (
    Math.exp(lambda * T + gamma * lnS) *
    (bivariateNormalCdf(-e1, -f1, rho) -
      Math.exp(kappa * (lnI2 - lnS)) * bivariateNormalCdf(-e2, -f2, rho) -
      Math.exp(kappa * (lnI1 - lnS)) * bivariateNormalCdf(-e3, -f3, -rho) +
      Math.exp(kappa * (lnI1 - lnI2)) * bivariateNormalCdf(-e4, -f4, -rho))
  );
}

/**
 * Bjerksund–Stensland (2002) American call C(S, K, T, r, b, σ) in cost-of-carry form.
 * Kernel: inputs assumed valid (S, K, T, σ > 0, finite r, b); never throws. NaN when the perpetual
 * root β is not real (possible only for r < 0).
 */
function bs2002Call(S: number, K: number, T: number, r: number, b: number, vol: number): number {
  if (b >= r) return bsmPrice('call', S, K, T, r, r - b, vol);
  const v2 = vol * vol;
  const bv = b / v2;
  const beta = 0.5 - bv + Math.sqrt((bv - 0.5) * (bv - 0.5) + (2 * r) / v2);
  const bInf = (beta / (beta - 1)) * K;
  const b0 = Math.max(K, (r / (r - b)) * K);
  const t1 = T1_FRACTION * T;
  const scale = (K * K) / ((bInf - b0) * b0);
  const h1 = -(b * t1 + 2 * vol * Math.sqrt(t1)) * scale;
  const h2 = -(b * T + 2 * vol * Math.sqrt(T)) * scale;
  // 1 − e^h via expm1 keeps I close to B₀ accurate for tiny T.
  const I1 = b0 - (bInf - b0) * Math.expm1(h1);
  const I2 = b0 - (bInf - b0) * Math.expm1(h2);
  if (S >= I2) return S - K;
  const alpha1 = (I1 - K) * Math.exp(-beta * Math.log(I1));
  const alpha2 = (I2 - K) * Math.exp(-beta * Math.log(I2));
  return (
    alpha2 * Math.exp(beta * Math.log(S)) -
    alpha2 * phi(S, t1, beta, I2, I2, r, b, v2) +
    phi(S, t1, 1, I2, I2, r, b, v2) -
    phi(S, t1, 1, I1, I2, r, b, v2) -
    K * phi(S, t1, 0, I2, I2, r, b, v2) +
    K * phi(S, t1, 0, I1, I2, r, b, v2) +
    alpha1 * phi(S, t1, beta, I1, I2, r, b, v2) -
    alpha1 * psi(S, T, beta, I1, I2, I1, t1, r, b, v2) +
    psi(S, T, 1, I1, I2, I1, t1, r, b, v2) -
    psi(S, T, 1, K, I2, I1, t1, r, b, v2) -
    K * psi(S, T, 0, I1, I2, I1, t1, r, b, v2) +
    K * psi(S, T, 0, K, I2, I1, t1, r, b, v2)
  );
}

/**
 * Raw Bjerksund–Stensland (2002) approximation of an American option with continuous dividend
 * yield q (cost of carry b = r − q), without input validation or output flooring.
 *
 * Call: the two-step flat-boundary formula above; put: P(S, K, T, r, b, σ) = C(K, S, T, r − b, −b, σ),
 * i.e. the call formula with spot and strike swapped and (r, q) → (q, r).
 *
 * Kernel contract: S, K, T, σ > 0 and finite r, q are assumed (the public `americanPrice` checks
 * them); never throws. The result can fall a few ulp below the European value where the early
 * exercise premium is ~0, and is NaN if the perpetual root β is not real (only possible when the
 * effective rate, r for a call or q for a put, is negative) — `americanPrice` floors the former and
 * falls back to a tree for the latter.
 *
 * @param isCall   true for a call, false for a put
 * @param spot     S > 0, currency
 * @param strike   K > 0, currency
 * @param expiry   T > 0, years
 * @param rate     r, continuously compounded annual decimal
 * @param dividend q, continuous yield annual decimal
 * @param vol      σ > 0, annual decimal
 * @example bjerksundStensland2002(true, 100, 100, 0.5, 0.1, 0.1, 0.25) // returns 6.766120084573167 (Haug table 3-2: 6.7661)
 * References: Bjerksund & Stensland (2002); Haug (2007) §3.3.
 */
export function bjerksundStensland2002(
  isCall: boolean,
  spot: number,
  strike: number,
  expiry: number,
  rate: number,
  dividend: number,
  vol: number,
): number {
  const b = rate - dividend;
  return isCall
    ? bs2002Call(spot, strike, expiry, rate, b, vol)
    : bs2002Call(strike, spot, expiry, rate - b, -b, vol);
}
