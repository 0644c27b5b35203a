"""Session 50's adversarial review of session 49's second-order code (ad/abscheck.py and the NaN
masks). ``(1 + np.abs(x)) ** 3`` (and ``** 2.5``, ``** 4``, ``math.pow``, ``np.float_power``,
``(np.sum(np.abs(x)) + 1) ** 3``) gave a Hessian of 0 at ``x == 0``, where the slope jumps from
-3 to 3 (no second derivative): a power ``p > 2`` is smooth at the magnitude's 0 only of the
magnitude itself (``np.abs(x) ** 3``), now refused otherwise. ``np.sign(x) * d`` of a ``d`` that
is not the same SSA value as `x` (``d = x - 0.0``) was not seen as a magnitude: ``np.exp(-(np.sign(x)
* d))`` gave 0, now refused. And second derivatives over data with a NaN, through NaN-skipping
reductions (nansum of a hypot, of ``|d| ** 1.5``, of a logaddexp; nanvar, nanstd, nanmedian): NaN
in reverse over reverse and reverse over forward where the Hessian is finite."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

_V = np.array([0.6, -0.3, 0.8])
_OFF = np.array([0.1, 0.2, -0.3])
_Z = np.zeros(3)


def cube_shift_float(x):
    return np.sum((1 + np.abs(x)) ** 3.0)


def pow_25_shift(x):
    return np.sum((1 + np.abs(x)) ** 2.5)


def cube_minus(x):
    return np.sum((np.abs(x) - 1.0) ** 3)


def fourth_shift(x):
    return np.sum((np.abs(x) + 1.0) ** 4)


def cube_loop(x):
    s = 0.0
    for v in x:
        s += (abs(v) + 1.0) ** 3
    return s


def math_pow_loop(x):
    s = 0.0
    for v in x:
        s += math.pow(math.fabs(v) + 1.0, 3)
    return s


def float_power(x):
    return np.sum(np.float_power(np.abs(x) + 1.0, 3))


def np_power(x):
    return np.sum(np.power(np.abs(x) + 1.0, 3))


def cube_of_sum(x):
    return (np.sum(np.abs(x)) + 1.0) ** 3


def sign_times_copy(x):
    d = x - 0.0
    return np.sum(np.exp(-(np.sign(x) * d)))


def sign_pieces(x):
    s = np.sign(x)
    y = x * 1.0
    r = y * s
    return np.sum((1 + r) * np.exp(-r))


WRONG = [
    cube_shift_float, pow_25_shift, cube_minus, fourth_shift, cube_loop, math_pow_loop,
    float_power, np_power, cube_of_sum, sign_times_copy, sign_pieces,
]  # fmt: skip


def _hessian(f, x):
    return srcad.hessian(f)(x.copy()) @ _V


def _hvp(f, x):
    return srcad.hvp(f, (x.copy(),), (_V,))[1]


def _grad_grad(f, x):
    def inner(y):
        return np.sum(srcad.grad(f)(y) * _V)

    return srcad.grad(inner)(x.copy())


def _grad_jvp(f, x):
    def inner(y):
        return srcad.jvp(f, (y,), (_V,))[1]

    return srcad.grad(inner)(x.copy())


def _jvp_grad(f, x):
    return srcad.jvp(srcad.grad(f), (x.copy(),), (_V,))[1]


MODES = [_hessian, _hvp, _grad_grad, _grad_jvp, _jvp_grad]
_IDS = [m.__name__[1:] for m in MODES]


def _fd_hv(f, x, v, h=1e-5):
    g = srcad.grad(f)
    return (g(x + h * v) - g(x - h * v)) / (2 * h)


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
@pytest.mark.parametrize("f", WRONG, ids=[f.__name__ for f in WRONG])
def test_at_zero_refused(f, mode):
    """These gave 0 at x = 0, where the gradient jumps (central differences of it grow as 1/h)
    or, for sign_pieces, where the Hessian is -1 per entry."""
    with pytest.raises(srcad.SrcadError, match="at 0"):
        mode(f, _Z)


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
@pytest.mark.parametrize("f", WRONG, ids=[f.__name__ for f in WRONG])
def test_away_from_zero_right(f, mode):
    x = _Z + _OFF
    np.testing.assert_allclose(mode(f, x), _fd_hv(f, x, _V), rtol=1e-5, atol=1e-6)


def cube_of_abs(x):
    return np.sum(np.abs(x) ** 3) + np.sum((2.0 * np.abs(x)) ** 3)


def lasso_sign(x):
    return np.sum((x - 0.3) ** 2) + 0.5 * np.sum(np.sign(x) * x)


_KEPT = [(cube_of_abs, 0.0 * _V), (lasso_sign, 2.0 * _V)]


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
@pytest.mark.parametrize("f, want", _KEPT, ids=["cube_of_abs", "lasso_sign"])
def test_still_accepted_at_zero(f, want, mode):
    """|x| ** 3 is C2 at 0 (Hessian 0); an L1 term written sign(x) * x is read linearly (the
    Hessian of its quadratic part: 2 I)."""
    np.testing.assert_allclose(mode(f, _Z), want, atol=1e-12)


# NaN-skipping reductions of data with a NaN, differentiated twice: reverse over reverse and
# reverse over forward gave NaN (finite Hessians): the first sweep's masks (``np.where(sel, ..)``)
# did not reach through rules/root_at0.py's checks (a hypot's, an abs's), through the NaN-skipping
# reductions' derivative helpers (nanvar_vjp, nanvar_jvp, quantile_vjp/jvp, the std checks), and
# a logaddexp's weight and an abs's tangent were not known to be numbers (a ``+`` of them might
# have concatenated lists, so no mask followed it)
_Y = np.array([0.5, np.nan, -0.3, 1.2])
_W = np.array([0.7, -0.4])
_VW = np.array([0.6, -0.4])


def ns_hypot(w):
    return np.nansum(np.hypot(_Y - w[0], w[1]))


def ns_abs15(w):
    return np.nansum(np.abs(_Y - w[0]) ** 1.5 * w[1])


def ns_logaddexp(w):
    return np.nansum(np.logaddexp(_Y * w[0], w[1]))


def ns_var(w):
    return np.nanvar(_Y * w[0] + w[1] ** 2)


def ns_std(w):
    return np.nanstd(_Y * w[0] + w[1] * _Y**2)


def ns_median(w):
    return np.nanmedian(_Y * w[0] + w[1] ** 2) ** 2


NANS = [ns_hypot, ns_abs15, ns_logaddexp, ns_var, ns_std, ns_median]


def _grad_grad_w(f):
    def inner(y):
        return np.sum(srcad.grad(f)(y) * _VW)

    return srcad.grad(inner)(_W.copy())


def _grad_jvp_w(f):
    def inner(y):
        return srcad.jvp(f, (y,), (_VW,))[1]

    return srcad.grad(inner)(_W.copy())


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("mode", [_grad_grad_w, _grad_jvp_w], ids=["grad_grad", "grad_jvp"])
@pytest.mark.parametrize("f", NANS, ids=[f.__name__ for f in NANS])
def test_nan_data_second_order_finite(f, mode):
    np.testing.assert_allclose(mode(f), _fd_hv(f, _W, _VW), rtol=1e-5, atol=1e-7)


def root_var_then_augmented(x0):
    a1 = x0 * np.sqrt(np.var(x0))
    h = np.outer(a1, a1)
    acc = np.zeros((3, 3))
    acc[:, :2] += h[:, :3] @ h[:3, :2]
    return np.sum(acc)


def test_primal_round_trip_augmented_after_root_of_var():
    """srcad.primal raised ValueError (non-broadcastable output operand) where Python answers:
    the driver mapped the ``op=`` ops to the primal's clone by walk order after
    passes/stdroots.py's restore had changed the clone, so the matmul before ``acc[:, :2] +=``
    was cast as the in-place op (``inplace_cast(h[:, :3] @ .., h[:, :3], 'matmul')``)."""
    x = np.array([-1.4325, -0.3036, -0.3129])
    got = srcad.primal(root_var_then_augmented)(x)
    assert got == pytest.approx(root_var_then_augmented(x), rel=1e-14)


_C = np.array([0.3, -0.2, 0.5])


def _mat1(r):
    return (1 + r) * math.exp(-r)


def root_two_loops(x):
    d = 0.0
    for v in x - _C:
        d += v * v
    e = 0.0
    for v in x - _C:
        e += v * v
    return _mat1(math.sqrt(d + e))


def root_loop_plus_square(x):
    d = 0.0
    for v in (x - _C)[:2]:
        d += v * v
    return _mat1(math.sqrt(d + (x[2] - _C[2]) ** 2))


def root_gen_plus_loop(x):
    d = 0.0
    for v in (x - _C)[:2]:
        d += v * v
    return _mat1(math.sqrt(sum(v * v for v in (x - _C)[2:]) + d))


ROOTS = [root_two_loops, root_loop_plus_square, root_gen_plus_loop]


@pytest.mark.parametrize("f", ROOTS, ids=[f.__name__ for f in ROOTS])
def test_root_of_loop_sums_grad_grad_refused(f):
    """Reverse over reverse of a smooth function of the root of a sum two loops (or a loop and
    a square) accumulate gave 0 at its centre (the Hessian there: -1 times the direction's
    weights); the other modes refused (ad/rootcheck.py's `_loop_squares` saw one loop only)."""
    with pytest.raises(srcad.SrcadError, match="at 0"):
        _grad_grad(f, _C)


@pytest.mark.parametrize("f", ROOTS, ids=[f.__name__ for f in ROOTS])
def test_root_of_loop_sums_away_right(f):
    x = _C + _OFF
    np.testing.assert_allclose(_grad_grad(f, x), _fd_hv(f, x, _V), rtol=1e-5, atol=1e-6)


_Y3 = np.array([np.nan, 0.4, 1.543])


def skip_nan_items(x):
    t = 0.0
    for k in range(3):
        v = _Y3[k] * x[1]
        if np.isnan(v):
            continue
        t = t + np.cos(v) * v
    return x[0] * t


def test_loop_skipping_nan_items_gradient_finite():
    """``v = Y[k] * w`` skipped by ``if np.isnan(v): continue`` gave a NaN gradient (0 * Y[k] in
    the skipped iteration): an item of data is data for ad/branchmasks.py's products."""
    x = np.array([0.7, -0.4])
    h = 1e-6
    fd = [(skip_nan_items(x + h * e) - skip_nan_items(x - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(srcad.grad(skip_nan_items)(x), fd, rtol=1e-6, atol=1e-8)
