"""NumPy 2's array-API functions (and ``np.average(returned=True)``) that `srcad.lower.api_np`
writes as older primitives, end to end:
the same values, shapes and dtypes as NumPy, forward and reverse mode against finite differences,
second order, and NumPy's errors for the arguments it refuses.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X3 = np.array([[[0.3, -1.2, 0.8, 0.1], [1.1, 0.4, -0.6, 0.9], [-0.2, 0.5, 1.7, -1.4]],
               [[0.7, -0.3, 0.2, 1.3], [-0.9, 0.6, 1.5, -0.4], [0.35, -1.1, 0.45, 0.8]]])  # fmt: skip

CASES = {
    "vector_norm": lambda x: np.linalg.vector_norm(x),
    "vector_norm_axis_ord3": lambda x: np.linalg.vector_norm(x, axis=-1, ord=3),
    "vector_norm_tuple_keepdims": lambda x: np.linalg.vector_norm(x, axis=(0, 2), keepdims=True),
    "vector_norm_inf": lambda x: np.linalg.vector_norm(x, axis=(-1, 0), ord=np.inf),
    "vector_norm_l1_keepdims": lambda x: np.linalg.vector_norm(x, keepdims=True, ord=1) * x,
    "vector_norm_p": lambda x: np.linalg.vector_norm(x, axis=1, ord=0.5),
    "matrix_norm": lambda x: np.linalg.matrix_norm(x),
    "matrix_norm_1_keepdims": lambda x: np.linalg.matrix_norm(x, ord=1, keepdims=True),
    "matrix_norm_inf": lambda x: np.linalg.matrix_norm(x[0], ord=np.inf),
    "cumulative_sum_1d": lambda x: np.cumulative_sum(x.ravel()),
    "cumulative_sum_initial": lambda x: np.cumulative_sum(x, axis=1, include_initial=True),
    "cumulative_prod": lambda x: np.cumulative_prod(x, axis=-1),
    "cumulative_prod_initial": lambda x: np.cumulative_prod(x[1, 2], include_initial=True),
    "unstack": lambda x: np.unstack(x)[1] * np.unstack(x, axis=-1)[0][..., None],
    "broadcast_arrays": lambda x: np.broadcast_arrays(x, x[0, :, :1], 2.0),
    "average_returned": lambda x: np.average(x, axis=0, weights=np.exp(x), returned=True),
    "average_returned_1d": lambda x: np.average(
        x, axis=1, weights=np.exp(x[0, :, 0]), returned=True, keepdims=True
    ),
    "average_returned_count": lambda x: np.average(x, axis=-1, returned=True),
    "average_returned_all": lambda x: np.average(x, weights=x**2, returned=True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_api_function_values_and_derivatives(name: str) -> None:
    if name.startswith(("cumulative", "unstack")) and not hasattr(np, "unstack"):
        pytest.skip("NumPy < 2.1 has no cumulative_sum/cumulative_prod/unstack")
    f = CASES[name]
    want = f(X3.copy())
    got = srcad.primal(f)(X3.copy())
    for w, g in zip(
        want if isinstance(want, tuple) else (want,), got if isinstance(got, tuple) else (got,)
    ):
        assert np.shape(g) == np.shape(w) and np.asarray(g).dtype == np.asarray(w).dtype
        assert type(g) is type(w)
        np.testing.assert_allclose(g, w, rtol=1e-12)
    check_grads(f, (X3.copy(),), modes=("fwd", "rev"))
    if "inf" not in name and "_1_" not in name:
        check_grads(f, (X3.copy(),), modes=("fwd",), order=2)


@pytest.mark.parametrize(
    "f",
    [
        lambda x: np.cumulative_sum(x),  # axis=None of an N-D array
        lambda x: np.linalg.vector_norm(x, axis=(0, 0)),  # a repeated axis
        lambda x: np.linalg.vector_norm(x, axis=3),  # out of range
    ],
)
def test_api_function_errors_are_numpys(f) -> None:
    with pytest.raises(Exception) as want:
        f(X3)
    with pytest.raises(type(want.value)):
        srcad.primal(f)(X3)


def test_dtypes_follow_numpy() -> None:
    if not hasattr(np, "cumulative_sum"):
        pytest.skip("NumPy < 2.1 has no cumulative_sum")
    x32 = X3.astype(np.float32)
    for f in (
        lambda x: np.cumulative_sum(x, axis=0, include_initial=True),
        lambda x: np.linalg.vector_norm(x, axis=1),
    ):
        assert srcad.primal(f)(x32).dtype == f(x32).dtype == np.float32
    xi = np.arange(6).reshape(2, 3)
    f = lambda x: np.cumulative_prod(x, axis=1, include_initial=True)  # noqa: E731
    np.testing.assert_array_equal(srcad.primal(f)(xi), f(xi))
    assert srcad.primal(f)(xi).dtype == f(xi).dtype
