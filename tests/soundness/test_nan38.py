"""Session 38 (nan38): NaN derivatives where the true derivative is finite.

- NaN gradient, forward mode right: ``if lst:`` (``if [0]:``) on a non-empty list choosing the
  branch that does not read a root's zero: nan37's truth-value mask was `UNKNOWN` (masking
  nothing) for a list. ``_srcad.recomputed('truth', c)`` of a list, tuple or dict is now whether
  it is empty (Python's truth value, whatever the entries).
- NaN gradient, forward mode right: a loop writing an entry back or a constant over it,
  ``r[i, j] = 0.0 if x[i, j] <= 0 else r[i, j]`` (relu-like masking in place) over a root's
  zeros: nan37's `ad/loopwrites.py` record took only loops never reading `r`. Such a
  write-back (the entry read only to be written to itself) now marks the position in the
  branch writing the constant (`loopwrites._self_copy`).
- NaN gradient, forward mode right: ``np.where(k > idx, r, 0.0)`` in ``for k in range(n)`` (a
  condition reading the loop counter) over a root's zero that no iteration selects: the mask of
  `r` cannot be computed outside the loop. Such a loop now carries a record of the positions
  some iteration selected (`ad/loopwheres.py`, ``_srcad.mark_where``) when the wheres are the
  body's only reads of `r`.
- Text regression (refuse37's cmath lowering): ``cmath.exp(...)`` was lowered to ``np.exp`` + an
  overflow check + ``complex(...)`` even when its argument is not differentiated (bench22's FFT
  twiddle factors: 5 lines where 1 was), and ``cmath.sqrt`` of a negative real raised a spurious
  OverflowError (``np.sqrt(-4.0)`` is NaN). cmath's exp/sin/cos/sinh/cosh/sqrt now have rules of
  their own (`srcad.rules.math.CMATH`): the call stays cmath's, differentiated or not.

Pins (no change): `np.exp(-1 / x**2)` guarded at x = 0 (``np.where(x == 0, 0.0, ..)``, ``if x ==
0: return 0.0``, a masked write, a helper) already has the true derivative 0 there in both modes;
nan37's truth-value mask in a Sinkhorn loop's ``if np.any(..) or ..: u = uprev; break`` is what
gives a finite gradient when a row of the kernel underflows (all NaN without it).
"""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest

import srcad


def _check(f, x, want, *rest):
    """grad and jvp of the scalar ``f(x, *rest)`` at the 1-D `x` against `want` (jvp: only where
    `want` is finite; else its NaN or inf is checked to stay)."""
    v = np.cos(np.arange(len(x)) + 1.0)
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(x.copy(), *rest)
        _, t = srcad.jvp(f, (x.copy(), *rest), (v,) + (None,) * len(rest))
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    if np.all(np.isfinite(want)):
        np.testing.assert_allclose(t, np.dot(want, v), rtol=1e-5, atol=1e-6)
    else:
        assert not np.isfinite(t)


def _fd(f, x, *rest, eps=1e-6):
    return np.array(
        [(f(x + eps * e, *rest) - f(x - eps * e, *rest)) / (2 * eps) for e in np.eye(len(x))]
    )


# -- 5. the truth value of a list -----------------------------------------------------------------


def if_list_literal(x):
    r = np.sqrt(x)
    if [0]:
        r = 2.0 * x
    return np.sum(r)


def if_list_param(x, lst):
    r = np.sqrt(x)
    if lst:
        r = 2.0 * x
    return np.sum(r)


def if_tuple_param(x, t):
    r = np.log(x)
    if t:
        y = x * x
    else:
        y = r
    return np.sum(y)


def test_if_list_literal():
    _check(if_list_literal, np.array([0.0, 1.0, 4.0]), np.full(3, 2.0))


@pytest.mark.parametrize("lst", [[0], [0.0, 1.0], [[]]])
def test_if_nonempty_list(lst):
    _check(if_list_param, np.array([0.0, 1.0, 4.0]), np.full(3, 2.0), lst)


def test_if_empty_list_keeps_inf():
    """An empty list takes the root: its infinite derivative at 0 is the truth."""
    _check(if_list_param, np.array([0.0, 1.0, 4.0]), np.array([np.inf, 0.5, 0.25]), [])


def test_if_tuple():
    x = np.array([0.0, 1.0, 3.0])
    _check(if_tuple_param, x, 2.0 * x, (0,))
    _check(if_tuple_param, x, 1.0 / x, ())


def test_if_list_hessian():
    x = np.array([0.0, 1.0, 4.0])
    with np.errstate(all="ignore"):
        h = srcad.hessian(if_list_param)(x, [0])
    np.testing.assert_allclose(h, np.zeros((3, 3)))


# -- 1. a loop writing an entry back or a constant over it ----------------------------------------


