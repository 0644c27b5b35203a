"""Session 22 (fuzz22): what the wild generator (tests/fuzz/gen_wild.py) found.

- A ufunc called with ``dtype=`` (``np.multiply(x, 2, dtype=float)``, ``np.sin(x,
  dtype=np.float32)``) was refused ("cannot bind the arguments of numpy.multiply"): NumPy casts
  the operands to the dtype by the `same_kind` rule and computes in it, now lowered as that
  (lower/library_np.ufunc_dtype), float and complex dtypes only.
- ``np.triu(v)`` / ``np.tril(v, k)`` of a 1-D `v` (NumPy: the (N, N) matrix whose rows are all
  `v`, masked) crashed every reverse mode ("internal error: a derivative of shape (N, N) was
  computed for a value of shape (N,)"): the VJP template returned the masked (N, N) cotangent
  without summing its rows (rules/linalg.py: ``unbroadcast(np.triu(g, k), m)``). Found as
  ``w1 = np.array(np.triu(x0), dtype=float); w1[::-1] *= x0`` (seed 10040).
- ``w = np.atleast_2d(x).copy(); w[::2] -= x`` was refused in reverse mode ("a slice
  assignment into a list: the list may change length"): ad/seqs.py did not know that
  ``np.atleast_Nd`` of one operand is an array (of several it is a tuple) (seed 10180).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.array([0.7, -1.3, 0.4])
V = np.array([0.3, 0.5, -0.9])


def _check(f, x: np.ndarray = X) -> None:
    """primal (value and dtype), grad against central differences, hvp against differences of
    the gradient."""
    ref = f(x)
    got = srcad.primal(f)(x)
    assert np.asarray(got).dtype == np.asarray(ref).dtype
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    g = srcad.grad(f)(x)
    f32 = np.asarray(ref).dtype == np.float32
    h = 1e-2 if f32 else 1e-6  # (float32 rounding, 1e-7, over the step)
    fd = (f(x + h * V) - f(x - h * V)) / (2 * h)
    np.testing.assert_allclose(np.dot(g, V), fd, rtol=1e-4 if f32 else 1e-6)
    _, hv = srcad.hvp(f, (x,), (V,))
    fd2 = (srcad.grad(f)(x + h * V) - srcad.grad(f)(x - h * V)) / (2 * h)
    np.testing.assert_allclose(hv, fd2, rtol=1e-4, atol=1e-4)


UFUNC_DTYPE = {
    "mul_float": lambda x: np.sum(np.multiply(x, 2, dtype=float) ** 2),
    "mul_float32": lambda x: np.sum(np.multiply(x, 2.5, dtype=np.float32) ** 2),
    "sin_float64": lambda x: np.sum(np.sin(x, dtype=np.float64) * x),
    "add_complex": lambda x: np.sum(np.abs(np.add(x, 1j, dtype=complex)) ** 2),
    "python_floats": lambda x: np.multiply(float(x[0]), float(x[1]), dtype=float) * x[2],
    "hypot_dtype_kw": lambda x: np.sum(np.hypot(x, 0.5, dtype="float64")),
}


@pytest.mark.parametrize("name", sorted(UFUNC_DTYPE))
def test_ufunc_dtype_keyword(name: str) -> None:
    _check(UFUNC_DTYPE[name])


def test_ufunc_dtype_cast_refused_as_numpy() -> None:
    """A complex operand and ``dtype=float``: NumPy raises (`same_kind`), and so does srcad."""

    def f(x):
        return np.sum(np.multiply(x + 1j, 2, dtype=float))

    with pytest.raises(TypeError):
        f(X)
    with pytest.raises((TypeError, srcad.SrcadError)):
        srcad.grad(f)(X)


TRI_1D = {
    "triu": lambda x: np.sum(np.triu(x) ** 2),
    "tril_k": lambda x: np.sum(np.sin(np.tril(x, -1)) * np.arange(9.0).reshape(3, 3)),
    "triu_matmul": lambda x: np.sum(np.triu(x) @ x),
    "triu_copy_write": lambda x: _write(x),
    "triu_list": lambda x: np.sum(np.triu([float(x[0]), float(x[1]), 2.0]) ** 3),
}


def _write(x):
    w = np.array(np.triu(x), dtype=float)
    w[::-1] *= x
    return np.sum(w * w)


@pytest.mark.parametrize("name", sorted(TRI_1D))
def test_triu_tril_of_a_vector(name: str) -> None:
    _check(TRI_1D[name])


def _atleast_copy(x):
    w = np.atleast_2d(x).copy()
    w[::2] -= x
    return np.sum(w * w)


def _atleast_1d_slice(x):
    w = np.atleast_1d(x * 2.0).copy()
    w[1:] = w[1:] * x[:-1]
    return np.sum(np.sin(w))


@pytest.mark.parametrize("f", [_atleast_copy, _atleast_1d_slice])
def test_slice_write_into_a_copy_of_atleast_nd(f) -> None:
    _check(f)
