"""What refuse36 accepts, checked numerically (`srcad.testing.check_grads` forward and reverse,
and `check_scalar`: value, gradient, JVP, VJP and Hessian against Python and central
differences), and the neighbours that stay refused:

1. ``ls = list(x)`` of a 1-D array (its items are numbers), then ``ls.pop(0)`` /
   ``ls.insert(0, v)`` and ``ls[i] += v``: the entry is rebound, `x` untouched
   (passes/alias_seqs.copied_items); ``list(X)`` of a 2-D array holds views of its rows, so
   ``ls[0] += v`` still updates `X` (refused).
2. ``(d["x"] if t else d["y"]).append(v)``: the ``if`` statement Python runs
   (lower/condreceiver.py).
3. ``fs = []; for c in x: fs.append(lambda t, c=c: ...)`` (or a ``def g(t, c=c): return ...``
   then ``fs.append(g)``): the comprehension lower/fnrows.py takes (lower/fnloops.py); a body
   reading the loop's target (late binding), or the target read after the loop, stay refused.
5. ``max(*x, 0.0)`` / ``min(0.0, *x, *y)``: ``max`` of the list of all the arguments
   (lower/starextremes.py), one argument in all refused at run time.
6. ``itertools.islice(x, k)`` with `k` known at run time: ``list(x)[slice]`` after Python's own
   check of the bounds (lower/iterzip.py, rules/checks.islice_bounds).
7. A ufunc's (or a NumPy function's) output array passed positionally (``np.exp(y, y)``,
   ``np.add(a, b, out)``, ``np.cumsum(a, 0, None, o)``) as ``out=`` (lower/inplace_np.out_keyword);
   an argument written into, an alias read after, and ``np.modf(y, y, y)`` (two outputs) stay
   refused.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.3, -0.5, 0.7, 1.1])


def _both(f, *args, wrt=None):
    check_grads(f, args, modes=("fwd", "rev"), wrt=wrt)


# -- 1. list(x) of a 1-D array, entries updated after pop/insert ----------------------------------
def list_pop_then_iadd(x):
    ls = list(x)
    ls.pop(0)
    ls[0] += x[2]
    return ls[0] * ls[1] + np.sum(x)


def list_insert_then_iadd(x):
    ls = list(x)
    ls.insert(0, x[1] * x[3])
    ls[1] += x[2] ** 2
    ls[2] = ls[2] * 2
    return ls[0] * ls[1] + ls[2]


def list_iadd_loop(x):
    ls = list(x * 1.0)
    ls.pop()
    for i in range(len(ls)):
        ls[i] += x[i + 1]
    return ls[0] * ls[1] * ls[2]


@pytest.mark.parametrize("f", [list_pop_then_iadd, list_insert_then_iadd, list_iadd_loop])
def test_list_of_array_entries(f):
    check_scalar(f, X)
    _both(f, X)


def rows_iadd(a):
    ls = list(a)
    ls[0] += 1.0
    return np.sum(a)


def test_list_of_rows_update_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(rows_iadd)(np.ones((2, 3)))


# -- 2. a method call on a conditional expression -------------------------------------------------
def cond_receiver_items(x):
    d = {"x": [], "y": []}
    for v in x:
        (d["x"] if v > 0.4 else d["y"]).append(v * v)
    return sum(d["x"]) * 2 + sum(d["y"]) * np.sin(x[0])


def cond_receiver_names(x):
    a, b, c = [], [], []
    for v in x:
        (a if v > 0.8 else b if v > 0 else c).append(np.exp(v))
    return sum(a) * 3 + sum(b) * 2 + sum(c)


@pytest.mark.parametrize("f", [cond_receiver_items, cond_receiver_names])
def test_conditional_receiver(f):
    check_scalar(f, X)
    _both(f, X)


# -- 3. functions made in a loop and stored in a list ---------------------------------------------
def lambdas_appended(x):
    fs = []
    for c in x:
        fs.append(lambda t, c=c: c * t * t)
    return sum(f(x[0]) for f in fs)


def defs_appended(x):
    fs = []
    for c in x:

        def g(t, c=c):
            """One term."""
            return np.sin(c) * t

        fs.append(g)
    s = 0.0
    for f in fs:
        s = s + f(x[1])
    return s


def lambdas_comprehension(x):
    fs = [lambda t, c=c: c * t for c in x]
    return sum(f(2.0) for f in fs) + fs[1](x[2])


@pytest.mark.parametrize("f", [lambdas_appended, defs_appended, lambdas_comprehension])
def test_functions_made_in_a_loop(f):
    check_scalar(f, X)
    _both(f, X)


def late_binding_appended(x):
    fs = []
    for c in x:
        fs.append(lambda t: c * t)  # noqa: B023 (late binding: refused)
    return sum(f(2.0) for f in fs)


def target_read_after(x):
    fs = []
    for c in x:
        fs.append(lambda t, c=c: c * t)
    return sum(f(2.0) for f in fs) + c


@pytest.mark.parametrize("f", [late_binding_appended, target_read_after])
def test_functions_made_in_a_loop_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X)


# -- 5. max/min of a starred sequence among other arguments ---------------------------------------
def max_star_then_zero(x):
    return max(*x, 0.0) + min(0.0, *x)


def max_star_mixed(x):
    ys = [v * 2 for v in x]
    return max(x[0] * 0.5, *ys, *x[1:]) * min(*(v * v for v in x), 0.5)


@pytest.mark.parametrize("f", [max_star_then_zero, max_star_mixed])
def test_star_extremes_with_others(f):
    check_scalar(f, X)
    _both(f, X)


def max_star_one(x):
    return max(*x[:0], x[0])


def test_star_extremes_single_argument_refused():
    with pytest.raises(srcad.SrcadError, match="single argument"):
        srcad.grad(max_star_one)(X)


# -- 6. itertools.islice with bounds known at run time --------------------------------------------
def islice_arg(x, k):
    return sum(v * v for v in itertools.islice(x, k))


def islice_shape(x):
    n = x.shape[0]
    s = 0.0
    for v in itertools.islice(x, 1, n, 2):
        s = s + np.sin(v)
    return s + max(itertools.islice(x, n - 2, None))


def test_islice_run_time_bounds():
    for k in (0, 2, 9):
        _both(islice_arg, X, k, wrt=0)
    np.testing.assert_allclose(srcad.grad(islice_arg)(X, 3), [0.6, -1.0, 1.4, 0.0])
    check_scalar(islice_shape, X)
    _both(islice_shape, X)


@pytest.mark.parametrize("k", [-1, 2.0])
def test_islice_bad_bound(k):
    with pytest.raises(ValueError, match="islice"):
        srcad.grad(islice_arg)(X, k)


# -- 7. output arrays passed positionally ---------------------------------------------------------
def exp_into_itself(x):
    y = x * 2
    np.exp(y, y)
    return np.sum(y * x)


def add_into_new(x):
    out = np.empty_like(x)
    np.add(x, x * x, out)
    z = np.multiply(out, x, out)
    return np.sum(z * out) + np.sum(np.sin(x, None))


def cumsum_into(x):
    y = x * 1.0
    np.cumsum(x * x, 0, None, y)
    return np.sum(y * x)


def out_argument(x):
    np.exp(x, x)
    return np.sum(x * x)


def cumsum_into_argument(x):
    np.cumsum(x * x, 0, None, x)
    return np.sum(np.sin(x))


@pytest.mark.parametrize(
    "f", [exp_into_itself, add_into_new, cumsum_into, out_argument, cumsum_into_argument]
)
def test_positional_out(f):
    check_scalar(f, X)
    _both(f, X)


@pytest.mark.parametrize("f", [out_argument, cumsum_into_argument])
def test_positional_out_into_the_argument_writes_it_back(f):
    """The argument is copied on entry and written back, as for the ``out=x`` keyword: the
    caller's array changes as Python changes it (lower/argcopy)."""
    x, expected = X.copy(), X.copy()
    f(expected)
    srcad.grad(f)(x)
    np.testing.assert_array_equal(x, expected)


