"""User-style programs of soundness hunt 6 (second pass), accepted and right: in-place NumPy writes
into local arrays (np.add.at / subtract.at assembly, fill_diagonal, .fill, out=, copyto), FFTs,
np.vectorize / piecewise / apply_along_axis, functools.reduce, statistics, nested helpers writing
enclosing variables, namedtuple/dataclass replace, lists given to NumPy, ML losses, simulations and
finance kernels (pythran-benchmark style). Checked forward, reverse and (``extra="hvp"``) at
second order (tests/soundness/test_hunt6.py)."""

from __future__ import annotations

import collections
import dataclasses
import functools
import math
import operator
import statistics

import numpy as np

from . import Case

R = np.random.default_rng(10700100).standard_normal
X4 = np.array([0.31, 0.72, -0.43, 1.12])
X6 = np.array([0.31, 0.72, -0.43, 1.12, 0.05, -0.8])
P = collections.namedtuple("P", "a b")


@dataclasses.dataclass(frozen=True)
class State:
    q: float
    p: float


def fem_assembly(x):
    n = len(x)
    K = np.zeros((n, n))
    for e in range(n - 1):
        k = 1.0 + x[e] ** 2
        idx = np.array([e, e + 1])
        np.add.at(K, (idx[:, None], idx[None, :]), k * np.array([[1.0, -1.0], [-1.0, 1.0]]))
    np.fill_diagonal(K, np.diag(K) + 0.5)
    return np.sum(np.linalg.solve(K, np.ones(n)))


def scatter_dupes(x):
    y = np.zeros(3)
    np.add.at(y, [0, 2, 0, 1], x)
    np.subtract.at(y, [-1], x[0] * x[1])
    return np.sum(y**2 * np.array([1.0, 2.0, 3.0]))


def fill_and_out(x):
    y = np.empty(4)
    y.fill(x[0] * 2)
    z = np.zeros(4)
    np.multiply(x, x[::-1], out=z)
    np.add(z, 1.0, out=z)
    w = np.empty(4)
    np.copyto(w, z * x)
    return np.sum(y * x) + np.sum(np.log(z * z)) + np.sum(w)


def fill_diag_loop(x):
    A = np.eye(2)
    s = 0.0
    for v in x:
        np.fill_diagonal(A, A.diagonal() * v + 1)
        s = s + np.linalg.det(A)
    return s


def out_in_branch(x):
    y = np.zeros(4)
    if x[0] > 0:
        np.sin(x, out=y)
    else:
        np.cos(x, out=y)
    acc = np.zeros(4)
    for k in range(3):
        np.add(acc, x**k, out=acc)
    return np.sum(y * x) + np.sum(acc**2)


def fft_filter(x):
    k = np.array([0.5, 0.25, 0.0, 0.25])
    y = np.fft.ifft(np.fft.fft(x) * np.fft.fft(k)).real
    F = np.fft.rfft(x * x) * np.array([1.0, 0.5, 0.25])
    return (
        np.sum(y**3) + np.sum(np.fft.irfft(F, n=4) ** 2) + np.sum(np.abs(np.fft.fft(x, n=6)) ** 2)
    )


def _huber(v):
    if abs(v) < 0.5:
        return 0.5 * v * v
    return 0.5 * (abs(v) - 0.25)


def vectorize_piecewise(x):
    a = np.sum(np.vectorize(_huber)(x))
    b = np.sum(np.piecewise(x, [x < 0, x >= 0], [lambda v: 0.1 * v, lambda v: v * v]))
    c = np.sum(np.piecewise(x, [x < 0], [0.0, lambda v: np.exp(v)]) * x)
    return a + b + c


def along_axis_softmax(x):
    A = x.reshape(2, 2) * np.array([[1.0, 2.0], [3.0, 0.5]])

    def sm(r):
        e = np.exp(r - r.max())
        return e / e.sum()

    B = np.stack([x, x**2])
    return np.sum(np.apply_along_axis(sm, 1, A) * np.arange(4.0).reshape(2, 2)) + np.sum(
        np.apply_along_axis(np.diff, 1, B) ** 2
    )


def reduce_chain(x):
    mats = [x[:4].reshape(2, 2), np.eye(2) + 0.1, x[:4].reshape(2, 2).T]
    a = np.sum(functools.reduce(np.matmul, mats))
    b = functools.reduce(lambda s, v: s * 0.5 + v * v, x, 1.0)
    c = functools.reduce(operator.mul, x)
    return a + b + c


def stats_mix(x):
    xs = list(x)
    return statistics.mean(xs) * statistics.variance(xs) + statistics.pstdev([v * v for v in x])


