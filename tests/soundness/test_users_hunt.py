"""Soundness hunt B: user-style programs (tests/corpus/users_*.py) and what the hunt found.

- CSE merged ``y * x`` before and after a call of a helper that updates ``x`` in place, so the
  round trip (`srcad.primal`) returned the stale product (derivatives of such calls are refused):
  exact numbers, straight-line, in a loop, through a view.
- Second order on the corpus cases marked ``extra="hvp"`` (Hessian symmetry by `check_grads`,
  and `srcad.hvp` against central differences of `srcad.grad`).
- The cases with kinks near their point (`NONSMOOTH`), at first order.
- The subgradients srcad picks at kinks, pinned: Python's ``max(0.0, v)`` at ``v == 0`` is the
  first argument (derivative 0, like PyTorch's relu), ``np.maximum``/``np.max`` ties split the
  derivative evenly, ``abs``/``np.abs``/``np.linalg.norm`` at 0 give 0, ``np.clip`` at a bound
  passes the derivative through (1).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import (
    Case,
    hvp_and_gradient_differences,
    users_arrays,
    users_idioms,
    users_ml,
    users_sim,
)

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X0 = np.array([-0.3935, -0.0286, -0.1185])
Y0 = np.array([-0.2551, 1.3827, 0.1602])


def _bump(v):
    v += 0.3


def product_around_call(x, y):
    z = y * x
    _bump(x)
    return z + y * x


def product_in_list_then_call(x, p, y):
    lst = [x, p, y * x]  # noqa: F841 (fuzz seed 3000141: the dead element was merged)
    _bump(x)
    return y * x


def product_in_loop(x, y):
    z = y * x
    acc = 0.0
    for _ in range(3):
        acc = acc + (y * x).sum()
        _bump(x)
    return acc + z.sum()


def view_around_call(x, y):
    v = x[1:]
    a = v * y[1:]
    _bump(x)
    return a.sum() + (v * y[1:]).sum()


@pytest.mark.parametrize(
    "fn, args, expected",
    [
        # stale before the fix: [0.2007637, -0.07909044, -0.0379674]
        (product_around_call, (X0, Y0), [0.1242337, 0.33571956, 0.0100926]),
        # stale before the fix: [0.10038185, -0.03954522, -0.0189837]
        (product_in_list_then_call, (X0, [1.0], Y0), [0.02385185, 0.37526478, 0.0290763]),
        # stale before the fix: 0.16741172 (every iteration read the product from before it)
        (product_in_loop, (X0, Y0), 1.32643172),
        # stale before the fix: -0.11705784
        (view_around_call, (X0, Y0), 0.34581216),
    ],
)
def test_primal_sees_a_helpers_in_place_update(fn, args, expected) -> None:
    want = fn(*copy.deepcopy(args))
    np.testing.assert_allclose(want, expected, rtol=0, atol=1e-8)
    got = srcad.primal(fn)(*copy.deepcopy(args))
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-14)
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.jvp(fn, copy.deepcopy(args), (np.ones(3),) + (None,) * (len(args) - 1))


# -- second order on the user corpus ------------------------------------------------------------
HVP = [
    c
    for m in (users_ml, users_sim, users_idioms, users_arrays)
    for c in m.CASES
    if c.extra == "hvp"
]


SCALAR_1ARG = [c for c in HVP if np.ndim(c.fn(*copy.deepcopy(c.args))) == 0 and len(c.diff) >= 1]


@pytest.mark.parametrize("case", SCALAR_1ARG, ids=[c.name for c in SCALAR_1ARG])
def test_hvp_matches_differences_of_the_gradient(case: Case) -> None:
    g, hv, fd, _ = hvp_and_gradient_differences(case)
    np.testing.assert_allclose(
        g, srcad.grad(case.fn, case.diff[0])(*copy.deepcopy(case.args)), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-6)


NONSMOOTH = [c for m in (users_sim, users_idioms) for c in m.NONSMOOTH]


@pytest.mark.parametrize("case", NONSMOOTH, ids=[c.name for c in NONSMOOTH])
def test_nonsmooth_cases_first_order(case: Case) -> None:
    check_grads(
        case.fn, case.args, modes=("fwd", "rev"), wrt=case.diff, atol=case.atol, rtol=case.rtol
    )


# -- subgradients at kinks ----------------------------------------------------------------------
def py_relu(v):
    return max(0.0, v)


def np_relu(v):
    return np.maximum(v, 0.0)


def np_max(x):
    return np.max(x)


def abs_sum(x):
    return np.abs(x).sum() + abs(x[0]) + np.linalg.norm(x[1:] * 0.0 + x[0])


def clip_sum(x):
    return np.clip(x, 0.0, 1.0).sum()


def test_subgradients_at_kinks() -> None:
    assert srcad.grad(py_relu)(0.0) == 0.0
    assert srcad.jvp(py_relu, (0.0,), (1.0,))[1] == 0.0
    assert srcad.grad(np_relu)(0.0) == 0.5
    np.testing.assert_array_equal(srcad.grad(np_max)(np.array([1.0, 3.0, 3.0])), [0.0, 0.5, 0.5])
    np.testing.assert_array_equal(srcad.grad(abs_sum)(np.zeros(3)), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(srcad.grad(clip_sum)(np.array([0.0, 1.0, 0.5])), [1, 1, 1])
