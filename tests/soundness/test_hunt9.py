"""Soundness hunt 9: what the user-style random programs (tests/fuzz/gen_users.py) and the probes
of non-differentiable points and argument structures found.

- Spurious refusals: an augmented assignment through a subscript of a subscript whose inner
  index is a slice, ``u[0][1:] *= v`` on an array made in the function, was refused ("an element
  of `u` is read after the object it shares with another name is updated with `op=`"): the
  mutation check's liveness pruning (passes/alias_control.dead_after) dropped the container
  ``u[0]`` from its state after its last IR read, and `item_update` looked it up after that.
- Spurious refusals: a write or ``op=`` through a slice of an array made here, ``u[1:][0] += v``
  or ``u[:, 1][::-1] += w``, was refused ("`u` is read after the object it shares with another
  name is modified"): the write-back ``u = setitem(u, 1:, ...)`` was trusted for int keys
  (row views) only, while a basic slice of an array is a view as well (of a list it is a copy:
  still not written back).
- Wrong second derivatives of smooth functions: the square of a magnitude, ``np.linalg.norm(w)
  ** 2`` or ``np.sum(np.abs(w) ** 2)`` (``np.square``, ``a * a``, ``np.fabs``, a norm over axes),
  at a point where the magnitude is 0, the common starting point ``w = 0`` of a regularised
  loss: the chain rule through the magnitude's subgradient 0 gave a Hessian of 0 where it is 2
  (``0.1 * np.linalg.norm(w) ** 2`` dropped out of Newton's step: 2.0 instead of 2.2). JAX
  gives NaN for the norm. The derivative of `x` is now taken as ``2 x`` (ad/squares.py), in
  reverse mode (so forward over reverse: `hessian`, `hvp`) and forward mode (`jacfwd` of
  `jacfwd`).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import users_hunt9

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

M3 = np.array([[0.3, -0.5, 0.9], [1.2, 0.4, -0.8], [0.1, 0.6, -0.2]])


def _same_primal(f, *args):
    want = f(*copy.deepcopy(args))
    got = srcad.primal(f)(*copy.deepcopy(args))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", users_hunt9.CASES, ids=[c.name for c in users_hunt9.CASES])
def test_nested_writes_through_views_are_accepted_and_right(case) -> None:
    _same_primal(case.fn, *case.args)
    check_grads(case.fn, copy.deepcopy(case.args), modes=("fwd", "rev"))


# -- what must stay refused or right ---------------------------------------------------------------
def list_slice_write_is_lost(x):
    xs = [x[0], x[1], x[2]]
    xs[1:][0] = x[0] * 5.0  # a slice of a list is a new list: Python loses the write
    return xs[1] * xs[2] + xs[0]


def list_slice_aug_is_lost(x):
    xs = [x[0] * 1.0, x[1] * 1.0]
    xs[0:][1] += 3.0 * x[0]  # floats: rebound in the copy, lost
    return xs[1] * x[0]


def other_view_sees_the_write(x):
    u = np.array(x)
    w = u[1:]
    u[1:][0] += x[0] ** 2
    return np.sum(w * w)


def view_of_param_row(x):
    u = x[0]  # a view of the argument: the write reaches the caller's array
    u[1:][0] += 1.0
    return np.sum(u)


def list_of_arrays_slice(x):
    a = np.array(x[0])
    ls = [a, np.array(x[1])]
    ls[0:1][0][1:] += x[2, 1:]  # the copy of the list holds `a` itself: `a` changes
    return np.sum(a * a) + np.sum(ls[0])


@pytest.mark.parametrize(
    "f",
    [list_slice_write_is_lost, list_slice_aug_is_lost, other_view_sees_the_write,
     list_of_arrays_slice],
)  # fmt: skip
def test_copies_and_other_views_stay_right_or_refused(f) -> None:
    x = np.array([0.7, -0.4, 1.3]) if f.__name__.startswith("list_slice") else M3.copy()
    try:
        _same_primal(f, x)
        check_grads(f, (x.copy(),), modes=("fwd", "rev"))
    except srcad.SrcadError:
        pass


def test_writing_through_a_view_of_the_argument_is_right() -> None:
    # refused until refuse15; lower/viewwrites.py now writes into `x` itself (``x[0][1:][0] +=
    # 1.0``), which lower/argcopy.py writes back into the caller's array
    a, b = M3.copy(), M3.copy()
    assert srcad.primal(view_of_param_row)(a) == pytest.approx(view_of_param_row(b))
    np.testing.assert_array_equal(a, b)
    c = M3.copy()
    np.testing.assert_allclose(srcad.grad(view_of_param_row)(c), [[1.0] * 3, [0.0] * 3, [0.0] * 3])
    np.testing.assert_array_equal(c, b)
    check_grads(view_of_param_row, (M3.copy(),), modes=("fwd", "rev"), order=2)


# -- squares of magnitudes at 0 (ad/squares.py) ----------------------------------------------------
def reg_loss(w):
    return np.sum((w - 1.0) ** 2) + 0.1 * np.linalg.norm(w) ** 2


SQUARES = {
    "norm_sq": (lambda w: np.linalg.norm(w) ** 2, 2.0),
    "norm_mul": (lambda w: np.linalg.norm(w) * np.linalg.norm(w), 2.0),
    "reg_loss": (reg_loss, 2.2),
    "abs_sq": (lambda w: np.sum(np.abs(w) ** 2), 2.0),
    "abs_mul": (lambda w: np.sum(abs(w) * abs(w)), 2.0),
    "square_fabs": (lambda w: np.sum(np.square(np.fabs(w))) + np.sum(np.power(np.abs(w), 2)), 4.0),
    "norm_axis": (lambda w: np.sum(np.linalg.norm(w.reshape(2, 2), axis=0) ** 2), 2.0),
    "norm_keepdims": (
        lambda w: np.sum(np.linalg.norm(w.reshape(2, 2), axis=1, keepdims=True) ** 2 * 3.0),
        6.0,
    ),
}


@pytest.mark.parametrize("name", sorted(SQUARES))
def test_square_of_a_magnitude_at_zero_has_the_smooth_hessian(name) -> None:
    f, diag = SQUARES[name]
    want = diag * np.eye(4)
    np.testing.assert_allclose(srcad.hessian(f)(np.zeros(4)), want, atol=1e-12)
    np.testing.assert_allclose(srcad.jacfwd(srcad.jacfwd(f))(np.zeros(4)), want, atol=1e-12)
    g, hv = srcad.hvp(f, (np.zeros(4),), (np.arange(4.0),))
    np.testing.assert_allclose(g, srcad.grad(f)(np.zeros(4)), atol=1e-12)
    np.testing.assert_allclose(hv, want @ np.arange(4.0), atol=1e-12)
    x = np.random.default_rng(0).standard_normal(4)  # and away from 0, as before
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)
    assert srcad.primal(f)(x.copy()) == f(x.copy())


def abs_read_twice(w):
    a = np.abs(w)
    return np.sum(a**2) + np.sum(a * w)


def test_a_magnitude_read_elsewhere_keeps_the_chain_rule() -> None:
    x = np.random.default_rng(1).standard_normal(4)
    check_grads(abs_read_twice, (x,), modes=("fwd", "rev"), order=2)
    np.testing.assert_allclose(
        srcad.grad(abs_read_twice)(x),
        2 * x + 2 * np.abs(x),
        atol=1e-12,
    )


# -- the stable softplus' tail at 0 (ad/softplus_tail.py) ------------------------------------------
XL = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]])
YL = np.array([1.0, 0.0, 1.0])


def bce_with_logits(w):
    z = XL @ w
    return np.mean(np.maximum(z, 0) - z * YL + np.log1p(np.exp(-np.abs(z))))


def bce_reference(w):
    z = XL @ w
    return np.mean(np.logaddexp(0.0, z) - z * YL)


def softplus_log_form(z):
    return np.sum(np.maximum(z, 0.0) + np.log(1.0 + np.exp(-abs(z))))


def log_sigmoid_pieces(z):
    return np.sum(np.minimum(z, 0.0) - np.log1p(np.exp(-np.abs(z))))


def test_binary_cross_entropy_with_logits_hessian_at_zero_logits() -> None:
    w = np.zeros(2)  # Newton's method on logistic regression starts here: every logit is 0
    np.testing.assert_allclose(srcad.hessian(bce_with_logits)(w), srcad.hessian(bce_reference)(w))
    np.testing.assert_allclose(srcad.grad(bce_with_logits)(w), srcad.grad(bce_reference)(w))
    g, hv = srcad.hvp(bce_with_logits, (w,), (np.array([1.0, -2.0]),))
    np.testing.assert_allclose(hv, srcad.hessian(bce_reference)(w) @ [1.0, -2.0])
    check_grads(bce_with_logits, (np.array([0.3, -0.2]),), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize(
    "f, h0", [(softplus_log_form, 0.25), (log_sigmoid_pieces, -0.25)], ids=["log", "logsig"]
)
def test_softplus_pieces_second_derivative_at_zero(f, h0) -> None:
    z = np.array([0.0, -40.0, 3.0, 800.0])
    sig = np.array([0.5, 4.248354255291589e-18, 1 / (1 + np.exp(-3.0)), 1.0])
    dsig = sig * (1 - sig)
    sign = 1.0 if h0 > 0 else -1.0
    np.testing.assert_allclose(np.diag(srcad.hessian(f)(z)), sign * dsig, rtol=1e-12, atol=0)
    np.testing.assert_allclose(
        np.diag(srcad.jacfwd(srcad.jacfwd(f))(z)), sign * dsig, rtol=1e-12, atol=0
    )
    want = sig if h0 > 0 else 1.0 - sig  # the first derivative, exact in the tails as before
    np.testing.assert_allclose(srcad.grad(f)(z), want, rtol=1e-12, atol=0)


def fft_power(x):
    f = np.fft.fft(x)
    return np.sum(np.abs(f) ** 2 * np.arange(1.0, 5.0))


def test_square_of_a_complex_magnitude_keeps_the_chain_rule() -> None:
    # |F| ** 2 of a complex F is not F * F: not rewritten (the suite's cx_fft_power caught it)
    check_grads(fft_power, (np.array([0.3, -1.0, 2.0, 0.5]),), modes=("fwd", "rev"), order=2)
