/**
 * American options by the Andersen–Lake–Offengenbach (2016) spectral collocation of the
 * early-exercise boundary (the method behind QuantLib's QdFpAmericanEngine).
 *
 * Put, single exercise boundary B(τ) (τ = time to maturity), effective rate r > 0:
 *
 *   V(τ,S) = p_E(τ,S) + ∫₀^τ [ rK e^{−r(τ−u)} Φ(−d₋(τ−u, S/B(u))) − qS e^{−q(τ−u)} Φ(−d₊(τ−u, S/B(u))) ] du,
 *   d±(s, z) = [ln z + (r − q)s ± ½σ²s]/(σ√s).
 *
 * The boundary solves the fixed-point equation B(τ) = K e^{−(r−q)τ} N(τ,B)/D(τ,B) —
 * FP-B (smooth pasting):
 *   N = φ(d₋(τ,B/K))/(σ√τ) + r∫₀^τ e^{ru} φ(d₋(τ−u, B(τ)/B(u)))/(σ√(τ−u)) du,
 *   D = φ(d₊(τ,B/K))/(σ√τ) + Φ(d₊(τ,B/K)) + q∫₀^τ e^{qu}[φ(d₊)/(σ√(τ−u)) + Φ(d₊)] du;
 * FP-A (value matching): N = Φ(d₋(τ,B/K)) + r∫ e^{ru}Φ(d₋) du, D = Φ(d₊(τ,B/K)) + q∫ e^{qu}Φ(d₊) du.
 * B is represented by H(√τ) = ln(B(τ)/X)², X = K·min(1, r/q) = B(0⁺), interpolated by a Chebyshev
 * polynomial through n + 1 Chebyshev–Lobatto nodes in √τ ∈ [0, √T]. The boundary integrals use the
 * substitution u = τ sin²θ, which removes both the 1/√(τ−u) singularity and the √u behaviour of B
 * near u = 0, and ℓ-point Gauss–Legendre in θ; iterations run (Jacobi) until the boundary moves by
 * less than 1e-13 relative. The final price, delta and gamma integrals use adaptive Gauss–Kronrod in
 * the same θ variable; theta follows from the Black–Scholes PDE in the continuation region,
 * Θ = rV − (r − q)SΔ − ½σ²S²Γ. Calls use McDonald–Schroder symmetry C(S,K,r,q) = P(K,S,q,r).
 *
 * References: L. Andersen, M. Lake, D. Offengenbach, "High-performance American option pricing",
 * J. Comput. Finance 20(1) (2016) 39–87; J. D. Kim (1990), S. D. Jacka (1991), B. Carr, R. Jarrow,
 * R. Myneni (1992) for the integral representation; McDonald & Schroder (1998) for the symmetry.
 */

import { normCdf, normPdf } from '../core/normal.ts';
import { bsmGreeks } from './black-scholes.ts';
import { integrateAdaptive } from './gauss-kronrod.ts';
import { gaussLegendre, type QuadratureRule } from './gauss-legendre.ts';

/** Discretization of the collocation scheme. */
export interface AloScheme {
  /** Chebyshev degree n of the boundary (n + 1 collocation nodes). */
  readonly nodes: number;
  /** Gauss–Legendre points ℓ of each boundary integral. */
  readonly quadrature: number;
  /** Maximum fixed-point iterations. */
  readonly maxIterations: number;
  /** Stop when max relative boundary change < this. */
  readonly tolerance: number;
}

/** Default scheme: about 1e-9 relative agreement with QuantLib's high-precision QD+ fixed point. */
export const ALO_DEFAULT_SCHEME: AloScheme = {
  nodes: 24,
  quadrature: 32,
  maxIterations: 100,
  tolerance: 1e-13,
};

/** Result of the put solver. */
export interface AloResult {
  price: number;
  delta: number;
  gamma: number;
  theta: number;
  /** Fixed-point iterations used. */
  iterations: number;
  /** Boundary at τ = T (the exercise trigger today), currency. */
  boundary: number;
}

const AUTO_SWITCH = 1e-3;

/** Memo of a pure function of the node count (read-only once built): no run state. */
const chebCache = new Map<number, Float64Array>();

/** cos(kπ(n−i)/n) = T_k(y_i) for the Lobatto nodes y_i = −cos(iπ/n); row-major (k, i). */
function chebMatrix(n: number): Float64Array {
  const hit = chebCache.get(n);
  if (hit) return hit;
  const m = new Float64Array((n + 1) * (n + 1));
  for (let k = 0; k <= n; k++)
    for (let i = 0; i <= n; i++) m[k * (n + 1) + i] = Math.cos((k * Math.PI * (n - i)) / n);
  chebCache.set(n, m);
  return m;
}