def out_alias_read(x):
    y = x * 2
    b = y
    np.exp(y, y)
    return np.sum(b)


def out_two_outputs(x):
    y = x * 2
    np.modf(y, y, y)
    return np.sum(y)


@pytest.mark.parametrize("f", [out_alias_read, out_two_outputs])
def test_positional_out_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X)


# -- 8, 10. NumPy rules: 2-D polyval, polyder/val2d, union1d, histogram2d --------------------------
def polys(x):
    p = np.stack([x[:2], x[1:3] * 2, x[2:]])  # one polynomial per column
    c = np.outer(x[:3], x[1:])
    d = np.polynomial.chebyshev.chebder(x, 1, 0.5)
    return (
        np.sum(np.polyval(p, x[:2]) ** 2)
        + np.polynomial.polynomial.polyval2d(x[0], x[3], c)
        + np.sum(np.sin(d))
    )


def union_sorted(x):
    u = np.union1d(x, x[:2] * 3.0 + 5.0)
    return np.sum(u**2 * np.arange(u.size))


def hist2(x):
    h, xe, ye = np.histogram2d(x, x[::-1] * 2, bins=3, weights=x * x)
    return np.sum(h * h) + np.sum(np.sin(xe)) + np.sum(ye**2)


@pytest.mark.parametrize("f", [polys, union_sorted, hist2])
def test_numpy_rules(f):
    check_scalar(f, X)
    _both(f, X)


