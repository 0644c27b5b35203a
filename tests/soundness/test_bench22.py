"""Session 22 (bench22): other projects' benchmark programs differentiated (tests/corpus/
ported_bench22.py), the fixes they needed, and the neighbours that must still be refused.

- An iterative FFT's bit reversal (``j ^= bit``, ``while j & bit``) swaps list items
  ``a[i], a[j] = a[j], a[i]``: `j` was no known int (``& | ^`` were not int arithmetic for the
  mutation check), so ``a[j]`` might have been a slice sharing the list's items, refused. Of
  ints (never bools) ``& | ^`` give ints. The same swap of an array's rows (views) is refused.
- ``list(z)``, ``tuple(z)``, list ``+`` and a list item's store of complex values were refused
  as having no complex rule; they only move values (rows in tests/soundness/test_complex6.py).
- pyperformance's float benchmark builds ``[Point(float(t) + 0.7 * k) for k, t in
  enumerate(x[:8])]`` of a class whose ``__init__`` computes its fields: only comprehensions over
  constants were unrolled into known objects, so the objects became run-time calls of the class,
  refused. A slice ``x[:8]`` / ``x[2:8]`` of int literal bounds has that many items (x long
  enough; checked when the code runs: a SrcadError where Python would make fewer objects).
- WRONG JVP on main: ``d = (1.0 / d.norm()) * d`` of a constant vector object runs
  ``V.__rmul__``, but `ad/arith.arithmetic` trusted any operator result whose LEFT operand is no
  user object to be none, so ``p = v * d`` (`v` varied) got the product rule with no run-time
  check of `d`: jvp 0.0208 where central differences give 0.1141 (`__rmul__` not linear), a
  crash (`V + V`) in reverse mode. Every operand must be no user object now; `d` is checked when
  the code runs and the user's ``__rmul__`` refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.linspace(0.1, 1.0, 8)


def central(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


def _bitreverse(a):
    a = list(a)
    n = len(a)
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j ^= bit
        if i < j:
            a[i], a[j] = a[j], a[i]
    return a


def bitrev_loss(x):
    b = _bitreverse([float(t) for t in x])
    return sum(t * t * (k + 1) for k, t in enumerate(b))


def bitrev_or_loss(x):
    a = [float(t) for t in x]
    for i in range(4):
        j = (i | 4) & 7
        a[i], a[j] = a[j], a[i]
    return sum(t * t * (k + 1) for k, t in enumerate(a))


@pytest.mark.parametrize("f", [bitrev_loss, bitrev_or_loss])
def test_bit_ops_of_ints_index_list_items(f):
    np.testing.assert_allclose(srcad.grad(f)(X.copy()), central(f, X), rtol=1e-6, atol=1e-8)
    H = srcad.hessian(f)(X.copy())
    np.testing.assert_allclose(H, central(srcad.grad(f), X, 1e-5), rtol=1e-5, atol=1e-6)


def rows_swap(x):
    a = x.reshape(4, 2) * 1.0
    j = 0
    for i in range(1, 4):
        bit = 2
        while j & bit:
            j ^= bit
            bit >>= 1
        j ^= bit
        if i < j:
            a[i], a[j] = a[j], a[i]  # rows are views: Python leaves both rows equal
    return np.sum(a * np.arange(8.0).reshape(4, 2))


def test_rows_of_an_array_swapped_still_refused():
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(rows_swap)(X.copy())


class Pt:
    def __init__(self, i):
        self.x = x = np.sin(i)
        self.y = np.cos(i) * 3
        self.z = (x * x) / 2

    def normalize(self):
        norm = np.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)
        self.x /= norm
        self.y /= norm
        self.z /= norm


def points_loss(x):
    points = [Pt(float(t) + 0.7 * k) for k, t in enumerate(x[:5])]
    for p in points:
        p.normalize()
    return sum(p.x + 2 * p.y * p.z for p in points)


def points_zip_loss(x):
    points = [Pt(float(t) * a) for a, t in zip((1.0, 2.0, 3.0), x[2:4])]
    return sum(p.x * p.z for p in points) + len(points)


@pytest.mark.parametrize("f", [points_loss, points_zip_loss])
def test_objects_of_a_comprehension_over_a_literal_slice(f):
    np.testing.assert_allclose(srcad.grad(f)(X.copy()), central(f, X), rtol=1e-6, atol=1e-8)
    H = srcad.hessian(f)(X.copy())
    np.testing.assert_allclose(H, central(srcad.grad(f), X, 1e-5), rtol=1e-5, atol=1e-6)


def test_objects_of_a_literal_slice_of_a_short_argument_refused():
    x = X[:3].copy()  # Python makes 3 points of x[:5]; srcad's unrolled 5 reads raise
    with pytest.raises(srcad.SrcadError, match="another length than 5"):
        srcad.grad(points_loss)(x)
    with pytest.raises(srcad.SrcadError, match="another length than 2"):
        srcad.grad(points_zip_loss)(X[:3].copy())


def points_step_loss(x):
    points = [Pt(float(t)) for t in x[:6:2]]
    return sum(p.x for p in points)


def test_objects_of_a_stepped_slice_still_refused():
    with pytest.raises(srcad.SrcadError, match="Pt"):
        srcad.grad(points_step_loss)(X.copy())


class Vn:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __mul__(self, o):
        if isinstance(o, Vn):
            return self.x * o.x + self.y * o.y
        return Vn(self.x * o, self.y * o)

    def __rmul__(self, o):  # o * self: not linear in o
        return Vn(self.x * o * o, self.y * o)

    def norm(self):
        return np.sqrt(self * self)


def rmul_of_operator_result(x):
    c = Vn(float(x[0]), float(x[1]))
    d = Vn(0.3, 1.0)
    d = (1.0 / d.norm()) * d  # Vn.__rmul__: a Vn
    v = c * d
    p = v * d  # Vn.__rmul__ again, with v varied
    return p.x + p.y


def test_reflected_operator_of_an_operator_result_refused():
    x = np.array([0.3, 0.7])
    with pytest.raises(srcad.SrcadError, match="__rmul__"):
        srcad.jvp(rmul_of_operator_result, (x,), (np.array([1.0, 0.0]),))
    with pytest.raises(srcad.SrcadError, match="__rmul__"):
        srcad.grad(rmul_of_operator_result)(x)
