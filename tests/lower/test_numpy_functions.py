"""NumPy calls that take Python functions (srcad.lower.numpy_fns): ``np.vectorize(f)(x)``,
``np.piecewise(x, conds, funcs)``, ``np.apply_along_axis(f, axis, a)`` with lambdas, nested and
module-level functions (Python control flow inside them). Values and dtypes against NumPy,
derivatives against central differences (forward, reverse, second order); what stays refused."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, 0.7, 1.2, -0.4])


def helper(a, b):
    if a > b:
        return a * b
    return a - b


def vec(x):
    return np.vectorize(lambda v: v * v + 1.0)(x)


def vec_branch(x):
    return np.vectorize(lambda v: v**2 if v > 0.5 else np.sin(v))(x) * x


def vec_two(x):
    return np.vectorize(helper)(x, x[::-1] * 0.5)


def vec_broadcast(x):
    return np.vectorize(helper, otypes=[float])(x[:, None], x[None, :2])


def vec_int(x):  # NumPy's dtype: the first result's (an int here): no derivative through it
    return np.vectorize(lambda v: 0 if v < 0.5 else 2)(x) * x


def vec_nested(x):
    def inner(v):
        return np.exp(-v) * x[0]

    return np.vectorize(inner)(x)


def piece(x):
    return np.piecewise(x, [x < 0.5, x >= 0.5], [lambda v: v**2, lambda v: np.sin(v)])


def piece_otherwise(x):
    return np.piecewise(x, [x < 0.2, x > 1.0], [lambda v: v**3, 2.0, lambda v: np.exp(v)]) * x


def piece_unused(x):  # NumPy does not call a function no element selects (v.max() of nothing)
    return np.piecewise(x, [x > 10.0], [lambda v: v.max() * v, lambda v: v * 2.0])


def along_rows(x):
    A = x.reshape(2, 2) * np.ones((2, 2))
    return np.apply_along_axis(lambda r: r.max() - r.min() + r.sum() * r[0], 1, A)


def along_columns(x):
    return np.apply_along_axis(lambda r: r * r.sum(), 0, np.outer(x, x[:3]))


def along_3d(x):
    T = np.outer(x, x).reshape(2, 2, 4)
    return np.apply_along_axis(lambda r: np.array([r.sum(), (r**2).sum()]), 1, T)


CASES = [vec, vec_branch, vec_two, vec_int, vec_nested, piece, piece_otherwise, piece_unused,
         along_rows, along_columns, along_3d]  # fmt: skip


@pytest.mark.parametrize("f", CASES, ids=[f.__name__ for f in CASES])
def test_against_numpy_and_central_differences(f) -> None:
    got, want = srcad.primal(f)(X), f(X)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-14)
    check_grads(f, (X,), modes=("fwd", "rev"))
    check_grads(f, (X,), modes=("fwd",), order=2)


def test_vectorize_broadcasts_its_arguments() -> None:
    x = X[:3].copy()
    np.testing.assert_array_equal(srcad.primal(vec_broadcast)(x), vec_broadcast(x))
    check_grads(vec_broadcast, (x,), modes=("fwd", "rev"))


def vec_pair(x):
    return np.vectorize(lambda v: (v, v * 2.0))(x)[0]


def vec_signature(x):
    return np.vectorize(lambda r: r.sum(), signature="(n)->()")(x.reshape(2, 2))


def test_vectorize_with_several_results_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="several values"):
        srcad.grad(lambda x: np.sum(vec_pair(x)))(X)


def test_vectorize_with_a_signature_is_refused() -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.grad(lambda x: np.sum(vec_signature(x)))(X)
