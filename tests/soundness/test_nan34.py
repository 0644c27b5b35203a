"""Session 34 (nan34): NaN derivatives where the math is finite, crashes and values where NumPy
gives another. Input: small functions written like users' code; output: assertions against
Python, NumPy and central differences (tests/soundness/numeric.py), or the error NumPy raises."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import central_differences, check_scalar


def _quiet(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args)


# -- a partial read of a singular value by a while loop or a selection ---------------------------
# ``r = np.sqrt(x)`` at x with a negative (or zero) entry that nothing reads: the derivative there
# is 0, but the gradient was nan (``0 * (0.5 / r)``) when the read was a ``while`` loop's index,
# ``np.take``, ``r.item(i)``, ``r.flat[i]``, ``np.delete``, ``np.split(r, 3)[0]``,
# ``r.tolist()[i]`` or an index of a reshape (``r.reshape(2, 3)[0]``). Now a while loop records
# the positions it reads (`ad/loopreads.py`), a selection's positions are those it picks from an
# array of positions (``_srcad.read_by``, `ad/partreads.py`), and a reshaped (transposed, sliced)
# value's reads are moved back to the value's positions.

IDX = np.array([0, 1])


def while_read(x):
    r = np.sqrt(x)
    s = 0.0
    i = 0
    while i < 2:
        s = s + r[i] * x[0]
        i += 1
    return s


def while_read_break(x):
    r = np.log(x)
    s, i = 0.0, 0
    while True:
        if i >= len(x) or x[i] < 0:
            break
        s = s + r[i] ** 2
        i = i + 1
    return s


def while_in_for(x):
    r = np.sqrt(x) * 2.0
    s = 0.0
    for j in range(2):
        i = 0
        while i <= j:
            s = s + r[i] * j
            i += 1
    return s + r[0]


def take_read(x):
    r = np.sqrt(x)
    return np.sum(np.take(r, IDX) ** 2 * x[0])


def take_axis(x):
    r = np.sqrt(x).reshape(2, 2)
    return np.sum(np.take(r, [0], axis=1)) + np.sum(r.take([0], axis=1))


def item_read(x):
    r = np.sqrt(x)
    return r.item(0) * r.item(1)


def flat_read(x):
    r = np.log(x)
    return r.flat[1] + r.flat[0] * x[1]


def tolist_read(x):
    r = np.sqrt(x)
    v = r.tolist()
    return v[0] + v[1] * x[0]


def tolist_rows(x):
    r = np.sqrt(x).reshape(2, 2)
    return sum(r.tolist()[0])


def delete_read(x):
    r = np.sqrt(x)
    return np.sum(np.delete(r, 2) ** 3)


def split_read(x):
    r = np.sqrt(x)
    a, b, c = np.split(r, 3)
    return np.sum(a) + np.sum(np.array_split(r, 2)[0] * x[0])


def reshape_read(x):
    r = np.sqrt(x)
    return np.sum(r.reshape(2, 3)[0])


def transpose_read(x):
    r = np.arcsin(x / 3.0).reshape(3, 2).T
    return np.sum(r[0]) + r[1, 0]


def slice_then_index(x):
    r = np.sqrt(x)[1:]
    return r[0] * 2.0


def compress_read(x):
    r = np.sqrt(x)
    return np.sum(np.compress(x > 0, r))


def diagonal_read(x):
    r = np.sqrt(x).reshape(2, 2)
    return np.sum(np.diagonal(r)) + np.trace(r)


PARTS = {
    while_read: [0.5, 1.5, -2.0],
    while_read_break: [0.5, 1.5, -2.0, 3.0],
    while_in_for: [0.5, 1.5, -2.0],
    take_read: [0.5, 1.5, -2.0],
    take_axis: [0.5, -1.5, 2.0, -3.0],
    item_read: [0.5, 1.5, -2.0],
    flat_read: [0.5, 1.5, -2.0],
    tolist_read: [0.5, 1.5, -2.0],
    tolist_rows: [0.5, 1.5, -2.0, 0.0],
    delete_read: [0.5, 1.5, -2.0],
    split_read: [0.5, 1.5, 2.0, 0.0, -1.2, -0.3],
    reshape_read: [0.5, 1.5, 2.0, 0.0, -1.2, -0.3],
    transpose_read: [0.5, 1.5, 2.0, 4.0, -1.2, 3.3],
    slice_then_index: [-0.5, 1.5, -2.0],
    compress_read: [0.5, 1.5, -2.0],
    diagonal_read: [0.5, -1.5, -2.0, 3.0],
}


@pytest.mark.parametrize("f", PARTS, ids=lambda f: f.__name__)
def test_partial_read_by_a_selection(f):
    _quiet(check_scalar, f, np.array(PARTS[f]))


# -- an infinity computed from constants ---------------------------------------------------------
# A written infinity (``np.where(m, x, -np.inf)``, ``np.full(n, np.inf)``) is fixed: the ops it
# flows into have derivative 0 where it made them infinite (nan32, `ad/infvals.py`). One the
# program computed from constants was not: a causal mask ``np.log(np.tril(np.ones((n, n))))``
# (or ``np.log(TRIL)`` of a global, ``1.0 / np.arange(n)``) gave
# ``0 * inf = nan`` in the derivative of ``(s + mask) / t`` in `t`. Now the result of an op that
# can make an infinity of a zero entry (log, a division by it, a negative power) of a constant array
# (its operands all constants, or shapes: ``n = len(x)``) is a source of fixed infinities too
# (`infvals._computed`; a scalar's, ``np.log(0.0)``, is not: ``np.log(2 * np.pi)`` is finite).

TRIL = np.tril(np.ones((3, 3)))


def causal_temperature(x):
    m = np.log(np.tril(np.ones((3, 3))))
    s = (np.outer(x, x) + m) / x[0]
    e = np.exp(s - np.max(s, axis=1, keepdims=True))
    return np.sum(np.log(np.sum(e, axis=1)))


def causal_sized_by_the_argument(x):
    n = len(x)
    mask = np.log(np.tril(np.ones((n, x.shape[0]))))
    p = np.exp((np.outer(x, x) + mask) * x[1])
    return np.sum(np.log(np.sum(p, axis=1)))


def global_log_mask(x):
    s = (np.outer(x, x) + np.log(TRIL)) * x[1]
    return np.sum(np.log(np.sum(np.exp(s), axis=1)))


def reciprocal_arange(x):
    w = 1.0 / np.arange(3)
    return np.sum(np.exp(-w * x[0] * x))


def log_mask_in_loop(x):
    m = np.log(TRIL)
    acc = 0.0
    for k in range(2):
        s = (m + x) / (x[0] + k)
        acc = acc + np.sum(np.log(np.sum(np.exp(s), axis=1)))
    return acc


COMPUTED = [causal_temperature, causal_sized_by_the_argument, global_log_mask,
            reciprocal_arange, log_mask_in_loop]  # fmt: skip


@pytest.mark.parametrize("f", COMPUTED, ids=lambda f: f.__name__)
def test_infinity_computed_from_constants_is_fixed(f):
    _quiet(check_scalar, f, np.array([0.5, 1.5, 2.0]))


def decay_weights(x):
    n = len(x)
    w = np.exp(-np.arange(n) / n)  # an overflow or a division by a scalar: no fixed infinity
    return np.sum(w * np.tanh(x) ** 2) + np.sum(w * x)


def test_finite_weights_from_constants_add_no_mask():
    _quiet(check_scalar, decay_weights, np.array([0.5, 1.5, 2.0]))
    src = srcad.source(decay_weights, mode="grad", args=(np.array([0.5, 1.5, 2.0]),))
    assert "isfinite" not in src and "where_mask" not in src


# -- a float16 tangent or cotangent into linalg --------------------------------------------------
# NumPy's linalg refuses float16 arrays (TypeError), and srcad raises the same for a float16
# matrix. But a float16 tangent of a float64 (or float32) matrix, or a float16 cotangent given to
# a pullback, reached ``np.linalg.solve``/``cholesky``/``slogdet``/``qr`` in the derivative code
# and crashed there with that TypeError. Now such a tangent is converted to its value's dtype on
# entry (`args.check_tangent`, as integer tangents are).

SPD = np.array([[2.0, 0.5], [0.5, 3.0]])
RHS = np.array([1.0, 2.0])
LINALG = {
    "solve": lambda a: np.linalg.solve(a, RHS),
    "solve_rhs": lambda a: np.linalg.solve(SPD, a[0]),
    "inv": np.linalg.inv,
    "det": np.linalg.det,
    "slogdet": lambda a: np.linalg.slogdet(a)[1],
    "eigh": lambda a: np.linalg.eigh(a)[0],
    "cholesky": np.linalg.cholesky,
    "qr": lambda a: np.linalg.qr(a)[1],
}


@pytest.mark.parametrize("name", LINALG)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_float16_tangent_into_linalg(name, dtype):
    fn, a = LINALG[name], SPD.astype(dtype)
    t = np.array([[1.0, 0.25], [0.25, -0.5]])
    _, want = srcad.jvp(fn, (a,), (t.astype(dtype),))
    _, got = srcad.jvp(fn, (a,), (t.astype(np.float16),))
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want, rtol=1e-6)
    val, pull = srcad.vjp(fn, a)
    u = np.ones(np.shape(val))
    (want,) = pull(u.astype(dtype))
    (got,) = pull(u.astype(np.float16))
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_float16_matrix_into_linalg_is_numpys_error():
    with pytest.raises(TypeError, match="float16"):
        np.linalg.inv(SPD.astype(np.float16))
    with pytest.raises(TypeError, match="float16"):
        srcad.grad(lambda a: np.sum(np.linalg.inv(a)))(SPD.astype(np.float16))


# -- np.ediff1d's edges and dtype ----------------------------------------------------------------
# NumPy's ediff1d returns `ary`'s dtype, its edges cast to it, and raises TypeError when an
# edge does not cast under the same_kind rule (a float `to_begin` of an int array). srcad joined
# the edges with np.concatenate: a gradient where NumPy raises, and a float64 result for a
# float32 `ary` with float64 edges. Now ``_srcad.ediff_dtype`` checks as NumPy does and the
# result is cast to `ary`'s dtype.

IARY = np.array([1, 4, 9, 16])


def ediff_int_begin(x):
    return np.sum(np.ediff1d(IARY, to_begin=x[0]) * x)


def ediff_int_end(x):
    return np.sum(np.ediff1d(IARY, to_end=x[:2]))


def ediff_float32(x):
    return np.sum(np.ediff1d(x.astype(np.float32), to_begin=x[0], to_end=x[1:3]) ** 2)


@pytest.mark.parametrize("f", [ediff_int_begin, ediff_int_end], ids=lambda f: f.__name__)
def test_ediff1d_float_edges_of_an_int_array_raise(f):
    x = np.array([0.5, 1.5, 2.0, 3.0])
    with pytest.raises(TypeError, match="same_kind"):
        f(x)
    for call in (srcad.primal(f), srcad.grad(f), lambda x: srcad.jvp(f, (x,), (x,))):
        with pytest.raises(TypeError, match="same_kind"):
            call(x)


def test_ediff1d_keeps_the_arrays_dtype():
    x = np.array([0.5, 1.5, 2.25, 3.0])
    want = ediff_float32(x)
    val, g = srcad.value_and_grad(ediff_float32)(x)
    assert type(val) is type(want) is np.float32 and val == want
    assert type(srcad.primal(ediff_float32)(x)) is np.float32
    d = np.ediff1d(x.astype(np.float32), to_begin=x[0], to_end=x[1:3]).astype(float)
    want_g = 2 * np.array([d[0] - d[1], d[1] - d[2] + d[4], d[2] - d[3] + d[5], d[3]])
    np.testing.assert_allclose(g, want_g, rtol=1e-6)


# -- np.logaddexp2's reduce and accumulate in long double ----------------------------------------
# Both are computed in base e, ``logaddexp.reduce(x * ln2) / ln2``, with ln 2 a float64
# constant: for a long double `x` the value was 5e-17 off NumPy's (float64's rounding of ln 2),
# and the accumulate's gradient too (its linear recurrence rounded the weights to float64). Now
# ln 2 is taken in `x`'s precision (``_srcad.ln2_of``) and the recurrence keeps long doubles.


@pytest.mark.skipif(np.finfo(np.longdouble).eps >= 1e-16, reason="long double is float64 here")
def test_logaddexp2_reduce_and_accumulate_in_long_double():
    x = np.array([1.0, 2.0, 3.0], dtype=np.longdouble) / 3
    p = np.longdouble(2) ** x
    s = np.cumsum(p)
    eps = 8 * np.finfo(np.longdouble).eps

    def reduce(x):
        return np.logaddexp2.reduce(x)

    def accumulate(x):
        return np.sum(np.logaddexp2.accumulate(x))

    want_acc = np.array([sum(p[i] / s[k] for k in range(i, 3)) for i in range(3)])
    for f, want in ((reduce, p / s[-1]), (accumulate, want_acc)):
        val, g = srcad.value_and_grad(f)(x)
        assert type(val) is np.longdouble and g.dtype == np.longdouble
        assert abs(val - f(x)) <= eps * abs(val)
        assert np.all(np.abs(g - want) <= eps * np.abs(want))
        _, t = srcad.jvp(f, (x,), (np.array([1, 0, 0], dtype=np.longdouble),))
        assert abs(t - want[0]) <= eps * want[0]


# -- the norm of a difference at coinciding points, through float() or np.dot -------------------
# ``np.sqrt(np.sum(d ** 2))`` and ``np.sqrt(d @ d)`` at d = 0 give the norm's subgradient 0 (the
# root of a sum of squares, `fmasks.square_sums`), but ``math.sqrt(float(np.sum(d ** 2)))`` and
# ``np.sqrt(np.dot(d, d))`` gave nan in both modes (``0 * inf``): a conversion to a number and
# np.dot/np.inner of a vector now count as the sum of squares they are.


def dist_through_float(x):
    d = x[:2] - x[1:]
    return math.sqrt(float(np.sum(d**2))) + x[0]


def dist_through_dot(x):
    d = x[:2] - x[1:]
    return np.sqrt(np.dot(d, d)) + np.sqrt(np.inner(d, d)) * x[2] + x[0]


def dist_through_item(x):
    d = x[:2] - x[1:]
    return np.sqrt(np.sum(d * d).item()) + x[0]


@pytest.mark.parametrize("f", [dist_through_float, dist_through_dot, dist_through_item],
                         ids=lambda f: f.__name__)  # fmt: skip
def test_norm_of_a_difference_at_zero(f):
    x = np.ones(3)
    np.testing.assert_array_equal(_quiet(srcad.grad(f), x), [1.0, 0.0, 0.0])
    for k, e in enumerate(np.eye(3)):
        _, t = _quiet(srcad.jvp, f, (x,), (e,))
        assert t == (k == 0)
    y = np.array([0.3, 1.1, -0.4])  # (away from 0: central differences)
    np.testing.assert_allclose(srcad.grad(f)(y), central_differences(f, y), rtol=1e-6)
