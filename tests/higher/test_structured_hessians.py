"""Hessians and Jacobians of derivatives with dict/tuple arguments, in JAX's layout: the output's
structure of the input's structure of blocks ``out.shape + leaf.shape``
(``hessian(f)(params)["w"]["b"]``); checked against the flat-array Hessian of the same function."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def f_dict(p):
    return np.sum(np.sin(p["w"]) * p["b"]) + p["b"] ** 2 * np.sum(p["w"] ** 3)


def f_tuple(t):
    a, b = t
    return np.sum(a**2 * b) + np.prod(a) * b


def f_flat(z):  # f_dict with w = z[:2], b = z[2]
    return f_dict({"w": z[:2], "b": z[2]})


W, B = np.array([0.3, -0.5]), 0.7


@pytest.mark.parametrize("make", ["hessian", "jacfwd", "jacrev"])
def test_dict_blocks_match_the_flat_hessian(make) -> None:
    p = {"w": W, "b": B}
    H = (
        srcad.hessian(f_dict)(p)
        if make == "hessian"
        else getattr(srcad, make)(srcad.grad(f_dict))(p)
    )
    Hf = srcad.hessian(f_flat)(np.array([*W, B]))
    assert set(H) == {"w", "b"} and set(H["w"]) == {"w", "b"}
    np.testing.assert_allclose(H["w"]["w"], Hf[:2, :2], rtol=1e-13)
    np.testing.assert_allclose(H["w"]["b"], Hf[:2, 2], rtol=1e-13)
    np.testing.assert_allclose(H["b"]["w"], Hf[2, :2], rtol=1e-13)
    assert np.shape(H["b"]["b"]) == () and H["b"]["b"] == pytest.approx(Hf[2, 2], rel=1e-13)


def test_tuple_blocks() -> None:
    a, b = np.array([0.3, -0.5, 0.2]), 0.7
    H = srcad.hessian(f_tuple)((a, b))
    # d2/da2 = 2b I + b * d2 prod(a); d2/dadb = 2a + grad prod(a); d2/db2 = 0
    gp = np.array([a[1] * a[2], a[0] * a[2], a[0] * a[1]])
    hp = np.array([[0, a[2], a[1]], [a[2], 0, a[0]], [a[1], a[0], 0]])
    np.testing.assert_allclose(H[0][0], 2 * b * np.eye(3) + b * hp, rtol=1e-14)
    np.testing.assert_allclose(H[0][1], 2 * a + gp, rtol=1e-14)
    np.testing.assert_allclose(H[1][0], 2 * a + gp, rtol=1e-14)
    assert H[1][1] == 0.0


def test_non_float_leaves_are_refused() -> None:
    def g(p):
        return np.sum(p["w"] ** 2) * p["n"]

    with pytest.raises(srcad.SrcadError, match="needs float arguments"):
        srcad.hessian(g)({"w": W, "n": "three"})
