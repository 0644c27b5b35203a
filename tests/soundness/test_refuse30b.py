"""What refuse30b accepts, checked numerically (value and gradient against Python and central
differences, the JVP against the gradient, the VJP/JVP dot test, the Hessian; and
`srcad.testing.check_grads` forward and reverse), and the neighbours that must stay refused
(tests/corpus/users_refuse30b.py holds the corpus cases):

1. ``np.einsum`` subscripts held by a global or closure string, or built from one by ``+``
   (lower/library.einsum_sublists): the string, read when transforming (and keyed);
2. ``np.histogram(..., density=True)``, with edges NumPy finds from the data too (was a run-time
   refusal), with weights: NumPy's formula over the counts (lower/library_lib30.histogram);
3. ``out=None`` / ``casting="same_kind"`` given to a ufunc, and ``np.astype(x, dtype)``;
4. rows of ``np.einsum`` (two operands or more), ``np.linalg.solve``/``inv`` results written
   through a name (lower/viewbases.py), and 1-D ones' items swapped (passes/ranks.py: the ranks
   of einsum's output, of a solve, of ``x.reshape(shape)``); 2-D rows swapped, a row of
   ``np.cov`` (0-d for one variable) and an einsum of one operand (a view) stay refused;
5. ``collections.defaultdict(list)`` (``dict``, ``float``) grouping values by key, also of
   arrays (passes/alias_calls._defaultdict); a list read from it and then appended to through
   the dict, or an item held elsewhere too and updated in place, stays refused.
"""

from __future__ import annotations

import collections

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8, 2.0])
M = np.array([[2.0, 0.3, 0.1, 0.0], [0.2, 1.5, -0.4, 0.3], [0.1, 0.3, 3.0, 0.2]])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. einsum subscripts from a global string ----------------------------------------------------
DOT = "i,i"
MATVEC = "ij,j->i"


def einsum_global(x):
    return np.einsum(DOT, x, np.sin(x))


def einsum_global_built(x):
    s = DOT + "->"
    return np.einsum(s, x, x) * np.einsum(MATVEC, M, x)[1]


def einsum_closure(x):
    sub = "ij,j->i"

    def inner(y):
        return np.sum(np.einsum(sub, M, y) ** 2)

    return inner(x)


@pytest.mark.parametrize("f", [einsum_global, einsum_global_built, einsum_closure])
def test_einsum_static_subscripts(f):
    check_scalar(f, X)
    _both(f, X)


def test_einsum_global_rebound_transforms_again():
    global DOT
    g1 = srcad.grad(einsum_global_built)(X.copy())
    np.testing.assert_allclose(g1, check_grads_fd(einsum_global_built, X), rtol=1e-5)
    try:
        DOT = "i,j"  # an outer product summed: a new transform, not the cached one
        got = srcad.grad(einsum_global_built)(X.copy())
        np.testing.assert_allclose(got, check_grads_fd(einsum_global_built, X), rtol=1e-5)
        assert not np.allclose(got, g1)
    finally:
        DOT = "i,i"


def check_grads_fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


SUBLIST = [0, 0]


def test_einsum_runtime_list_stays_refused():
    def f(x):
        return np.einsum(x, SUBLIST)

    with pytest.raises(srcad.SrcadError, match="sublists"):
        srcad.grad(f)(X.copy())


# -- 2. np.histogram(..., density=True) (lower/library_lib30.histogram) ---------------------------
H = np.array([0.3, -0.7, 1.1, 0.4, 2.2, -1.3])
C4 = np.linspace(0.5, 2.0, 4)


def hist_density_auto(x):  # edges from the data's extremes: the widths move with them
    h, e = np.histogram(x, bins=4, density=True)
    return np.sum(h * C4) + np.sum(e**2)


def hist_density_weighted(x):  # normalised by the weights' sum: not linear in them
    h, _ = np.histogram(x, 3, weights=x**2 + 1.0, density=True)
    return np.sum(h * C4[:3] ** 2)


def hist_density_range(x):
    h, _ = np.histogram(np.sin(x), 4, range=(-1.0, 1.0), weights=np.exp(x), density=True)
    return np.sum(h * C4)