def nonlocal_helpers(x):
    total = 0.0
    out = []
    d = {}

    def add(v):
        nonlocal total
        total = total + v * v

    def push(i, v):
        out.append(np.tanh(v))
        d[i % 2] = d.get(i % 2, 0.0) + v

    for i, v in enumerate(x):
        add(v)
        push(i, v if v > 0 else 2 * v)
    add(total)
    return total + sum(out) + d[0] * d[1]


def records(x):
    p = P(x[0], x[1])
    for v in x:
        p = p._replace(a=p.a * v + p.b)
    s = State(x[0], x[1])
    for _ in range(3):
        s = dataclasses.replace(s, p=s.p - 0.1 * np.sin(s.q))
        s = dataclasses.replace(s, q=s.q + 0.1 * s.p)
    return p.a * p.b + s.q * s.p


def lists_to_numpy(x):
    M = np.array([[x[0], x[1]], [x[2], x[3]]])
    ys = [x[0] * x[1], x[2], 3.0]
    return (
        np.linalg.det(M)
        + np.sum(np.asarray(ys) ** 2)
        + np.mean([v**2 for v in x])
        + np.max([x[0] ** 2, x[1], x[2]])
        + np.cumsum([v * v for v in x])[-1] * x[0]
    )


def gp_kernel_nll(x):
    ls, sf = np.exp(x[0]), np.exp(x[1])
    t = np.array([0.0, 0.3, 0.9, 1.4])
    K = sf * np.exp(-0.5 * np.subtract.outer(t, t) ** 2 / ls**2) + 0.05 * np.eye(4)
    y = np.array([0.1, 0.5, -0.2, 0.3])
    _, logdet = np.linalg.slogdet(K)
    return 0.5 * y @ np.linalg.solve(K, y) + 0.5 * logdet


def lstm_cell(x):
    h = np.zeros(2)
    c = np.zeros(2)

    def sig(z):
        return 1 / (1 + np.exp(-z))

    for t in range(3):
        inp = x[2 * t : 2 * t + 2]
        i, f, o = sig(inp + h), sig(inp - h), sig(2 * inp)
        c = f * c + i * np.tanh(inp * h + 0.1)
        h = o * np.tanh(c)
    return np.sum(h) + np.sum(c**2)


def attention(x):
    Q = x.reshape(3, 2)
    K = Q[::-1] * 0.5
    S = Q @ K.T / np.sqrt(2.0)
    S = S - S.max(axis=1, keepdims=True)
    Pm = np.exp(S)
    Pm = Pm / Pm.sum(axis=1, keepdims=True)
    return np.sum((Pm @ (Q + 1)) ** 2)


def adam_steps(x):
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    th = x.copy()
    for t in range(1, 4):
        g = 2 * th + np.sin(th)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        th = th - 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return np.sum(th**2)


def binomial_tree(x):
    S0, u = 1.0 + x[0] * 0.1, 1.1 + x[1] ** 2 * 0.01
    d, p, n = 1 / u, 0.55, 4
    vals = [max(S0 * u**j * d ** (n - j) - 1.0, 0.0) for j in range(n + 1)]
    for step in range(n, 0, -1):
        vals = [p * vals[j + 1] + (1 - p) * vals[j] for j in range(step)]
    return vals[0]


def black_scholes(x):
    S, T, sig = 100 * np.exp(x[0] * 0.1), 1.0 + x[1] ** 2, 0.2 + x[2] ** 2
    d1 = (math.log(S / 100.0) + (0.05 + sig**2 / 2) * T) / (sig * math.sqrt(T))
    d2 = d1 - sig * math.sqrt(T)

    def N(v):
        return 0.5 * (1 + math.erf(v / math.sqrt(2)))

    return S * N(d1) - 100.0 * math.exp(-0.05 * T) * N(d2)


def irr_newton(x):
    cfs = np.concatenate([[-1.0], np.abs(x[1:]) * 0.5 + 0.1])
    r = 0.1
    for _ in range(20):
        t = np.arange(len(cfs))
        r = r - np.sum(cfs / (1 + r) ** t) / np.sum(-t * cfs / (1 + r) ** (t + 1))
    return r


def lorenz_rk4(x):
    def rhs(s):
        return np.array([10 * (s[1] - s[0]), s[0] * (28 - s[2]) - s[1], s[0] * s[1] - 8 / 3 * s[2]])

    s, h = x[:3], 0.01
    for _ in range(5):
        k1 = rhs(s)
        k2 = rhs(s + h / 2 * k1)
        k3 = rhs(s + h / 2 * k2)
        k4 = rhs(s + h * k3)
        s = s + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return s[2]


