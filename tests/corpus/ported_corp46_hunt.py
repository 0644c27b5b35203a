"""Ported cases (session 46, hunt46): benchmark, probabilistic and simulation programs written
fresh as users write them, that srcad gets right (fwd, rev, hvp): scimark's SOR on a list of
lists, LU with row swaps, a pure-Python FFT and a CSR mat-mult whose vector is rebuilt as a list
comprehension; a spectral-norm step through a helper given ``list(u)``; Gray-Scott and wave
stencils on views updated in place; hyantes' cutoff sum; great-circle and weighted distances; an
RK4 pendulum under ``while t < T`` with a clipped last step; a cart-pole rollout with clipped
forces and an early ``break``; Rodrigues rotations and quaternion products; a spring network by
``np.add.at`` and a heat rod with Dirichlet ends; a minimum-image Lennard-Jones energy with a
cutoff; Student t / negative binomial / von Mises / mixture log-likelihoods with scipy.special;
an unrolled HMC leapfrog and a reparameterised ELBO with fixed noise; Welford, Kahan and Horner.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from . import Case

_R = np.random.default_rng(46)


# -- scimark-like ---------------------------------------------------------------------------------
def sor(omega, G):
    G = [list(row) for row in G]
    for _ in range(3):
        for y in range(1, len(G) - 1):
            for x in range(1, len(G[0]) - 1):
                G[y][x] = (
                    omega * 0.25 * (G[y][x - 1] + G[y][x + 1] + G[y - 1][x] + G[y + 1][x])
                    + (1.0 - omega) * G[y][x]
                )
    return sum(sum(row) for row in G)


def _lu_factor(A, pivot):
    n = len(A)
    for j in range(n):
        jp = j
        t = abs(A[j][j])
        for i in range(j + 1, n):
            if abs(A[i][j]) > t:
                jp = i
                t = abs(A[i][j])
        pivot[j] = jp
        if jp != j:
            A[j], A[jp] = A[jp], A[j]
        recp = 1.0 / A[j][j]
        for k in range(j + 1, n):
            A[k][j] *= recp
        for ii in range(j + 1, n):
            Aii = A[ii]
            Aj = A[j]
            for jj in range(j + 1, n):
                Aii[jj] -= Aii[j] * Aj[jj]


def lu_det(A0):
    A = [list(row) for row in A0]
    pivot = [0] * len(A)
    _lu_factor(A, pivot)
    d = 1.0
    for i in range(len(A)):
        d *= A[i][i]
    return d + sum(A[-1]) + 0.1 * sum(pivot)


def _bitreverse(data):
    n = len(data) // 2
    j = 0
    for i in range(n - 1):
        ii, jj, k = i << 1, j << 1, n >> 1
        if i < j:
            data[ii], data[jj] = data[jj], data[ii]
            data[ii + 1], data[jj + 1] = data[jj + 1], data[ii + 1]
        while k <= j:
            j -= k
            k >>= 1
        j += k


def fft_power(x):
    data = list(x)
    n = len(data) // 2
    _bitreverse(data)
    dual = 1
    while dual < n:
        theta = -2.0 * math.pi / (2.0 * dual)
        for a in range(dual):
            wr, wi = math.cos(theta * a), math.sin(theta * a)
            for b in range(0, n, 2 * dual):
                i, j = 2 * (b + a), 2 * (b + a + dual)
                zr = wr * data[j] - wi * data[j + 1]
                zi = wr * data[j + 1] + wi * data[j]
                data[j] = data[i] - zr
                data[j + 1] = data[i + 1] - zi
                data[i] += zr
                data[i + 1] += zi
        dual *= 2
    return sum(d * d * (k % 3 + 1) for k, d in enumerate(data))


ROW = [0, 2, 3, 5, 6]
COL = np.array([0, 2, 1, 0, 3, 2])


def csr_matmult(vals, x):
    M = len(ROW) - 1
    y = [0.0] * M
    for _ in range(3):
        for r in range(M):
            s = 0.0
            for i in range(ROW[r], ROW[r + 1]):
                s += x[i % M] * vals[i]
            y[r] = s
        x = [y[k] * 0.5 + x[k] for k in range(M)]
    return sum(y) + x[0] * x[-1]


def _times_u(u, s, trans):
    n = len(u)
    out = []
    for i in range(n):
        acc = 0.0
        for j in range(n):
            a = s / ((i + j) * (i + j + 1) // 2 + (j if trans else i) + 1)
            acc += a * u[j]
        out.append(acc)
    return out


def spectral_step(s, u0):
    v = _times_u(list(u0), s, False)
    w = _times_u(tuple(u0), s, True)
    return math.sqrt(sum(a * b for a, b in zip(v, w)) + 1.0)


# -- NumPy benchmark kernels ----------------------------------------------------------------------
def grayscott(U0, V0, F):
    U, V = U0.copy(), V0.copy()
    for _ in range(3):
        u, v = U[1:-1, 1:-1], V[1:-1, 1:-1]
        Lu = U[:-2, 1:-1] + U[1:-1, :-2] - 4 * u + U[1:-1, 2:] + U[2:, 1:-1]
        Lv = V[:-2, 1:-1] + V[1:-1, :-2] - 4 * v + V[1:-1, 2:] + V[2:, 1:-1]
        uvv = u * v * v
        u += 0.16 * Lu - uvv + F * (1 - u)
        v += 0.08 * Lv + uvv - (F + 0.065) * v
    return V.sum() + 0.5 * U.sum()


def hyantes(t, step):
    pt = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            xi, yj = step * i, step * j
            s = 0.0
            for k in range(t.shape[0]):
                c = np.cos(xi) * np.cos(t[k, 0]) * np.cos(yj - t[k, 1]) + np.sin(xi) * np.sin(
                    t[k, 0]
                )
                tmp = 6368.0 * np.arccos(c)
                if tmp < 2000.0:
                    s += t[k, 2] / (1.0 + tmp)
            pt[i, j] = s
    return pt.sum()


def distances(th1, ph1, A, W):
    temp = (np.sin((0.4 - th1) / 2) ** 2
            + np.cos(th1) * np.cos(0.4) * np.sin((0.1 - ph1) / 2) ** 2)  # fmt: skip
    arc = 2 * np.arctan2(np.sqrt(temp), np.sqrt(1 - temp))
    res = np.zeros((A.shape[1], 2))
    for ii in range(A.shape[1]):
        for jj in range(2):
            wdiff = (A[:, ii] - A[:, jj] * 0.5) * W[:, ii]
            res[ii, jj] = np.sqrt((wdiff**2).sum())
    return arc.sum() + res.sum()


# -- simulations ----------------------------------------------------------------------------------
def _pend(s, g):
    return np.array([s[1], -g * np.sin(s[0])])


def rk4_pendulum(th0, g):
    s = np.array([th0, 0.1])
    t, T, dt = 0.0, 1.0, 0.07
    while t < T:
        h = min(dt, T - t)
        k1 = _pend(s, g)
        k2 = _pend(s + h / 2 * k1, g)
        k3 = _pend(s + h / 2 * k2, g)
        k4 = _pend(s + h * k3, g)
        s = s + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += h
    return s[0] ** 2 + s[1]


def _cart(state, force, dt=0.02):
    x, x_dot, theta, theta_dot = state
    costh, sinth = math.cos(theta), math.sin(theta)
    temp = (force + 0.05 * theta_dot**2 * sinth) / 1.1
    thetaacc = (9.8 * sinth - costh * temp) / (0.5 * (4.0 / 3.0 - 0.1 * costh**2 / 1.1))
    xacc = temp - 0.05 * thetaacc * costh / 1.1
    return (x + dt * x_dot, x_dot + dt * xacc, theta + dt * theta_dot, theta_dot + dt * thetaacc)


def cartpole(forces):
    s = (0.0, 0.0, 0.1, 0.0)
    cost = 0.0
    for f in forces:
        f = max(-10.0, min(10.0, f))
        s = _cart(s, f)
        cost += s[0] ** 2 + 10 * s[2] ** 2 + 0.001 * f**2
        if abs(s[2]) > 0.8:
            cost += 100.0
            break
    return cost


def _rodrigues(w):
    th = np.linalg.norm(w)
    k = w / th
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(th) * K + (1 - np.cos(th)) * K @ K


def _qmul(a, b):
    w1, x1, y1, z1 = a
    w2, x2, y2, z2 = b
    return np.array(
        [
            w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
            w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
            w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
            w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2,
        ]
    )


def rotations(w):
    R = _rodrigues(w[:3])
    q = np.concatenate([[0.9], w[:3]])
    q = q / np.linalg.norm(q)
    p = np.concatenate([[0.0], R @ np.array([1.0, 0.5, -0.3])])
    out = _qmul(_qmul(q, p), q * np.array([1, -1, -1, -1]))[1:]
    return np.sum(out * np.array([1.0, 2.0, 3.0])) + R[0, 1] ** 2


IA = np.array([0, 1, 2, 3, 0])
IB = np.array([1, 2, 3, 0, 2])


def springs_heat(pos, u0):
    d = pos[IB] - pos[IA]
    L = np.linalg.norm(d, axis=1)
    fm = (2.0 * (L - 1.0) / L)[:, None] * d
    f = np.zeros_like(pos)
    np.add.at(f, IA, fm)
    np.add.at(f, IB, -fm)
    u = u0.copy()
    for _ in range(4):
        u[0], u[-1] = 1.0, 0.0
        u[1:-1] = u[1:-1] + 0.2 * (u[2:] - 2 * u[1:-1] + u[:-2])
    return np.sum(f**2) + np.sum((L - 1.0) ** 2) + np.sum(u * np.linspace(0, 1, len(u)))


def lj_min_image(pos):
    d = pos[:, None, :] - pos[None, :, :]
    d = d - 4.0 * np.round(d / 4.0)
    r2 = np.sum(d * d, axis=-1)[np.triu_indices(len(pos), 1)]
    return np.sum(np.where(r2 < 4.0, (1 / r2) ** 6 - (1 / r2) ** 3, 0.0))


# -- probabilistic --------------------------------------------------------------------------------
XS = np.array([0.3, -1.2, 0.8, 2.1, -0.4, 0.05])
KS = np.array([0, 3, 1, 7, 2])


def loglikelihoods(p):
    df, loc, scale, r, pr, mu, kappa = p
    z = (XS - loc) / scale
    t = np.sum(special.gammaln((df + 1) / 2) - special.gammaln(df / 2) - 0.5 * np.log(df * np.pi)
               - np.log(scale) - (df + 1) / 2 * np.log1p(z**2 / df))  # fmt: skip
    nb = np.sum(special.gammaln(KS + r) - special.gammaln(KS + 1) - special.gammaln(r)
                + r * np.log(pr) + special.xlog1py(KS, -pr))  # fmt: skip
    vm = np.sum(kappa * np.cos(XS - mu) - np.log(2 * np.pi) - np.log(special.i0e(kappa)) - kappa)
    return t + nb + vm


def mixture(w_logits, mus, log_s):
    w = np.exp(w_logits - special.logsumexp(w_logits))
    s = np.exp(log_s)
    lp = (np.log(w)[None, :] - 0.5 * ((XS[:, None] - mus[None, :]) / s[None, :]) ** 2
          - log_s[None, :] - 0.5 * np.log(2 * np.pi))  # fmt: skip
    return np.sum(special.logsumexp(lp, axis=1))


_A2 = np.array([[2.0, 0.3], [0.3, 1.0]])


def _grad_u(q):
    return _A2 @ q + 0.4 * q**3


def leapfrog(q0, eps):
    p0 = np.array([0.2, 0.9])
    q, p = q0.copy(), p0.copy()
    p -= 0.5 * eps * _grad_u(q)
    for i in range(5):
        q += eps * p
        if i != 4:
            p -= eps * _grad_u(q)
    p -= 0.5 * eps * _grad_u(q)
    h0 = 0.5 * q0 @ _A2 @ q0 + 0.1 * np.sum(q0**4) + 0.5 * p0 @ p0
    h1 = 0.5 * q @ _A2 @ q + 0.1 * np.sum(q**4) + 0.5 * p @ p
    return min(0.0, h0 - h1) + q.sum()


NOISE = np.random.default_rng(0).standard_normal((8, 2))
XE = np.array([[0.5, -1.0], [1.2, 0.3], [-0.7, 0.8], [0.1, -0.2], [2.0, 1.0]])
YE = np.array([1.0, 0.0, 1.0, 1.0, 0.0])


def elbo(params):
    mu, log_sigma = params[:2], params[2:]
    z = mu[None, :] + np.exp(log_sigma)[None, :] * NOISE
    logits = z @ XE.T
    ll = np.sum(YE * logits - np.logaddexp(0, logits), axis=1)
    return np.mean(ll - 0.5 * np.sum(z**2, axis=1)) + np.sum(log_sigma)


# -- Python numerics ------------------------------------------------------------------------------
def streaming(xs):
    n, mean, m2 = 0, 0.0, 0.0
    for x in xs:
        n += 1
        delta = x - mean
        mean += delta / n
        m2 += delta * (x - mean)
    s, c = 0.0, 0.0
    for x in xs:
        y = x * x - c
        t = s + y
        c = (t - s) - y
        s = t
    acc = 0.0
    for coef in reversed(list(xs)):
        acc = acc * 0.7 + coef
    return m2 / (n - 1) + mean + s + acc


CASES = [
    Case(sor, (1.25, _R.uniform(0, 1, (5, 5))), (0, 1), extra="hvp"),
    Case(lu_det, (_R.standard_normal((4, 4)),), (0,), extra="hvp"),
    Case(fft_power, (_R.standard_normal(16),), (0,), extra="hvp"),
    Case(csr_matmult, (_R.standard_normal(6), _R.standard_normal(4)), (0, 1), extra="hvp"),
    Case(spectral_step, (1.3, np.linspace(0.5, 1.5, 5)), (0, 1), extra="hvp"),
    Case(
        grayscott,
        (1 - 0.2 * _R.uniform(size=(6, 6)), 0.25 * _R.uniform(size=(6, 6)), 0.035),
        (0, 1, 2),
        extra="hvp",
    ),  # fmt: skip
    Case(
        hyantes,
        (np.column_stack([_R.uniform(0, 1, 5), _R.uniform(0, 1, 5), _R.uniform(1, 2, 5)]), 0.3),
        (0, 1),
        extra="hvp",
    ),  # fmt: skip
    Case(
        distances,
        (
            _R.uniform(0, 1, 4),
            _R.uniform(0, 1, 4),
            _R.standard_normal((3, 4)),
            _R.uniform(0.5, 1, (3, 4)),
        ),
        (0, 1, 2, 3),
        extra="hvp",
    ),  # fmt: skip
    Case(rk4_pendulum, (0.5, 9.81), (0, 1), extra="hvp"),
    Case(cartpole, (np.array([2.0, -1.5, 3.1, 0.4, -2.2, 1.0, 0.3, -0.8]),), (0,), extra="hvp"),
    Case(rotations, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(springs_heat, (_R.standard_normal((4, 2)), _R.standard_normal(8)), (0, 1), extra="hvp"),
    Case(lj_min_image, (_R.uniform(0, 4, (5, 3)),), (0,), extra="hvp", rtol=1e-4),
    Case(loglikelihoods, (np.array([3.5, 0.2, 1.3, 2.5, 0.4, 0.3, 2.0]),), (0,), extra="hvp"),
    Case(
        mixture,
        (np.array([0.2, -0.1]), np.array([-1.0, 1.0]), np.array([-0.5, 0.4])),
        (0, 1, 2),
        extra="hvp",
    ),  # fmt: skip
    Case(leapfrog, (np.array([0.5, -0.3]), 0.1), (0, 1), extra="hvp"),
    Case(elbo, (np.array([0.1, -0.2, -1.0, -0.5]),), (0,), extra="hvp"),
    Case(streaming, (_R.standard_normal(7),), (0,), extra="hvp"),
]
