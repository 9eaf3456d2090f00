#!/usr/bin/env python3
"""The perf-baselines jobs written the way a NumPy user writes them: vectorised over options or
paths, a Python loop over time steps, SciPy's `ndtr` for Φ. `npm run bench:ratios` runs them next
to hedgekit and the C programs of ../shared/perf-baselines (same jobs, same parameters; see that
folder's README) and prints hedgekit ÷ NumPy. One summary line per job in the C programs' format
(`kernel_min_s=…` with `n=…` or `paths=… steps=…`), so one parser reads both.

    python3 bench/numpy/baselines.py bs N REPS
    python3 bench/numpy/baselines.py iv FILE REPS        # FILE: the cases `w2_iv gen` wrote
    python3 bench/numpy/baselines.py hedge PATHS STEPS REPS
    python3 bench/numpy/baselines.py cppi PATHS STEPS REPS
    python3 bench/numpy/baselines.py gbm3 PATHS STEPS REPS

Formulas: generalized Black–Scholes (Haug 2007 §1.1); exact log-Euler GBM steps (Glasserman 2004
§3.2); CPPI E = min(m·max(V − F, 0), V) (Black & Perold 1992). Timings are wall-clock, one thread
(OMP/BLAS threads pinned to 1 by the caller's environment).
"""
import sys
import time

import numpy as np
from scipy.special import ndtr

INV_SQRT_2PI = 0.3989422804014327


