"""Ported cases (session 24, hunt24e), written anew after optimisers and estimators users unroll:
L-BFGS with its (s, y) pairs in lists (``append``/``pop(0)``, a two-loop recursion over
``reversed(list(zip(S, Y)))`` with ``q -= a * y``; ``zip(zip(S, Y), ...)`` in a loop header
then ``S.append``: refused before this session), Adagrad with ``cache[k] += g * g`` in a dict,
Nesterov's look-ahead, backtracking line search (``while f(x - t * g) > ...: t *= 0.5``), Newton
steps by np.linalg.solve, EM for a 1-D Gaussian mixture (``resp /= resp.sum(1, keepdims=True)``),
soft k-means, PCA by eigh with a sign fix, a growing ``np.append`` trajectory, ``x[:] =
np.roll(x, 1)``, a scatter ``y[order] = x`` after argsort, Rprop by signs.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(244)
A_Q = np.array([[3.0, 0.5, 0.2], [0.5, 2.0, 0.1], [0.2, 0.1, 1.5]])
B_Q = np.array([1.0, -0.5, 0.25])
DATA = np.concatenate([R.normal(-1.0, 0.5, 6), R.normal(1.5, 0.7, 6)])
PTS = R.standard_normal((6, 2)) + np.array([[2.0, 0.0]] * 3 + [[-2.0, 0.5]] * 3)


def _rosen(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def _rosen_g(x):
    g = np.zeros_like(x)
    d = x[1:] - x[:-1] ** 2
    g[:-1] += -400 * x[:-1] * d - 2 * (1 - x[:-1])
    g[1:] += 200 * d
    return g


def _quad(x):
    return 0.5 * x @ A_Q @ x - B_Q @ x + 0.1 * np.sum(x**4)


def _quad_g(x):
    return A_Q @ x - B_Q + 0.4 * x**3


def lbfgs_lists(x0):
    x = x0.copy()
    S, Y = [], []
    g = _quad_g(x)
    for _ in range(4):
        q = g.copy()
        alphas = []
        for s, y in reversed(list(zip(S, Y))):
            a = (s @ q) / (y @ s)
            alphas.append(a)
            q -= a * y
        if S:
            q *= (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1])
        for (s, y), a in zip(zip(S, Y), reversed(alphas)):
            b = (y @ q) / (y @ s)
            q += s * (a - b)
        x_new = x - 0.5 * q
        g_new = _quad_g(x_new)
        S.append(x_new - x)
        Y.append(g_new - g)
        if len(S) > 2:
            S.pop(0)
            Y.pop(0)
        x, g = x_new, g_new
    return _quad(x)


def adagrad_dict(x0):
    params = {"a": x0[:2].copy(), "b": x0[2:].copy()}
    cache = {k: np.zeros_like(v) for k, v in params.items()}
    for _ in range(3):
        full = np.concatenate([params["a"], params["b"]])
        g = _quad_g(full)
        grads = {"a": g[:2], "b": g[2:]}
        for k in params:
            cache[k] += grads[k] * grads[k]
            params[k] -= 0.3 * grads[k] / (np.sqrt(cache[k]) + 1e-8)
    return _quad(np.concatenate([params["a"], params["b"]]))


def nesterov(x0):
    x = x0.copy()
    v = np.zeros_like(x)
    for _ in range(4):
        look = x + 0.8 * v
        v = 0.8 * v - 0.1 * _quad_g(look)
        x += v
    return _quad(x)


def backtracking(x0):
    x = x0.copy()
    for _ in range(3):
        g = _rosen_g(x)
        t = 1.0
        fx = _rosen(x)
        while _rosen(x - t * g) > fx - 0.3 * t * (g @ g):
            t *= 0.5
        x = x - t * g
    return _rosen(x)


def newton_solve(x0):
    x = x0.copy()
    for _ in range(2):
        H = A_Q + np.diag(1.2 * x**2)
        x -= np.linalg.solve(H, _quad_g(x))
    return _quad(x) + np.sum(x)


def em_gmm(theta):
    mu = np.array([theta[0], theta[1]])
    sig = np.exp(theta[2:4])
    pi = np.array([0.5, 0.5])
    for _ in range(3):
        dens = pi * np.exp(-0.5 * ((DATA[:, None] - mu) / sig) ** 2) / sig
        resp = dens.copy()
        resp /= resp.sum(axis=1, keepdims=True)
        nk = resp.sum(axis=0)
        mu = (resp * DATA[:, None]).sum(axis=0) / nk
        sig = np.sqrt((resp * (DATA[:, None] - mu) ** 2).sum(axis=0) / nk)
        pi = nk / len(DATA)
    ll = np.log((pi * np.exp(-0.5 * ((DATA[:, None] - mu) / sig) ** 2) / sig).sum(axis=1))
    return ll.sum()


def soft_kmeans(c):
    C = c.reshape(2, 2).copy()
    for _ in range(3):
        d2 = ((PTS[:, np.newaxis, :] - C[np.newaxis]) ** 2).sum(-1)
        w = np.exp(-d2)
        w /= w.sum(axis=1, keepdims=True)
        C = (w.T @ PTS) / w.sum(axis=0)[:, None]
    return np.sum(C**2)


def pca_sign(x):
    X = PTS + x.reshape(1, 2) * np.arange(6.0)[:, None] * 0.1
    Xc = X - X.mean(axis=0)
    w, V = np.linalg.eigh(Xc.T @ Xc / 5)
    for j in range(V.shape[1]):
        if V[np.argmax(np.abs(V[:, j])), j] < 0:
            V[:, j] = -V[:, j]
    proj = Xc @ V[:, ::-1]
    return np.sum(proj[:, 0] * np.arange(6.0)) + w[-1]


def append_traj(y0):
    y = y0.copy()
    traj = np.empty((0, 2))
    for _ in range(4):
        y = y + 0.1 * np.array([y[1], -y[0]])
        traj = np.append(traj, y[np.newaxis], axis=0)
    return np.sum(traj[:, 0] * np.arange(4.0)) + np.sum(traj**2)


def roll_inplace(x):
    a = x.copy()
    for k in range(3):
        a[:] = np.roll(a, 1)
        a[0] *= k + 2.0
    return np.sum(a * np.arange(1.0, 6.0)) + np.sum(a**2)


def scatter_order(x):
    order = np.argsort(x)
    y = np.empty_like(x)
    y[order] = x * np.arange(1.0, 6.0)
    return np.sum(y**2 * np.arange(5.0))


def rprop(x0):
    x = x0.copy()
    step = np.full(3, 0.1)
    gprev = np.zeros(3)
    for _ in range(4):
        g = _quad_g(x)
        s = np.sign(g * gprev)
        step = np.where(s > 0, step * 1.2, np.where(s < 0, step * 0.5, step))
        x -= np.sign(g) * step * (1 + 0.1 * x**2)
        gprev = g
    return _quad(x)


CASES = [
    Case(lbfgs_lists, (np.array([0.5, -0.3, 0.8]),), (0,), extra="hvp"),
    Case(adagrad_dict, (np.array([0.5, -0.3, 0.8]),), (0,), extra="hvp"),
    Case(nesterov, (np.array([0.5, -0.3, 0.8]),), (0,), extra="hvp"),
    Case(backtracking, (np.array([-0.5, 0.6, 0.3]),), (0,), extra="hvp", jitter=0.0),
    Case(newton_solve, (np.array([0.5, -0.3, 0.8]),), (0,), extra="hvp"),
    Case(em_gmm, (np.array([-0.5, 1.0, -0.3, -0.2]),), (0,), extra="hvp"),
    Case(soft_kmeans, (np.array([1.0, 0.2, -1.0, 0.1]),), (0,), extra="hvp"),
    Case(pca_sign, (np.array([0.3, -0.2]),), (0,), extra="hvp"),
    Case(append_traj, (np.array([1.0, 0.2]),), (0,), extra="hvp"),
    Case(roll_inplace, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(scatter_order, (np.array([0.3, -1.2, 2.0, 0.7, -0.4]),), (0,), extra="hvp"),
    Case(rprop, (np.array([0.5, -0.3, 0.8]),), (0,), extra="hvp", jitter=0.0),
]
