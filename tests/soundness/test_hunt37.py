"""Session 37 (hunt37): what held-out-style programs (tests/corpus/ported_corp37*.py) found.

- Spurious refusal: ``y = [b[p] for p in piv]`` then ``y[i] -= ...`` (an LU solve with partial
  pivoting, scimark-style) was refused as updating the argument `b` in place, where `b` is a 1-D
  float array, so each ``b[p]`` is a number and ``y[i] -= v`` rebinds a list item. The position
  `p` was not known to be an int when it came from a literal tuple (``for p in (1, 0, 2)``) or
  from a list of ints whose items a swap replaced (``piv[j], piv[k] = piv[k], piv[j]`` goes
  through `copy_source`, a list iterated through `as_sequence`): passes/scalars.int_vars now
  reads them. A 2-D `b` (``b[p]`` a row, a view) is still refused.
- Spurious refusal: a user class's method named like NumPy's (``Spline.index(u)``, chaos
  benchmark) was refused as possibly updating the object because it called another of its own
  methods (``self.domain()``), any such call taken for an update. passes/shadowed_methods.
  may_update now reads the called method of the class in turn: a refusal only when one of them
  assigns to the object (``self.count()`` calling ``self.bump()``, which does ``self.n += 1``).
- Spurious refusal: ``acc += v`` (a class's ``__iadd__`` ending ``return self``) or ``acc =
  acc.add(v)`` in a loop, `acc` an object built in the function: the name was loop-carried, so
  the object became a run-time value and the write to its field was refused (or its ``+=``
  taken for NumPy's). lower/selfreturn.py keeps such a name out of the carries when every
  ``return`` of the method returns ``self`` (its fields are carried, lower/objstate.py), and
  refuses a body that bound it to anything else after all (a decorated method, say).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import srcad
from srcad.errors import SrcadError
from srcad.testing import check_grads

B3 = np.array([0.5, 1.0, 2.0])


def items_of_literal_tuple(b):
    y = [b[p] for p in (1, 0, 2)]
    y[1] -= y[0] * 2.0
    return y[0] + y[1] * y[2]


def items_of_swapped_positions(b):
    piv = list(range(3))
    piv[0], piv[1] = piv[1], piv[0]
    y = [b[p] for p in piv]
    y[1] -= y[0] * 2.0
    y[2] *= y[1]
    return y[0] + y[1] * y[2]


def lu_solve_pivoted(A, b):
    A = [list(row) for row in A]
    n = len(A)
    piv = list(range(n))
    for j in range(n):
        jp = max(range(j, n), key=lambda i: abs(A[i][j]))
        if jp != j:
            A[j], A[jp] = A[jp], A[j]
            piv[j], piv[jp] = piv[jp], piv[j]
        for i in range(j + 1, n):
            A[i][j] /= A[j][j]
            for k in range(j + 1, n):
                A[i][k] -= A[i][j] * A[j][k]
    y = [b[p] for p in piv]
    for i in range(n):
        y[i] -= sum(A[i][k] * y[k] for k in range(i))
    for i in reversed(range(n)):
        y[i] = (y[i] - sum(A[i][k] * y[k] for k in range(i + 1, n))) / A[i][i]
    return y[0] + 2 * y[1] + 3 * y[2]


@pytest.mark.parametrize("f", [items_of_literal_tuple, items_of_swapped_positions])
def test_items_of_a_1d_argument_update_the_list_only(f) -> None:
    b = B3.copy()
    check_grads(f, (b,), modes=("fwd", "rev"))
    check_grads(f, (b,), modes=("fwd",), order=2)
    assert srcad.grad(f)(b) is not None and np.array_equal(b, B3)


def test_lu_with_pivoting_by_position_lists() -> None:
    A = np.array([[0.2, 1.5, -0.3], [2.0, 0.1, 0.4], [-0.5, 0.3, 1.8]])
    b = np.array([1.0, -0.4, 0.7])
    check_grads(lu_solve_pivoted, (A, b), modes=("fwd", "rev"))
    g = srcad.grad(lu_solve_pivoted, 1)(A, b)
    np.testing.assert_allclose(g, np.linalg.solve(A.T, [1.0, 2.0, 3.0]), rtol=1e-10)


def test_rows_of_a_2d_argument_are_still_refused() -> None:
    # ``b[p]`` is a row of `b` (a view): ``y[1] -= ...`` changes the caller's `b`
    with pytest.raises(SrcadError, match="argument `b`"):
        srcad.grad(lambda b: _rows(b))(np.ones((3, 2)))
    with pytest.raises(SrcadError, match="argument `b`"):
        srcad.grad(_rows)(np.ones((3, 2)))


def _rows(b):
    y = [b[p] for p in (1, 0, 2)]
    y[1] -= y[0] * 2.0
    return np.sum(y[0] + y[1] * y[2])


class Knots:
    def __init__(self, knots, scale):
        self.knots, self.scale = knots, scale
        self.calls = 0

    def domain(self):
        return self.knots[0], self.knots[-1]

    def index(self, u):
        lo, hi = self.domain()
        for k in range(len(self.knots) - 1):
            if self.knots[k] <= u < self.knots[k + 1]:
                return k
        return len(self.knots) - 2 if lo <= u <= hi else -1

    def bump(self):
        self.calls += 1
        return self.calls

    def count(self, u):  # NumPy's name, updates the object through another method
        return self.bump() + self.again(u)

    def again(self, u):  # (a method calling itself: the first visit decides)
        return 0 if u < 0 else self.again(-1.0)


def span_scaled(k, u):
    return k.scale * u * (k.index(u) + 1) + k.index(u * u)


def counted(k, u):
    return k.scale * u * (k.count(u) + k.count(u))


def test_numpy_named_method_calling_pure_own_methods_runs() -> None:
    k = Knots([0.0, 0.5, 1.0, 2.0], 1.5)
    assert srcad.grad(span_scaled, 1)(k, 0.7) == pytest.approx(1.5 * 2)
    check_grads(span_scaled, (k, 0.7), modes=("fwd", "rev"), wrt=(1,))


def test_numpy_named_method_updating_through_own_method_still_refused() -> None:
    with pytest.raises(SrcadError, match=r"`\.count\(\)` of a `Knots` argument"):
        srcad.grad(counted, 1)(Knots([0.0, 1.0], 1.5), 0.7)


class Acc:
    def __init__(self):
        self.total = 0.0
        self.n = 0

    def __iadd__(self, v):
        self.total += v
        self.n += 1
        return self

    def add(self, v):
        if v < 0:
            self.total -= v
            return self
        self.total += 2 * v
        return self

    def maybe(self, v):
        self.total += v
        return Acc() if v > 100 else self


def _returns_other(f):
    @functools.wraps(f)
    def w(self, v):
        f(self, v)
        return Acc()

    return w


class Acc2(Acc):
    @_returns_other
    def add(self, v):
        self.total += v
        return self


def iadd_in_loop(x):
    acc = Acc()
    for k in range(4):
        acc += x * k
    return acc.total * acc.n


def rebound_by_method_in_while(x):
    acc = Acc()
    k = 0
    while k < 4:
        acc = acc.add(x - k * 0.5)
        k += 1
    return acc.total


def alias_kept_while_rebound(x):
    acc = Acc()
    keep = acc
    for k in range(3):
        acc += x * k
    return keep.total + acc.total


@pytest.mark.parametrize(
    "f, value, grad",
    [(iadd_in_loop, 16.8, 24.0), (rebound_by_method_in_while, 2.9, 2.0),
     (alias_kept_while_rebound, 4.2, 6.0)],
)  # fmt: skip
def test_loop_rebinding_an_object_to_itself(f, value, grad) -> None:
    assert srcad.primal(f)(0.7) == pytest.approx(value)
    assert srcad.grad(f)(0.7) == pytest.approx(grad)
    check_grads(f, (0.7,), modes=("fwd", "rev"))
    check_grads(f, (0.7,), modes=("fwd",), order=2)


def test_loop_rebinding_to_another_object_still_refused() -> None:
    def maybe_other(x):
        acc = Acc()
        for k in range(3):
            acc = acc.maybe(x * k)
        return acc.total

    def decorated(x):
        acc = Acc2()
        for k in range(3):
            acc = acc.add(x * k)
        return acc.total

    for f in (maybe_other, decorated):
        with pytest.raises(SrcadError):
            srcad.grad(f)(0.7)
