"""Namedtuple and dataclass parameters (issue 10 item 6): attribute reads ``p.w`` differentiate,
derivatives come back in the argument's own class (grad, vjp, jvp tangents, Hessian and Jacobian
blocks in JAX's layout), nested records, non-float fields (strings and None get None, ints are
refused as for dicts), records built inside the function, returned or passed to helpers. Exact
values and central finite differences."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

P = namedtuple("P", "w b")
Q = namedtuple("Q", "p scale")
S = namedtuple("S", "T b")  # a field named like ndarray.T


@dataclass
class D:
    w: np.ndarray
    b: float


@dataclass(frozen=True)
class H:
    params: dict
    name: str = "h"
    extra: object = None


@dataclass
class Post:
    w: np.ndarray

    def __post_init__(self):
        self.w = self.w * 2.0


@dataclass(frozen=True)
class FrozenPost:
    w: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "w", self.w * 2.0)


def nt(p):
    return np.sum(p.w**2) + p.b


def dc(p):
    return np.sum(p.w**2) * p.b


def nested(q):
    return np.sum(np.sin(q.p.w) * q.p.b) * q.scale


def holder(h):
    return np.sum(h.params["a"] ** 3) + h.params["c"] * 2.0


def helper(p):
    return np.sum(p.w * p.b)


def built(x):
    p = P(x * 2.0, np.sum(x))
    return helper(p) + nt(p)


def returned(x):
    return P(x * 2.0, np.sum(x**2))


def built_dc(x):
    return dc(D(np.sin(x), x[0]))


def post(x):
    return np.sum(Post(x).w)


def frozen_post(x):
    return np.sum(FrozenPost(x).w)


def in_loop(p):
    s = 0.0
    for i in range(3):
        s = s + p.w[i] * p.b
    return s


def temperature(s):
    return np.sum(s.T * 3.0) + s.b


X = np.array([0.3, 0.5, 0.7])


def test_grad_keeps_the_class() -> None:
    g = srcad.grad(nt)(P(X, 1.0))
    assert type(g) is P
    np.testing.assert_allclose(g.w, 2 * X, rtol=1e-15)
    assert g.b == 1.0
    g = srcad.grad(dc)(D(X, 2.0))
    assert type(g) is D
    np.testing.assert_allclose(g.w, 4 * X, rtol=1e-15)
    assert g.b == pytest.approx(0.83, rel=1e-14)  # sum(w**2)
    g = srcad.vjp(nt, P(X, 1.0))[1](1.0)[0]
    assert type(g) is P and g.b == 1.0
    g = srcad.grad(in_loop)(P(X, 2.0))
    np.testing.assert_array_equal(g.w, [2.0, 2.0, 2.0])
    assert g.b == pytest.approx(1.5, rel=1e-15)


def test_jvp_tangents_in_the_same_class() -> None:
    out, t = srcad.jvp(nt, (P(X, 1.0),), (P(np.ones(3), 1.0),))
    assert out == pytest.approx(1.83) and t == pytest.approx(4.0)  # 2*sum(w) + 1
    out, t = srcad.jvp(dc, (D(X, 2.0),), (D(np.ones(3), 1.0),))
    assert t == pytest.approx(4 * 1.5 + 0.83)
    with pytest.raises(srcad.SrcadError, match="same class"):
        srcad.jvp(dc, (D(X, 2.0),), ({"w": np.ones(3), "b": 1.0},))


def test_nested_and_non_float_fields() -> None:
    g = srcad.grad(nested)(Q(P(X, 2.0), 3.0))
    assert type(g) is Q and type(g.p) is P
    np.testing.assert_allclose(g.p.w, np.cos(X) * 6.0, rtol=1e-14)
    assert g.p.b == pytest.approx(np.sum(np.sin(X)) * 3.0, rel=1e-14)
    assert g.scale == pytest.approx(np.sum(np.sin(X)) * 2.0, rel=1e-14)
    g = srcad.grad(holder)(H({"a": X, "c": 1.5}))
    assert type(g) is H and g.name is None and g.extra is None  # as a dict's string entries
    np.testing.assert_allclose(g.params["a"], 3 * X**2, rtol=1e-15)
    assert g.params["c"] == 2.0
    with pytest.raises(srcad.SrcadError, match="is an integer"):  # as a dict's int entries
        srcad.grad(holder)(H({"a": X, "c": 1.5}, extra=3))


def test_records_built_inside() -> None:
    # helper: 2 * s**2 (s = sum x); nt: sum(4 x**2) + s -> 4 s + 8 x + 1
    np.testing.assert_allclose(srcad.grad(built)(X), 4 * 1.5 + 8 * X + 1, rtol=1e-14)
    np.testing.assert_allclose(srcad.hessian(built)(X), 4 + 8 * np.eye(3), rtol=1e-14)
    out, t = srcad.jvp(returned, (X,), (np.ones(3),))
    assert type(out) is P and type(t) is P
    np.testing.assert_array_equal(t.w, [2.0, 2.0, 2.0])
    assert t.b == pytest.approx(3.0)
    ct = srcad.vjp(returned, X)[1](P(np.ones(3), 1.0))[0]
    np.testing.assert_allclose(ct, 2 + 2 * X, rtol=1e-15)
    s2 = np.sum(np.sin(X) ** 2)
    expect = 2 * np.sin(X) * np.cos(X) * X[0] + np.array([s2, 0.0, 0.0])
    np.testing.assert_allclose(srcad.grad(built_dc)(X), expect, rtol=1e-14)
    for f, args in ((built, (X,)), (built_dc, (X,)), (returned, (X,))):
        check_grads(f, args, modes=("fwd", "rev"))
    check_grads(built_dc, (X,), order=2)


def test_finite_differences_of_record_parameters() -> None:
    check_grads(nt, (P(X, 1.0),), modes=("fwd", "rev"))
    check_grads(dc, (D(X, 2.0),), modes=("fwd", "rev"), order=2)
    check_grads(nested, (Q(P(X, 2.0), 3.0),), modes=("fwd", "rev"), order=2)


def test_hessian_and_jacobians_in_jax_layout() -> None:
    h = srcad.hessian(dc)(D(X, 2.0))
    assert type(h) is D and type(h.w) is D and type(h.b) is D
    np.testing.assert_array_equal(h.w.w, 4 * np.eye(3))
    np.testing.assert_allclose(h.w.b, 2 * X, rtol=1e-15)
    np.testing.assert_allclose(h.b.w, 2 * X, rtol=1e-15)
    assert float(h.b.b) == 0.0
    h = srcad.hessian(nt)(P(X, 1.0))
    assert type(h) is P and type(h.w) is P
    np.testing.assert_array_equal(h.w.w, 2 * np.eye(3))
    for jac in (srcad.jacfwd, srcad.jacrev):
        j = jac(nt)(P(X, 1.0))
        assert type(j) is P
        np.testing.assert_allclose(j.w, 2 * X, rtol=1e-15)
        assert float(j.b) == 1.0
        j = jac(lambda p: np.sin(p.w) * p.b)(P(X, 2.0))
        np.testing.assert_allclose(j.w, np.diag(2 * np.cos(X)), rtol=1e-15)
        np.testing.assert_allclose(j.b, np.sin(X), rtol=1e-15)


def test_fields_named_like_array_attributes() -> None:
    g = srcad.grad(temperature)(S(X, 1.0))
    assert type(g) is S and g.b == 1.0
    np.testing.assert_array_equal(g.T, [3.0, 3.0, 3.0])
    assert srcad.jvp(temperature, (S(X, 1.0),), (S(np.ones(3), 2.0),))[1] == pytest.approx(11.0)


def test_refusals_stay_located() -> None:
    # a __post_init__ is run where the object is built (lower/postinit.py), a frozen one not
    np.testing.assert_array_equal(srcad.grad(post)(X), 2.0 * np.ones(3))
    with pytest.raises(srcad.SrcadError, match="__post_init__") as e:
        srcad.grad(frozen_post)(X)
    assert "test_records.py" in str(e.value)
