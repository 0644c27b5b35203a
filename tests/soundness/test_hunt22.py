"""Session 22 (hunt22): what the hunt over statistics, ML and numerical programs found.

- A float32 (or any non-float64) array argument copied into a loop carry, then written by a slice
  (the explicit heat step ``un = u.copy(); un[1:-1] = ...; u = un``): the receiver of
  ``u.copy()`` is of unknown class for such an argument, so it went through
  ``_srcad.plain_receiver``, whose result the sequence analysis (ad/seqs.py) did not know: the
  carry might be a list, and the slice write was refused ("no reverse-mode derivative of a slice
  assignment into a list"). The guard returns its operand: same kind now.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def heat_steps(u0):
    u = u0.copy()
    for _ in range(3):
        un = u.copy()
        un[1:-1] = u[1:-1] + 0.3 * (u[2:] - 2 * u[1:-1] + u[:-2])
        un[0] = 0.0
        un[-1] = un[-2]
        u = un
    return np.sum(u**2) + u[2]


def copy_carry_slice(u0):
    u = u0.copy()
    for _ in range(2):
        un = u.copy()
        un[1:-1] = u[1:-1] * 0.3
        u = un
    return np.sum(u**2)


def _expected(f, x):
    return srcad.grad(f)(x.astype(np.float64))


@pytest.mark.parametrize("f", [heat_steps, copy_carry_slice])
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int64])
def test_non_float64_array_copied_into_a_loop_then_slice_written(f, dtype):
    x = np.array([0.5, 1.0, -2.0, 3.0, 1.5, -1.0])
    xd = x.astype(dtype)
    want = _expected(f, xd)
    if dtype is np.int64:
        with pytest.raises(srcad.SrcadError):
            srcad.grad(f)(xd)
        return
    g = srcad.grad(f)(xd)
    np.testing.assert_allclose(np.asarray(g, float), want, rtol=2e-2, atol=2e-2)
    v = np.linspace(-1, 1, 6)
    _, hv = srcad.hvp(f, [xd], [v.astype(dtype)])
    _, hv64 = srcad.hvp(f, [xd.astype(np.float64)], [v])
    np.testing.assert_allclose(np.asarray(hv, float), hv64, rtol=2e-2, atol=2e-2)