def hist_density_edges(x):
    h, _ = np.histogram(x, np.array([-2.0, 0.0, 1.0, 3.0]), density=True)
    return np.sum(h * C4[:3]) * np.sum(x)


def hist_density_rule(x):
    h, e = np.histogram(x, bins="auto", density=True)
    return np.sum(h) * x[0] + np.sum(e)


HISTS = [
    hist_density_auto,
    hist_density_weighted,
    hist_density_range,
    hist_density_edges,
    hist_density_rule,
]


@pytest.mark.parametrize("f", HISTS)
def test_histogram_density(f):
    check_scalar(f, H)
    check_grads(f, (H,), modes=("fwd", "rev"), order=2)


def test_histogram_density_values_are_numpys():
    def f(x):
        return np.histogram(x * 2.0, bins=5, density=True)

    got, want = srcad.primal(f)(H.copy()), f(H.copy())
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    check_grads(lambda x: f(x)[0], (H,), modes=("fwd", "rev"))


# -- 3. ufunc keywords at their defaults; np.astype (lower/library_lib30) -------------------------
def ufunc_out_none(x):
    return np.sum(np.add(x, 1.0, out=None) ** 2) + np.sum(np.multiply(x, x, out=None))


def ufunc_casting_default(x):
    return np.sum(np.multiply(x, np.sin(x), casting="same_kind"))


@pytest.mark.parametrize("f", [ufunc_out_none, ufunc_casting_default])
def test_ufunc_default_keywords(f):
    check_scalar(f, X)
    _both(f, X)


def test_ufunc_other_casting_stays_refused():
    def f(x):
        return np.sum(np.multiply(x, x, casting="unsafe"))

    with pytest.raises(srcad.SrcadError, match="casting"):
        srcad.grad(f)(X.copy())


@pytest.mark.skipif(not hasattr(np, "astype"), reason="np.astype: NumPy >= 2.1")
def test_np_astype():
    def f(x):
        return np.sum(np.astype(x, float) ** 2) + np.sum(np.astype(x * 2.0, np.float64, copy=True))

    check_scalar(f, X)
    _both(f, X)

    def g(x):
        return np.sum(np.astype(x, float, copy=False))

    with pytest.raises(srcad.SrcadError, match="copy="):
        srcad.grad(g)(X.copy())


def test_histogram_density_in_the_weights():
    # (refused when transforming before: tests/soundness/test_tidy5.py listed it)
    def f(w):
        h, _ = np.histogram(np.arange(4.0), 2, weights=w, density=True)
        return np.sum(h * np.array([1.0, 3.0]))

    w = np.array([0.5, 1.5, 2.0, 0.7])
    check_scalar(f, w)
    _both(f, w)


# -- 4. views of new arrays whose rank srcad now knows (passes/ranks.py, lower/viewbases.py) ------
def einsum_row_written(x):  # a row of a 2-D einsum: `r += 1` writes into A
    A = np.einsum("i,j->ij", x, x)
    r = A[0]
    r += 1.0
    return np.sum(A * A)


def solve_row_written(x):  # b 2-D: the solution is 2-D at least, `B[0]` a row
    A = np.outer(x, x) + 3.0 * np.eye(len(x))
    B = np.linalg.solve(A, np.outer(x, np.ones(2)))
    r = B[0]
    r *= 2.0
    return np.sum(B * B)


def inv_row_written(x):
    B = np.linalg.inv(np.outer(x, x) + 3.0 * np.eye(len(x)))
    r = B[1]
    r -= x
    return np.sum(B * np.arange(len(x)))


def swap_einsum_1d(x):  # a 1-D einsum's items are numbers: the swap swaps
    y = np.array(np.einsum("a,al->l", x, np.linspace(-1.2, 0.8, 8).reshape((4, 2))))
    y[0], y[1] = y[1], y[0]
    return np.sum(y * np.array([1.0, 3.0]))


def swap_solve_1d(x):
    y = np.linalg.solve(np.outer(x, x) + 3.0 * np.eye(len(x)), x)
    y[0], y[1] = y[1], y[0]
    return np.sum(y * np.arange(len(x)))


def swap_reshaped_1d(x):
    y = np.sin(x).reshape(-1) * 1.0
    y[0], y[2] = y[2], y[0]
    return np.sum(y * np.arange(len(x)))