def nbody_step(x):
    pos, vel, m = x.reshape(3, 2), np.zeros((3, 2)), np.array([1.0, 2.0, 0.5])
    for _ in range(2):
        acc = np.zeros((3, 2))
        for i in range(3):
            for j in range(3):
                if i != j:
                    dd = pos[j] - pos[i]
                    acc[i] += m[j] * dd / np.sqrt(dd @ dd + 0.01) ** 3
        vel = vel + 0.01 * acc
        pos = pos + 0.01 * vel
    return np.sum(pos**2)


def growcut(x):
    img = x.reshape(2, 3)
    out = img.copy()
    for i in range(2):
        for j in range(3):
            s = 0.0
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    ii, jj = i + di, j + dj
                    if 0 <= ii < 2 and 0 <= jj < 3:
                        s += img[ii, jj] * 0.1
            out[i, j] = np.tanh(s + img[i, j])
    return np.sum(out**2)


def wave_eq(x):
    u, up = x.copy(), x * 0.9
    for _ in range(3):
        un = np.empty_like(u)
        un[1:-1] = 2 * u[1:-1] - up[1:-1] + 0.1 * (u[2:] - 2 * u[1:-1] + u[:-2])
        un[0] = 0.0
        un[-1] = 0.0
        up, u = u, un
    return np.sum(u**2)


def python_idioms(x):
    pairs = [(x[0], 1), (x[1], 1), (x[2], 0), (x[3], 0)]
    s = sorted(pairs, key=lambda q: q[1], reverse=True)
    d = {"a": x[0], "b": x[1]}
    v = d.pop("c", x[2])
    w = d.pop("a")
    d.update({"b": x[2] * 2, "c": x[3]})
    a, *rest, b = x
    return s[0][0] * 3 + s[1][0] * 2 + v * w + d["b"] * d["c"] + a * b + sum(rest) ** 2


def linalg_mix(x):
    A = np.outer(x[:3], x[3:]) + np.diag(x[:3] ** 2 + 1)
    U, sv, Vt = np.linalg.svd(x.reshape(2, 3), full_matrices=False)
    S = np.outer(x[:3], x[:3]) + np.diag(x[3:])
    w, V = np.linalg.eigh(S + S.T)
    return np.linalg.det(A) + np.sum(sv**3) + np.sum((U * sv) @ Vt) + np.sum(w**2)


def special_fns(x):
    import scipy.special as sp

    return np.sum(
        sp.gammaln(np.abs(x) + 1) + sp.expit(x) + sp.erf(x) + sp.xlogy(np.abs(x) + 1, np.abs(x) + 2)
    ) + sp.logsumexp(x)


CASES = [
    Case(fem_assembly, (X4.copy(),), (0,), extra="hvp"),
    Case(scatter_dupes, (X4.copy(),), (0,), extra="hvp"),
    Case(fill_and_out, (X4.copy(),), (0,), extra="hvp"),
    Case(fill_diag_loop, (X4.copy(),), (0,), extra="hvp"),
    Case(out_in_branch, (X4.copy(),), (0,), extra="hvp"),
    Case(fft_filter, (X4.copy(),), (0,), extra="hvp"),
    Case(vectorize_piecewise, (X4.copy(),), (0,), extra="hvp"),
    Case(along_axis_softmax, (X4.copy(),), (0,), extra="hvp"),
    Case(reduce_chain, (X4.copy(),), (0,), extra="hvp"),
    Case(stats_mix, (X4.copy(),), (0,), extra="hvp"),
    Case(nonlocal_helpers, (X4.copy(),), (0,), extra="hvp"),
    Case(records, (X4.copy(),), (0,), extra="hvp"),
    Case(lists_to_numpy, (X4.copy(),), (0,), extra="hvp"),
    Case(gp_kernel_nll, (X4.copy(),), (0,), extra="hvp"),
    Case(lstm_cell, (X6.copy(),), (0,), extra="hvp"),
    Case(attention, (X6.copy(),), (0,), extra="hvp"),
    Case(adam_steps, (X4.copy(),), (0,), extra="hvp"),
    Case(binomial_tree, (X4.copy(),), (0,), extra="hvp"),
    Case(black_scholes, (X4.copy(),), (0,), extra="hvp"),
    Case(irr_newton, (X4.copy(),), (0,), extra="hvp"),
    Case(lorenz_rk4, (X4.copy(),), (0,), extra="hvp"),
    Case(nbody_step, (X6.copy(),), (0,), extra="hvp"),
    Case(growcut, (X6.copy(),), (0,), extra="hvp"),
    Case(wave_eq, (X6.copy(),), (0,), extra="hvp"),
    Case(python_idioms, (X4.copy(),), (0,), extra="hvp"),
    Case(linalg_mix, (X6.copy(),), (0,), extra="hvp"),
    Case(special_fns, (X4.copy(),), (0,), extra="hvp"),
]
