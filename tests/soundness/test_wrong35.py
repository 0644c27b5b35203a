"""Session 35 (wrong35): NaN derivatives where the true derivative is finite.

- NaN gradient (fuzz34's open xfail, wild34 seed 34310149): the unselected side of
  ``np.where(c, .., -(0.2 - v) ** 0.5)`` gave its infinite local derivative to the gradient when
  `v` was a value of unknown receiver kind (an item of a list argument, an ``if`` join or loop
  carry with one, ``np.array(.., dtype=float)``): operators on such values go through the
  run-time check ``_srcad.plain_receiver``, and `ad/masks.py` stopped at it, so the ops before it
  lost the where's mask. The check is the identity on what it lets through: the mask now passes.
- NaN gradient, forward mode right (hunt34a): ``np.max(np.log(A / A.sum(1, keepdims=True)), 1)``
  with ``A = np.where(MB, np.exp(P), 0)``: the max's rule gives the -inf entries it does not take
  an exact 0, which the log's local derivative (1/0) made NaN. `ad/selmasks.py` masked that side
  only for a max/min over the whole array; over an axis (``keepdims=`` too, ``a.max(axis=1)``) it
  now does, by ``condmasks.ext_support`` (the entries equal to their slice's extreme).
- NaN in both modes: ``logsumexp(np.log(np.exp(P) * MASK))`` (scipy's or written by hand) with
  MASK a global 0/1 float array: ``u * MASK`` has a zero tangent (and gives `u` a zero
  cotangent) where MASK is 0, which met the log's infinite derivative there (0 * inf). A product
  by a value read from a global is now treated as a product by a boolean mask (zero where the
  global's entry is falsy) when it feeds a singular op: `ad/fmasks.py` and `ad/masks.py`.
- NaN JVP of ``xlogy(q, q)`` (an entropy) of a masked softmax `q` with exact zeros: ``dq * (log q
  + 1)`` is 0 * inf there. The scipy.special x-log-y family is now singular for `ad/fmasks.py`
  (0 where the operands' tangents are). Reverse mode stays open (strict xfail below).
- NaN gradients left by nan34: a loop reading a singular value's entry only to compare it
  (``for v in r: if v != v: break``), ``for i, v in enumerate(r)`` with `v` used in a branch not
  taken, ``np.take(r, i)`` / ``r.item(i)`` in a loop: `ad/loopreads.py` now records a read where
  its value is used and records selections too (``_srcad.mark_read_by``).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _check(f, x):
    """grad and jvp of the scalar `f` at the 1-D `x` against central differences."""
    g = srcad.grad(f)(x.copy())
    want = _fd(f, x)
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    u = np.cos(np.arange(len(x)) + 1.0)
    _, t = srcad.jvp(f, (x.copy(),), (u,))
    np.testing.assert_allclose(t, np.dot(want, u), rtol=1e-5, atol=1e-6)


# -- 1. a where's singular side behind `_srcad.plain_receiver` (unknown receiver kinds) ---------

X = np.array([0.0, 0.7, 0.3, 1.0])  # singular at 0 (sqrt, log, 1/x) and at 1 (arcsin)
OTHER = [X * 0.5]  # a list argument: its items are of unknown receiver kind


def if_join_log(x, xs, k):
    if k == 0:
        v = np.log(x)
    else:
        v = xs[0]
    return np.sum(np.where(x > 0.1, -v, 0.0))


def if_join_recip(x, xs, k):
    if k == 0:
        v = 1.0 / x
    else:
        v = xs[0]
    return np.sum(np.where(x > 0.1, 2.0 * -v, x))


def if_join_arcsin(x, xs, k):
    if k == 0:
        v = np.arcsin(x)
    else:
        v = xs[0]
    return np.sum(np.where(x < 0.9, -v, x))


def if_join_sqrt_else(x, xs, k):
    if k != 0:
        v = xs[0]
    else:
        v = np.sqrt(x)
    return np.sum(np.where(x > 0.1, -v, 0.5 * x))


def loop_carry_sqrt(x, xs, n):
    v = xs[0]
    s = 0.0
    for _ in range(n):
        w = v + np.sqrt(x)
        s = s + np.sum(np.where(x > 0.1, -(2.0 * w), x))
        v = v * 0.5
    return s


def loop_carry_log(x, xs, n):
    v = xs[0]
    s = 0.0
    while n > 0:
        w = v + np.log(x)
        s = s + np.sum(np.where(x > 0.1, -(w * 0.5), 0.0))
        n -= 1
    return s


@pytest.mark.parametrize(
    "f, k",
    [(if_join_log, 0), (if_join_recip, 0), (if_join_arcsin, 0), (if_join_sqrt_else, 0),
     (loop_carry_sqrt, 2), (loop_carry_log, 2)],
    ids=lambda a: getattr(a, "__name__", str(a)),
)  # fmt: skip
def test_where_singular_side_behind_receiver_check(f, k):
    x = X
    with np.errstate(all="ignore"):
        _check(lambda x: f(x, OTHER, k), x)
        g = srcad.grad(f)(x.copy(), OTHER, k)
    assert np.all(np.isfinite(g))


def item_root(xs):
    v = xs[0]
    return np.sum(np.where(v >= 0.2, v, -((0.2 - v) ** 0.5)))


def item_recip(xs):
    v = xs[0]
    return np.sum(np.where(v != 0.5, -(1.0 / (v - 0.5)), v))


@pytest.mark.parametrize("f", [item_root, item_recip], ids=lambda f: f.__name__)
def test_where_singular_side_of_list_item(f):
    """The item of a list argument (no singular op before the check: the where's side is)."""
    x = np.array([0.5, 0.1, 1.0, 0.7])
    with np.errstate(all="ignore"):
        (g,) = srcad.grad(f)([x])
        want = _fd(lambda x: f([x]), x)
        _, t = srcad.jvp(f, ([x],), ([np.ones(4)],))
    if f is item_recip:  # (an equality picks `v` at 0.5: no central difference there)
        want[0] = 1.0
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(t, want.sum(), rtol=1e-5)


# -- 2. np.max / np.min over an axis of a singular op's result (hunt34a) -------------------------

P34 = np.random.default_rng(0).standard_normal((3, 4))
MB = np.array([[True, False, True, True], [True, True, False, False], [False, True, True, True]])


def masked_log_softmax_max(p):
    a = np.where(MB, np.exp(p), 0)
    return np.sum(np.max(np.log(a / a.sum(1, keepdims=True)), 1))


def masked_log_max_method(p):
    a = np.where(MB, np.exp(p), 0)
    a = a / np.sum(a)
    return np.sum(np.log(a).max(axis=1) * np.array([1.0, 2.0, 3.0]))


def sqrt_min_keepdims(p):
    a = np.where(MB.T, p.T**2, 0.0)
    a = a / a.sum(axis=0)
    return np.sum(np.min(-np.sqrt(a), axis=0, keepdims=True) * 2.0)


def sqrt_max_axes(p):
    a = np.where(MB, np.abs(p), 0.0)
    return np.max(np.sqrt(a / a.sum(1, keepdims=True)), axis=(0, 1))


def _fd_nd(f, p, eps=1e-6):
    out = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        e = np.zeros_like(p)
        e[i] = eps
        out[i] = (f(p + e) - f(p - e)) / (2 * eps)
    return out


@pytest.mark.parametrize(
    "f",
    [masked_log_softmax_max, masked_log_max_method, sqrt_min_keepdims, sqrt_max_axes],
    ids=lambda f: f.__name__,
)
def test_extreme_over_axis_of_singular_values(f):
    """The entries a max/min over an axis does not take (here -inf, or roots at 0) get an exact
    zero from its rule, which the reverse sweep multiplied by the log's or root's infinite local
    derivative (NaN); forward mode was right. JAX gives NaN here too."""
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(P34.copy())
        want = _fd_nd(f, P34)
        _, t = srcad.jvp(f, (P34.copy(),), (np.cos(P34),))
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(t, np.sum(want * np.cos(P34)), rtol=1e-5, atol=1e-6)


# -- 3. a product by a global 0/1 array feeding a log (masked logsumexp) ------------------------

MASK = MB.astype(float)


def lse_scipy_rows(p):
    from scipy.special import logsumexp

    return np.sum(logsumexp(np.log(np.exp(p) * MASK), axis=1))


def lse_scipy_all(p):
    from scipy.special import logsumexp

    return logsumexp(np.log(MASK * np.exp(p)))


def _lse(z):
    m = np.max(z, axis=1, keepdims=True)
    return m[:, 0] + np.log(np.sum(np.exp(z - m), axis=1))


def lse_by_hand(p):
    return np.sum(_lse(np.log(np.exp(p) * MASK)) * np.array([1.0, 0.5, 2.0]))


def sqrt_of_masked(p):
    return np.sum(np.sqrt(p**2 * MASK + 0.0) * np.cos(p))


@pytest.mark.parametrize(
    "f", [lse_scipy_rows, lse_scipy_all, lse_by_hand, sqrt_of_masked], ids=lambda f: f.__name__
)
def test_product_by_global_mask_feeding_singular_op(f):
    """``u * MASK`` (a global float array with zeros) feeding a log or root: the tangent of `u`
    times 0 met the log's infinite derivative (NaN in both modes); the value there is the same
    for every `u` (log 0), its derivative 0. The product's zero now masks both sweeps as a
    boolean factor's does."""
    if f.__name__.startswith("lse_scipy"):
        pytest.importorskip("scipy")
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(P34.copy())
        want = _fd_nd(f, P34)
        _, t = srcad.jvp(f, (P34.copy(),), (np.cos(P34),))
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(t, np.sum(want * np.cos(P34)), rtol=1e-5, atol=1e-6)


# -- 4. forward mode through xlogy(p, p) of a masked softmax (p has exact zeros) ----------------


def _masked_softmax(p):
    e = np.where(MB, np.exp(p - p.max(1, keepdims=True)), 0.0)
    return e / e.sum(1, keepdims=True)


def entropy_xlogy(p):
    from scipy.special import xlogy

    q = _masked_softmax(p)
    return -np.sum(xlogy(q, q))


def entropy_entr(p):
    from scipy.special import entr

    return np.sum(entr(_masked_softmax(p)) * np.array([[1.0], [2.0], [0.5]]))


def cross_xlogy(p):
    from scipy.special import xlogy

    q = _masked_softmax(p)
    return np.sum(xlogy(q, q + 0.5 * q))


@pytest.mark.parametrize("f", [entropy_xlogy, entropy_entr, cross_xlogy], ids=lambda f: f.__name__)
def test_jvp_of_xlogy_at_exact_zeros(f):
    """The JVP of ``xlogy(q, q)`` is ``dq * (log q + 1)``: 0 * inf = NaN where the masked softmax
    `q` is exactly 0 with a zero tangent (JAX gives NaN too). xlogy, xlog1py, entr, rel_entr and
    kl_div are now singular ops for `ad/fmasks.py`: their tangent is 0 where their operands'
    tangents are (at run time, `q` being partly constant: ad/fpartial.py)."""
    pytest.importorskip("scipy")
    u = np.cos(P34)
    with np.errstate(all="ignore"):
        _, t = srcad.jvp(f, (P34.copy(),), (u,))
        want = (f(P34 + 1e-6 * u) - f(P34 - 1e-6 * u)) / 2e-6
    assert np.isfinite(t)
    np.testing.assert_allclose(t, want, rtol=1e-5, atol=1e-7)


@pytest.mark.xfail(strict=True, reason="open (wrong35): NaN gradient of xlogy(q, q) at q == 0")
def test_grad_of_xlogy_at_exact_zeros_open():
    """Reverse mode: the cotangent of `q` is ``log q + 1`` (-inf) where q is 0, and the division
    ``e / s`` that made `q` sends ``g * e / s**2`` = -inf * 0 to the row sum `s`: NaN for the whole
    row. The truth is finite (those q do not move); JAX gives NaN."""
    pytest.importorskip("scipy")
    with np.errstate(all="ignore"):
        g = srcad.grad(entropy_xlogy)(P34.copy())
    assert np.all(np.isfinite(g))


# -- 5. nan34's leftovers: loops reading a singular value's entries -------------------------------


def iter_compare_break(x):
    r = np.sqrt(x)
    s = 0.0
    for v in r:
        if v != v:
            break
        s = s + v
    return s


def enumerate_before_branch(x):
    r = np.sqrt(x)
    s = 0.0
    for i, v in enumerate(r):
        if i < 2:
            s = s + v * x[i]
    return s


def index_read_used_in_branch(x):
    r = np.log(x)
    s = 0.0
    for i in range(len(x)):
        v = r[i]
        if x[i] > 0:
            s = s + v**2
        else:
            s = s - 1.0
    return s


def take_in_loop(x):
    r = np.sqrt(x)
    s = 0.0
    for i in range(2):
        s = s + np.take(r, i) * x[i]
    return s


def item_in_while(x):
    r = 1.0 / x
    s, i = 0.0, 0
    while i < 2:
        s = s + r.item(i)
        i += 1
    return s


def take_axis_in_loop(x):
    r = np.sqrt(x).reshape(2, 2)
    s = 0.0
    for j in range(1):
        s = s + np.sum(np.take(r, [j], axis=1))
    return s


LOOP_POINTS = {
    iter_compare_break: [0.5, 1.5, -2.0],
    enumerate_before_branch: [0.5, 1.5, -2.0],
    index_read_used_in_branch: [0.5, -1.5, 2.0, -0.5],
    take_in_loop: [0.5, 1.5, -2.0],
    item_in_while: [0.5, 1.5, 0.0],
    take_axis_in_loop: [0.5, -1.5, 2.0, -3.0],
}


@pytest.mark.parametrize("f", list(LOOP_POINTS), ids=lambda f: f.__name__)
def test_loop_reads_of_singular_values(f):
    """An entry of a singular value a loop reads only to compare it (``if v != v: break``),
    reads before a branch that does not use it (``for i, v in enumerate(r)``), or picks with
    ``np.take`` in a loop has the derivative 0 at an entry the function does not use; the
    gradient was NaN there (0 * 0.5 / sqrt(-2)). The loop's record of the positions read
    (ad/loopreads.py) now marks a read in the branches that use its value, `for v in r`
    (``_srcad.as_sequence``) is a move of `r`, and a selection in a loop is recorded
    (``_srcad.mark_read_by``)."""
    x = np.array(LOOP_POINTS[f])
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(x.copy())
        want = _fd(f, x)
        _, t = srcad.jvp(f, (x.copy(),), (np.ones_like(x),))
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(t, want.sum(), rtol=1e-5, atol=1e-6)


# -- a dtype argument is no user object: no run-time receiver check after it ---------------------


def dtype_float_array(x, k):
    if k == 0:
        v = np.array(x, dtype=float)
    else:
        v = x.astype(np.float64) * 2.0
    return np.sum(-((v - 0.1) ** 1.5))


def test_dtype_argument_leaves_no_receiver_check():
    """``np.array(z, dtype=float)`` (fuzz34's case) and ``x.astype(np.float64)`` were of unknown
    receiver kind (the class `float` counted as a value that may hold user objects), so the
    operators after them ran through ``_srcad.plain_receiver``: a run-time check per operator,
    and the step ad/masks.py did not pass. Built-in and NumPy scalar types are now no user
    objects."""
    x = np.array([0.5, 1.0, 2.0])
    for k in (0, 1):
        text = srcad.source(dtype_float_array, mode="grad", args=(x, k))
        assert "plain_receiver" not in text
        want = _fd(lambda x, k=k: dtype_float_array(x, k), x)
        np.testing.assert_allclose(srcad.grad(dtype_float_array)(x, k), want, rtol=1e-6)
