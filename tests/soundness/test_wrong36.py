"""Session 36 (wrong36a): silently wrong derivatives and crashes.

- Wrong derivative: ``np.sum(x * 2, where=None)`` is 0.0 for NumPy (an explicit ``where=None``
  is a False mask, for every reduction taking ``where=``: sum, prod, nansum, nanmean, the
  methods, ``np.add.reduce``, ``np.multiply.reduce``; mean/var/std raise NumPy's TypeError and
  max/min without ``initial`` its ValueError), but the rules' signatures had ``where=None`` as
  the default and read None as "no mask": the gradient was [2, 2, 2]. The default is now True
  and an explicit None is passed to NumPy as it is, also when it is only known at run time (a
  parameter `m`, where forward mode gave [2, 2, 2]).
- Wrong gradient: ``sum(mk(x)).a`` with ``def mk(x): return [V(v) for v in x]`` and
  ``V.__radd__`` returning ``V(2 * self.a + o)``: the truth is [2, 1, 1], srcad gave [1, 1, 1]
  (the sum's rule added the items' fields; forward mode ran the methods on the tangent records,
  right only for linear methods). The items' class is now read from the helper's ops (two
  helpers deep), so the sum becomes the loop Python runs (ad/objsumloop.py, each item's class
  checked at run time); ``np.sum``/``np.prod``/``np.array`` of such a list are refused at
  transform time (so is ``np.array`` of a local list of objects, which crashed in reverse
  mode), and the rules' helpers refuse user objects with their own operators when they run
  (a list read through more helpers: no number is made up). A NumPy reduction or ``np.array`` of
  a list read through more helpers is checked when it runs (`_srcad.plain_items`): forward mode
  ran a non-linear ``__add__`` on the tangent records ([1, 1, 1] for [1, 4, 6]).
- Crash: the derivative of ``np.linalg.slogdet(a)[1]`` at an exactly singular `a` (NumPy's value
  (0, -inf)) raised NumPy's LinAlgError from srcad's helpers. No finite derivative exists; JAX's
  rule, ``trace(solve(a, da))`` through an LU with a zero pivot, gives non-finite values
  without an error (autograd's ``inv`` raises). Now NaN for the singular matrices of the batch
  (`_srcad.inv_nan`), 0 for a zero tangent or cotangent, to every order. ``det`` there has
  the SVD cofactor already; ``inv``/``solve`` raise NumPy's LinAlgError in the primal itself.
- Crash under ``-W error`` (fuzz35's open item): ``w[i] = math.tanh(t)`` in a loop, then
  ``(w * Z).real`` with a complex `Z`: the reverse loop wrote the complex cotangent of ``w[k]``
  into the float array ``bx`` inline (``bx[k] = bt``), with NumPy's ComplexWarning. In a
  function where the complex-taint analysis finds a possibly complex value, the entry's
  cotangent added into a real array is now its real part (``bt.real``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import srcad

X3 = np.array([1.0, 2.0, 3.0])


def _fd(f, x, *args, eps=1e-6):
    return np.array(
        [(f(x + eps * e, *args) - f(x - eps * e, *args)) / (2 * eps) for e in np.eye(len(x))]
    )


def _check(f, x, *args):
    """grad, jacfwd and jvp of the scalar `f` at the 1-D `x` against central differences."""
    want = _fd(f, x, *args)
    np.testing.assert_allclose(srcad.grad(f)(x.copy(), *args), want, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(srcad.jacfwd(f)(x.copy(), *args), want, rtol=1e-6, atol=1e-7)


# -- 1. an explicit where=None is a False mask -------------------------------------------------


def sum_none(x):
    return np.sum(x * 2, where=None)


def prod_none(x):
    return np.prod(x, where=None) + np.prod(x, initial=2.0, where=None)


def nansum_none(x):
    return np.nansum(x, where=None)


def methods_none(x):
    return x.sum(where=None) + x.prod(where=None) + x.max(where=None, initial=0.5)


def ufunc_reduce_none(x):
    return np.add.reduce(x, where=None) + np.multiply.reduce(x**2, where=None)


def axis_none(x):
    return np.sum(np.sum(np.outer(x, x), axis=0, where=None)) + np.sum(
        x, None, None, None, False, 0, None
    )


def param_mask(x, m):
    return np.sum(x * 2, where=m)


def param_mask_all(x, m):
    return (
        np.prod(x, where=m)
        + np.nansum(x, where=m)
        + x.sum(where=m)
        + np.max(x, where=m, initial=0.5)
    )


@pytest.mark.parametrize(
    "f", [sum_none, prod_none, nansum_none, methods_none, ufunc_reduce_none, axis_none]
)
def test_where_none_is_false(f):
    _check(f, X3)
    assert np.all(srcad.hessian(f)(X3) == 0.0)


@pytest.mark.parametrize("f", [param_mask, param_mask_all])
@pytest.mark.parametrize("m", [None, np.array([True, False, True]), True])
def test_where_none_at_run_time(f, m):
    _check(f, X3, m)


def nanmean_none(x):
    return np.nanmean(x, where=None)


def test_nanmean_where_none_is_nan():
    # NumPy's value is NaN (no entry selected), constant: a NaN derivative, as np.nanmean of NaNs
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (NumPy's "Mean of empty slice")
        assert np.isnan(nanmean_none(X3))
        assert np.all(np.isnan(srcad.grad(nanmean_none)(X3)))
        assert np.all(np.isnan(srcad.jacfwd(nanmean_none)(X3)))


def mean_none(x):
    return np.mean(x, where=None)


def max_none(x):
    return np.max(x, where=None)


@pytest.mark.parametrize("f, err", [(mean_none, TypeError), (max_none, ValueError)])
def test_where_none_numpy_errors(f, err):
    # NumPy raises for these: the derivative raises the same error
    with pytest.raises(err):
        f(X3)
    with pytest.raises(err):
        srcad.grad(f)(X3)


# -- 2. sums of a helper's list of user objects --------------------------------------------------


class V:
    def __init__(self, a):
        self.a = a

    def __add__(self, o):
        return V(self.a + o.a)

    def __radd__(self, o):  # (0 + V(a): 2a, not a)
        return V(2.0 * self.a + o) if not isinstance(o, V) else V(self.a + o.a)

    def __mul__(self, o):
        return V(self.a * o.a)

    def __rmul__(self, o):
        return V(3.0 * self.a * o) if not isinstance(o, V) else V(self.a * o.a)


def mk(x):
    return [V(v) for v in x]


def mk_loop(x):
    out = []
    for v in x:
        out.append(V(v))
    return out


def mk2(x):
    return mk(x)


def mk3(x):
    return mk2(x)


def sum_helper(x):
    return sum(mk(x)).a


def sum_helper_loop(x):
    return sum(mk_loop(x)).a


def sum_helper_start(x):
    return sum(mk(x), 1.0).a


def sum_helper_tuple(x):
    return sum(tuple(mk(x))).a


def prod_helper(x):
    return math.prod(mk(x)).a


def prod_helper_start(x):
    return math.prod(mk(x), start=2.0).a


def sum_nested_helper(x):
    return sum(mk2(x)).a


@pytest.mark.parametrize(
    "f",
    [
        sum_helper,
        sum_helper_loop,
        sum_helper_start,
        sum_helper_tuple,
        prod_helper,
        prod_helper_start,
        sum_nested_helper,
    ],
)
def test_sum_of_helper_objects(f):
    # the items' class read from the helper: the loop Python runs (ad/objsumloop.py)
    _check(f, X3)


def np_sum_helper(x):
    return np.sum(mk(x)).a


def np_prod_helper(x):
    return np.prod(tuple(mk(x))).a


def sum_of_array_helper(x):
    return sum(np.array(mk(x))).a


def array_local(x):
    xs = [V(v) for v in x]
    return np.array(xs)[0].a


@pytest.mark.parametrize("f", [np_sum_helper, np_prod_helper, sum_of_array_helper, array_local])
def test_numpy_of_helper_objects_refused(f):
    # an object array of user objects: NumPy runs their methods, no rule follows them
    for d in (srcad.grad, srcad.jacfwd):
        with pytest.raises(srcad.SrcadError, match="holding `V` objects"):
            d(f)(X3)


def sum_deep_helper(x):
    return sum(mk3(x)).a


def np_sum_deep_helper(x):
    return np.sum(mk3(x)).a


class W:
    def __init__(self, a):
        self.a = a

    def __add__(self, o):  # (not linear: run on tangent records, a wrong JVP)
        return W(self.a + o.a**2)


def mk_w(x):
    return [W(v) for v in x]


def mk_w3(x):
    return mk_w2(x)


def mk_w2(x):
    return mk_w(x)


def np_sum_deep_nonlinear(x):
    return np.sum(np.array(mk_w3(x))).a


def feats(x):
    return [np.sin(v) for v in x]


def feats3(x):
    return feats2(x)


def feats2(x):
    return feats(x)


def np_of_deep_numbers(x):
    return np.sum(np.array(feats3(x)) ** 2) + np.sum(np.asarray(feats(x)))


def test_numpy_of_deep_helper_objects_refused_when_run():
    # forward mode ran W.__add__ on the tangent records: [1, 1, 1] for [1, 4, 6]; now the list
    # is checked when it runs (`_srcad.plain_items`), numbers pass
    for d in (srcad.grad, srcad.jacfwd):
        with pytest.raises(srcad.SrcadError, match="holding `W` objects"):
            d(np_sum_deep_nonlinear)(X3)
    _check(np_of_deep_numbers, X3)


def test_helper_objects_too_deep_refused_at_run_time():
    # three helpers down the class is not read: the rules' helpers refuse the objects when run
    for d in (srcad.grad, srcad.jacfwd):
        with pytest.raises(srcad.SrcadError, match="holding `V` objects"):
            d(sum_deep_helper)(X3)
    with pytest.raises(srcad.SrcadError, match="holding `V` objects"):
        srcad.grad(np_sum_deep_helper)(X3)


# -- 3. slogdet of an exactly singular matrix ----------------------------------------------------


def logabsdet_singular(x):
    a = np.array([[x[0], x[1]], [2.0 * x[0], 2.0 * x[1]]])
    return np.linalg.slogdet(a)[1] + x[2]


def logabsdet_batch(x):
    a = np.stack([np.array([[x[0], x[1]], [2.0 * x[0], 2.0 * x[1]]]), np.diag(x[1:] + 1.0)])
    s, logabs = np.linalg.slogdet(a)
    return logabs[1] + 0.0 * s[0]


def test_slogdet_singular_is_nan_not_linalgerror():
    # NumPy's value is (0, -inf): no finite derivative. JAX's rule (trace(solve(a, da)) through
    # an LU with a zero pivot) gives non-finite values without an error; srcad raised NumPy's
    # LinAlgError from inside its runtime. Now NaN for the entries that move the matrix.
    assert logabsdet_singular(X3) == -np.inf
    g = srcad.grad(logabsdet_singular)(X3)
    assert np.all(np.isnan(g[:2])) and g[2] == 1.0
    j = srcad.jacfwd(logabsdet_singular)(X3)
    assert np.all(np.isnan(j[:2])) and j[2] == 1.0  # (a zero tangent of the matrix: 0)
    h = srcad.hessian(logabsdet_singular)(X3)
    assert np.all(np.isnan(h[:2, :2]))


def test_slogdet_batch_with_one_singular_matrix():
    # the regular matrix of the batch keeps its exact derivative
    want = np.array([0.0, 1.0 / 3.0, 1.0 / 4.0])
    np.testing.assert_allclose(srcad.grad(logabsdet_batch)(X3), want)
    np.testing.assert_allclose(srcad.jacfwd(logabsdet_batch)(X3), want)


# -- 4. a complex cotangent written into a real array's entry ------------------------------------

Z3 = np.exp(1j * np.arange(3.0))


def tanh_entries(x):
    w = np.zeros(3)
    for i, t in enumerate(x):
        w[i] = math.tanh(t)
    return np.sum((w * Z3).real)


def sin_entries(x):
    w = np.zeros(3)
    for k in range(3):
        w[k] = np.sin(x[k])
    return np.sum((w * Z3).real)


def scaled_entries_abs(x):
    w = np.zeros(3)
    for k in range(3):
        w[k] = x[k] * 2.0
    return np.sum(np.abs(w * np.exp(1j * x)))


def nested_entries(x):
    w = np.zeros((3, 2))
    for k in range(3):
        for j in range(2):
            w[k, j] = x[k] * (j + 1)
    return np.sum(np.abs(w * (1 + 2j)) ** 2)


def scalar_real_part(x):
    s = 0.0
    for k in range(3):
        s = s + (np.exp(1j * x[k]) * x[k]).real
    return s


@pytest.mark.parametrize(
    "f", [tanh_entries, sin_entries, scaled_entries_abs, nested_entries, scalar_real_part]
)
def test_complex_cotangent_into_real_entries(f):
    # (fuzz35's open item) the reverse sweep wrote ``bx[k] = bt`` with `bt` complex: NumPy's
    # ComplexWarning, an error here (pyproject.toml); the entry's cotangent is the real part
    x = np.array([0.3, 0.7, 1.1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", np.exceptions.ComplexWarning)
        _check(f, x)
        h = srcad.hessian(f)(x)
    assert np.all(np.isfinite(h))
    np.testing.assert_allclose(h, h.T, atol=1e-8)
