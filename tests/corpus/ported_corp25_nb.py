"""Ported cases (session 25, corp25), written anew as user code after numba's examples and
benchmarks (the kernels as their plain-Python reference versions are written): Black-Scholes
with the polynomial cumulative normal (``cnd`` with its ``np.where(d > 0, 1 - r, r)``) and with
``math.erf`` in scalar loops, the Laplace / Jacobi solver (stencil sweeps until a fixed count),
Gaussian kernel density estimation (double loop and broadcast), the n-body step with an inner
pair loop, linear and logistic regression by gradient descent, a 2-D image blur by loops,
``sum2d``, pairwise distances by loops, the softmax cross-entropy, a ``np.vectorize``-d scalar
function, the spring-mass (harmonic chain) energy and a Monte-Carlo-free Simpson option price.

Float arrays / scalars -> float scalar (checked at second order with ``extra="hvp"``) or arrays."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(25000005)

RSQRT2PI = 0.39894228040143267793994605993438
A1, A2, A3, A4, A5 = 0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429


def cnd(d):
    K = 1.0 / (1.0 + 0.2316419 * np.abs(d))
    ret_val = RSQRT2PI * np.exp(-0.5 * d * d) * (K * (A1 + K * (A2 + K * (A3 + K * (A4 + K * A5)))))
    return np.where(d > 0, 1.0 - ret_val, ret_val)


def black_scholes_cnd(stock, strike, years, rate, vol):
    S, X, T = stock, strike, years
    sqrtT = np.sqrt(T)
    d1 = (np.log(S / X) + (rate + 0.5 * vol * vol) * T) / (vol * sqrtT)
    d2 = d1 - vol * sqrtT
    cndd1, cndd2 = cnd(d1), cnd(d2)
    expRT = np.exp(-rate * T)
    call = S * cndd1 - X * expRT * cndd2
    put = X * expRT * (1.0 - cndd2) - S * (1.0 - cndd1)
    return np.sum(call) + 0.5 * np.sum(put)


def _cnd_erf(d):
    return 0.5 * (1.0 + math.erf(d / math.sqrt(2.0)))


def black_scholes_loop(stock, strike, years, rate, vol):
    call = np.empty(len(stock))
    for i in range(len(stock)):
        sqrtT = math.sqrt(years[i])
        d1 = (math.log(stock[i] / strike[i]) + (rate + 0.5 * vol * vol) * years[i]) / (vol * sqrtT)
        d2 = d1 - vol * sqrtT
        call[i] = stock[i] * _cnd_erf(d1) - strike[i] * math.exp(-rate * years[i]) * _cnd_erf(d2)
    return call


def laplace_jacobi(b):
    n = b.shape[0]
    A = np.zeros((n, n))
    A[0, :] = b
    for _ in range(15):
        Anew = A.copy()
        Anew[1:-1, 1:-1] = 0.25 * (A[1:-1, :-2] + A[1:-1, 2:] + A[:-2, 1:-1] + A[2:, 1:-1])
        A = Anew
    return np.sum(A[1:-1, 1:-1] ** 2)


def laplace_loops(A0):
    A = A0.copy()
    n, m = A.shape
    for _ in range(4):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                A[i, j] = 0.25 * (A[i, j + 1] + A[i, j - 1] + A[i - 1, j] + A[i + 1, j])
    return np.sum(A * A0)


def kde_loops(bw, points, evals):
    out = np.zeros(len(evals))
    norm = 1.0 / (len(points) * bw * math.sqrt(2 * math.pi))
    for i in range(len(evals)):
        total = 0.0
        for j in range(len(points)):
            z = (evals[i] - points[j]) / bw
            total += math.exp(-0.5 * z * z)
        out[i] = norm * total
    return np.sum(np.log(out))


def kde_broadcast(bw, points, evals):
    z = (evals[:, None] - points[None, :]) / bw
    dens = np.exp(-0.5 * z**2).sum(axis=1) / (len(points) * bw * np.sqrt(2 * np.pi))
    return -np.mean(np.log(dens))


def nbody_step(pos, vel, mass, dt=0.01):
    n = pos.shape[0]
    acc = np.zeros_like(pos)
    for i in range(n):
        for j in range(n):
            if i != j:
                d = pos[j] - pos[i]
                r2 = d[0] ** 2 + d[1] ** 2 + d[2] ** 2 + 0.01
                acc[i] += mass[j] * d / r2**1.5
    vel = vel + dt * acc
    pos = pos + dt * vel
    return np.sum(pos**2) + np.sum(vel**2)


def linear_regression(w0, X, Y):
    w = w0.copy()
    alphaN = 0.01 / len(Y)
    for _ in range(30):
        w -= alphaN * np.dot(X.T, np.dot(X, w) - Y)
    return w


def logistic_regression(w0, X, Y):
    w = w0
    for _ in range(10):
        w = w - np.dot(((1.0 / (1.0 + np.exp(-Y * np.dot(X, w))) - 1.0) * Y), X) * 0.05
    return np.sum(np.log1p(np.exp(-Y * (X @ w))))


def blur(img):
    h, w = img.shape
    out = np.zeros((h - 2, w - 2))
    k = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16
    for i in range(h - 2):
        for j in range(w - 2):
            acc = 0.0
            for di in range(3):
                for dj in range(3):
                    acc += k[di, dj] * img[i + di, j + dj]
            out[i, j] = acc
    return out


def sum2d(arr):
    M, N = arr.shape
    result = 0.0
    for i in range(M):
        for j in range(N):
            result += arr[i, j] * arr[i, j] * (i + 1)
    return result


def pairwise_loops(X):
    M, N = X.shape
    D = np.empty((M, M))
    for i in range(M):
        for j in range(M):
            d = 0.0
            for k in range(N):
                tmp = X[i, k] - X[j, k]
                d += tmp * tmp
            D[i, j] = np.sqrt(d + 1e-2)
    return D


LABELS = np.array([0, 2, 1, 2])


def softmax_xent(logits, labels=LABELS):
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(labels)), labels])


def _scalar_kernel(x, y):
    if x > y:
        return math.sin(x) * y
    return x * math.cos(y)


def vectorized(x, y):
    f = np.vectorize(_scalar_kernel)
    return np.sum(f(x, y) ** 2)


def spring_chain(x):
    k = np.linspace(1.0, 2.0, len(x) - 1)
    pot = 0.0
    for i in range(len(x) - 1):
        stretch = x[i + 1] - x[i] - 1.0
        pot += 0.5 * k[i] * stretch**2 + 0.1 * stretch**4
    return pot


def simpson_price(sigma, S=100.0, K=105.0, r=0.03, T=0.75):
    n = 40
    lo, hi = -6.0, 6.0
    h = (hi - lo) / n
    total = 0.0
    for i in range(n + 1):
        z = lo + i * h
        ST = S * math.exp((r - 0.5 * sigma**2) * T + sigma * math.sqrt(T) * z)
        payoff = math.log1p(math.exp(ST - K))  # a softplus call payoff, smooth in sigma
        wgt = 1 if i in (0, n) else (4 if i % 2 else 2)
        total += wgt * payoff * math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return math.exp(-r * T) * total * h / 3


def _wfloor(idx, radius):
    return 0 if radius > idx else idx - radius


def _wceil(idx, ceil, radius):
    return ceil if idx + radius > ceil else idx + radius


def growcut_strength(image, strength):
    # growcut's attack: the neighbour strength damped by the colour distance (no label switch)
    h, w = image.shape[0], image.shape[1]
    out = strength.copy()
    for j in range(w):
        for i in range(h):
            for jj in range(_wfloor(j, 1), _wceil(j + 1, w, 1)):
                for ii in range(_wfloor(i, 1), _wceil(i + 1, h, 1)):
                    if ii != i and jj != j:
                        s = 0.0
                        for k in range(3):
                            d = image[i, j, k] - image[ii, jj, k]
                            s += d * d
                        gval = 1.0 - math.sqrt(s + 0.01) / math.sqrt(3.0)
                        out[i, j] += 0.1 * gval * strength[ii, jj]
    return np.sum(out**2)


STOCK = np.round(R.uniform(5.0, 30.0, 6), 3)
STRIKE = np.round(R.uniform(1.0, 100.0, 6), 3)
YEARS = np.round(R.uniform(0.25, 10.0, 6), 3)
PTS = np.round(R.standard_normal(12), 3)
EVALS = np.linspace(-2.0, 2.0, 7)
XR = np.round(R.standard_normal((10, 3)), 3)
YR = np.sign(XR @ np.array([1.0, -0.5, 0.3]) + 0.2 * R.standard_normal(10))
GC = np.round(R.uniform(0.0, 1.0, (4, 4, 3)), 3)
CASES = [
    Case(black_scholes_cnd, (STOCK, STRIKE, YEARS, 0.02, 0.3), (0, 1, 2, 3, 4), extra="hvp"),
    Case(black_scholes_loop, (STOCK, STRIKE, YEARS, 0.02, 0.3), (0, 1, 2, 3, 4)),
    Case(laplace_jacobi, (np.round(R.uniform(0, 1, 6), 3),), (0,), extra="hvp"),
    Case(laplace_loops, (np.round(R.uniform(0, 1, (5, 5)), 3),), (0,), extra="hvp"),
    Case(kde_loops, (0.4, PTS, EVALS), (0, 1), extra="hvp"),
    Case(kde_broadcast, (0.4, PTS, EVALS), (0, 1, 2), extra="hvp"),
    Case(
        nbody_step,
        (
            np.round(R.standard_normal((4, 3)), 3),
            np.round(R.standard_normal((4, 3)), 3),
            np.array([1.0, 0.5, 2.0, 0.1]),
        ),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(linear_regression, (np.zeros(3), XR, XR @ np.array([1.0, 2.0, -1.0])), (0, 1, 2)),
    Case(logistic_regression, (np.array([0.1, -0.1, 0.2]), XR, YR), (0, 1), extra="hvp"),
    Case(blur, (np.round(R.uniform(0, 1, (5, 6)), 3),), (0,)),
    Case(sum2d, (np.round(R.uniform(-1, 1, (3, 4)), 3),), (0,), extra="hvp"),
    Case(pairwise_loops, (np.round(R.uniform(-1, 1, (4, 3)), 3),), (0,)),
    Case(softmax_xent, (np.round(R.standard_normal((4, 3)), 3),), (0,), extra="hvp"),
    Case(vectorized, (np.array([0.3, 1.2, -0.5, 2.0]), np.array([0.9, 0.4, 0.1, 2.5])), (0, 1)),
    Case(spring_chain, (np.array([0.0, 1.1, 2.3, 3.2, 4.4]),), (0,), extra="hvp"),
    Case(simpson_price, (0.25,), (0,), extra="hvp"),
    Case(growcut_strength, (GC, np.round(R.uniform(0.2, 1.0, (4, 4)), 3)), (0, 1), extra="hvp"),
]
