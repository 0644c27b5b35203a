"""Held-out-style hunt (session 41, hunt41b): NumPy idioms, simulations, Python idioms.

- Wrong derivative: a part of ``np.split`` (``array_split``, ``hsplit``, ...) with a keyword
  argument, of a value a singular op made, read by an index: ``np.split(np.sqrt(m), 3,
  axis=1)[0]`` had a zero gradient (every entry of `m` > 0), ``np.split(np.sqrt(m), [1],
  axis=0)[1]`` one for the first column only. The partial-read mask
  (``_srcad.read_by(prim, p, names, *args, *kwargs, part)``) took the last ``len(names)``
  arguments as the keywords, but the part index comes after them: the split ran with
  ``axis=part`` and took part ``axis``, so the mask kept the positions of another part and
  zeroed the true contributions. `read_by` takes the part off the end first.

- Primal differs from Python: ``for idx, v in np.ndenumerate(a)`` took the index tuple from
  ``np.unravel_index`` (NumPy ints), where NumPy's ndenumerate yields Python ints; so
  ``tot += v * (i + 2 * j)`` of a float32 `a` was float64 in srcad's code (the NumPy int is not
  a weak scalar) and float32 in Python's. The tuples now come from ``np.ndindex`` of the shape,
  listed once before the loop.
- Spurious refusal: ``np.linalg.svd(a, hermitian=True)`` ("no derivative of
  np.linalg.svd(hermitian=True)"), e.g. the singular values of a symmetric indefinite matrix.
  NumPy computes it from ``eigh`` of the lower triangle (``a`` need not be symmetric), so its
  rules are the svd rules of that symmetric matrix (`_srcad.herm`), the cotangent sent back to
  the triangle (`_srcad.herm_t`), as ``pinv(hermitian=True)`` already did. Its singular vectors
  at a zero eigenvalue (a zero row of NumPy's Vh: no SVD) are refused when it runs.
- NaN gradient: ``r = np.sqrt(x)`` read in part through ``np.moveaxis``, ``np.atleast_2d``,
  ``np.flip`` or ``np.roll`` (``np.moveaxis(r.reshape(1, 2, 3), 2, 0)[1, 0, 1]``) had a NaN
  gradient at the positions never read where ``x < 0`` (0 * nan): ad/partreads.py followed
  reshapes, transposes, swapaxes and indexes only. These four are moves too now (their keyword
  arguments taken in order), their masks moved back by `_srcad.moved_mask`. ``np.tril``,
  ``np.triu`` and ``np.diag`` of such a value (``np.sum(np.tril(np.sqrt(m)))`` with the upper
  triangle negative) likewise: they are selections now (`_srcad.read_by`).
- Crash: ``np.linalg.eigh(a=m)`` / ``np.linalg.eigvalsh(a=m)`` (the matrix by keyword) was an
  internal error (IndexError in ad/complex_check.py, which read ``op.args[0]``); the operand
  is now the first argument or the keyword ``a``, real or complex Hermitian.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

W3 = np.array([1.0, 2.0, 3.0])
IND = np.array([[1.0, 0.4, 0.3], [0.2, -2.0, 0.5], [0.7, 0.1, 0.6]])  # indefinite, not symmetric


def ndenumerate_weighted(a):
    tot = 0.0
    for (i, j), v in np.ndenumerate(a):
        tot += v * (i + 2 * j)
    return tot


def ndenumerate_0d(a):
    tot = 1.0
    for idx, v in np.ndenumerate(a * 2.0):
        tot = tot * v + len(idx)
    return tot


def test_ndenumerate_index_is_python_int():
    a = np.array([[0.5, -1.25], [2.0, 0.75]], dtype=np.float32)
    want = ndenumerate_weighted(a)
    got = srcad.primal(ndenumerate_weighted)(a)
    assert type(got) is type(want) is np.float32
    assert got == want
    g = srcad.grad(ndenumerate_weighted)(a)
    assert g.dtype == np.float32
    np.testing.assert_array_equal(g, np.array([[0.0, 2.0], [1.0, 3.0]], np.float32))


def test_ndenumerate_derivatives():
    check_grads(ndenumerate_weighted, (np.array([[0.5, -1.2], [2.0, 0.7]]),), ("fwd", "rev"), 2)
    check_grads(ndenumerate_0d, (np.array(0.7),), ("fwd", "rev"), 2)
    assert srcad.primal(ndenumerate_0d)(np.array(0.7)) == ndenumerate_0d(np.array(0.7))


def svd_herm_values(a):
    return np.sum(np.linalg.svd(a, compute_uv=False, hermitian=True) * W3)


def svd_herm_by_eigvalsh(a):
    return np.sum(np.sort(np.abs(np.linalg.eigvalsh(a)))[::-1] * W3)


def svd_herm_vectors(a):
    u, s, vh = np.linalg.svd(a, hermitian=True)
    return np.sum((u * s) @ vh * np.arange(9.0).reshape(3, 3)) + np.sum(u[:, 0] ** 2 * vh[1] * W3)


def test_svd_hermitian():
    g = srcad.grad(svd_herm_values)(IND)
    np.testing.assert_allclose(g, srcad.grad(svd_herm_by_eigvalsh)(IND), rtol=1e-12, atol=1e-14)
    assert np.all(np.triu(g, 1) == 0.0)  # NumPy reads the lower triangle only
    check_grads(svd_herm_values, (IND,), ("fwd", "rev"), 2)
    check_grads(svd_herm_vectors, (IND,), ("fwd", "rev"), 2)
    z = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 3.0]])  # eigenvalues 0, 2, 3
    with pytest.raises(srcad.SrcadError, match="zero eigenvalue"):
        srcad.grad(svd_herm_vectors)(z)


XN = np.array([0.7, -1.4, 0.3, -2.2, 0.9, 1.7])  # sqrt: NaN at 1 and 3, read nowhere


def read_through_moveaxis(x):
    r = np.sqrt(x).reshape(1, 2, 3)
    return np.moveaxis(r, 2, 0)[1, 0, 1] + np.moveaxis(r, source=-1, destination=0)[2, 0, 0]


def read_through_atleast_2d(x):
    r = np.sqrt(x)
    keep = np.array([[True, False, True, False, True, True]])
    return np.atleast_2d(r)[0, 4] + np.sum(np.where(keep, np.atleast_2d(r), 0.0))


def read_through_flip(x):
    r = np.sqrt(x)
    a = np.flip(r)[1] + np.flip(r.reshape(2, 3), axis=(0, 1))[0, 0]
    keep = np.array([False, True, True, True, False, True])
    return a + np.sum(np.where(keep, np.roll(np.flip(r, axis=0), shift=2), 0.0))


def read_through_roll(x):
    r = np.sqrt(x)
    return np.roll(r, 2)[2] + np.roll(r.reshape(2, 3), -1, axis=1)[1, 1]


def read_through_tril_diag(x):
    m = np.sqrt(np.array([[x[0], x[1], x[3]], [x[4], x[5], x[1]], [x[2], x[0], x[5]]]))
    return np.sum(np.tril(m)) + np.sum(np.triu(m.T, k=1)) + np.sum(np.diag(m) ** 2)


@pytest.mark.parametrize(
    "f",
    [
        read_through_moveaxis,
        read_through_atleast_2d,
        read_through_flip,
        read_through_roll,
        read_through_tril_diag,
    ],
)
def test_partial_reads_through_more_moves(f):
    with np.errstate(invalid="ignore"):
        g = srcad.grad(f)(XN)
        assert g[1] == 0.0 and g[3] == 0.0  # (NaN before)
        check_grads(f, (XN,), ("fwd", "rev"), 2)
        h = srcad.hessian(f)(XN)
    assert np.all(np.isfinite(h)) and np.all(h[[1, 3]] == 0.0)


MP = np.array([[0.7, 1.4, 0.3], [2.2, 0.9, 1.7], [0.5, 0.4, 1.1]])


def split_column_rows(m):
    return np.sum(np.split(np.sqrt(m), 3, axis=1)[0][[0, 2]])


def split_rows_after_first(m):
    return np.sum(np.split(np.sqrt(m), [1], axis=0)[1]) + np.sum(np.hsplit(np.log(m), [1])[1][:, 0])


def test_split_part_with_keyword_read_by_index():
    want = np.zeros((3, 3))
    want[[0, 2], 0] = 0.5 / np.sqrt(MP[[0, 2], 0])
    np.testing.assert_allclose(srcad.grad(split_column_rows)(MP), want, rtol=1e-14)  # (0 before)
    want = np.zeros((3, 3))
    want[1:] = 0.5 / np.sqrt(MP[1:])
    want[:, 1] += 1.0 / MP[:, 1]
    np.testing.assert_allclose(srcad.grad(split_rows_after_first)(MP), want, rtol=1e-14)
    check_grads(split_column_rows, (MP,), ("fwd", "rev"), 2)
    check_grads(split_rows_after_first, (MP,), ("fwd", "rev"), 2)


A3 = np.array([[2.0, 0.3, 0.1], [0.3, 1.5, -0.2], [0.1, -0.2, 1.0]])
H3 = np.array([[0.0, 0.4, -0.2], [-0.4, 0.0, 0.3], [0.2, -0.3, 0.0]])


def eigh_by_keyword(x):
    w = np.linalg.eigvalsh(a=A3 + np.diag(x))
    v = np.linalg.eigh(a=A3 + np.diag(x), UPLO="U").eigenvectors
    return np.sum(w**2) + np.sum(v[:, 0] ** 2 * np.arange(3))


def eigh_complex_by_keyword(x):
    w, v = np.linalg.eigh(a=A3 + np.diag(x) + 1j * H3 * x[1])
    return np.sum(w * np.arange(3)) + np.sum(np.abs(v[:, 0]) ** 2 * np.arange(3))


@pytest.mark.parametrize("f", [eigh_by_keyword, eigh_complex_by_keyword])
def test_eigh_matrix_by_keyword(f):
    check_grads(f, (np.array([0.7, -0.4, 1.3]),), ("fwd", "rev"), 2)
