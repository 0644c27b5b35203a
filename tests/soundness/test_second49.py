"""Session 49 (second49): roots of variances whose receiver is a user object, NaN gradients
where the objective is finite, and second derivatives at a root's 0 that are provably finite.

``np.sqrt(s.var())`` was rewritten ``s.std()`` whatever `s` is (passes/stdroots.py): a user
class with ``var`` but no ``std`` raised AttributeError, and one with its own ``std`` ran that
instead; now the receiver's kind decides (arrays keep the std's checks)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

_K = np.full(3, 0.7)  # (constant data: np.var is 1.2e-32 there, not 0)
_X = np.array([1.0, 2.0, 3.5])


class Moments:
    def __init__(self, a):
        self.a = a

    def var(self):
        return np.sum(self.a**2)


class Both(Moments):
    def std(self):
        return 100.0 * np.sum(self.a)


def _mat(r):
    return (1 + r) * np.exp(-r)


def user_var_root(x):
    return np.sqrt(Moments(x).var())


def user_var_and_std(x):
    return np.sqrt(Both(x).var())


def _sd(v):
    return np.sqrt(v.var())


def helper_var_root_kernel(x):
    return _mat(_sd(x))


def listed_user_var_root(x):
    objs = [Moments(x)]
    return np.sqrt(objs[0].var())


def unknown_var_root(x, objs):
    return np.sqrt(objs[0].var()) * x[0]


def listed_array_var_root(x):
    xs = [x, x]
    return np.sqrt(xs[0].var())


@pytest.mark.parametrize("f", [user_var_root, user_var_and_std], ids=lambda f: f.__name__)
def test_user_var_root_is_the_users(f):
    """AttributeError (no ``std``) or the user's ``std`` (100 sum(x)) before."""
    want = _X / np.sqrt(np.sum(_X**2))
    np.testing.assert_allclose(srcad.grad(f)(_X), want, rtol=1e-12)
    val, _ = srcad.value_and_grad(f)(_X)
    assert val == pytest.approx(np.sqrt(np.sum(_X**2)))
    assert srcad.jvp(f, (_X,), (_X,))[0] == pytest.approx(np.sqrt(np.sum(_X**2)))
    check_grads(f, (_X,), order=2)


def test_listed_user_var_roots():
    """An item of a list made here is known; one of a list argument is not: refused when it
    runs (its ``var`` is no NumPy rule), not AttributeError; an array there keeps the std."""
    want = _X / np.sqrt(np.sum(_X**2))
    np.testing.assert_allclose(srcad.grad(listed_user_var_root)(_X), want, rtol=1e-12)
    # (the list's items' classes are in the cache key since session 51, hunt51b: the user's
    # ``var`` is called, as Python does; it was refused when it ran)
    v = np.array([0.3, -0.2, 0.7])
    fd = (
        unknown_var_root(_X + 1e-6 * v, [Moments(_X)])
        - unknown_var_root(_X - 1e-6 * v, [Moments(_X)])
    ) / 2e-6
    np.testing.assert_allclose(srcad.grad(unknown_var_root)(_X, [Moments(_X)]) @ v, fd, rtol=1e-6)
    want = np.array([np.std(_X), 0.0, 0.0])
    np.testing.assert_allclose(srcad.grad(unknown_var_root)(_X, [_X]), want, rtol=1e-12)


def test_array_var_roots_keep_the_std():
    """Arrays (a helper's parameter, a list item) keep np.std's rules: the subgradient 0 at
    constant data, and second orders there refused (session 48: -0.122 (1, 1, 1))."""
    np.testing.assert_array_equal(srcad.grad(listed_array_var_root)(_K.copy()), np.zeros(3))
    with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
        srcad.hessian(helper_var_root_kernel)(_K.copy())
    check_grads(helper_var_root_kernel, (_X,), order=2)


# --- NaN gradients where the objective is finite: the zero cotangent of a NaN position met a
# local derivative that is NaN there (``0 * nan``) ---

