"""Ported cases (session 33, hunt33c), written anew after NumPy code that leans on its edge
semantics: memory order (``ravel(order='K')`` of a transposed argument, Fortran-ordered inputs),
keepdims with negative and tuple axes, reductions with ``where=``/``initial=``/``ddof``, ``out=``
buffers, boolean masks in arithmetic, complex values in between, ``np.logaddexp.reduce`` and
``.accumulate``, ``np.pad`` modes, and calls srcad rewrites (``np.linalg.multi_dot``,
``math.dist``, ``np.vander``, ``np.resize``, ``np.polyint(k=)``, ``np.cumulative_sum``).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

X6 = np.array([0.37, -1.13, 1.21, -0.73, 2.09, 0.51])
W6 = np.arange(1.0, 7.0) - 2.5
XT = (np.arange(12.0).reshape(3, 4) / 7.0 - 0.5).T  # (4, 3), Fortran-ordered
XF = np.asfortranarray(np.arange(6.0).reshape(2, 3) / 5.0 - 0.4)
MASK = np.array([True, False, True, True, False, True])


def memory_order_ravel(a):
    w = np.arange(a.size, dtype=float)
    k = np.sum(np.sin(a).ravel(order="K") * w)  # the transposed argument's memory order
    f = np.sum(a.ravel(order="F") * w[::-1]) + np.sum(a.reshape(-1, order="A") * w)
    return k + f + np.sum((a * a).ravel(order="K") * w) / 10.0


def fortran_rows(a):
    y = np.ascontiguousarray(a) * 2.0
    z = np.copy(a, order="K").ravel(order="K")
    return np.sum(y[:, ::-1] * a) + np.sum(z * np.arange(6.0)) + np.sum(a.T @ a)


def keepdims_axes(x):
    m = x.reshape(2, 3)
    a = np.sum(m**2, axis=-1, keepdims=True) * m
    b = np.max(m, axis=(0, -1), keepdims=True) * m
    c = np.std(m, axis=(-2,), keepdims=True, ddof=1) * m
    d = np.mean(m, axis=()) * np.var(m, axis=(0, 1), ddof=2)
    return (
        np.sum(a) + np.sum(b) + np.sum(c) + np.sum(d) + np.sum(m.sum(axis=None, keepdims=True) * m)
    )


def masked_reductions(x):
    m = x.reshape(2, 3)
    s = np.sum(m**2, axis=0, where=np.array([True, False, True]))
    mx = np.max(m, axis=0, where=m < 1.0, initial=-5.0)
    mn = np.min(m, where=m > 0, initial=3.0, axis=1)
    mean = np.mean(m**2, axis=1, where=m > -1.0)
    return np.sum(s) + np.sum(mx**2) + np.sum(mn**2) + np.sum(mean) + np.var(x, where=x > -1.0)


def out_buffers(x):
    c = np.ones(6)
    np.add(x, 2.0 * x, where=MASK, out=c)
    y = x.copy()
    np.multiply(y, x, out=y)
    t = np.zeros(3)
    np.sum(x.reshape(2, 3), axis=0, out=t)
    cs = np.zeros(6)
    np.cumsum(x, out=cs)
    return np.sum(c * x) + np.sum(y) + np.sum(t * x[:3]) + np.sum(cs**2) / 10.0


def boolean_arithmetic(x):
    pos = x > 0
    return np.sum(MASK * x) + x[MASK].sum() ** 2 + np.sum(pos * x**2 + MASK) + np.sum(x[~pos] ** 3)


def complex_between(x):
    spec = np.fft.fft(x)
    a = np.sum(np.abs(spec) ** 2) / 6.0 + np.sum(np.real(spec * np.conj(spec[::-1])))
    b = np.sum(np.abs(x * 1j + 0.5)) + np.sum(np.imag(np.exp(1j * x)))
    z = np.zeros(6, complex)
    z += x
    z *= 1j
    return a / 10.0 + b + np.sum(z.imag**2) + np.sum(np.angle(x + 1j))


def logsumexp_both(x):
    m = x.reshape(2, 3)
    r = np.logaddexp.reduce(m, axis=1, keepdims=True)
    c = np.logaddexp.accumulate(x)
    return np.sum(r * m) + np.sum(c * W6) + np.logaddexp2.reduce(x)


def padded_sums(x):
    w = np.arange(10.0)
    e = np.pad(x[:4], 3, mode="edge")
    r = np.pad(x[:4], (2, 4), mode="reflect")
    s = np.pad(x[:4], (3, 3), mode="symmetric")
    return np.sum(e * w) + np.sum(r * w) + np.sum(s * w**0.5)


def rewritten_calls(x):
    md = np.linalg.multi_dot([x[:3], np.outer(x[:3], x[3:]), np.eye(3), x[3:]])
    d = math.dist(x[:3], x[3:]) + math.dist((x[0], x[1]), [x[2], 1.5])
    v = np.sum(np.vander(x[:3], 4) * np.arange(12.0).reshape(3, 4))
    r = np.sum(np.resize(x, (2, 4)) * np.arange(8.0).reshape(2, 4))
    p = np.sum(np.polyint(x[:3], 1, k=[x[4], 2.0]) * x[2:])
    return md + d + v + r + p


def cumulative_sum_of_a_scalar(x):  # NumPy >= 2.1: np.cumulative_sum
    return np.sum(np.cumulative_sum(x[1] * x[2], include_initial=True) * x[:2])


def scalars_and_items(x):
    a = math.sin(x[0]) * math.exp(x[1]) + math.hypot(x[2], x[3])
    b = float(x[0]) * x[1] + x.item(2) * x[3] + round(x[4], 1) * x[5]
    vals = x.tolist()
    c = vals[0] * vals[1] + sum(vals) ** 2 + math.fsum(vals) * x[0]
    return a + b + c + np.float64(x[5]) ** 2


def broadcast_singletons(x):
    o = x[:1]
    y = np.zeros(5)
    y += o
    y -= x[1:] * 2
    z = x[None, :] * x[:, None] + x[..., None] * x[np.newaxis]
    return (
        np.sum(y**2) + np.sum(o * x) + np.sum(z) / 10.0 + np.sum(np.squeeze(x[None, :, None]) ** 3)
    )


CASES = [
    Case(memory_order_ravel, (XT,), (0,), extra="hvp"),
    Case(fortran_rows, (XF,), (0,), extra="hvp"),
    Case(keepdims_axes, (X6,), (0,), extra="hvp"),
    Case(masked_reductions, (X6,), (0,), extra="hvp"),
    Case(out_buffers, (X6,), (0,), extra="hvp"),
    Case(boolean_arithmetic, (X6,), (0,), extra="hvp"),
    Case(complex_between, (X6,), (0,), extra="hvp"),
    Case(logsumexp_both, (X6,), (0,), extra="hvp"),
    Case(padded_sums, (X6,), (0,), extra="hvp"),
    Case(rewritten_calls, (X6,), (0,), extra="hvp"),
    Case(scalars_and_items, (X6,), (0,), extra="hvp"),
    Case(broadcast_singletons, (X6,), (0,), extra="hvp"),
]
if hasattr(np, "cumulative_sum"):
    CASES.append(Case(cumulative_sum_of_a_scalar, (X6,), (0,), extra="hvp"))