def selfcopy_2d(x):
    r = np.sqrt(x)
    n, m = x.shape
    for i in range(n):
        for j in range(m):
            r[i, j] = 0.0 if x[i, j] <= 0 else r[i, j]
    return np.sum(r * r + r)


def selfcopy_1d(x):
    r = np.log(x)
    for i in range(x.shape[0]):
        r[i] = 0.0 if x[i] <= 0 else r[i]
    return np.sum(r)


def selfcopy_other_test(x):
    r = np.sqrt(x)
    for i in range(x.shape[0]):
        if x[i] < 0:  # (x = 0 keeps the root: its inf is the truth)
            r[i] = 0.0
        else:
            r[i] = r[i]
    return np.sum(r)


def selfcopy_read_elsewhere(x):
    r = np.sqrt(x)
    s = 0.0
    for k in range(2):
        for i in range(x.shape[0]):
            v = 0.0 if k == 1 else r[i]
            r[i] = v
            s = s + v
    return s + np.sum(r)


def test_selfcopy_loop_2d():
    x = np.array([[0.0, 1.0], [4.0, -1.0]])
    v = np.cos(np.arange(4.0)).reshape(2, 2)
    want = np.where(x > 0, 1.0 + 0.5 / np.sqrt(np.abs(x) + (x <= 0)), 0.0)
    with np.errstate(all="ignore"):
        g = srcad.grad(selfcopy_2d)(x.copy())
        _, t = srcad.jvp(selfcopy_2d, (x.copy(),), (v,))
        h = srcad.hessian(selfcopy_2d)(x.copy())
    np.testing.assert_allclose(g, want)
    np.testing.assert_allclose(t, np.sum(want * v))
    np.testing.assert_allclose(h.reshape(4, 4), np.diag([0.0, -0.25, -1 / 32, 0.0]))


def test_selfcopy_loop_1d():
    x = np.array([0.0, 1.0, 4.0])
    _check(selfcopy_1d, x, np.array([0.0, 1.0, 0.25]))
    with np.errstate(all="ignore"):
        h = srcad.hessian(selfcopy_1d)(x.copy())
    np.testing.assert_allclose(h, np.diag([0.0, -1.0, -1 / 16]))


def test_selfcopy_statement_if():
    """The root's NaN at -4 is overwritten (0); at 0 it is kept: its inf is the truth."""
    _check(selfcopy_other_test, np.array([1.0, -4.0, 4.0]), np.array([0.5, 0.0, 0.25]))
    _check(selfcopy_other_test, np.array([0.0, 1.0, -4.0]), np.array([np.inf, 0.5, 0.0]))


def test_selfcopy_read_elsewhere_is_not_masked():
    """The entry read at k = 0 feeds `s` before k = 1 overwrites it: its cotangent is real."""
    x = np.array([1.0, 4.0, 0.25])
    _check(selfcopy_read_elsewhere, x, _fd(selfcopy_read_elsewhere, x))
    with np.errstate(all="ignore"):
        g = srcad.grad(selfcopy_read_elsewhere)(np.array([0.0, 4.0]))
    assert np.isinf(g[0]) and g[1] == 0.25


# -- 2. a where on the loop counter ---------------------------------------------------------------


def where_on_counter(x):
    n = x.shape[0]
    r = np.sqrt(x)
    idx = np.arange(n)
    s = 0.0
    for k in range(n):
        s = s + np.sum(np.where(k > idx, r * r + r, 0.0))
    return s


def where_on_counter_param(x, idx):
    r = np.log(x)
    s = 0.0
    for k in range(len(x)):
        s = s + np.sum(np.where(idx >= k, 0.0, r))  # (r on the false side)
    return s


def where_on_counter_read_too(x):
    r = np.sqrt(x)
    s = 0.0
    for k in range(x.shape[0]):
        s = s + np.sum(np.where(k > np.arange(3), r, 0.0)) + r[2] * 0.0
    return s


def test_where_on_counter():
    """r[2] is never selected (k > 2 never holds): derivative 0; the others (n-1-i) * r'."""
    x = np.array([1.0, 4.0, 0.0])
    want = np.array([2 * 1.5, 1 * 1.25, 0.0])
    _check(where_on_counter, x, want)
    with np.errstate(all="ignore"):
        h = srcad.hessian(where_on_counter)(x.copy())
    np.testing.assert_allclose(h, np.diag([2 * -0.25, -1 / 32, 0.0]))


def test_where_on_counter_keeps_the_true_inf():
    """x[0] = 0 is selected at k = 1, 2: its infinite derivative is the truth."""
    x = np.array([0.0, 4.0, 1.0])
    _check(where_on_counter, x, np.array([np.inf, 1.25, 0.0]))


