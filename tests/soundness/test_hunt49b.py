"""Writes into nested lists three and more levels deep (session 49, hunt49b).

``out[i][j][k] = v`` into lists a loop or comprehension built (pythran's filter-bank correlation
over 4-D lists, Polybench's heat-3d as C writes it) was refused: the mutation check's write-back
rule wanted each list on the path to have one holder that is a single object, and the rows of
the middle level are the older objects of their site (one abstract object for many lists).
The analysis now counts the holders each object made here may gain (`State.stored`/`multi`): a
list stored once sits in one slot of one container even when its holder stands for many.

Each lifted program is checked against central differences; each program where an inner list
really is shared, copied or aliased must stay refused or be computed as Python does (these
guard the rule: with `_held_once` ignoring the store counts, `shared_alternate`'s value
came out silently wrong).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad

X = np.array([0.3, -0.5, 0.7, 1.1])


def _fd_grad(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


# -- lifted: each inner list is stored once ------------------------------------------------------


def accumulate3(x):
    out = [[[0.0 for k in range(2)] for j in range(3)] for i in range(2)]
    for i in range(2):
        for j in range(3):
            for k in range(2):
                out[i][j][k] += x[i] * x[j] * x[k + 1]
    return sum(sum(sum(r) ** 2 for r in q) for q in out)


def assign4(x):
    out = [[[[0.0, 0.0] for k in range(2)] for j in range(2)] for i in range(2)]
    for i in range(2):
        for j in range(2):
            for k in range(2):
                for m in range(2):
                    out[i][j][k][m] = x[i] * x[j] + x[k] * x[m + 1]
    s = 0.0
    for a in out:
        for b in a:
            for c in b:
                for d in c:
                    s += d * d
    return s


def dict_of_grids(x):
    d = {"a": [[0.0, 0.0] for j in range(2)], "b": [[0.0, 0.0] for j in range(2)]}
    for key in ("a", "b"):
        for j in range(2):
            d[key][j][1] = x[j] * (2.0 if key == "a" else 3.0)
    return d["a"][1][1] * d["b"][0][1]


def _bump(G, i, j, v):
    G[i][j][0] += v


def helper_write(x):
    G = [[[0.0, 1.0] for j in range(2)] for i in range(2)]
    for i in range(2):
        for j in range(2):
            _bump(G, i, j, x[i] * x[j])  # (inlined: the caller's own nested write)
    return G[0][1][0] * G[1][0][0] + G[1][1][0]


def while_write(x):
    G = [[[0.0] * 3 for j in range(2)] for i in range(2)]
    k = 0
    while k < 3:
        G[k % 2][(k + 1) % 2][k] = G[k % 2][(k + 1) % 2][k] + x[k] ** 2
        k += 1
    return sum(sum(sum(r) for r in p) * (pi + 1) for pi, p in enumerate(G))


def reversed_row(x):
    G = [[[x[0], x[1], x[2]] for j in range(2)] for i in range(2)]
    G[1][0] = G[1][0][::-1]  # a new row in its place
    G[1][0][0] = G[1][0][0] * 3.0
    G[0][1][2] = G[1][0][0] + G[0][0][2]
    return G[0][1][2] * G[1][0][2] + G[1][1][0]


def append_inner(x):
    G = [[[x[0]] for j in range(2)] for i in range(2)]
    for i in range(2):
        for j in range(2):
            G[i][j].append(x[i] * x[j])
    return sum(G[i][j][1] * G[i][j][0] for i in range(2) for j in range(2))


LIFTED = [
    accumulate3,
    assign4,
    dict_of_grids,
    helper_write,
    while_write,
    reversed_row,
    append_inner,
]


@pytest.mark.parametrize("f", LIFTED, ids=lambda f: f.__name__)
def test_nested_writes_differentiated(f) -> None:
    expected = f(X.copy())
    assert srcad.primal(f)(X.copy()) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(X.copy()), _fd_grad(f, X), rtol=1e-6, atol=1e-8)
    _, hv = srcad.hvp(f, (X.copy(),), (np.array([1.0, -0.5, 0.25, 2.0]),))
    v = np.array([1.0, -0.5, 0.25, 2.0])
    g = srcad.grad(f)
    fd = (g(X + 1e-5 * v) - g(X - 1e-5 * v)) / 2e-5
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-6)


def test_nested_list_argument_written_after_copy() -> None:
    # the deep copy of a 3-D list argument by ``list(row)``, then C-style element writes
    def f(a0):
        a = [[list(row) for row in plane] for plane in a0]
        for i in range(2):
            for j in range(2):
                a[i][j][0] = a[i][j][0] * a[i][j][1]
        return sum(sum(sum(r) for r in p) for p in a)

    a0 = np.arange(1.0, 9.0).reshape(2, 2, 2).tolist()
    g = srcad.grad(f)(copy.deepcopy(a0))
    # d/da[i][j][0] = a[i][j][1], d/da[i][j][1] = a[i][j][0] + 1
    expected = [[[r[1], r[0] + 1.0] for r in p] for p in a0]
    np.testing.assert_allclose(np.array(g), np.array(expected))
    assert a0 == np.arange(1.0, 9.0).reshape(2, 2, 2).tolist()


# -- must stay refused (or be Python's values): an inner list shared, copied or aliased ----------


def shared_alternate(x):
    out = []
    inner = [0.0, 0.0]
    for i in range(3):
        if i % 2 == 0:
            inner = [0.0, 0.0]
        out.append([inner, [1.0, 1.0]])  # rows 0 and 1 share their first list
    for i in range(3):
        out[i][0][1] = out[i][0][1] + x[i] * (i + 1)
    return out[0][0][1] * x[0] + out[1][0][1] * x[1] + out[2][0][1]


def shared_twice(x):
    out = []
    for _ in range(2):
        inner = [0.0, 0.0]
        out.append([inner])
        out.append([inner])
    for i in range(4):
        out[i][0][0] = out[i][0][0] + x[i] * x[i]
    return out[0][0][0] * x[1] + out[1][0][0] + out[3][0][0] * x[0]


def copied_planes(x):
    out = [[[0.0, 0.0] for j in range(2)] for i in range(2)]
    out2 = [list(m) for m in out]  # new planes holding the same rows
    for i in range(2):
        for j in range(2):
            out[i][j][0] = x[i] * x[j]
    return out2[0][1][0] + out2[1][1][0] * x[0]


def cross_stored(x):
    out = [[[0.0, 0.0] for j in range(2)] for i in range(2)]
    out[1][0] = out[0][1]
    for i in range(2):
        for j in range(2):
            out[i][j][0] = out[i][j][0] + x[i] * x[j] * (i + 2 * j + 1)
    return out[0][1][0] * x[0] + out[1][0][0]


def appended_again(x):
    out = [[[0.0, 0.0] for j in range(2)] for i in range(2)]
    out[1].append(out[0][1])
    for i in range(2):
        for j in range(3 if i == 1 else 2):
            out[i][j][1] = out[i][j][1] + x[i] + x[j % 2] * (j + 1)
    return out[0][1][1] * x[1] + out[1][2][1]


def repeated_rows(x):
    out = [[[0.0] * 2] * 3 for i in range(2)]
    for i in range(2):
        for j in range(3):
            out[i][j][0] = out[i][j][0] + x[i] * (j + 1)
    return out[0][0][0] * x[0] + out[1][2][0]


def stored_in_two_planes(x):
    out = []
    for _ in range(2):
        inner = [0.0]
        for _j in range(2):
            plane = [inner]  # one row in two planes
            out.append(plane)
    for i in range(4):
        out[i][0][0] = out[i][0][0] + x[i] * (i + 1)
    return out[0][0][0] * x[2] + out[3][0][0] * x[1]


def row_name_kept(x):
    out = [[[0.0, 0.0] for j in range(2)] for i in range(2)]
    row = out[1][1]
    for i in range(2):
        for j in range(2):
            out[i][j][0] = x[i] * x[j] + 1.0
    return row[0] * x[0]


SHARED = [
    shared_alternate,
    shared_twice,
    copied_planes,
    cross_stored,
    appended_again,
    repeated_rows,
    stored_in_two_planes,
    row_name_kept,
]


@pytest.mark.parametrize("f", SHARED, ids=lambda f: f.__name__)
def test_shared_inner_lists_refused_or_exact(f) -> None:
    expected = f(X.copy())
    try:
        got = srcad.primal(f)(X.copy())
        g = srcad.grad(f)(X.copy())
    except srcad.SrcadError:
        return
    assert got == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(g, _fd_grad(f, X), rtol=1e-6, atol=1e-8)


def test_nested_def_with_nested_comprehensions() -> None:
    """Python 3.10 names a comprehension inside a comprehension ``f.<locals>.<listcomp>.
    <listcomp>`` and loads a nested function's qualified name as a constant: the currency check
    (frontend/current.py) compared those against its rebuilt context's names and refused a nested
    `def` with nested comprehensions as 'changed since it was imported' (3.10 only)."""

    def make():
        def f(x):
            a = [[v * w for v in x] for w in x]
            return sum(sum(r) for r in a) + sum(sum(v * w for v in x) for w in x)

        return f

    assert srcad.grad(make())([1.0, 2.0]) == [12.0, 12.0]
