"""Session 44 (lead): the loops lower/combos.py writes for ``itertools.combinations`` and
``permutations`` were named from a process-wide counter (``srcad_i0``, then ``srcad_i1`` for the
next function transformed): the same function gave other text after other transforms. They are
numbered within the function now."""

import itertools

import numpy as np

import srcad


def _pairs(x):
    bodies = [[x[0], x[1]], [x[2], 0.5], [x[1], x[2]]]
    for a, b in itertools.combinations(bodies, 2):
        a[0] -= b[1] * 0.3
    return bodies[0][0] * bodies[2][1] + bodies[1][0]


def _perms(x):
    bodies = [[x[0], x[1]], [x[2], 0.5]]
    for a, b in itertools.permutations(bodies, 2):
        a[1] += b[0] * 0.2
    return bodies[0][1] * bodies[1][1]


X = np.array([0.3, -0.7, 1.1])


def test_pair_loops_are_numbered_within_the_function():
    """`_pairs` is transformed first: with a process-wide counter `_perms`'s loops came out
    as ``srcad_i1`` (or later, after other tests' pair loops), as ``srcad_i0`` alone."""
    srcad.source(_pairs, mode="grad", args=(X,))
    text = srcad.source(_perms, mode="grad", args=(X,))
    names = {w for w in text.replace("(", " ").replace(")", " ").split() if w.startswith("srcad_")}
    # (since idiom47a the permutations' loops take no `continue`, and lower/listobjs.py unrolls
    # them into variables per item, numbered within the function too: ``srcad_lo1_2``)
    loops = {w for w in names if w.startswith(("srcad_i", "srcad_j"))}
    assert loops <= {"srcad_i0", "srcad_j0"}
    assert all(w.startswith(("srcad_i0", "srcad_j0", "srcad_lo")) for w in names), names
    e = np.eye(3) * 1e-6
    fd = [(_perms(X + e[i]) - _perms(X - e[i])) / 2e-6 for i in range(3)]
    np.testing.assert_allclose(srcad.grad(_perms)(X), fd, rtol=1e-6, atol=1e-9)
