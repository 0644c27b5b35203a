"""Session 37 (wrong37): what the wild37 grammar (tests/fuzz/gen_wild_37.py) found.

- Crash (wild37 seed 37300068, an internal error; invalid IR under ``SRCAD_VERIFY=1``): a loop
  reading two entries of a singular value (``v = np.sqrt(x)``) whose values the body uses only
  in a branch, as ``[t * u for i, (t, u) in enumerate(zip(v, reversed(v))) if i % 2 == 0]``
  does. `ad/loopreads.py` marks such reads at the head of the branch, and put the second mark
  before the first while it reads the first's record.
"""

from __future__ import annotations

import numpy as np

import srcad


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _check(f, x):
    """grad, jvp and the Hessian of the scalar `f` at the 1-D `x` against central differences."""
    g = srcad.grad(f)(x.copy())
    want = _fd(f, x)
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    u = np.cos(np.arange(len(x)) + 1.0)
    _, t = srcad.jvp(f, (x.copy(),), (u,))
    np.testing.assert_allclose(t, np.dot(want, u), rtol=1e-5, atol=1e-6)
    h = srcad.hessian(f)(x.copy())
    hw = np.array([_fd(lambda y, k=k: srcad.grad(f)(y)[k], x, 1e-5) for k in range(len(x))])
    np.testing.assert_allclose(h, hw, rtol=1e-4, atol=1e-5)


# -- two reads of a singular value used only in a branch of the loop body ----------------------


def zip_reversed_filtered(x):
    v = np.sqrt(x)
    pairs = [t * u for i, (t, u) in enumerate(zip(v, reversed(v))) if i % 2 == 0]
    return sum(pairs)


def two_reads_in_branch(x):
    r = np.log(x)
    s = 0.0
    for i in range(len(r)):
        a, b = r[i], r[len(r) - 1 - i]
        if i != 1:
            s = s + a * b + np.sin(a)
    return s


def test_two_reads_marked_in_a_branch():
    for f in (zip_reversed_filtered, two_reads_in_branch):
        _check(f, np.array([0.8761, 0.7328, 2.0405]))


def test_unread_singular_entry_stays_out():
    # x[1] < 0: its sqrt / log is nan, read only in the iteration whose branch is not taken
    x = np.array([0.8761, -0.7328, 2.0405])
    for f in (zip_reversed_filtered, two_reads_in_branch):
        g = srcad.grad(f)(x.copy())
        assert np.all(np.isfinite(g)), g
        assert g[1] == 0.0
        for k in (0, 2):
            e = np.eye(3)[k] * 1e-6
            np.testing.assert_allclose(g[k], (f(x + e) - f(x - e)) / 2e-6, rtol=1e-5)


# -- rows of a matrix made by broadcasting, updated in a loop ----------------------------------


def ones_times_row(x):
    M = np.ones((2, 3)) * x
    for i in range(2):
        M[i][1] -= 0.5 * x[0] ** 2
    return (M * M).sum()


def zeros_plus_row(x):
    M = np.zeros((2, 3)) + x
    for i in range(2):
        M[i][1:] *= x[i] + 2.0
        M[i][0] -= np.sin(M[i][2])
    return (M * M).sum()


def column_times_row_mask(x):
    M = x * np.ones((3, 1))
    for i in range(3):
        M[i][M[i] > 0.5] -= 0.5 * x[i]
        M[i][i] += x[0] * x[1]
    return (M**2).sum()


def row_view_held(x):
    M = np.ones((2, 3)) * x
    r = M[0]  # a view: Python sees the loop's update of row 0
    for i in range(2):
        M[i][1] -= 0.5 * x[0] ** 2
    return (r * r).sum() + M.sum()


def test_broadcast_matrix_rows_updated_in_a_loop():
    # refused before ("`M` is read after the object it shares with another name is modified"):
    # `M[i][j] op= v` in a loop needs M's rank, and `M * x` of a 2-D `M` and a 1-D `x` had none
    x = np.array([0.4515, -1.3447, 1.0195])
    for f in (ones_times_row, zeros_plus_row, column_times_row_mask, row_view_held):
        _check(f, x)