def test_union1d_shared_value_refused():
    with pytest.raises(srcad.SrcadError, match="repeat"):
        srcad.grad(lambda x: np.sum(np.union1d(x, x[:1])))(X)


# -- 9. scipy.linalg.eigh(a, b): the generalized symmetric problem --------------------------------
try:
    import scipy.linalg as scipy_linalg
except ImportError:  # pragma: no cover - scipy is optional
    scipy_linalg = None
needs_scipy = pytest.mark.skipif(scipy_linalg is None, reason="scipy is optional")


def _spd(n, shift):
    m = np.arange(1.0, n * n + 1).reshape(n, n) / (n * n)
    return m @ m.T + shift * np.eye(n)


A4 = np.cos(np.arange(16.0)).reshape(4, 4)
B4 = _spd(4, 1.5)


def geigh_a(x):
    w, v = scipy_linalg.eigh(A4 + A4.T + np.diag(x), B4)
    return np.sum(w * np.arange(4.0)) + np.sum((v @ np.diag(w) @ v.T) * A4)


def geigh_b(x):
    b = B4 + 0.2 * np.outer(x, x)
    w = scipy_linalg.eigh(A4 + A4.T, b, lower=False, eigvals_only=True)
    return np.sum(np.sin(w)) + np.sum(scipy_linalg.eigvalsh(A4 * x[0], b) ** 2)


def geigh_both(x):
    a = np.tril(A4 + np.outer(x, x))  # the lower triangle: what scipy reads
    w, v = scipy_linalg.eigh(a, B4 * (1.0 + x[1] ** 2))
    return np.sum(w**2) + np.sum(v[:, 0] ** 2)


@needs_scipy
@pytest.mark.parametrize("f", [geigh_a, geigh_b, geigh_both])
def test_generalized_eigh(f):
    check_scalar(f, X)
    _both(f, X)


@needs_scipy
def test_generalized_eigh_other_types_refused():
    with pytest.raises(srcad.SrcadError, match="type=2 or 3"):
        srcad.grad(lambda x: np.sum(scipy_linalg.eigh(A4 + np.diag(x), B4, type=2)[0]))(X)


# -- 9. scipy.linalg.lstsq --------------------------------------------------------------------------
A53 = np.cos(np.arange(15.0)).reshape(5, 3)


def sl_lstsq(x):
    a = A53 + 0.1 * np.outer(np.arange(5.0), x[:3])
    sol, res, _rank, s = scipy_linalg.lstsq(a, np.sin(np.arange(5.0)) * x[3])
    return np.sum(sol**2) + res + np.sum(s)


@needs_scipy
def test_scipy_lstsq():
    check_scalar(sl_lstsq, X)
    _both(sl_lstsq, X)
    with pytest.raises(srcad.SrcadError, match="gelsy"):
        srcad.grad(
            lambda x: np.sum(scipy_linalg.lstsq(A53 * x[0], A53[:, 0], lapack_driver="gelsy")[0])
        )(X)


def list_read_in_the_loop(x):
    fs = []
    for c in x:
        fs.append(lambda t, c=c, n=len(fs): c * t + n)  # noqa: B008 (the growing list)
    return sum(f(2.0) for f in fs)


def test_list_read_in_the_loop_stays_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(list_read_in_the_loop)(X)
