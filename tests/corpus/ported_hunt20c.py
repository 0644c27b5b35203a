"""Ported cases (session 20, hunt20c), written anew after finance, statistics and signal programs:
Heston and GBM Monte Carlo with fixed noise, a GARCH(1,1) likelihood loop, ARMA residuals, a
Hawkes log-likelihood, Cox partial likelihoods over sorted risk sets (cumsum over reversed
arrays), a Kaplan-Meier-like product, pinball and Huber (np.where) losses; an IIR biquad loop,
np.convolve/np.correlate in every mode, a DFT by hand (complex np.exp matrix and real loops),
np.fft.rfft power, median filters through np.sort and np.median, a total-variation energy, a
separable Gaussian blur with clamped loops.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

Z = np.random.default_rng(0).standard_normal((2, 40, 50))
RET = np.random.default_rng(1).standard_normal(60) * 0.01
EV = np.sort(np.random.default_rng(2).uniform(0, 10, 15))
XC = np.random.default_rng(3).standard_normal((8, 2))
TIMES = np.array([5.0, 3.0, 8.0, 1.0, 4.0, 6.0, 2.0, 7.0])
EVT = np.array([1, 0, 1, 1, 0, 1, 1, 0])
YQ = np.array([0.3, -1.2, 0.8, 2.0, 0.1])
SIG = np.sin(np.linspace(0, 6, 24)) + 0.3 * np.cos(np.linspace(0, 17, 24))


def heston_mc(p):
    kappa, theta, xi, rho = p[0], 0.04 * p[1], p[2], p[3]
    S = np.full(50, 1.0)
    v = np.full(50, 0.04)
    dt = 1.0 / 40
    for t in range(40):
        z1 = Z[0, t]
        z2 = rho * z1 + np.sqrt(1 - rho**2) * Z[1, t]
        vp = np.maximum(v, 0.0)
        S = S * np.exp(-0.5 * vp * dt + np.sqrt(vp * dt) * z1)
        v = v + kappa * (theta - vp) * dt + xi * np.sqrt(vp * dt) * z2
    return np.mean(np.maximum(S - 0.4, 0.0))


def gbm_mc(p):
    mu, sig = p
    S = np.ones(50)
    for t in range(40):
        S = S * np.exp((mu - 0.5 * sig**2) / 40 + sig * np.sqrt(1 / 40) * Z[0, t])
    return np.mean(np.maximum(S - 0.4, 0.0))


def garch_ll(p):
    omega, alpha, beta = p[0] * 1e-5, p[1], p[2]
    s2 = np.var(RET)
    ll = 0.0
    for t in range(1, len(RET)):
        s2 = omega + alpha * RET[t - 1] ** 2 + beta * s2
        ll += -0.5 * (math.log(2 * math.pi) + np.log(s2) + RET[t] ** 2 / s2)
    return ll


def arma_resid(p):
    phi, theta = p
    e = np.zeros_like(RET)
    for t in range(1, len(RET)):
        e[t] = RET[t] - phi * RET[t - 1] - theta * e[t - 1]
    return np.sum(e**2) * 1e4


def hawkes_ll(p):
    mu, a, b = p
    T = 10.0
    A = 0.0
    ll = 0.0
    for i in range(len(EV)):
        if i > 0:
            A = np.exp(-b * (EV[i] - EV[i - 1])) * (1 + A)
        ll += np.log(mu + a * A)
    ll -= mu * T + a / b * np.sum(1 - np.exp(-b * (T - EV)))
    return ll


def cox_pl(beta):
    order = np.argsort(-TIMES)
    eta = XC[order] @ beta
    ev = EVT[order]
    lse = np.log(np.cumsum(np.exp(eta)))
    return np.sum(ev * (eta - lse))


def cox_rev(beta):
    order = np.argsort(TIMES)
    eta = XC[order] @ beta
    risk = np.cumsum(np.exp(eta)[::-1])[::-1]
    return np.sum(EVT[order] * (eta - np.log(risk)))


def km_smooth(h):
    # Kaplan-Meier-like product with hazard parameters
    s = 1.0
    surv = []
    for t in np.sort(TIMES):
        s *= 1 - h[int(t) % 3] * 0.1
        surv.append(s)
    return sum(surv)


def pinball(q):
    r = YQ - q[0] - q[1] * np.arange(5)
    tau = 0.3
    return np.sum(np.maximum(tau * r, (tau - 1) * r))


def huber_where(w):
    r = YQ - w[0] * np.arange(5) - w[1]
    d = 1.0
    return np.sum(np.where(np.abs(r) <= d, 0.5 * r**2, d * (np.abs(r) - 0.5 * d)))


def biquad(c):
    b0, b1, b2, a1, a2 = c
    x1 = x2 = y1 = y2 = 0.0
    out = np.zeros_like(SIG)
    for n, x in enumerate(SIG):
        y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2, x1 = x1, x
        y2, y1 = y1, y
        out[n] = y
    return np.sum(out**2)


def conv_modes(h):
    a = np.convolve(SIG, h, mode="full")
    b = np.convolve(SIG, h, mode="same")
    c = np.convolve(h, SIG, mode="valid")
    d = np.correlate(SIG, h, mode="valid")
    e = np.correlate(SIG, h, mode="same")
    f = np.correlate(h, SIG, mode="full")
    return np.sum(a**2) + np.sum(b * SIG) + np.sum(c**3) + np.sum(d) + np.sum(e**2) + np.sum(f * f)


def conv_sig(x):
    h = np.array([0.25, 0.5, 0.25, -0.1])
    return np.sum(np.convolve(x, h, "same") ** 2) + np.sum(
        np.correlate(x, h, "full") * np.arange(27)
    )


def dft_power(x):
    N = len(x)
    n = np.arange(N)
    k = n.reshape(-1, 1)
    M = np.exp(-2j * np.pi * k * n / N)
    X = M @ x
    return np.sum(np.abs(X) ** 2) / N


def dft_realimag(x):
    N = len(x)
    re = np.zeros(N)
    im = np.zeros(N)
    for k in range(N):
        for n in range(N):
            ang = 2 * math.pi * k * n / N
            re[k] += x[n] * math.cos(ang)
            im[k] -= x[n] * math.sin(ang)
    return np.sum(np.sqrt(re**2 + im**2 + 1e-12))


def median_filter(x):
    n = len(x)
    pad = np.concatenate(([x[0]], x, [x[-1]]))
    out = np.empty(n)
    for i in range(n):
        out[i] = np.sort(pad[i : i + 3])[1]
    return np.sum(out**2)


def median_np(x):
    w = np.stack([x[:-2], x[1:-1], x[2:]])
    return np.sum(np.median(w, axis=0) ** 2) + np.sum(np.sort(w, axis=0)[2])


def tv_energy(u):
    img = u.reshape(5, 5)
    f = np.arange(25.0).reshape(5, 5) / 10
    dx = np.diff(img, axis=1)
    dy = np.diff(img, axis=0)
    tv = np.sum(np.sqrt(dx[:-1, :] ** 2 + dy[:, :-1] ** 2 + 1e-6))
    return 0.5 * np.sum((img - f) ** 2) + 0.3 * tv


def gauss_blur(img):
    k = np.exp(-0.5 * np.arange(-2, 3) ** 2)
    k /= k.sum()
    H, W = img.shape
    tmp = np.zeros_like(img)
    for i in range(H):
        for j in range(W):
            acc = 0.0
            for t in range(-2, 3):
                jj = min(max(j + t, 0), W - 1)
                acc += k[t + 2] * img[i, jj]
            tmp[i, j] = acc
    out = np.zeros_like(img)
    for j in range(W):
        for i in range(H):
            acc = 0.0
            for t in range(-2, 3):
                ii = min(max(i + t, 0), H - 1)
                acc += k[t + 2] * tmp[ii, j]
            out[i, j] = acc
    return np.sum(out**2 * np.arange(img.size).reshape(img.shape))


def fft_power(x):
    X = np.fft.rfft(x)
    return np.sum(np.abs(X) ** 2)


CASES = [
    Case(heston_mc, (np.array([1.5, 1.0, 0.1, -0.7]),), (0,), extra="hvp"),
    Case(gbm_mc, (np.array([0.05, 0.2]),), (0,), extra="hvp"),
    Case(garch_ll, (np.array([1.0, 0.1, 0.8]),), (0,), extra="hvp"),
    Case(arma_resid, (np.array([0.3, 0.2]),), (0,), extra="hvp"),
    Case(hawkes_ll, (np.array([0.5, 0.3, 1.2]),), (0,), extra="hvp"),
    Case(cox_pl, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(cox_rev, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(km_smooth, (np.array([0.3, 0.5, 0.2]),), (0,), extra="hvp"),
    Case(pinball, (np.array([0.33, 0.11]),), (0,), extra="hvp"),
    Case(huber_where, (np.array([0.33, 0.11]),), (0,), extra="hvp"),
    Case(biquad, (np.array([0.2, 0.4, 0.2, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(conv_modes, (np.array([0.3, -0.2, 0.7, 0.1, 0.5]),), (0,), extra="hvp"),
    Case(conv_sig, (SIG.copy(),), (0,), extra="hvp"),
    Case(dft_power, (SIG[:8].copy(),), (0,), extra="hvp"),
    Case(dft_realimag, (SIG[:8].copy(),), (0,), extra="hvp"),
    Case(median_filter, (SIG[:9].copy(),), (0,), extra="hvp"),
    Case(median_np, (SIG[:9].copy(),), (0,), extra="hvp"),
    Case(tv_energy, (np.cos(np.arange(25.0)),), (0,), extra="hvp"),
    Case(gauss_blur, (np.cos(np.arange(20.0)).reshape(4, 5),), (0,), extra="hvp"),
    Case(fft_power, (SIG[:8].copy(),), (0,), extra="hvp"),
]
