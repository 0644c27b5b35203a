"""More user-style programs of soundness hunt 5: dynamic programming over 2-D tables (soft-DTW,
HMM forward), linear solvers written as loops (Jacobi, Gauss-Seidel, LU, back substitution),
softmax/log-sum-exp shifts that do and do not cancel, *args/**kwargs helpers, list methods,
super() chains, __rmul__, closures, records (namedtuples, dataclasses) as arguments, and tuple /
list operands of NumPy functions. Checked forward, reverse and (corpus Hessian test) at second
order."""

from __future__ import annotations

import math
from collections import namedtuple
from dataclasses import dataclass

import numpy as np

from . import Case

R = np.random.default_rng(9600200).standard_normal


def _sumw(*xs, w=1.0):
    s = 0.0
    for i, v in enumerate(xs):
        s = s + w * (i + 1) * v
    return s


def _fwd(*a, **k):
    return _sumw(*a, **k) * 2.0


def _kwonly(x, *, scale=2.0, shift=0.0):
    return scale * x + shift


def _kwd(**kw):
    tot = 0.0
    for k in sorted(kw):
        tot = tot + kw[k] * len(k)
    return tot


def _opt(x, **kw):
    if "p" in kw:
        return np.sum(x ** kw["p"])
    return np.sum(x)


class A:
    def __init__(self, w):
        self.w = w

    def val(self, x):
        return self.w * x


class B(A):
    def val(self, x):
        return super().val(x) + 1.0


class C(B):
    def val(self, x):
        return super().val(x) * 2.0


class V:
    def __init__(self, a):
        self.a = a

    def __mul__(self, k):
        return V(self.a * k)

    __rmul__ = __mul__

    def __neg__(self):
        return V(-self.a)

    def __sub__(self, o):
        return V(self.a - o.a)


P = namedtuple("P", ["w", "b"])


@dataclass
class Layer:
    W: np.ndarray
    b: np.ndarray
    scale: float = 1.0


@dataclass(frozen=True)
class Frozen:
    a: float
    v: np.ndarray


class Plain:
    def __init__(self, w, b):
        self.w = w
        self.b = b


