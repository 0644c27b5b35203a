"""Wrong results found by hunt19 (session 19), each fixed and checked here against plain Python and
central differences taken with the argument's memory layout kept.

The copy of a functional ``x[idx] = v`` (the generated ``x_1 = x.copy(); x_1[idx] = v``, used
wherever the in-place pass cannot update `x` itself) and of an argument the function updates
(``_srcad.entry_copy``) was ``ndarray.copy()``: C order. NumPy's in-place write leaves a
Fortran-ordered or transposed array as it is, and ``ravel``/``reshape``/``flatten``/``np.copy``
with order 'K' or 'A' read that layout, so after a write the srcad versions (primal, value, jvp,
vjp, jacfwd) read the elements in another order: srcad.primal gave -433.59 for Python's -537.99
(`owned_then_ravel_k` on ``base.T``), and every derivative was wrong with it. The copies now keep
the layout (``rules/argcopies.layout_copy``, order 'K')."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

W = np.arange(12.0)
BASE = np.arange(1.0, 13.0).reshape(3, 4) * 0.37 - 1.3


def owned_then_ravel_k(M):
    A = M * 2.0  # NumPy keeps M's layout: Fortran order for a transposed M
    s = np.sum(np.sin(A))
    A[0, 0] = 0.0
    return s * np.sum(A.ravel("K") * W)


def row_then_reshape_a(M):
    A = np.exp(M)
    A[1] = M[1] ** 2
    return np.sum(A.reshape(-1, order="A") * W)


def empty_like_filled(M):
    A = np.empty_like(M)
    A[...] = M**2
    return np.sum(np.ravel(A, order="K") * W)


def column_update_copy_k(M):
    A = M * 1.0
    A[:, 0] += 1.0
    return np.sum(np.copy(A, order="K").ravel("K") * W) + np.sum(A.flatten("A") * W)


def argument_updated(M):
    M[0, 0] = M[0, 0] ** 2
    return np.sum(M.ravel("K") * W)


def loop_rows(M):
    A = M + 0.0
    for i in range(3):
        A[i % A.shape[0]] = A[i % A.shape[0]] * 1.5 + i
    return np.sum(A.ravel(order="K") * W)


def view_updated(M):
    A = M * 1.0
    v = A[1:]
    v *= 2.0  # through the view: A itself
    return np.sum(A.ravel("K") * W)


def mask_written(M):
    A = M * 1.0
    A[A > 0] = 0.5 * M[M > 0] ** 2
    return np.sum(A.ravel("K") * W)


def fancy_written(M):
    A = M * 1.0
    A[[0, 2], [1, 1]] = M[0, :2] * 3
    return np.sum(A.reshape(-1, order="A") * W)


def list_item_written(M):
    xs = [M * 1.0, M * 2.0]
    xs[0][0, 0] = 5.0
    return np.sum(xs[0].ravel("K") * W)


CASES = [
    owned_then_ravel_k,
    row_then_reshape_a,
    empty_like_filled,
    column_update_copy_k,
    argument_updated,
    loop_rows,
    view_updated,
    mask_written,
    fancy_written,
    list_item_written,
]
LAYOUTS = {"fortran": BASE.T, "c": BASE, "strided": np.arange(1.0, 25.0).reshape(6, 4)[::-2] * 0.3}


def _at(M):
    return M.copy(order="K")  # the layout kept, as the caller's array has it


def _fd(f, M, d, h=1e-6):
    def at(t):
        X = _at(M)
        X[...] = M + t * d
        return f(X)

    return (at(h) - at(-h)) / (2 * h)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("f", CASES, ids=[f.__name__ for f in CASES])
def test_layout_after_write(f, layout):
    M = LAYOUTS[layout]
    d = np.random.default_rng(0).standard_normal(M.shape)
    want, dwant = f(_at(M)), _fd(f, M, d)
    assert srcad.primal(f)(_at(M)) == pytest.approx(want, rel=1e-12)
    v, g = srcad.value_and_grad(f)(_at(M))
    assert v == pytest.approx(want, rel=1e-12)
    assert np.sum(g * d) == pytest.approx(dwant, rel=1e-6, abs=1e-8)
    o, t = srcad.jvp(f, (_at(M),), (d,))
    assert o == pytest.approx(want, rel=1e-12)
    assert t == pytest.approx(dwant, rel=1e-6, abs=1e-8)
    assert np.sum(srcad.jacfwd(f)(_at(M)) * d) == pytest.approx(dwant, rel=1e-6, abs=1e-8)


def test_argument_written_back_in_its_layout():
    M = _at(BASE.T)
    argument_updated(M)
    N = _at(BASE.T)
    srcad.grad(argument_updated)(N)
    np.testing.assert_array_equal(N, M)
    assert N.flags.f_contiguous


def test_lists_and_dicts_still_copied():
    def f(x):
        xs = [x[0], x[1]]
        d = {"a": x[2]}
        keep = xs
        xs2 = list(keep)
        xs2[0] = xs2[0] * 3.0
        d2 = dict(d)
        d2["a"] = d2["a"] ** 2
        return xs2[0] + xs[0] + d2["a"] + d["a"]

    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(srcad.grad(f)(x), [4.0, 0.0, 5.0])


def flags_branch(x):
    M = np.outer(x[:3], x[3:]).T * 1.0  # Fortran order, as NumPy keeps it through the write
    M[0, 0] = 1.0
    if M.flags.f_contiguous:
        return np.sum(M.ravel("K") * np.arange(9.0))
    return np.sum(M)


def test_branch_on_the_layout_after_a_write():
    x = np.array([0.53, -1.17, 0.71, 2.09, -0.33, 1.61])
    want = flags_branch(x.copy())
    assert srcad.primal(flags_branch)(x.copy()) == pytest.approx(want, rel=1e-12)
    v, g = srcad.value_and_grad(flags_branch)(x.copy())
    assert v == pytest.approx(want, rel=1e-12)
    h = 1e-6
    fd = [(flags_branch(x + h * e) - flags_branch(x - h * e)) / (2 * h) for e in np.eye(6)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


# -- found, not fixed: ``a op= v`` on an array is lowered as ``a = a + v`` (ad/augmented.py), but
# NumPy's in-place op keeps a's dtype and shape (casting="same_kind")
def f32_accumulator(x):
    W = np.zeros(3, np.float32)
    for _ in range(3):
        W += 0.1 * x  # float64 values into a float32 array: W stays float32
    return np.sum(W**2)


def int_accumulator(x):
    A = np.arange(3)
    A += x  # NumPy: UFuncTypeError (float64 into int64 is no same_kind cast)
    return np.sum(A)


def test_inplace_op_keeps_the_dtype():
    x = np.array([0.1234567891, -1.3333333333, 2.7182818284])
    want = f32_accumulator(x.copy())
    got = srcad.primal(f32_accumulator)(x.copy())
    assert type(got) is type(want) and got == want


def test_inplace_op_refuses_what_numpy_refuses():
    x = np.array([0.5, -1.5, 2.5])
    with pytest.raises(TypeError):
        int_accumulator(x.copy())
    with pytest.raises(TypeError):  # (numpy.exceptions.UFuncTypeError is a TypeError)
        srcad.primal(int_accumulator)(x.copy())
