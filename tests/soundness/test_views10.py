"""Writes through NumPy views held in names (task views10).

- Spurious refusals: ``for row in A: row /= row.sum()``, ``r = A[1]; r *= 2``, ``v =
  y.reshape(2, 2); v[:, 0] *= 3``, ``w = u.reshape(-1)[1:]; w += v``, ``u.T[0] += v`` ("assigning
  to attributes"), ``z = y[::2]; z *= 2``, ``a = b[:, None]; a *= v`` on an array made in the
  function were refused: srcad's values are immutable, so the write did not reach the base and
  reading the base afterwards was refused. lower/viewwrites.py now writes into the base where the
  source proves the name is a view of it (lower/viewfacts.py), and re-reads the view from the
  base. (tests/corpus/users_views10.py: primal, both modes, second order.)
- Wrong results: a write into the read-only view of ``np.diagonal`` or ``np.broadcast_to``
  raises ValueError in Python; srcad computed a value (passes/readonly.py refuses it now).
- Spurious refusals in loops: ``np.outer(x, x)`` was no float array of known rank and ``G[:, 1]``
  of one no float array for the mutation check (passes/scalars.py), so row writes in a loop
  (``A[k][1] = v; A[k] *= w``) looked like stores of objects into a container.

Where view-ness is not provable (a view of an argument, of a rebound base, a reshape of a
transposed or possibly Fortran-ordered array, a view returned by a helper, kept across a loop
iteration, fancy indexing) the program must stay refused or be right.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import users_views10

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X4 = np.array([0.31, -0.72, 1.13, 0.57])
M3 = np.array([[0.3, -0.5, 0.9], [1.2, 0.4, -0.8], [0.1, 0.6, -0.2]])


def _same_primal(f, *args):
    want = f(*copy.deepcopy(args))
    got = srcad.primal(f)(*copy.deepcopy(args))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def _right_or_refused(f, x, order=1):
    try:
        _same_primal(f, x)
        check_grads(f, (x.copy(),), modes=("fwd", "rev"), order=order)
    except srcad.SrcadError:
        return "refused"
    return "right"


CASES = users_views10.CASES


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_writes_through_named_views_are_accepted_and_right(case) -> None:
    _same_primal(case.fn, *case.args)
    check_grads(case.fn, copy.deepcopy(case.args), modes=("fwd", "rev"), order=2)


def test_rows_normalised_gradient_is_exact() -> None:
    def reference(x):  # the functional form autograd/JAX users write
        A = np.outer(x, x) + 1.0
        A = A / A.sum(axis=1, keepdims=True)
        return np.sum(A**2)

    f = users_views10.rows_normalised
    np.testing.assert_allclose(srcad.grad(f)(X4), srcad.grad(reference)(X4), rtol=1e-12)
    np.testing.assert_allclose(srcad.hessian(f)(X4), srcad.hessian(reference)(X4), rtol=1e-10)


# -- not provably views: right or refused, never a write lost or invented ----------------------
def view_of_argument(x):
    r = x[1]
    r *= 2.0
    return np.sum(x**2)


def base_rebound(x):
    A = np.zeros((2, 3))
    r = A[0]
    A = np.ones((2, 3))
    r += x
    return np.sum(A) + np.sum(r * r)


def reshape_of_transposed(x):
    A = np.outer(x, x[:2]) + 1.0
    v = A.T.reshape(-1)  # A.T is not C-contiguous: reshape copies, A keeps its values
    v *= 2.0
    return np.sum(A**2) + np.sum(v)


def view_of_view_of_transposed(x):
    A = np.outer(x, x[:2]) + 1.0
    w = A.T
    v = w.reshape(-1)  # a copy
    v += 1.0
    return np.sum(A * A) + v[0]


def fortran_base_reshape(x):
    A = np.zeros((2, 3), order="F")
    A += x
    v = A.reshape(-1)  # a copy of a Fortran-ordered array
    v *= 3.0
    return np.sum(A**2) + np.sum(v)


def fortran_positional_reshape(x):
    A = np.zeros((3, 2), float, "F")  # order given by position
    A += x[:, None]
    v = A.reshape(-1)  # a copy
    v *= 3.0
    return np.sum(A**2) + v[1]


def copy_of_argument_reshape(x):
    A = np.copy(x)  # keeps the argument's layout (Fortran-ordered here): reshape may copy
    v = A.reshape(-1)
    v *= 3.0
    return np.sum(A**2)


def row_from_helper(x):
    def row_of(a, i):
        return a[i]

    A = np.outer(x, x) + 1.0
    r = row_of(A, 1)
    r *= 2.0
    return np.sum(A**2)


def view_across_iterations(x):
    A = np.zeros((3, 3))
    r = A[0]
    for i in range(3):
        r += x
        r = A[i]
    return np.sum(A**2)


def fancy_copy(x):
    A = np.outer(x, x) + 1.0
    c = A[[0, 2]]  # advanced indexing: a copy
    c *= 2.0
    return np.sum(A**2) + np.sum(c)


def flatten_copy(x):
    A = np.outer(x, x) + 1.0
    f = A.flatten()
    f *= 2.0
    return np.sum(A**2) + f[3]


def number_of_1d(x):
    y = np.zeros(3)
    y += x
    s = y[0]  # a number: `s += ...` rebinds, `y` keeps its values
    s += y[1]
    for v in y:
        v *= 2.0
    return s * y[0] + np.sum(y)


def number_of_unknown_rank(x):
    y = np.array(x)
    s = y[0]
    s += 1.0
    return np.sum(y * s)


NOT_PROVABLE = [
    (view_of_argument, M3),
    (base_rebound, X4[:3]),
    (reshape_of_transposed, X4),
    (view_of_view_of_transposed, X4),
    (fortran_base_reshape, X4[:3]),
    (fortran_positional_reshape, X4[:3]),
    (copy_of_argument_reshape, np.asfortranarray(M3)),
    (row_from_helper, X4),
    (view_across_iterations, X4[:3]),
    (fancy_copy, X4),
    (flatten_copy, X4),
    (number_of_1d, X4[:3]),
    (number_of_unknown_rank, X4),
]


@pytest.mark.parametrize("f, x", NOT_PROVABLE, ids=[f.__name__ for f, _ in NOT_PROVABLE])
def test_unprovable_views_stay_right_or_refused(f, x) -> None:
    _right_or_refused(f, x.copy())


def test_view_of_argument_stays_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="argument `x`"):
        srcad.grad(view_of_argument)(M3.copy())


@pytest.mark.parametrize("f", [number_of_1d, number_of_unknown_rank, fancy_copy, flatten_copy])
def test_copies_and_numbers_stay_accepted(f) -> None:
    x = X4[:3].copy() if f is number_of_1d else X4.copy()
    assert _right_or_refused(f, x, order=2) == "right"


# -- copies of the argument (`x.copy()`: an ndarray checked when the code runs) -----------------
def copied_row_view(x):
    A = x.copy()
    r = A[1]  # rank unknown here; `r[0]` below: an array (asserted `A.ndim >= 2`)
    r *= 2.0
    return np.sum(A**2) + r[0]


def copied_number_subscripted_late(x):
    y = x.copy()
    s = y[0]  # a number of a 1-D y
    s += 1.0
    if x[0] > 100.0:
        return s[0]  # never runs
    return s * 2.0


def copied_accumulator(x):
    y = x.copy()
    s = y[0]
    s += y[1]
    return s * np.sum(y)


def copied_list_rows(x):
    A = [x[0] * 1.0, x[1] * 1.0]
    B = A.copy()  # a list: its floats rebind, B keeps them
    for v in B:
        v *= 2.0
    return B[0] + B[1]


def test_copies_of_arguments() -> None:
    assert _right_or_refused(copied_row_view, M3.copy(), order=2) == "right"
    try:  # the assert refuses it when it runs (Python runs it), never a wrong value
        assert srcad.primal(copied_number_subscripted_late)(X4.copy()) == (X4[0] + 1.0) * 2.0
    except srcad.SrcadError:
        pass
    assert _right_or_refused(copied_accumulator, X4.copy(), order=2) == "right"
    # a copy of a list display is a list: not taken for an array (its floats rebind)
    assert srcad.primal(copied_list_rows)(X4.copy()) == copied_list_rows(X4.copy())


# -- read-only views -----------------------------------------------------------------------------
def diagonal_scaled(x):
    M = np.outer(x, x) + 1.0
    d = np.diagonal(M)
    d *= 2.0
    return np.sum(d)


def diagonal_method_slice(x):
    M = np.outer(x, x) + 1.0
    d = M.diagonal()
    d[1:] += 2.0
    return np.sum(M)


def broadcast_row(x):
    B = np.broadcast_to(x * 1.0, (3, 4))
    B[0] = 2.0
    return np.sum(B)


def broadcast_transposed(x):
    B = np.broadcast_to(x * 1.0, (3, 4)).T
    B[0] += 2.0
    return np.sum(B)


@pytest.mark.parametrize(
    "f", [diagonal_scaled, diagonal_method_slice, broadcast_row, broadcast_transposed]
)
def test_writes_into_read_only_views_are_refused(f) -> None:
    with pytest.raises(ValueError, match="read-only"):
        f(X4.copy())
    for transform in (srcad.primal, srcad.grad):
        with pytest.raises(srcad.SrcadError, match="read-only view"):
            transform(f)(X4.copy())


def diagonal_copies(x):
    M = np.outer(x, x) + 1.0
    d = np.diagonal(M).copy()
    d *= 2.0
    t = np.diagonal(M)[0]  # a number: rebound
    t += 1.0
    return np.sum(d) + t


def test_copies_of_read_only_views_are_writeable() -> None:
    assert _right_or_refused(diagonal_copies, X4.copy(), order=2) == "right"


# -- row writes in loops (passes/scalars.py) -----------------------------------------------------
def outer_rows_in_loop(x):
    A = np.outer(x, x) + 1.0
    for k in range(len(A)):
        A[k][1] = x[k] ** 2
        A[k] *= x[k]
    return np.sum(A**2)


def column_items_in_loop(x):
    G = np.ones((4, 3))
    for i in range(4):
        G[:, 1][i] = G[:, 1][i] * x[i] + 1.0
    return np.sum(G * G)


@pytest.mark.parametrize("f", [outer_rows_in_loop, column_items_in_loop])
def test_row_and_column_writes_in_loops_are_accepted(f) -> None:
    assert _right_or_refused(f, X4.copy(), order=2) == "right"