_Y = np.array([[np.nan, 1.0, 2.0], [0.4, np.nan, 0.3], [1.0, 2.0, -1.0]])
_W = np.array([0.7, -1.2, 0.9])


def observed_squares(w):
    return np.sum((_Y * w)[~np.isnan(_Y)] ** 2)


def five_nan_uses(w):
    z = _Y * w
    s = np.nansum(z) + np.nanmean(z**2) + np.nanmax(z) + np.nanmin(z)
    return s + np.sum(np.where(np.isnan(z), 0.0, z))


def _nanmean_exp(z):
    return np.nanmean(np.exp(z))


def helper_nanmean_exp(w):
    return _nanmean_exp(_Y * w)


def _fd(f, w, h=1e-6):
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(w.size)])


@pytest.mark.parametrize(
    "f", [observed_squares, five_nan_uses, helper_nanmean_exp], ids=lambda f: f.__name__
)
def test_nan_data_gradient_finite(f):
    """Before: NaN in the first two entries (a product with NaN data read only where it is
    not NaN; five masked uses, one more than the masks kept; nanmean of exp in a helper)."""
    assert np.isfinite(f(_W))
    g = srcad.grad(f)(_W)
    np.testing.assert_allclose(g, _fd(f, _W), rtol=1e-6, atol=1e-8)
    _, vg = srcad.value_and_grad(f)(_W)
    np.testing.assert_array_equal(vg, g)


# --- second orders at a magnitude's 0 that the result does not reach, or only at entries that
# are not 0: refused before; the true Hessians are finite ---

_Z = np.array([0.0, 0.0, 0.5])  # (the hypot's and norm's operands at 0)
_V = np.array([0.3, 0.4, 0.5])


def hypot_where(x, flag):
    return np.where(flag, x[2] ** 2, np.hypot(x[0], x[1]))


def norm_where(x, flag):
    return np.where(flag, x[2] ** 2, np.linalg.norm(x[:2]))


def hypot_where_entries(x, flags):
    return np.sum(np.where(flags, x**2, np.hypot(x, 0.0 * x)))


def carried_abs(x):
    n = np.abs(x)
    s = 0.0
    for _ in range(2):
        s = s + n[0] ** 2
        n = n * 2
    return s


def carried_abs_rolled(x):
    n = np.abs(x)
    s = 0.0
    for _ in range(2):
        s = s + n[0] ** 2
        n = np.roll(n, 1)
    return s


def _second_orders(f, x, *args):
    def g(z):
        return f(z, *args)

    def jv(y):
        return srcad.jvp(g, (y,), (_V,))[1]

    def gv(y):
        return np.sum(srcad.grad(g)(y) * _V)

    return {
        "hessian": lambda: srcad.hessian(g)(x),
        "hvp": lambda: srcad.hvp(g, (x,), (_V,))[1],
        "rev_rev": lambda: srcad.grad(gv)(x),
        "rev_fwd": lambda: srcad.grad(jv)(x),
    }


_STILL = {  # (the same at a point where the result reads the magnitude at 0: still refused)
    hypot_where: (hypot_where, _Z, (False,)),
    norm_where: (norm_where, _Z, (False,)),
    hypot_where_entries: (
        hypot_where_entries, np.array([0.0, 0.5, -0.3]), (np.array([False, True, True]),)
    ),
}  # fmt: skip

_FIXED = [
    (hypot_where, _Z, (True,), np.diag([0.0, 0.0, 2.0])),
    (norm_where, _Z, (True,), np.diag([0.0, 0.0, 2.0])),
    (hypot_where_entries, np.array([0.0, 0.5, -0.3]), (np.array([True, False, False]),),
     np.diag([2.0, 0.0, 0.0])),
]  # fmt: skip


