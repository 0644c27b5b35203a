"""nan51: NaN derivatives where the function is finite and differentiable.

- A helper's result the caller masks (``np.nansum(h(Y, w[0]) * w[1])`` with a NaN in `Y`): the
  helper's backward function multiplied the caller's exact zero by its NaN local derivative
  (``0 * cos(nan)``); now the caller passes its mask into a masked version of the helper
  (`ad/resultmasks.py`), as if the helper were inlined.
- A NaN-skipping reduction in a branch (``if flag: s = np.nansum(z)`` of ``z = Y * w`` made
  before it): the mask of `z`'s contributions read the reduction's result made in the branch and
  was dropped; now the reduction is recomputed outside (`maskcarry.out_of_branch`).

Values against the same function written without the NaN entries (closed forms), every mode.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

Y = np.array([0.5, np.nan, 1.5, -0.7])
YC = Y[~np.isnan(Y)]
W = np.array([0.7, 1.3])


def h(a, b):
    return np.sin(a * b)


def product_in_helper(w):
    return np.nansum(h(Y, w[0]) * w[1])


def nansum_of_helper(w):
    return np.nansum(h(Y, w[0])) * w[1]


def clean(w):  # (the value of both, NaN-free)
    return np.sum(np.sin(YC * w[0]) * w[1])


def _fd_hessian(f, x, eps=1e-5):
    n = x.size
    out = np.zeros((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = eps
        out[i] = (srcad.grad(f)(x + e) - srcad.grad(f)(x - e)) / (2 * eps)
    return out


@pytest.mark.parametrize("f", [product_in_helper, nansum_of_helper])
def test_helper_result_masked_by_caller(f):
    want = srcad.grad(clean)(W)
    assert np.all(np.isfinite(want))
    with np.errstate(all="ignore"):
        got = srcad.grad(f)(W)
        _, pull = srcad.vjp(f, W)
        pulled = pull(1.0)[0]
        tangent = srcad.jvp(f, (W,), (np.array([1.0, 0.5]),))[1]
        hess = srcad.hessian(f)(W)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(pulled, want, rtol=1e-12)
    np.testing.assert_allclose(tangent, want @ [1.0, 0.5], rtol=1e-12)
    np.testing.assert_allclose(hess, srcad.hessian(clean)(W), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hess, _fd_hessian(clean, W), rtol=1e-6, atol=1e-8)


def helper_read_twice(w):  # (the second read is not masked: the mask is the union)
    return np.nansum(h(Y, w[0]) * w[1]) + np.sum(h(YC, w[1]))


def test_helper_result_with_an_unmasked_read():
    want = srcad.grad(clean)(W) + [0.0, np.sum(YC * np.cos(YC * W[1]))]
    with np.errstate(all="ignore"):
        got = srcad.grad(helper_read_twice)(W)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def nansum_in_branch(w, flag):
    z = Y * w
    s = 0.0
    if flag:
        s = np.nansum(z)
    return s * w


def test_nansum_in_a_branch():
    w = 0.8
    with np.errstate(all="ignore"):
        got = srcad.grad(nansum_in_branch)(w, True)
        off = srcad.grad(nansum_in_branch)(w, False)
    np.testing.assert_allclose(got, 2 * w * np.sum(YC), rtol=1e-12)
    assert off == 0.0


def carried_then_read(c, v0):
    v = v0 * 1.0
    for _ in range(3):
        v = v * c
    return np.sum((c * v)[~np.isnan(v0)])


def test_loop_carry_read_by_a_mask():
    # (the loop's body masked by the read after it: its mask's condition, a tuple, kept the
    # same object, so the carried masks reach a fixed point; `loopmasks.Loops` follows reads)
    v0 = np.array([1.0, np.nan, 2.0])
    c = 0.9
    with np.errstate(all="ignore"):
        got = srcad.grad(carried_then_read)(c, v0)
        hess = srcad.hessian(carried_then_read)(c, v0)
        tangent = srcad.jvp(carried_then_read, (c, v0), (1.0, np.zeros(3)))[1]
    np.testing.assert_allclose(got, 4 * c**3 * 3.0, rtol=1e-12)
    np.testing.assert_allclose(tangent, 4 * c**3 * 3.0, rtol=1e-12)
    np.testing.assert_allclose(hess, 12 * c**2 * 3.0, rtol=1e-12)


CENTRE = np.array([0.3, -0.2, 0.5])
WEIGHTS = np.array([1.0, 2.0, 3.0])


def weighted_root(x):
    d = 0.0
    for i in range(3):
        d += (x[i] - CENTRE[i]) ** 2 * (i + 1.0)
    return np.sqrt(d) + np.sum(x**2)


def weighted_root_ref(x):
    return np.sqrt(np.sum((x - CENTRE) ** 2 * WEIGHTS)) + np.sum(x**2)


def test_weighted_loop_sum_of_squares_at_its_centre():
    # (the loop's weight i + 1.0 > 0: a sum of squares, whose root takes the subgradient 0 at
    # its centre, as the unweighted loop's and np.linalg.norm's; it was 0 * inf: nan)
    c = CENTRE.copy()
    np.testing.assert_allclose(srcad.grad(weighted_root)(c), 2 * c, rtol=1e-12)
    np.testing.assert_allclose(srcad.jvp(weighted_root, (c,), (np.ones(3),))[1], 2 * c.sum())
    with pytest.raises(srcad.SrcadError, match="second derivative of a magnitude at 0"):
        srcad.hessian(weighted_root)(c)
    with pytest.raises(srcad.SrcadError, match="second derivative of a magnitude at 0"):
        srcad.grad(lambda x: srcad.grad(weighted_root)(x)[0])(c)  # (no silent [2, 0, 0])
    x = c + np.array([0.1, -0.2, 0.3])  # (elsewhere: the weighted root's values)
    np.testing.assert_allclose(
        srcad.grad(weighted_root)(x), srcad.grad(weighted_root_ref)(x), rtol=1e-12
    )
    np.testing.assert_allclose(
        srcad.hessian(weighted_root)(x), srcad.hessian(weighted_root_ref)(x), rtol=1e-10
    )


def while_root(x):
    d = 0.0
    i = 0
    while i < 3:
        d += (x[i] - CENTRE[i]) ** 2
        i += 1
    return np.sqrt(d) + np.sum(x**2)


def plain_root(x):
    return np.sqrt(np.sum((x - CENTRE) ** 2)) + np.sum(x**2)


def test_while_loop_sum_of_squares_at_its_centre():
    c = CENTRE.copy()
    np.testing.assert_allclose(srcad.grad(while_root)(c), srcad.grad(plain_root)(c), rtol=1e-12)
    with pytest.raises(srcad.SrcadError, match="second derivative of a magnitude at 0"):
        srcad.hessian(while_root)(c)
    with pytest.raises(srcad.SrcadError, match="second derivative of a magnitude at 0"):
        srcad.grad(lambda x: srcad.grad(while_root)(x)[0])(c)
    x = c + np.array([0.1, -0.2, 0.3])
    np.testing.assert_allclose(srcad.grad(while_root)(x), srcad.grad(plain_root)(x), rtol=1e-12)
    np.testing.assert_allclose(
        srcad.hessian(while_root)(x), srcad.hessian(plain_root)(x), rtol=1e-10
    )
