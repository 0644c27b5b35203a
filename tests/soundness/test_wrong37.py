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