@pytest.mark.parametrize("f, x, args, hess", _FIXED, ids=lambda v: getattr(v, "__name__", ""))
def test_magnitude_at_0_unused_accepted(f, x, args, hess):
    """A hypot or norm at 0 that a fixed ``np.where`` flag drops (np.where's masks), and a
    loop-carried ``np.abs(x)`` read only at an entry that is not 0: exact, not refused; where
    the result reads it (or the carry's entries move), still refused (a cone: no Hessian)."""
    for how, run in _second_orders(f, x, *args).items():
        want = hess if how == "hessian" else hess @ _V
        if how == "rev_fwd":  # (still refused: the jvp's own checks)
            try:
                got = run()
            except srcad.SrcadError:
                continue
        else:
            got = run()
        np.testing.assert_allclose(got, want, atol=1e-12, err_msg=how)
    g, y, more = _STILL[f]
    for how in ("hessian", "hvp"):
        with pytest.raises(srcad.SrcadError, match="at 0|zero vector"):
            _second_orders(g, y, *more)[how]()


_C = np.array([0.3, -0.2, 0.5])


def norm_cubed(x):
    return np.linalg.norm(x - _C) ** 3


def root_cubed(x):
    return np.sqrt(np.sum((x - _C) ** 2)) ** 3


def hypot_cubed(x):
    return np.hypot(x[0] - 0.3, x[1] + 0.2) ** 3 + x[2]


def root_pow_2_5(x):
    return np.sqrt(np.sum((x - _C) ** 2)) ** 2.5


def root_pow_1_5(x):
    return np.sqrt(np.sum((x - _C) ** 2)) ** 1.5


def norm_cubed_and_norm(x):
    r = np.linalg.norm(x - _C)
    return r**3 + r


@pytest.mark.parametrize(
    "f", [norm_cubed, root_cubed, hypot_cubed, root_pow_2_5], ids=lambda f: f.__name__
)
def test_magnitude_high_power_at_0(f):
    """``m ** p``, ``p > 2``, of a magnitude at its 0: C2 with a zero Hessian (``p (p-1)
    m ** (p-2)`` and ``p m ** (p-1) / m`` vanish), which the chain rule through the
    subgradient gives; refused before in every mode. (Grad of a jvp of a norm or hypot stays
    refused by their jvp rules' own checks.)"""
    for how, run in _second_orders(f, _C.copy()).items():
        try:
            got = run()
        except srcad.SrcadError:
            assert how == "rev_fwd" and f in (norm_cubed, hypot_cubed), how
            continue
        np.testing.assert_array_equal(got, np.zeros((3, 3) if how == "hessian" else 3))
    check_grads(f, (_C + np.array([0.01, -0.02, 0.015]),), order=2)


@pytest.mark.parametrize("f", [root_pow_1_5, norm_cubed_and_norm], ids=lambda f: f.__name__)
def test_magnitude_low_power_at_0_refused(f):
    """``m ** 1.5`` (no Hessian at 0), ``m ** 3 + m`` (a cone): still refused."""
    for run in _second_orders(f, _C.copy()).values():
        with pytest.raises(srcad.SrcadError, match="at 0|zero vector"):
            run()


@pytest.mark.parametrize("f", [carried_abs, carried_abs_rolled], ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [[0.0, 0.3, 0.0], [0.3, 0.0, 0.0]], ids=["x0_zero", "x0_nonzero"])
def test_carried_abs_exact_or_refused(f, x):
    """A loop carry starting as ``np.abs(x)`` read by a square (``5 x0 ** 2`` here): every
    second-order mode either refuses or gives ``diag(10, 0, 0)``. Reverse over reverse at
    ``x0 == 0`` gave 0 (the square's check sat before ``abs_vjp``'s ``sign(0)``); the abs is now
    checked itself (ad/abscheck.py), which also refuses where an entry the square does not read
    is 0 and moves (a spurious refusal kept over a wrong value)."""
    x = np.array(x)
    hess = np.diag([10.0, 0.0, 0.0])
    for how, run in _second_orders(f, x).items():
        try:
            got = run()
        except srcad.SrcadError:
            continue
        np.testing.assert_allclose(got, hess if how == "hessian" else hess @ _V, atol=1e-12)