/** Chebyshev coefficients (halving of a₀, aₙ folded in) of the Lobatto-node values h. */
function chebCoefficients(h: Float64Array, n: number, out: Float64Array): void {
  const m = chebMatrix(n);
  for (let k = 0; k <= n; k++) {
    let s = 0.5 * (h[0] * m[k * (n + 1)] + h[n] * m[k * (n + 1) + n]);
    for (let i = 1; i < n; i++) s += h[i] * m[k * (n + 1) + i];
    out[k] = ((k === 0 || k === n ? 1 : 2) * s) / n;
  }
}

/** Clenshaw evaluation of Σ a_k T_k(y). */
function clenshaw(a: Float64Array, n: number, y: number): number {
  let b1 = 0;
  let b2 = 0;
  const y2 = 2 * y;
  for (let k = n; k >= 1; k--) {
    const t = y2 * b1 - b2 + a[k];
    b2 = b1;
    b1 = t;
  }
  return y * b1 - b2 + a[0];
}

/**
 * Solves the American put (single-boundary regime: r > 0) by ALO collocation and returns price,
 * delta, gamma and theta (∂V/∂t per year, calendar time).
 *
 * Kernel contract: S, K, T, σ > 0, r > 0, finite q; never throws (NaN propagates).
 *
 * @param S       spot, currency
 * @param K       strike, currency
 * @param T       expiry, years
 * @param r       rate, annual decimal (> 0)
 * @param q       dividend yield, annual decimal
 * @param vol     volatility σ, annual decimal
 * @param scheme  discretization (default `ALO_DEFAULT_SCHEME`)
 * @param equation 'FP-A', 'FP-B' or 'auto' (FP-A when |r − q| is tiny relative to σ², else FP-B)
 * @example aloPut(100, 100, 1, 0.05, 0.02, 0.25).price // returns 8.565228844070033 (QuantLib QD+ FP: 8.565228845)
 * References: Andersen, Lake & Offengenbach (2016).
 */
