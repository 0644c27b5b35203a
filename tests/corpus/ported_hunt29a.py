"""Ported cases (session 29, hunt29a), written anew after NumPy array code that leans on NumPy's
semantics: writes through views (``a[::2]``, ``a[::-1][1:]``, ``a.T``, rows of ``reshape``,
``np.split`` pieces read after, the step views of an even/odd fill), ``out=`` into a view,
``np.add.at``/``np.put``/``np.putmask``/``np.fill_diagonal`` with repeated and negative indices,
fancy ``+=`` with duplicates, overlapping ``a[1:] += a[:-1]``; keyword arguments (``axis=``
tuples and negatives, ``keepdims``, ``where=``/``initial=`` in reductions, ``ddof=``,
``correction=``, ``mean=``, ``dtype=``, ``ord=`` of vector and matrix norms, ``np.einsum`` with
repeated indices and an ellipsis); int and bool arrays mixed with floats (a float written into
an int array truncates); complex intermediates with a real loss; broadcasting corners ((n, 1)
against (n,), ``np.newaxis`` in mid positions, boolean-mask writes); a class-level constant
array read and a polyline made by ``np.linspace`` of two points. Refused and should not be
(strict xfails): ``a.repeat(2)`` then ``op=`` (the method makes a new array), ``np.add(x, 1.0,
out=None)``, ``np.add(..., casting="same_kind")``, ``np.einsum`` with run-time subscripts,
``np.astype(x, ...)``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case

W6 = np.arange(6.0) + 1.0


def even_odd_fill(x):
    a = np.zeros(6)
    ev = a[::2]
    od = a[1::2]
    for i in range(3):
        ev[i] = x[i] ** 2
        od[i] = ev[i] * x[i + 3]
    return np.sum(a * W6)


def reversed_view_write(x):
    a = x.copy()
    v = a[::-1][1:]
    v[0] = x[0] * 7
    v[2:] *= x[5]
    return np.sum(a * W6)


def transposed_rows_write(x):
    a = x.reshape(2, 3).copy()
    a.T[0] = x[4:] * 3
    c = a.T[2]
    c[0] = x[1] ** 2
    return np.sum(a.ravel() * W6)


def out_into_view(x):
    a = x.copy()
    np.multiply(a[:3], x[3:], out=a[3:])
    np.add(a[:-1], a[1:], out=a[1:])
    return np.sum(a * W6)


def scatter_duplicates(x):
    a = np.zeros(4)
    np.add.at(a, [0, 0, 3, -1], x[:4])
    b = x.copy()
    b[[0, 0, 1]] += x[3:]
    np.put(b, [-1, 2, -1], x[:3] * 3)
    np.putmask(b, x > 0.5, x[::-1] ** 2)
    return np.sum(a**2) + np.sum(b * W6)


def overlapping_updates(x):
    a = x.copy()
    a[1:] += a[:-1]
    a[::-1] *= x[0]
    a[1:] = a[:-1] * 0.5
    return np.sum(a * W6)


def diag_fill(x):
    a = np.outer(x[:3], x[3:])
    np.fill_diagonal(a, x[:3] ** 2)
    t = np.zeros((4, 3))
    np.fill_diagonal(t, x[3:])
    return np.sum(a * a) + np.sum(t * np.arange(12.0).reshape(4, 3))


def reduction_keywords(x):
    a = x.reshape(1, 2, 3)
    s = np.sum(np.sum(a**2, axis=(0, -1), keepdims=True, where=a > -0.5, initial=0.5) * a)
    m = np.max(x**2, initial=0.6) + np.min(x, where=x > -0.5, initial=5.0)
    v = np.var(x, ddof=1) + np.std(x.reshape(2, 3), axis=0, correction=0.5).sum()
    u = np.std(x, mean=np.mean(x)) + np.mean(x**2, where=x > 0)
    return s + m + v + u + np.prod(x[:3], initial=2.0) + float(np.sum(x, dtype=np.float64))


def norm_orders(x):
    a = x.reshape(2, 3)
    s = np.linalg.norm(x, ord=3) + np.linalg.norm(x, 1) + np.linalg.norm(x, ord=-np.inf)
    s = s + np.linalg.norm(a, "fro") + np.linalg.norm(a, ord="nuc") + np.linalg.norm(a, 2)
    return s + np.sum(np.linalg.norm(a, ord=1, axis=1)) + np.sum(np.linalg.norm(a, axis=0) * x[:3])


def einsum_repeated(x):
    a = np.outer(x[:3], x[3:]) + np.diag(x[:3])
    b = x.reshape(2, 3)
    return (
        np.einsum("ii", a)
        + np.sum(np.einsum("ii->i", a) ** 2)
        + np.sum(np.einsum("...i,...i->...", b, b) * x[:2])
        + np.sum(np.einsum("ij,kj", b, b) ** 2)
    )


def ints_and_bools(x):
    idx = np.arange(6)
    a = np.zeros(6, dtype=int)
    a[:] = x * 10.3
    m = x > 0
    b = np.full(3, 2)
    b[1:] = x[:2] * 7.1
    return np.sum(idx * x**2 + m * x) + np.sum(a * x) + np.sum(b * x[3:]) + np.sum(x[m] ** 3)


def complex_loss(x):
    z = x[:3] + 1j * x[3:]
    w = np.zeros(3)
    w[:] = (z * np.exp(1j * x[:3])).real
    return np.sum(np.abs(z) ** 2 * x[:3]) + np.real(np.vdot(z, z * (1 + 2j))) + np.sum(w * W6[:3])


def broadcast_corners(x):
    col = x[:3].reshape(3, 1)
    a = np.zeros((3, 3))
    a += x[:3, None]
    a *= x[3:]
    b = x.reshape(2, 3)
    c = b[:, np.newaxis, :] * b[np.newaxis, :, :] * x[:2, None, None]
    d = b.copy()
    d[d > 0] = 0.5 * x[0]
    d[:, np.array([True, False, True])] = x[None, :2] * 2
    return np.sum((col - x[3:]) ** 2) + np.sum(a**2) + np.sum(c) + np.sum(d * b)


def split_pieces_read(x):
    a = x.reshape(2, 3).copy()
    left, right = np.hsplit(a, [1])
    top, bottom = np.vsplit(a, 2)
    return np.sum(left**2) + np.sum(right * bottom[:, 1:]) + np.sum(top * W6[:3])


class Sensor:
    gains = np.array([0.5, 1.5, -0.25])

    def __init__(self, offset):
        self.offset = offset

    def read(self, v):
        return (v - self.offset) * type(self).gains


def class_constant_array(x):
    s = Sensor(x[5])
    r = s.read(x[:3]) + Sensor.gains * x[3:]
    return np.sum(r**2)


def polyline_length(x):
    path = np.linspace(x[:2], x[2:4], 5)
    seg = np.diff(path, axis=0)
    return np.sum(np.sqrt(np.sum(seg**2, axis=1) + 0.1)) + np.sum(path[2] * x[4:])


def repeat_then_update(x):
    a = x[:3] * 2
    r = a.repeat(2)
    r += 1.0
    return np.sum(r * W6) + np.sum(a)


def add_out_none(x):
    return np.sum(np.add(x, 1.0, out=None) * W6)


def add_casting(x):
    return np.sum(np.add(x, x[::-1], casting="same_kind") ** 2)


def einsum_runtime_subscripts(x):
    a = x.reshape(2, 3)
    s = 0.0
    for sub in ("ij,ij->i", "ij,ij->j"):
        s = s + np.sum(np.einsum(sub, a, a) ** 2)
    return s


def astype_function(x):
    return np.sum(np.astype(x, np.float64) ** 2)


X6 = np.array([0.73, 0.218, -0.437, 1.1213, -0.9371, 0.3521])
_REPEAT = "`a.repeat(2)` is taken for a view of `a` (no record says the method makes a new array)"

CASES = [
    Case(even_odd_fill, (X6,), (0,), extra="hvp"),
    Case(reversed_view_write, (X6,), (0,), extra="hvp"),
    Case(transposed_rows_write, (X6,), (0,), extra="hvp"),
    Case(out_into_view, (X6,), (0,), extra="hvp"),
    Case(scatter_duplicates, (X6,), (0,), extra="hvp", jitter=0.0),
    Case(overlapping_updates, (X6,), (0,), extra="hvp"),
    Case(diag_fill, (X6,), (0,), extra="hvp"),
    Case(reduction_keywords, (X6,), (0,), extra="hvp", jitter=0.0),
    Case(norm_orders, (X6,), (0,), extra="hvp", jitter=0.0),
    Case(einsum_repeated, (X6,), (0,), extra="hvp"),
    Case(ints_and_bools, (X6,), (0,), extra="hvp", jitter=0.0),
    Case(complex_loss, (X6,), (0,), extra="hvp"),
    Case(broadcast_corners, (X6,), (0,), extra="hvp", jitter=0.0),
    Case(split_pieces_read, (X6,), (0,), extra="hvp"),
    Case(class_constant_array, (X6,), (0,), extra="hvp"),
    Case(polyline_length, (X6,), (0,), extra="hvp"),
    Case(
        repeat_then_update,
        (X6,),
        (0,),
        xfail=dict.fromkeys(("primal", "fwd", "rev"), _REPEAT),
    ),
    Case(add_out_none, (X6,), (0,), extra="hvp"),  # (lifted by refuse30b)
    Case(add_casting, (X6,), (0,), extra="hvp"),  # (lifted by refuse30b)
    Case(einsum_runtime_subscripts, (X6,), (0,), extra="hvp"),  # (lifted by hunt43)
    Case(astype_function, (X6,), (0,), extra="hvp"),  # (lifted by refuse30b)
]
