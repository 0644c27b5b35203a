"""Session 36 (wrong36b): NaN derivatives where the true derivative is finite.

- NaN gradient, forward mode right: ``np.nanmax(np.log(x))`` (nanmin alike, over the whole array
  or an axis) with a zero entry of `x`: the max's rule gives the -inf entry it does not take an
  exact 0, which the log's local derivative (1/0) made NaN. `ad/selmasks.py` now reads nanmax and
  nanmin as max and min (their rule is the same; a NaN entry never equals a finite extreme).
- NaN in both modes (and the Hessian): ``logsumexp(np.log(np.exp(x) * mask))`` (or
  ``np.where(mask, np.log(..), 0)``) with `mask` a closure variable or an argument that is not
  differentiated (``wrt=0``): session 35 treated a global `mask` as a boolean factor; a closure
  value and a parameter of numbers no level of the request differentiates now are too
  (`boolmasks.fixed_values`). A level differentiating the parameter keeps the unmasked form.
- NaN gradient, forward mode right: writes over a root's zero entries by ``np.put``,
  ``np.place``, ``np.put_along_axis``, in a ``for`` loop (``for i in idx: r[i] = 1.0``) or in a
  branch of an ``if`` (``if x[0] > 0: r[[1, 3]] = 0.0``): `ad/writemasks.py` masked straight-line
  ``r[idx] = v`` only.
- NaN gradient, forward mode right: ``np.choose(a, [np.sqrt(x), x])`` where `a` does not pick
  the root, and ``np.interp(t, xp, np.sqrt(x))`` where the root's entries are breakpoints no `t`
  is near: the rule's exact 0 met the root's infinite derivative. `ad/masks.py` masks a choice
  where `a` does not pick it (as np.select's), `ad/selmasks.py` the breakpoints of interp.
- NaN gradient, forward mode right: ``np.where(x > 0, v, 0)`` after a ``for`` loop carrying `v`
  made by a root or log (before the loop or in its body) at x = 0: the where's mask stopped at
  the loop. `ad/loopmasks.py` carries it into the body (yields, then the carried parameters'
  uses, to a fixed point) and to the loop's first value.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _check(f, x, want, *rest):
    """grad and jvp of the scalar ``f(x, *rest)`` at the 1-D `x` against `want`."""
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(x.copy(), *rest)
        _, t = srcad.jvp(
            f, (x.copy(), *rest), (np.cos(np.arange(len(x)) + 1.0),) + (None,) * len(rest)
        )
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        t, np.dot(want, np.cos(np.arange(len(x)) + 1.0)), rtol=1e-5, atol=1e-6
    )


# -- 1. np.nanmax / np.nanmin of a log with -inf entries -----------------------------------------


def nanmax_log(x):
    return np.nanmax(np.log(x))


def nanmin_neglog(x):
    return np.nanmin(-2.0 * np.log(x))


def nanmax_log_shifted(x):
    return np.nanmax(np.log(x - 0.5))  # (x = 0 gives NaN, x = 0.5 gives -inf)


def nanmax_rows(x):
    return np.sum(np.nanmax(np.log(x.reshape(2, 3)), axis=1) * np.array([1.0, 3.0]))


def nanmin_keepdims(x):
    return np.sum(np.nanmin(-np.sqrt(x.reshape(2, 3)), axis=0, keepdims=True))


X6 = np.array([1.0, 0.0, 4.0, 0.0, 2.0, 0.5])
CASES = [
    (nanmax_log, np.array([1.0, 0.0, 4.0]), np.array([0.0, 0.0, 0.25])),
    (nanmin_neglog, np.array([1.0, 0.0, 4.0]), np.array([0.0, 0.0, -0.5])),
    (nanmax_log_shifted, np.array([1.0, 0.0, 0.5, 4.0]), np.array([0.0, 0.0, 0.0, 1 / 3.5])),
    (nanmax_rows, X6, np.array([0.0, 0.0, 0.25, 0.0, 1.5, 0.0])),
    (nanmin_keepdims, X6, np.array([-0.5, 0.0, -0.25, 0.0, -0.5 / np.sqrt(2.0), 0.0])),
]


@pytest.mark.parametrize("f, x, want", CASES, ids=lambda a: getattr(a, "__name__", ""))
def test_nanmax_of_singular_values(f, x, want):
    """The entries nanmax/nanmin does not take are -inf (log 0) or roots at 0: their derivative
    is 0. Forward mode was right; the gradient was NaN there."""
    _check(f, x, want)
    away = x + 0.25 * (x == 0)  # (away from the singular points: central differences agree)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(srcad.grad(f)(away), _fd(f, away), rtol=1e-5, atol=1e-6)


def test_nanmax_hessian_of_singular_values():
    with np.errstate(all="ignore"):
        h = srcad.hessian(nanmax_log)(np.array([1.0, 0.0, 4.0]))
    np.testing.assert_allclose(h, np.diag([0.0, 0.0, -1 / 16]), atol=1e-12)


def test_nanmax_taking_the_singular_entry_keeps_it():
    """Where the extreme IS the singular entry the infinite derivative stays."""
    f = lambda x: np.nanmax(-np.log(x))  # noqa: E731
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(np.array([1.0, 0.0, 4.0]))
    assert np.isinf(g[1]) and g[0] == 0.0 and g[2] == 0.0


# -- 2. a product by a closure value or a parameter not differentiated (a mask with zeros) -------

MB = np.array([[True, False, True, True], [True, True, False, False], [False, True, True, True]])
P34 = np.random.default_rng(0).standard_normal((3, 4))


def _fd_nd(f, p, eps=1e-6):
    out = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        e = np.zeros_like(p)
        e[i] = eps
        out[i] = (f(p + e) - f(p - e)) / (2 * eps)
    return out


def _lse(z):
    m = np.max(z, axis=1, keepdims=True)
    return m[:, 0] + np.log(np.sum(np.exp(z - m), axis=1))


def lse_param(p, mask):
    from scipy.special import logsumexp

    return np.sum(logsumexp(np.log(np.exp(p) * mask), axis=1))


def lse_by_hand_param(p, mask):
    return np.sum(_lse(np.log(mask * np.exp(p))) * np.array([1.0, 0.5, 2.0]))


def where_log_param(p, mask):
    return np.sum(np.where(mask, np.log(np.exp(p) * mask), 0.0) ** 2)


def sqrt_param(p, mask):
    return np.sum(np.sqrt(p**2 * mask) * np.cos(p))


def _closure(mask):
    def lse_closure(p):
        from scipy.special import logsumexp

        return logsumexp(np.log(np.exp(p) * mask))

    def sqrt_closure(p):
        return np.sum(np.sqrt(mask * p**2 + 0.0) * np.sin(p))

    return lse_closure, sqrt_closure


@pytest.mark.parametrize(
    "f", [lse_param, lse_by_hand_param, where_log_param, sqrt_param], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("kind", [float, bool])
def test_product_by_fixed_parameter_feeding_singular_op(f, kind):
    """``u * mask`` with `mask` an argument not differentiated (wrt=0): the tangent of `u` times 0
    met the log's infinite derivative (NaN in both modes, and in the Hessian); the value there is
    the same for every `u`, its derivative 0. Session 35 fixed a global `mask` only."""
    pytest.importorskip("scipy")
    mask = MB.astype(kind)
    g1 = lambda p: f(p, mask)  # noqa: E731
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(P34.copy(), mask)
        want = _fd_nd(g1, P34)
        _, t = srcad.jvp(f, (P34.copy(), mask), (np.cos(P34), None))
        h = srcad.hessian(f)(P34.copy(), mask)
        hw = _fd_nd(lambda p: srcad.grad(f)(p, mask).ravel() @ np.cos(P34).ravel(), P34)
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(t, np.sum(want * np.cos(P34)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.tensordot(h, np.cos(P34)), hw, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("k", [0, 1])
def test_product_by_closure_mask_feeding_singular_op(k):
    pytest.importorskip("scipy")
    f = _closure(MB.astype(float))[k]
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(P34.copy())
        want = _fd_nd(f, P34)
        _, t = srcad.jvp(f, (P34.copy(),), (np.cos(P34),))
        h = srcad.hessian(f)(P34.copy())
        hw = _fd_nd(lambda p: srcad.grad(f)(p).ravel() @ np.cos(P34).ravel(), P34)
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(t, np.sum(want * np.cos(P34)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.tensordot(h, np.cos(P34)), hw, rtol=1e-4, atol=1e-5)


def test_product_by_parameter_differentiated_later_is_no_mask():
    """The mask is exact only while the parameter is constant: a level differentiating it (the
    mixed derivative d/dm of grad_x) keeps the unmasked form (sqrt(x m)'s is infinite at m = 0)."""
    f = lambda x, m: np.sum(np.sqrt(np.exp(x) * m))  # noqa: E731
    x, m = np.array([0.1, 0.2, 0.3]), np.array([1.0, 0.0, 1.0])
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(srcad.grad(f)(x, m), [np.exp(0.05) / 2, 0.0, np.exp(0.15) / 2])
        j = srcad.jacfwd(srcad.grad(f, wrt=0), wrt=1)(x, m)
        g2 = srcad.grad(lambda x, m: np.sum(srcad.grad(f, wrt=0)(x, m)), wrt=1)(x, m)
    assert not np.isfinite(j[1, 1]) and not np.isfinite(g2[1])


def test_product_by_parameter_where_used_keeps_nan():
    """Where the masked product IS used (log 0 read as -inf), its derivative stays what it was."""
    f = lambda x, m: np.sum(np.log(np.exp(x) * m) ** 2)  # noqa: E731
    x, m = np.array([0.1, 0.2, 0.3]), np.array([1.0, 0.0, 1.0])
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(x, m)
    np.testing.assert_allclose(g[[0, 2]], [0.2, 0.6])


# -- 3. writes over singular entries: np.put / np.place, in a loop, in an if ---------------------

X4 = np.array([1.0, 0.0, 4.0, 0.0])
W4 = np.array([0.5, 0.0, 0.25, 0.0])  # d/dx sum(sqrt(x)) with entries 1 and 3 overwritten


def put_list(x):
    r = np.sqrt(x)
    np.put(r, [1, 3], 0.0)
    return np.sum(r)


def put_method(x):
    r = np.sqrt(x)
    r.put([1, -1], 2.0, mode="wrap")
    return np.sum(r)


def place_mask(x):
    r = np.sqrt(x)
    np.place(r, x == 0, [7.0])
    return np.sum(r)


def put_along(x):
    r = np.sqrt(x).reshape(2, 2)
    np.put_along_axis(r, np.array([[1], [1]]), 0.0, axis=1)
    return np.sum(r)


def loop_over_list(x):
    r = np.sqrt(x)
    for i in [1, 3]:
        r[i] = 1.0
    return np.sum(r)


def loop_over_range(x):
    r = np.sqrt(x)
    for i in range(1, 4, 2):
        r[i] = x[i] * 0.0
    return np.sum(r)


def loop_over_index_array(x):
    r = 1.0 / x
    idx = np.array([1, 3])
    for k in range(len(idx)):
        r[idx[k]] = 0.0
    return np.sum(r * np.array([1.0, 2.0, 0.5, 3.0]))


def if_write(x):
    r = np.sqrt(x)
    if x[0] > 0:
        r[[1, 3]] = 0.0
    return np.sum(r)


WRITES = [
    (put_list, X4, W4),
    (put_method, X4, W4),
    (place_mask, X4, W4),
    (put_along, X4, W4),
    (loop_over_list, X4, W4),
    (loop_over_range, X4, W4),
    (loop_over_index_array, np.array([2.0, 0.0, 4.0, 0.0]), np.array([-0.25, 0.0, -1 / 32, 0.0])),
    (if_write, X4, W4),
]


@pytest.mark.parametrize("f, x, want", WRITES, ids=lambda a: getattr(a, "__name__", ""))
def test_write_over_singular_entries(f, x, want):
    """The overwritten entries' zero cotangent times the root's (or 1/x's) infinite local
    derivative was NaN in reverse mode (forward mode right); session 35 masked straight-line
    ``r[idx] = v`` only. Now np.put/np.place/np.put_along_axis, a ``for`` loop (no break) that
    only overwrites `r` at its counter or ``L[counter]``, and a write in an ``if`` are masked."""
    _check(f, x, want)
    away = x + 0.25 * (x == 0)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(srcad.grad(f)(away), _fd(f, away), rtol=1e-5, atol=1e-6)


def test_write_over_singular_entries_hessian():
    def f(x):
        r = np.sqrt(x) * x
        for i in [1, 3]:
            r[i] = 1.0
        np.put(r, [0], r[0] * 2.0)
        return np.sum(r)

    with np.errstate(all="ignore"):
        h = srcad.hessian(f)(X4.copy())
    np.testing.assert_allclose(h, np.diag([1.5, 0.0, 0.375, 0.0]), atol=1e-12)


def loop_writes_some(x):
    r = np.sqrt(x)
    for i in [1, 2]:
        r[i] = 1.0
    return np.sum(r)


def loop_reads_then_writes(x):
    r = np.sqrt(x)
    s = 0.0
    for i in [1, 2]:
        s = s + r[i]
        r[i] = 0.0
    return np.sum(r) + s


def loop_breaks(x):
    r = np.sqrt(x)
    for i in [1, 3]:
        if x[i] < 0.5:  # (breaks before its first write: nothing replaced; nan37's record)
            break
        r[i] = 1.0
    return np.sum(r)


def put_nothing(x):
    r = np.sqrt(x)
    np.put(r, [1], [])
    return np.sum(r)


def if_not_taken(x):
    r = np.sqrt(x)
    if x[0] > 2:
        r[[1, 3]] = 0.0
    return np.sum(r)


@pytest.mark.parametrize(
    "f, kept",
    [(loop_writes_some, [3]), (loop_reads_then_writes, [1, 3]), (loop_breaks, [1, 3]),
     (put_nothing, [1, 3]), (if_not_taken, [1, 3])],
    ids=lambda a: getattr(a, "__name__", ""),
)  # fmt: skip
def test_write_mask_keeps_entries_not_overwritten(f, kept):
    """An entry no write replaces (or read before it is replaced) keeps its infinite derivative
    (a loop with a break, an empty `v` for np.put, an if not taken are not masked)."""
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(X4.copy())
    assert not np.any(np.isfinite(g[kept])), g
    np.testing.assert_allclose(g[[0, 2]], [0.5, 0.25 * (f is not loop_writes_some)], atol=1e-12)


# -- 4. np.choose / np.interp of singular values that are not selected -----------------------------

XP = np.array([0.0, 1.0, 2.0, 3.0])
X0 = np.array([0.0, 1.0, 4.0, 0.0])


def choose_roots(x):
    return np.sum(np.choose(np.array([1, 1, 0, 1]), [np.sqrt(x), 2.0 * x]))


def choose_wrap(x):
    return np.sum(np.choose(np.array([3, 1, 2, -1]), [np.log(x), x, x**2], mode="wrap"))


def choose_clip_broadcast(x):
    pick = np.array([[5], [1]])  # (2, 1) against (4,): choice 1 (5 clipped) in both rows
    return np.sum(np.choose(pick, (1.0 / x, x), mode="clip"))


def interp_roots(x):
    return np.interp(1.5, XP, np.sqrt(x))


def interp_many(x):
    return np.sum(np.interp(np.array([1.5, 1.25, 2.5]), XP, np.log(x), left=0.0))


CHOICES = [
    (choose_roots, X4, np.array([2.0, 2.0, 0.25, 2.0])),
    (choose_wrap, np.array([2.0, 0.0, 3.0, 0.0]), np.array([0.5, 1.0, 6.0, 0.0])),
    (choose_clip_broadcast, X4, np.full(4, 2.0)),
    (interp_roots, X0, np.array([0.0, 0.25, 0.125, 0.0])),
    (interp_many, np.array([0.0, 1.0, 4.0, 2.0]), np.array([0.0, 1.25, 0.3125, 0.25])),
]


@pytest.mark.parametrize("f, x, want", CHOICES, ids=lambda a: getattr(a, "__name__", ""))
def test_choose_interp_of_unselected_singular_values(f, x, want):
    """The entries np.choose does not pick, and the breakpoints no x is near in np.interp, get
    an exact 0 from the rule, which the root's/log's/1/x's infinite local derivative made NaN
    (reverse mode; forward mode right)."""
    _check(f, x, want)
    away = x + 0.25 * (x == 0)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(srcad.grad(f)(away), _fd(f, away), rtol=1e-5, atol=1e-6)
        h = srcad.hessian(f)(x.copy())
    assert np.all(np.isfinite(h)), h


def test_choose_interp_selected_singular_values_stay():
    """A picked singular entry, or a breakpoint next to an x (on a knot too), keeps its
    infinite or NaN derivative."""
    with np.errstate(all="ignore"):
        g1 = srcad.grad(choose_roots)(np.array([1.0, 0.0, 0.0, 4.0]))
        g2 = srcad.grad(lambda x: np.interp(0.5, XP, np.sqrt(x)))(X0.copy())
        g3 = srcad.grad(lambda x: np.interp(1.0, XP, np.sqrt(x)))(X0.copy())
    assert np.isinf(g1[2]) and np.isfinite(g1[[0, 1, 3]]).all()
    assert np.isinf(g2[0]) and np.isfinite(g2[1:]).all()
    # (x fixed on knot 1: NumPy returns fp[1] there, so fp[0]'s weight is 0 at every order;
    # nan37's `condmasks.interp_weights`; a varied x keeps the neighbours: test_nan37)
    assert g3[0] == 0.0 and np.isfinite(g3[1:]).all()


# -- 5. a where after a loop that carries a singular value ---------------------------------------

X3 = np.array([0.0, 1.0, 4.0])


def root_then_loop(x):
    v = np.sqrt(x)
    for _ in range(2):
        v = v * 2.0
    return np.sum(np.where(x > 0, v, 0.0))


def root_in_loop(x):
    v = x * 1.0
    for _ in range(2):
        v = np.sqrt(v + 0.0)
    return np.sum(np.where(x > 0, v * x, 0.0))


def log_in_loop_with_break(x, n):
    v = x * 1.0
    for i in range(5):
        if i >= n:
            break
        v = np.log(v + 1.0) + np.sqrt(x)
    return np.sum(np.where(x > 0, v, x))


def two_carries(x):
    a, b = 1.0 / x, x * 1.0
    for _ in range(2):
        a, b = a * 0.5, b + a
    return np.sum(np.where(x > 0, a + b, 0.0))


LOOPS = [
    (root_then_loop, (), np.array([0.0, 2.0, 1.0])),
    (root_in_loop, (), np.array([0.0, 1.25, 4**0.25 * 1.25])),
    (log_in_loop_with_break, (2,), None),
    (two_carries, (), None),
]


@pytest.mark.parametrize("f, rest, want", LOOPS, ids=lambda a: getattr(a, "__name__", ""))
def test_where_after_loop_carrying_singular_value(f, rest, want):
    """``np.where(x > 0, v, ..)`` after a loop that carries `v` made by a root, log or 1/x (before
    the loop or in its body): the reverse sweep multiplied the where's exact 0 by the singular
    op's infinite derivative at x = 0 (NaN). The where's mask now passes into the loop body (its
    yields, then the carried parameters' uses, to a fixed point) and to the first value."""
    g1 = lambda x: f(x, *rest)  # noqa: E731
    if want is None:  # (x = 0 gives nothing; elsewhere central differences)
        with np.errstate(all="ignore"):
            want = _fd(g1, X3 + np.array([1.0, 0.0, 0.0]))
        want[0] = 1.0 if f is log_in_loop_with_break else 0.0  # (the other side: `x`)
    _check(f, X3, want, *rest)
    away = X3 + 0.25 * (X3 == 0)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(srcad.grad(f)(away, *rest), _fd(g1, away), rtol=1e-5, atol=1e-6)
        h = srcad.hessian(f)(away, *rest)
        hw = np.array([_fd(lambda y, k=k: srcad.grad(f)(y, *rest)[k], away) for k in range(3)])
    np.testing.assert_allclose(h, hw, rtol=1e-4, atol=1e-5)


def roll_in_loop(x):
    v = np.sqrt(x)
    for _ in range(2):
        v = np.roll(v, 1)
    return np.sum(np.where(x > 0, v, 0.0))


def also_summed_in_loop(x):
    v = np.sqrt(x)
    t = 0.0
    for _ in range(2):
        t = t + np.sum(v)
        v = v * 2.0
    return np.sum(np.where(x > 0, v, 0.0)) + t


@pytest.mark.parametrize("f", [roll_in_loop, also_summed_in_loop], ids=lambda f: f.__name__)
def test_loop_carried_singular_value_used_stays_infinite(f):
    """Where the root at 0 IS read (moved by the loop into a kept position, or summed in the
    body), its infinite derivative stays."""
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(X3.copy())
    assert np.isinf(g[0]) and np.isfinite(g[1:]).all(), g