export function aloPut(
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
  vol: number,
  scheme: AloScheme = ALO_DEFAULT_SCHEME,
  equation: 'FP-A' | 'FP-B' | 'auto' = 'auto',
): AloResult {
  const n = scheme.nodes;
  const l = scheme.quadrature;
  const gl: QuadratureRule = gaussLegendre(l);
  const X = q > r ? (K * r) / q : K;
  const lnX = Math.log(X);
  const lnK = Math.log(K);
  const v2 = vol * vol;
  const b = r - q;
  const sqT = Math.sqrt(T);
  // 'auto': FP-A (robust, linear convergence) until the boundary settles to 1e-3, then FP-B (fast,
  // but not contractive far from the solution, e.g. at low σ); revert to FP-A if FP-B diverges.
  let useA = equation !== 'FP-B';
  let lastChange = Number.POSITIVE_INFINITY;
  let rises = 0;

  // Collocation nodes τ_i and the fixed quadrature abscissae u_ik = τ_i sin²θ_k.
  const tau = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const z = 0.5 * sqT * (1 - Math.cos((i * Math.PI) / n));
    tau[i] = z * z;
  }
  const sin2 = new Float64Array(l);
  const wTheta = new Float64Array(l); // GL weight × dθ/dy
  for (let k = 0; k < l; k++) {
    const th = (Math.PI / 4) * (1 + gl.x[k]);
    const s = Math.sin(th);
    sin2[k] = s * s;
    wTheta[k] = (Math.PI / 4) * gl.w[k];
  }
  const yq = new Float64Array(n * l); // Chebyshev argument of √u_ik
  for (let i = 1; i <= n; i++) {
    for (let k = 0; k < l; k++) yq[(i - 1) * l + k] = (2 * Math.sqrt(tau[i] * sin2[k])) / sqT - 1;
  }

  // Initial guess: Barone-Adesi–Whaley-style exponential interpolation towards the perpetual
  // boundary B∞ = K·γ/(γ − 1), γ the negative root of ½σ²γ(γ−1) + bγ − r = 0.
  const bv = b / v2;
  const gam = 0.5 - bv - Math.sqrt((bv - 0.5) * (bv - 0.5) + (2 * r) / v2);
  const bInf = Math.min((K * gam) / (gam - 1), X * 0.999999);
  const H = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) {
    const t = tau[i];
    const h = ((b * t - 2 * vol * Math.sqrt(t)) * X) / (X - bInf);
    const B = bInf + (X - bInf) * Math.exp(h);
    const g = Math.log(B / X);
    H[i] = g * g;
  }
  const coef = new Float64Array(n + 1);
  const Bnew = new Float64Array(n + 1);
  let iterations = 0;
  for (; iterations < scheme.maxIterations; iterations++) {
    chebCoefficients(H, n, coef);
    let change = 0;
    for (let i = 1; i <= n; i++) {
      const t = tau[i];
      const sqt = Math.sqrt(t);
      const gi = Math.sqrt(H[i]); // −ln(B_i/X)
      const lnB = lnX - gi;
      // Terms at u = 0 (against the strike).
      const sv = vol * sqt;
      const dmK = (lnB - lnK + (b - 0.5 * v2) * t) / sv;
      const dpK = dmK + sv;
      let N: number;
      let D: number;
      if (useA) {
        N = normCdf(dmK);
        D = normCdf(dpK);
      } else {
        N = normPdf(dmK) / sv;
        D = normPdf(dpK) / sv + normCdf(dpK);
      }
      let iN = 0;
      let iD = 0;
      const base = (i - 1) * l;
      for (let k = 0; k < l; k++) {
        const u = t * sin2[k];
        const s = t - u; // τ − u = τ cos²θ
        const hu = clenshaw(coef, n, yq[base + k]);
        const gu = hu > 0 ? Math.sqrt(hu) : 0;
        const ss = vol * Math.sqrt(s);
        const dm = (gu - gi + (b - 0.5 * v2) * s) / ss;
        const dp = dm + ss;
        // du = 2τ sinθ cosθ dθ and du/(σ√(τ−u)) = 2√τ sinθ dθ / σ.
        const sn = Math.sqrt(sin2[k]);
        const w = wTheta[k];
        if (useA) {
          const jac = 2 * t * sn * Math.sqrt(1 - sin2[k]);
          iN += w * jac * Math.exp(r * u) * normCdf(dm);
          iD += w * jac * Math.exp(q * u) * normCdf(dp);
        } else {
          const jac1 = (2 * sqt * sn) / vol;
          const jac0 = 2 * t * sn * Math.sqrt(1 - sin2[k]);
          iN += w * jac1 * Math.exp(r * u) * normPdf(dm);
          iD += w * Math.exp(q * u) * (jac1 * normPdf(dp) + jac0 * normCdf(dp));
        }
      }
      N += r * iN;
      D += q * iD;
      const B = K * Math.exp(-b * t) * (N / D);
      Bnew[i] = B;
      const Bold = X * Math.exp(-gi);
      const c = Math.abs(B - Bold) / X;
      if (c > change) change = c;
    }
    for (let i = 1; i <= n; i++) {
      const B = Math.min(Bnew[i], X);
      const g = B > 0 ? Math.log(B / X) : Number.NaN;
      H[i] = g * g;
    }
    if (!(change >= scheme.tolerance)) {
      iterations++;
      break;
    }
    if (equation === 'auto') {
      if (useA && change < AUTO_SWITCH && rises < 2) useA = false;
      else if (!useA) {
        rises = change > lastChange ? rises + 1 : 0;
        if (rises >= 2) useA = true;
      }
    }
    lastChange = change;
  }
  chebCoefficients(H, n, coef);
  const boundary = X * Math.exp(-Math.sqrt(H[n]));

  if (S <= boundary) return { price: K - S, delta: -1, gamma: 0, theta: 0, iterations, boundary };

  // Early-exercise premium and its S-derivatives, u = T sin²θ, θ ∈ (0, π/2).
  const lnS = Math.log(S);
  let which = 0;
  const integrand = (th: number): number => {
    const sn = Math.sin(th);
    const cs = Math.cos(th);
    const _u = T * sn * sn;
    const s = T * cs * cs;
    if (s <= 0) return 0;
    const hu = clenshaw(coef, n, 2 * sn - 1);
    const gu = hu > 0 ? Math.sqrt(hu) : 0;
    const ss = vol * Math.sqrt(s);
    const dm = (lnS - lnX + gu + (b - 0.5 * v2) * s) / ss;
    const dp = dm + ss;
    const er = Math.exp(-r * s);
    const eq = Math.exp(-q * s);
    const jac = 2 * T * sn * cs;
    if (which === 0) return jac * (r * K * er * normCdf(-dm) - q * S * eq * normCdf(-dp));
    const pm = normPdf(dm);
    const pp = normPdf(dp);
    if (which === 1)
      return jac * ((-r * K * er * pm) / (S * ss) - q * eq * normCdf(-dp) + (q * eq * pp) / ss);
    return (
      jac *
      ((r * K * er * pm * (dm / ss + 1)) / (S * S * ss) +
        (q * eq * pp) / (S * ss) -
        (q * eq * dp * pp) / (S * ss * ss))
    );
  };
  const euro = bsmGreeks('put', S, K, T, r, q, vol);
  const tol = 1e-14 * K;
  which = 0;
  const premium = integrateAdaptive(integrand, 0, Math.PI / 2, tol, 1e-13);
  which = 1;
  const dPremium = integrateAdaptive(integrand, 0, Math.PI / 2, tol / S, 1e-12);
  which = 2;
  const gPremium = integrateAdaptive(integrand, 0, Math.PI / 2, tol / (S * S), 1e-11);
  const price = euro.price + premium;
  const delta = euro.delta + dPremium;
  const gamma = euro.gamma + gPremium;
  const theta = r * price - b * S * delta - 0.5 * v2 * S * S * gamma;
  return { price, delta, gamma, theta, iterations, boundary };
}
