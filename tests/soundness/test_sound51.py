"""Session 51's second-order review (sound51): kinks that tie at one point, and the primal of a
derivative called inside on a function that updates its argument.

Two kinks at the same point whose one-sided choices there differ (``np.maximum(x, 0)`` and
``np.maximum(-x, 0)``: each splits its slope; ``np.where(x > 0, ...)`` and ``np.where(x < 0,
...)``: one takes the side ``x < 0``, the other ``x > 0``) gave wrong Hessians at ``x == 0`` in
every second-order mode: ``sum(max(x, 0) ** 2 + max(-x, 0) ** 2)`` (``x ** 2``) 1 per entry (true
2); ``(1 + r) * exp(-r)`` and ``cos(r)`` of ``r = relu(x) + relu(-x)`` (``|x|``) 0 (true -1).
They are refused at the tie now (ad/kinkpairs.py); one kink (a ReLU network), kinks at one point
that take one side (``x >= 0`` with ``x < 0``), and kinks read linearly keep their values.

``srcad.primal`` of ``srcad.jacfwd(f)(v, s)`` / jacrev / hessian / ``srcad.vjp(f, v, s)`` inside
a function, with ``f`` updating ``v`` in place, updated ``v`` once per Jacobian column (and the
pullback once more), each column at the updated ``v``: 24.558 where Python gives 3.624.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

_V = np.array([0.6, -0.3, 0.8])
_X0 = np.array([0.0, 0.4, -0.9])  # (a tie at the first entry)
_XA = np.array([0.3, 0.4, -0.9])  # (no tie)


def relu(z):
    return np.maximum(z, 0)


def max_squares(x):
    return np.sum(np.maximum(x, 0) ** 2 + np.maximum(-x, 0) ** 2)


def relu_helper_abs_exp(x):
    r = relu(x) + relu(-x)
    return np.sum((1 + r) * np.exp(-r))


def max_min_abs_exp(x):
    r = np.maximum(x, 0) - np.minimum(x, 0)
    return np.sum((1 + r) * np.exp(-r))


def mask_abs_exp(x):
    r = x * (x > 0) - x * (x < 0)
    return np.sum((1 + r) * np.exp(-r))


def relu_helper_cos(x):
    return np.sum(np.cos(relu(x) + relu(-x)))


def relu_helper_squares(x):
    return np.sum(relu(x) ** 2 + relu(-x) ** 2)


def where_squares(x):
    return np.sum(np.where(x > 0, x, 0) ** 2 + np.where(x < 0, -x, 0) ** 2)


def max_min_pair(x):
    y = x[::-1] * 1.0
    return np.sum(np.maximum(x, y) ** 2 + np.minimum(x, y) ** 2)


def shifted_abs_exp(x):
    r = np.maximum(x + 1.0, 1.0) + np.maximum(1.0 - x, 1.0) - 2.0
    return np.sum((1 + r) * np.exp(-r))


def builtin_max_loop(x):  # Python's max/min take the first at a tie: max(v, 0) and min(v, 0)
    s = 0.0
    for v in x:
        s += max(v, 0.0) ** 2 + min(v, 0.0) ** 2
    return s


def clip_squares(x):  # np.clip keeps the value at its bound: both halves take slope 1
    return np.sum(np.clip(x, 0, None) ** 2 + np.clip(x, None, 0) ** 2)


def heaviside_squares(x):  # heaviside(0, 0.5): half of each
    return np.sum((x * np.heaviside(x, 0.5)) ** 2 + (x * np.heaviside(-x, 0.5)) ** 2)


def fmax_fmin_squares(x):
    return np.sum(np.fmax(x, 0) ** 2 + np.fmin(x, 0) ** 2)


def if_pair_cos(x):  # one ``if`` per entry: x > 0, then x < 0 (cos(|x|) = cos(x))
    s = 0.0
    for v in x:
        a = v if v > 0 else 0.0
        b = -v if v < 0 else 0.0
        s += math.cos(a + b)
    return s


def if_stmt_abs_exp(x):
    s = 0.0
    for v in x:
        if v > 0:
            r = v
        else:
            r = 0.0
        if v < 0:
            r = r - v
        s += (1 + r) * math.exp(-r)
    return s


_Y2 = np.array([[0.0, 0.1, 0.2], [0.5, 0.0, 2.0]])  # (a module-level array: two `global` reads)


def max_min_global(x):  # max(x, Y) ** 2 + min(x, Y) ** 2 = x ** 2 + Y ** 2 (a tie at x[0])
    return np.sum(np.maximum(x, _Y2) ** 2 + np.minimum(x, _Y2) ** 2)


def heaviside_array_c(x):  # heaviside's value at 0 from an array: half of each at entry 0
    c = np.array([0.5, 0.0, 1.0])
    return np.sum((x * np.heaviside(x, c)) ** 2 + (x * np.heaviside(-x, c)) ** 2)


def neg_sign_times_d(x):  # exp(-2 |x|): -np.sign(x) * d was no magnitude (Hessian 0 at 0)
    d = 2.0 * x
    return np.sum(np.exp(-np.sign(x) * d))


WRONG = [
    max_squares, relu_helper_abs_exp, max_min_abs_exp, mask_abs_exp, relu_helper_cos,
    relu_helper_squares, where_squares, shifted_abs_exp, builtin_max_loop, clip_squares,
    heaviside_squares, fmax_fmin_squares, if_pair_cos, if_stmt_abs_exp, neg_sign_times_d,
    max_min_global, heaviside_array_c,
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


def _jacrev_grad(f, x):
    return srcad.jacrev(srcad.grad(f))(x.copy()) @ _V


MODES = [_hessian, _hvp, _grad_grad, _grad_jvp, _jvp_grad, _jacrev_grad]
_IDS = [m.__name__[1:] for m in MODES]


def _fd_hv(f, x, v, h=1e-5):
    g = srcad.grad(f)
    return (g(x + h * v) - g(x - h * v)) / (2 * h)


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
@pytest.mark.parametrize("f", WRONG, ids=[f.__name__ for f in WRONG])
def test_tied_kinks_refused(f, mode):
    """These gave 1 or 0 per tied entry (true 2, or -1, or none: ``|x|`` read nonlinearly)."""
    with pytest.raises(srcad.SrcadError, match="at 0|tie and take different sides"):
        mode(f, _X0)


def test_tied_max_min_of_two_values_refused():
    """``max(x, y) ** 2 + min(x, y) ** 2`` is ``x ** 2 + y ** 2`` (`y` is `x` reversed: Hessian
    4 I); at ``x == y`` each got a quarter of the curvature."""
    x = np.array([0.5, 0.2, 0.5])  # (x[0] == y[0] == x[2])
    with pytest.raises(srcad.SrcadError, match="at 0"):
        srcad.hessian(max_min_pair)(x)
    np.testing.assert_allclose(srcad.hessian(max_min_pair)(_XA), 4 * np.eye(3), atol=1e-12)


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
@pytest.mark.parametrize("f", WRONG, ids=[f.__name__ for f in WRONG])
def test_tied_kinks_away_from_tie(f, mode):
    np.testing.assert_allclose(mode(f, _XA), _fd_hv(f, _XA, _V), rtol=1e-6, atol=1e-7)


def one_sided_squares(x):  # x >= 0 and x < 0: both take the side x > 0 at 0 (x ** 2)
    return np.sum(np.where(x >= 0, x, 0) ** 2 + np.where(x < 0, -x, 0) ** 2)


def one_sided_cos(x):  # cos(|x|) with one where: cos(x)
    return np.sum(np.cos(np.where(x >= 0, x, -x)))


def relu_pair_linear(x):  # an L1 penalty: no curvature on either side
    return np.sum(relu(x) + relu(-x)) + np.sum(x**2)


def soft_threshold(x):  # kinks at x = 0.5 and x = -0.5: not the same point
    s = np.maximum(x - 0.5, 0) - np.maximum(-x - 0.5, 0)
    return np.sum(s**2)


_W = np.array([[1.0, -1.0, 0.5], [0.5, 2.0, -1.0], [1.0, 1.0, 1.0]])


def relu_net(x):  # one kink per unit: JAX's convention at a tie (0.5 of each side)
    h = relu(_W @ x)
    return np.sum(np.tanh(_W @ h)) + 0.1 * np.sum(h**2)


def one_sided_masks(x):  # x > 0 and x <= 0: both take the side x < 0 at 0
    return np.sum((x * (x > 0).astype(float)) ** 2 + (x * (x <= 0).astype(float)) ** 2)


KEPT = [
    (one_sided_masks, _X0, lambda x: 2 * _V),
    (one_sided_squares, _X0, lambda x: 2 * _V),
    (one_sided_cos, _X0, lambda x: -np.cos(x) * _V),
    (relu_pair_linear, _X0, lambda x: 2 * _V),
    (soft_threshold, np.array([0.5, -0.5, 0.0]), lambda x: 0.5 * _V * [1, 1, 0]),  # (split)
]


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
@pytest.mark.parametrize("f, x, want", KEPT, ids=[k[0].__name__ for k in KEPT])
def test_kinks_still_answered_at_tie(f, x, want, mode):
    np.testing.assert_allclose(mode(f, x), want(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
def test_relu_network_at_a_tie_answered(mode):
    """``W @ x`` has a 0 in its first row at (1, 1, 0): one kink, answered with the split (the
    value every mode gives, the same on BASE)."""
    x = np.array([1.0, 1.0, 0.0])
    ref = _hessian(relu_net, x)
    np.testing.assert_allclose(mode(relu_net, x), ref, rtol=1e-12, atol=1e-12)


# -- srcad.primal of a derivative called inside on a function updating its argument -------------


def _bump(v, s):
    a = v
    a += s
    return np.sum(a * a * a)


def _bumpv(v, s):
    a = v
    a += s
    return a * a


def _rebind(th, w):
    th += w  # a number: rebinds th
    return th * w


def in_jacfwd(x):
    v = x * 1.0
    g = srcad.jacfwd(_bump)(v, x[0])
    return np.sum(g * v)


def in_jacrev(x):
    v = x * 1.0
    J = srcad.jacrev(_bumpv)(v, x[0])
    return np.sum(J) + np.sum(v)


def in_hessian(x):
    v = x * 1.0
    H = srcad.hessian(_bump)(v, x[0])
    return np.sum(H) + np.sum(v)


def in_jacfwd_private(x):
    g = srcad.jacfwd(_bump)(x * 1.0, x[0])
    return np.sum(g * x)


def in_vjp(x):
    v = x * 1.0
    out, back = srcad.vjp(_bumpv, v, x[0])
    g = back(np.ones(3))
    return np.sum(g[0] * v) + np.sum(out)


def in_vjp_private(x):
    out, back = srcad.vjp(_bumpv, x * 1.0, x[0])
    g = back(np.ones(3))
    return np.sum(g[0] * x) + np.sum(out)


PRIMAL = [in_jacfwd, in_jacrev, in_hessian, in_jacfwd_private, in_vjp, in_vjp_private]
_X3 = np.array([0.3, -0.5, 0.7])


@pytest.mark.parametrize("f", PRIMAL, ids=[f.__name__ for f in PRIMAL])
def test_primal_updates_once(f):
    assert srcad.primal(f)(_X3.copy()) == pytest.approx(f(_X3.copy()), rel=1e-12)


@pytest.mark.parametrize("f", PRIMAL, ids=[f.__name__ for f in PRIMAL])
def test_derivative_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="in place"):
        srcad.grad(f)(_X3.copy())


def in_vjp_rebind(x):
    out, back = srcad.vjp(_rebind, x[0], x[1])
    g = back(1.0)
    return g[0] * x[2] + out


def test_vjp_of_number_rebinding_still_differentiated():
    x = _X3
    assert srcad.primal(in_vjp_rebind)(x.copy()) == pytest.approx(in_vjp_rebind(x.copy()))
    np.testing.assert_allclose(
        srcad.grad(in_vjp_rebind)(x.copy()), [x[1], x[2] + x[0] + 2 * x[1], x[1]]
    )