def best_and_median(kernel, reps):
    ts = []
    out = None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = kernel()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[0], ts[len(ts) // 2], out


def bs(n, reps):
    """W1: call price, delta, gamma, vega of n options (spot 100, strike 50–200, expiry 0.02–3 y,
    vol 5–100 %, rate 0–5 %), arrays in, arrays out."""
    rng = np.random.default_rng(1)
    S = np.full(n, 100.0)
    K = rng.uniform(50.0, 200.0, n)
    T = rng.uniform(0.02, 3.0, n)
    sig = rng.uniform(0.05, 1.0, n)
    r = rng.uniform(0.0, 0.05, n)

    def kernel():
        sqT = np.sqrt(T)
        sd = sig * sqT
        d1 = (np.log(S / K) + (r + 0.5 * sig * sig) * T) / sd
        d2 = d1 - sd
        nd1 = ndtr(d1)
        df = np.exp(-r * T)
        pdf = INV_SQRT_2PI * np.exp(-0.5 * d1 * d1)
        price = S * nd1 - K * df * ndtr(d2)
        return price, nd1, pdf / (S * sd), S * pdf * sqT

    kmin, kmed, out = best_and_median(kernel, reps)
    assert np.all(np.isfinite(out[0]))
    print(f"W1 numpy n={n} reps={reps} kernel_median_s={kmed:.5f} kernel_min_s={kmin:.5f} "
          f"ns_per_option={1e9 * kmin / n:.3f}")


def iv(path, reps):
    """W2: implied vols of the call prices in FILE (7 doubles a case: S K T r C vol cond), by a
    vectorised safeguarded Newton on σ (bisection where Newton leaves the bracket) over the options
    not yet converged (|Δσ| ≤ 1e-13 drops an option out)."""
    a = np.fromfile(path, dtype=np.float64).reshape(-1, 7)
    S, K, T, r, C, vol, cond = (np.ascontiguousarray(a[:, j]) for j in range(7))
    n = S.size

    def kernel():
        sqT = np.sqrt(T)
        Kdf = K * np.exp(-r * T)
        lnSK = np.log(S / K)
        drift = r * T
        out = np.full(n, 0.3)
        lo = np.full(n, 1e-8)
        hi = np.full(n, 10.0)
        act = np.arange(n)  # the options still iterating (converged ones drop out)
        for _ in range(100):
            s = out[act]
            sq = sqT[act]
            sd = s * sq
            d1 = (lnSK[act] + drift[act] + 0.5 * sd * sd) / sd
            f = S[act] * ndtr(d1) - Kdf[act] * ndtr(d1 - sd) - C[act]
            vega = S[act] * INV_SQRT_2PI * np.exp(-0.5 * d1 * d1) * sq
            l = np.where(f < 0, s, lo[act])
            h = np.where(f > 0, s, hi[act])
            with np.errstate(divide="ignore", invalid="ignore"):
                nxt = s - f / vega
            nxt = np.where((nxt > l) & (nxt < h), nxt, 0.5 * (l + h))
            lo[act] = l
            hi[act] = h
            out[act] = nxt
            act = act[np.abs(nxt - s) > 1e-13]
            if act.size == 0:
                break
        return out

    kmin, kmed, s = best_and_median(kernel, reps)
    ok = cond <= 1e-10
    err = float(np.max(np.abs(s[ok] - vol[ok])))
    print(f"W2 numpy n={n} reps={reps} kernel_median_s={kmed:.5f} kernel_min_s={kmin:.5f} "
          f"ns_per_iv={1e9 * kmin / n:.3f} max_err_well_posed={err:.2e}")


def hedge(P, N, reps):
    """W3: short ATM call (S0 = K = 100, T = 1, σ = 20 %, r = 0, μ = 5 %) delta-hedged at every
    step with 5 bp of traded notional; first trade charged, no unwind at T (as w3_hedge.c)."""
    S0, K, T, sig, mu, cost = 100.0, 100.0, 1.0, 0.2, 0.05, 5e-4
    dt = T / N
    drift = (mu - 0.5 * sig * sig) * dt
    vdt = sig * np.sqrt(dt)
    lnK = np.log(K)

    def kernel():
        rng = np.random.default_rng(1)
        X = np.full(P, np.log(S0))
        sd0 = sig * np.sqrt(T)
        d0 = ndtr((np.log(S0) - lnK) / sd0 + 0.5 * sd0)
        c0 = S0 * d0 - K * ndtr((np.log(S0) - lnK) / sd0 - 0.5 * sd0)
        delta = np.full(P, d0)
        cash = np.full(P, c0 - d0 * S0 - cost * d0 * S0)
        for t in range(1, N):
            X += drift + vdt * rng.standard_normal(P)
            S = np.exp(X)
            sd = sig * np.sqrt(T - t * dt)
            d = ndtr((X - lnK) / sd + 0.5 * sd)
            trade = d - delta
            cash -= trade * S + cost * np.abs(trade) * S
            delta = d
        X += drift + vdt * rng.standard_normal(P)
        S = np.exp(X)
        return cash + delta * S - np.maximum(S - K, 0.0)

    kmin, kmed, pnl = best_and_median(kernel, reps)
    print(f"W3 numpy threads=1 paths={P} steps={N} reps={reps} kernel_median_s={kmed:.5f} "
          f"kernel_min_s={kmin:.5f} ns_per_path_step={1e9 * kmin / (P * N):.3f} "
          f"pnl_mean={float(np.mean(pnl)):.4f} pnl_std={float(np.std(pnl)):.4f}")


def correlated(sig, corr, dt):
    """The Cholesky factor of the correlation with each row scaled by σ_a·√dt (y = L·z)."""
    L = np.linalg.cholesky(np.asarray(corr))
    return (np.asarray(sig) * np.sqrt(dt))[:, None] * L


def cppi(P, N, reps):
    """W4: CPPI (V0 = 100, F = 80, m = 4, E = min(m·max(V − F, 0), V)) on a 50/30/20 sleeve of three
    correlated GBM assets (vols 18/6/25 %, drifts 7/3/5 %), rebalanced every step; cash at r = 0."""
    sig = np.array([0.18, 0.06, 0.25])
    mu = np.array([0.07, 0.03, 0.05])
    w = np.array([0.5, 0.3, 0.2])
    corr = [[1.0, -0.2, 0.3], [-0.2, 1.0, 0.0], [0.3, 0.0, 1.0]]
    dt = 1.0 / 252.0
    L = correlated(sig, corr, dt)
    dr = ((mu - 0.5 * sig * sig) * dt)[:, None]
    V0, F, m = 100.0, 80.0, 4.0

    def kernel():
        rng = np.random.default_rng(7)
        V = np.full(P, V0)
        E = np.minimum(m * np.maximum(V - F, 0.0), V)
        for _ in range(N):
            g = np.exp(dr + L @ rng.standard_normal((3, P)))
            V = V + E * (w @ (g - 1.0))
            E = np.minimum(m * np.maximum(V - F, 0.0), V)
        return V, E

    kmin, kmed, (V, E) = best_and_median(kernel, reps)
    print(f"W4 numpy threads=1 paths={P} steps={N} reps={reps} kernel_median_s={kmed:.5f} "
          f"kernel_min_s={kmin:.5f} ns_per_path_step={1e9 * kmin / (P * N):.3f} "
          f"mean={float(np.mean(V)):.4f} below_floor={int(np.sum(V < F))}")


def gbm3(P, N, reps):
    """Paths only: three correlated GBM assets (vols 20/7/15 %, carry 0/1/2 %, r = 3 %), daily over
    a year, spot and log return updated in place (no paths × steps matrix)."""
    sig = np.array([0.2, 0.07, 0.15])
    q = np.array([0.0, 0.01, 0.02])
    corr = [[1.0, -0.3, 0.2], [-0.3, 1.0, 0.1], [0.2, 0.1, 1.0]]
    dt = 1.0 / 252.0
    L = correlated(sig, corr, dt)
    dr = ((0.03 - q - 0.5 * sig * sig) * dt)[:, None]

    def kernel():
        rng = np.random.default_rng(20261125)
        S = np.full((3, P), 100.0)
        for _ in range(N):
            x = dr + L @ rng.standard_normal((3, P))
            S *= np.exp(x)
        return S

    kmin, kmed, S = best_and_median(kernel, reps)
    print(f"GBM3 numpy threads=1 paths={P} steps={N} reps={reps} kernel_median_s={kmed:.5f} "
          f"kernel_min_s={kmin:.5f} ns_per_path_step={1e9 * kmin / (P * N):.3f} "
          f"mean_eq={float(np.mean(S[0])):.4f}")


def main(argv):
    job = argv[0] if argv else ""
    if job == "bs":
        bs(int(argv[1]), int(argv[2]))
    elif job == "iv":
        iv(argv[1], int(argv[2]))
    elif job in ("hedge", "cppi", "gbm3"):
        {"hedge": hedge, "cppi": cppi, "gbm3": gbm3}[job](int(argv[1]), int(argv[2]), int(argv[3]))
    else:
        print("usage: baselines.py bs N REPS | iv FILE REPS | hedge|cppi|gbm3 PATHS STEPS REPS",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