def test_where_on_counter_param():
    x = np.array([0.0, 2.0, 0.5])
    idx = np.array([5, 0, 1])  # (x[0]: idx >= k always, r never taken)
    _check(where_on_counter_param, x, np.array([0.0, 2 / 2.0, 1 / 0.5]), idx)
    _check(where_on_counter_param, x, np.array([np.inf, 2 / 2.0, 1 / 0.5]), np.array([1, 0, 1]))


def test_where_on_counter_read_elsewhere_not_masked():
    """r[2] read outside the where too (times 0): 0 * inf stays NaN, as without the where."""
    x = np.array([1.0, 4.0, 0.0])
    with np.errstate(all="ignore"):
        g = srcad.grad(where_on_counter_read_too)(x.copy())
    np.testing.assert_allclose(g[:2], [1.0, 0.25])
    assert np.isnan(g[2])


# -- 4. guarded run-time infinities (pins) ---------------------------------------------------------


def bump_where(x):
    return np.sum(np.where(x == 0, 0.0, np.exp(-1 / x**2)))


def bump_if(x):
    s = 0.0
    for i in range(len(x)):
        if x[i] == 0:
            continue
        s = s + np.exp(-1 / x[i] ** 2)
    return s


def bump_write(x):
    r = np.exp(-1 / x**2)
    r[x == 0] = 0.0
    return np.sum(r**2)


@pytest.mark.parametrize("f", [bump_where, bump_if, bump_write])
def test_guarded_bump_at_zero(f):
    x = np.array([0.0, 1.0, 2.0])
    _check(f, x, np.concatenate([[0.0], _fd(f, x)[1:]]))


# -- 7. the truth-value mask of a Sinkhorn loop's divergence test (pin) ---------------------------


def test_sinkhorn_divergence_branch():
    """A row of M so large that K's row underflows to 0: ``u = 1 / (Kp @ v)`` is inf there and
    the loop takes ``u = uprev; break`` on the first iteration. The `if`'s condition is an ``or``
    of np.any results (no comparison): nan37's truth mask on the branch is what keeps
    ``0 * (-u / (Kp @ v))`` out of the gradient."""
    from tests.corpus.ported_corp24_ot import M54, sinkhorn_loss

    M = M54.copy()
    M[2, :] = 1e4
    with np.errstate(all="ignore"):
        g = srcad.grad(sinkhorn_loss)(M.copy())
        fd = np.zeros_like(M)
        for idx in np.ndindex(M.shape):
            e = np.zeros_like(M)
            e[idx] = 1e-6
            fd[idx] = (sinkhorn_loss(M + e) - sinkhorn_loss(M - e)) / 2e-6
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-8)


# -- 6. cmath's functions stay cmath's calls --------------------------------------------------------


def twiddles(x):
    s = 0j
    for k in range(4):
        s = s + cmath.exp(-2j * math.pi * k / 4) * x[k]
    return abs(s) ** 2


def cmath_of_real(x):
    w = cmath.sqrt(x[0] - 5.0) + cmath.exp(x[1]) * cmath.sin(x[2]) + cmath.cosh(x[0])
    return w.real + 2.0 * w.imag


def test_undifferentiated_cmath_stays_a_call():
    x = np.array([1.3, -0.4, 0.7, 0.5])
    for mode in ("grad", "jvp"):
        src = srcad.source(twiddles, mode=mode, args=(x,))
        assert "cmath.exp(-2j * 3.141592653589793 * k / 4)" in src
        assert "np.exp" not in src and "OverflowError" not in src
    srcad.testing.check_grads(twiddles, (x,), modes=("fwd", "rev"), order=2)


def test_cmath_of_a_real_argument():
    """cmath.sqrt of a negative real is complex (it raised OverflowError: NumPy's NaN root was
    taken for an overflow); the derivatives of a real argument's complex results."""
    x = np.array([1.3, -0.4, 0.7])
    val, g = srcad.value_and_grad(cmath_of_real)(x.copy())
    assert val == cmath_of_real(x)
    np.testing.assert_allclose(g, _fd(cmath_of_real, x), rtol=1e-6, atol=1e-8)
    srcad.testing.check_grads(cmath_of_real, (x,), modes=("fwd", "rev"), order=2)


def _cmath_root_of_clamped(x):
    return (cmath.sqrt(max(x, 0.0)) * 2).real + x


def test_cmath_sqrt_of_a_clamped_value_is_masked_in_both_modes() -> None:
    # cmath.sqrt is a singular elementwise op like math.sqrt: where max picked its constant the
    # tangent is zero, not 0 * inf (the lead's merge check; NaN in jvp before)
    assert srcad.grad(_cmath_root_of_clamped)(-1.0) == 1.0
    assert srcad.jvp(_cmath_root_of_clamped, (-1.0,), (1.0,))[1] == 1.0
    assert srcad.jvp(_cmath_root_of_clamped, (4.0,), (1.0,))[1] == pytest.approx(1.5)
    assert srcad.grad(_cmath_root_of_clamped)(4.0) == pytest.approx(1.5)