VIEWS = [
    einsum_row_written,
    solve_row_written,
    inv_row_written,
    swap_einsum_1d,
    swap_solve_1d,
    swap_reshaped_1d,
]


@pytest.mark.parametrize("f", VIEWS)
def test_rows_of_new_arrays(f):
    check_scalar(f, X)
    _both(f, X)


def swap_rows_2d(x):  # rows are views: Python leaves both rows equal to the old row 1
    y = np.einsum("a,l->al", x, x)
    y[0], y[1] = y[1], y[0]
    return np.sum(y * np.arange(len(x)))


def cov_row_written(x):  # np.cov of one variable is 0-d: `A[0]` may not be a row
    A = np.cov(np.stack([x, x * x, np.sin(x)]))
    r = A[0]
    r += 1.0
    return np.sum(A * A)


def einsum_view_written(x):  # one operand: a view of it (here of a temporary)
    A = np.einsum("ij->ji", np.outer(x, x))
    r = A[0]
    r += 1.0
    return np.sum(A * A)


@pytest.mark.parametrize("f", [swap_rows_2d, einsum_view_written])
def test_views_that_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="read after"):
        srcad.grad(f)(X.copy())


def test_cov_row_written_tests_the_rank():
    # session 33 (lower/viewbranch.py): `r += 1.0` writes into `A` where `A.ndim >= 2` when the
    # code runs, else rebinds `r` (a 0-d `A[0]` raises IndexError, as in Python)
    check_grads(cov_row_written, (X.copy(),), modes=("fwd", "rev"), order=2)
    assert srcad.primal(cov_row_written)(X.copy()) == pytest.approx(cov_row_written(X.copy()))


# -- 5. collections.defaultdict(list) grouping (passes/alias_calls._defaultdict) ------------------
X2 = np.array([[-0.1, -1.4, 0.4], [0.2, 1.8, 0.2], [1.0, -0.4, -0.4], [0.3, 0.7, -1.1]])


def grouped_rows(x):  # rows of a 2-D argument grouped by parity, then summed per group
    d = collections.defaultdict(list)
    for k, row in enumerate(x):
        d[k % 2].append(row * row)
    return sum(np.sum(np.array(d[j])) * (j + 1) for j in sorted(d))


def grouped_items(x):
    d = collections.defaultdict(list)
    for k in range(len(x)):
        d[k % 3].append(np.sin(x[k]) * 2.0)
    tot = 0.0
    for key, vals in sorted(d.items()):
        tot = tot + (key + 1) * np.sum(np.array(vals) ** 2)
    return tot


def grouped_dicts(x):
    d = collections.defaultdict(dict)
    for k in range(len(x)):
        d[k % 2][k] = x[k] * 1.5
    return sum(np.sum(v**2) for inner in d.values() for v in inner.values())


def grouped_sums(x):
    d = collections.defaultdict(float)
    for k in range(len(x)):
        d[k % 2] += np.sum(x[k] ** 2)
    return d[0] * d[1]


@pytest.mark.parametrize("f", [grouped_rows, grouped_items, grouped_dicts, grouped_sums])
def test_defaultdict_groups(f):
    _both(f, X2)
    check_grads(f, (X2,), modes=("fwd",), order=2)
    np.testing.assert_allclose(srcad.value_and_grad(f)(X2.copy())[0], f(X2.copy()), rtol=1e-12)


def group_read_then_appended(x):  # `a` is the list appended to afterwards: Python sees it
    d = collections.defaultdict(list)
    d[0].append(x[0] * 2.0)
    a = d[0]
    d[0].append(x[1] * 3.0)
    return np.sum(np.array(a))


def group_item_updated(x):  # `d[0][0] += 1` updates the row `rows` holds too
    d = collections.defaultdict(list)
    rows = []
    for k in range(len(x)):
        r = x[k] * 2.0
        d[k % 2].append(r)
        rows.append(r)
    d[0][0] += 1.0
    return np.sum(np.array(rows))


@pytest.mark.parametrize("f", [group_read_then_appended, group_item_updated])
def test_defaultdict_shared_lists_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="read after"):
        srcad.grad(f)(X2.copy())
