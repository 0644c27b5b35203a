"""Soundness hunt 4: the user-style programs of tests/corpus/users_hunt4*.py at second order, and
what the hunt found.

- Second order on the cases marked ``extra="hvp"`` (Hessian symmetry and the derivative of the JVP
  by `check_grads`; `srcad.hvp` against central differences of `srcad.grad`; `srcad.hessian`
  against `srcad.hvp`).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import Case, users_hunt4, users_hunt4b

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

HVP = [c for m in (users_hunt4, users_hunt4b) for c in m.CASES if c.extra == "hvp"]


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_grads(case.fn, case.args, modes=("fwd",), wrt=case.diff, order=2)


def _scalar_float_arg(c: Case) -> bool:
    return np.ndim(c.fn(*copy.deepcopy(c.args))) == 0 and isinstance(
        c.args[c.diff[0]], (float, np.ndarray)
    )


SCALAR = [c for c in HVP if _scalar_float_arg(c)]


@pytest.mark.parametrize("case", SCALAR, ids=[c.name for c in SCALAR])
def test_hvp_and_hessian_match_differences_of_the_gradient(case: Case) -> None:
    k = case.diff[0]
    x = np.asarray(case.args[k], float)
    v = np.random.default_rng(1).standard_normal(x.shape)
    to = (lambda a: a) if isinstance(case.args[k], np.ndarray) else float

    def at(t: float) -> list:
        a = list(copy.deepcopy(case.args))
        a[k] = to(x + t * v)
        return a

    grad = srcad.grad(case.fn, k)
    eps = 1e-5
    fd = (np.asarray(grad(*at(eps))) - np.asarray(grad(*at(-eps)))) / (2 * eps)
    tangents = [None] * len(case.args)
    tangents[k] = to(v)
    g, hv = srcad.hvp(case.fn, copy.deepcopy(case.args), tangents, wrt=k)
    np.testing.assert_allclose(hv, fd, rtol=1e-4, atol=1e-5)
    H = np.asarray(srcad.hessian(case.fn, k)(*copy.deepcopy(case.args)))
    Hv = np.tensordot(H, v, axes=v.ndim) if v.ndim else H * v
    np.testing.assert_allclose(Hv, hv, rtol=1e-6, atol=1e-8)