def soft_dtw(x, y, gamma=0.5):
    n, m = len(x), len(y)
    D = (x[:, None] - y[None, :]) ** 2
    Rm = np.full((n + 1, m + 1), 1e10)
    Rm[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            a = -Rm[i - 1, j] / gamma
            b = -Rm[i, j - 1] / gamma
            c = -Rm[i - 1, j - 1] / gamma
            mx = max(a, b, c)
            sm = -gamma * (mx + math.log(math.exp(a - mx) + math.exp(b - mx) + math.exp(c - mx)))
            Rm[i, j] = D[i - 1, j - 1] + sm
    return Rm[n, m]


def hmm_forward(logA, logB, logpi):
    T, K = logB.shape
    alpha = np.zeros((T, K))
    alpha[0] = logpi + logB[0]
    for t in range(1, T):
        for j in range(K):
            v = alpha[t - 1] + logA[:, j]
            m = v.max()
            alpha[t, j] = m + np.log(np.sum(np.exp(v - m))) + logB[t, j]
    m = alpha[-1].max()
    return m + np.log(np.sum(np.exp(alpha[-1] - m)))


def cumulative_2d(A):
    n, m = A.shape
    S = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            S[i, j] = A[i, j]
            if i > 0:
                S[i, j] += S[i - 1, j]
            if j > 0:
                S[i, j] += S[i, j - 1]
            if i > 0 and j > 0:
                S[i, j] -= S[i - 1, j - 1]
    return np.sum(S**2)


def jacobi_iter(A, b):
    n = len(b)
    x = np.zeros(n)
    for _it in range(5):
        xn = np.zeros(n)
        for i in range(n):
            s = 0.0
            for j in range(n):
                if j != i:
                    s += A[i, j] * x[j]
            xn[i] = (b[i] - s) / A[i, i]
        x = xn
    return np.sum(x**2)


def gauss_seidel(A, b):
    n = len(b)
    x = np.zeros(n)
    for _it in range(4):
        for i in range(n):
            s = b[i]
            for j in range(n):
                if j != i:
                    s -= A[i, j] * x[j]
            x[i] = s / A[i, i]
    return np.sum(x * np.arange(1.0, n + 1))


def lu_loops(A):
    n = A.shape[0]
    U = A.copy()
    L = np.eye(n)
    for k in range(n):
        for i in range(k + 1, n):
            L[i, k] = U[i, k] / U[k, k]
            for j in range(k, n):
                U[i, j] = U[i, j] - L[i, k] * U[k, j]
    return np.sum(np.log(np.abs(np.diag(U)))) + np.sum(L**2)


def back_subst(U, b):
    n = len(b)
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (b[i] - np.dot(U[i, i + 1 :], x[i + 1 :])) / U[i, i]
    return np.sum(x**2)


def lse_plus_2m(x):
    m = np.max(x)
    return np.log(np.sum(np.exp(x - m))) + 2 * m


def softmax_times_m(x):
    m = x.max()
    e = np.exp(x - m)
    return np.sum(e / e.sum() * np.arange(len(x))) * m


def shift_half(x):
    m = x.max()
    e = np.exp(x - 0.5 * m)
    return np.sum(e / e.sum() * np.arange(len(x)))


def shift_sub_scaled(x):
    m = x.max()
    e = np.exp(2 * x - m)
    p = e / e.sum()
    return np.sum(p * np.arange(len(x)))


def shift_used_twice(x):
    m = x.max()
    e = np.exp(x - m)
    f = np.exp(x + m)
    return np.sum(e / e.sum()) + np.log(f.sum())


def shift_partial_sum(x):
    m = x.max()
    e = np.exp(x - m)
    return np.sum(e[:2]) / np.sum(e)


def shift_min(x):
    m = x.min()
    e = np.exp(m - x)
    return np.sum(e / e.sum() * np.arange(len(x)))


def shift_python_max(x):
    m = max(x[0], x[1], x[2])
    return np.log(np.exp(x[0] - m) + np.exp(x[1] - m) + np.exp(x[2] - m)) + m


def shift_python_max_wrong(x):
    m = max(x[0], x[1], x[2])
    return np.log(np.exp(x[0] - m) + np.exp(x[1] - m)) + m


def sigmoid_forms(x):
    a = 1.0 / (1.0 + np.exp(-x))
    b = 1 / (1 + np.exp(-2 * x))
    c = np.exp(x) / (1 + np.exp(x))
    return np.sum(a * b + c**2)


def sigmoid_reuse(x):
    e = np.exp(-x)
    s = 1.0 / (1.0 + e)
    return np.sum(s) + np.sum(e)


def shift_other_array(x, y):
    m = y.max()
    e = np.exp(x - m)
    return np.sum(e / e.sum() * np.arange(len(x)))


def shift_keepdims_rows(X):
    m = X.max(axis=1, keepdims=True)
    e = np.exp(X - m)
    return np.sum(e / e.sum(axis=0, keepdims=True) * np.arange(X.shape[1]))


def shift_loop(X):
    tot = 0.0
    for x in X:
        m = max(x)
        s = sum(np.exp(v - m) for v in x)
        tot += m + np.log(s)
    return tot


def star_forward(x):
    return _fwd(x[0], x[1], w=3.0) + _fwd(x[2])


def kwonly_user(x):
    return np.sum(_kwonly(x, shift=1.0) ** 2) + np.sum(_kwonly(x, scale=x[0]))


def kwargs_iter(x):
    return _kwd(a=x[0], bb=x[1], ccc=x[2] ** 2)


def kwargs_in(x):
    return _opt(x, p=2) + _opt(x)


def pop_neg(x):
    xs = list(x)
    a = xs.pop(-2)
    b = xs.pop(0)
    return a * 10 + b + sum(v * (i + 1) for i, v in enumerate(xs))


def insert_neg(x):
    xs = [x[0], x[1]]
    xs.insert(-1, x[2] * 5)
    xs.insert(100, x[3])
    return xs[0] * 1 + xs[1] * 2 + xs[2] * 3 + xs[3] * 4


def extend_method(x):
    xs = [x[0]]
    xs.extend([x[1] * 2, x[2]])
    xs += [x[0] * x[1]]
    return sum(v * (i + 1) for i, v in enumerate(xs))


def try_finally_loop(x):
    tot = 0.0
    for v in x:
        try:
            tot = tot + v * v
        finally:
            tot = tot * 0.9
    return tot


def lambda_late_binding(x):
    fs = [lambda v: v * k for k in range(3)]  # noqa: B023 (late binding: every k is 2)
    return sum(f(x[1]) for f in fs)


def lambda_closure_rebind(x):
    c = x[0]
    f = lambda v: v * c
    c = x[1] * 3
    return f(x[2])


def super_three(w, x):
    return np.sum(C(w).val(x) ** 2)


def rmul_alias(x, s):
    v = V(x)
    w = s * v - (-(v * 2.0))
    return np.sum(w.a**2)


def swap_triple(x):
    a, b, c = x.copy(), np.zeros_like(x), np.ones_like(x)
    for _t in range(3):
        b[:] = a * 0.5 + c * 0.1
        a, b, c = b, c, a
    return np.sum(a * 1 + b * 2 + c * 3)


def del_loop(x):
    xs = list(x)
    i = 0
    while i < len(xs):
        if xs[i] < 0:
            del xs[i]
        else:
            i += 1
    return sum(v**2 for v in xs) + len(xs)


def nt_loss(p, x):
    return np.sum(np.tanh(x @ p.w + p.b) ** 2)


def nt_unpack(p, x):
    w, b = p
    return np.sum((x * w + b) ** 2)


def dc_loss(lay, x):
    return np.sum(np.sin(lay.W @ x + lay.b)) * lay.scale


def dc_list(layers, x):
    for lay in layers:
        x = np.tanh(lay.W @ x + lay.b) * lay.scale
    return np.sum(x**2)


def frozen_loss(f, x):
    return f.a * np.sum(f.v * x) ** 2


def plain_loss(o, x):
    return np.sum((o.w * x + o.b) ** 2)


def dc_build(W, b, x):
    lay = Layer(W, b, 0.5)
    return dc_loss(lay, x)


def dict_of_nt(d, x):
    return np.sum(d["a"].w * x) + d["b"].b ** 2


def dot_tuple(x):
    t = (x[0] * x[1], x[2] ** 2, x[0])
    return np.dot(np.cos(x), t)


def params_dict(p, x):
    h = np.tanh(p["W"] @ x + p["b"])
    return np.sum(h**2) * p["s"]


def params_list(p, x):
    W, b = p
    return np.sum(np.tanh(W @ x + b) ** 2)


def params_tuple_loop(p, xs):
    W, b = p
    tot = 0.0
    for x in xs:
        tot = tot + np.sum(np.sin(W @ x) * b)
    return tot


def eigh_loss(A):
    S = A + A.T
    w, V = np.linalg.eigh(S)
    return np.sum(w**2) + np.sum(V[:, 0] ** 4)


def slogdet_loss(A):
    s, ld = np.linalg.slogdet(A @ A.T + np.eye(A.shape[0]))
    return ld * s


def split_loss(x):
    a, b = np.split(x, 2)
    return np.sum(a * b**2)


def tuple_concat(x):
    t = (x[0],) + (x[1] ** 2, x[2])
    return np.dot(np.array(t), np.sin(x)) + sum(t) ** 2


def list_concat_dot(x):
    lay = [x[0]] + [x[1] ** 2, x[2]]
    return np.dot(lay, np.sin(x) * lay)


def list_mul_rep(x):
    lay = [x[0] ** 2, x[1]] * 2
    return np.dot(lay, np.arange(4.0) * lay[0])


CASES = [
    Case(soft_dtw, (R(4), R(3)), (0, 1)),
    Case(
        hmm_forward, (np.log(np.full((3, 3), 1 / 3)) + 0.1 * R((3, 3)), R((4, 3)), R(3)), (0, 1, 2)
    ),
    Case(cumulative_2d, (R((3, 4)),), (0,)),
    Case(jacobi_iter, (R((3, 3)) * 0.2 + 3 * np.eye(3), R(3)), (0, 1)),
    Case(gauss_seidel, (R((3, 3)) * 0.2 + 3 * np.eye(3), R(3)), (0, 1)),
    Case(lu_loops, (R((3, 3)) + 3 * np.eye(3),), (0,)),
    Case(back_subst, (np.triu(R((4, 4))) + 3 * np.eye(4), R(4)), (0, 1)),
    Case(lse_plus_2m, (R(4),), (0,)),
    Case(softmax_times_m, (R(4),), (0,)),
    Case(shift_half, (R(4),), (0,)),
    Case(shift_sub_scaled, (R(4),), (0,)),
    Case(shift_used_twice, (R(4),), (0,)),
    Case(shift_partial_sum, (R(4),), (0,)),
    Case(shift_min, (R(4),), (0,)),
    Case(shift_python_max, (R(4),), (0,)),
    Case(shift_python_max_wrong, (R(4),), (0,)),
    Case(sigmoid_forms, (R(4),), (0,)),
    Case(sigmoid_reuse, (R(4),), (0,)),
    Case(shift_other_array, (R(4), R(4)), (0, 1)),
    Case(shift_keepdims_rows, (R((3, 4)),), (0,)),
    Case(shift_loop, (R((3, 4)),), (0,)),
    Case(star_forward, (R(3),), (0,)),
    Case(kwonly_user, (R(3),), (0,)),
    Case(kwargs_iter, (R(3),), (0,)),
    Case(kwargs_in, (R(3),), (0,)),
    Case(pop_neg, (R(5),), (0,)),
    Case(insert_neg, (R(4),), (0,)),
    Case(extend_method, (R(3),), (0,)),
    Case(try_finally_loop, (R(3),), (0,)),
    Case(lambda_late_binding, (R(3),), (0,)),
    Case(lambda_closure_rebind, (R(3),), (0,)),
    Case(super_three, (0.7, R(3)), (0, 1)),
    Case(rmul_alias, (R(3), 0.6), (0, 1)),
    Case(swap_triple, (R(4),), (0,)),
    Case(del_loop, (R(6),), (0,)),
    Case(nt_loss, (P(R(3), 0.3), R((2, 3))), (0, 1), jitter=0.0),
    Case(nt_unpack, (P(R(3), R(3)), R(3)), (0, 1), jitter=0.0),
    Case(dc_loss, (Layer(R((2, 3)), R(2), 0.7), R(3)), (0, 1)),
    Case(dc_list, ([Layer(R((3, 3)), R(3), 0.7), Layer(R((2, 3)), R(2), 1.2)], R(3)), (0, 1)),
    Case(frozen_loss, (Frozen(0.5, R(3)), R(3)), (0, 1)),
    Case(plain_loss, (Plain(R(3), 0.2), R(3)), (0, 1)),
    Case(dc_build, (R((2, 3)), R(2), R(3)), (0, 1, 2)),
    Case(dict_of_nt, ({"a": P(R(3), 0.1), "b": P(R(3), 0.4)}, R(3)), (0, 1), jitter=0.0),
    Case(dot_tuple, (R(3),), (0,)),
    Case(params_dict, ({"W": R((2, 3)), "b": R(2), "s": 0.7}, R(3)), (0, 1)),
    Case(params_list, ([R((2, 3)), R(2)], R(3)), (0, 1)),
    Case(params_tuple_loop, ((R((2, 3)), R(2)), [R(3), R(3)]), (0,)),
    Case(eigh_loss, (R((3, 3)),), (0,)),
    Case(slogdet_loss, (R((2, 3)),), (0,)),
    Case(split_loss, (R(4),), (0,)),
    Case(tuple_concat, (R(3),), (0,)),
    Case(list_concat_dot, (R(3),), (0,)),
    Case(list_mul_rep, (R(3),), (0,)),
]
