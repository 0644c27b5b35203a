"""How the emitter writes a loop's tape (srcad/backend/tapeloops.py): entries unpacked where the
reverse sweep reads them (``for a, b in reversed(tape):``, ``(a,) = tape[k]``), items nothing reads
left out of the entries (``tape.append(None)`` when no item is read), ``if not c:`` instead of
``if c: pass`` / ``else:``; the derivatives stay those of the function."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def rows(W, b):
    out = 0.0
    for row in W:
        out = out + np.tanh(row @ b)
    return out


def reg_loop(p):
    reg = 0.0
    for j in range(len(p)):
        reg = reg + p[j] ** 2
    return reg


def tail(x):
    t = 0.0
    for q in range(len(x)):
        if q >= len(x) - 2:
            break
        t = t + 0.001 * x[q] * x[q + 1]
    return t + np.sum(x)


def skipping(x):
    s = 0.0
    for i in range(4):
        if i % 2 == 1:
            continue
        s = s + np.sum(np.sin(x * i) * x)
    return s


def _fd(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        g[i] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


def test_one_item_entry_is_unpacked_as_a_one_tuple():
    W, b = np.array([[0.3, -0.2], [0.1, 0.4], [0.5, 0.2]]), np.array([0.7, -0.3])
    src = srcad.source(srcad.grad(rows), args=(W, b))
    assert ",) = tape[" in src or ",) in reversed(tape)" in src, src
    np.testing.assert_allclose(srcad.grad(rows)(W, b), _fd(lambda w: rows(w, b), W), rtol=1e-6)


@pytest.mark.parametrize("f", [reg_loop, tail, skipping])
def test_tape_items_nothing_reads_are_not_written(f):
    src = srcad.source(f, mode="grad")  # no argument types: the shapes of the bench's case
    assert "saved" not in src, src  # the entries' items are unpacked
    x = np.array([0.4, -1.2, 0.9, 0.3, 2.0])
    np.testing.assert_allclose(srcad.grad(f)(x), _fd(f, x), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(srcad.hessian(f)(x) @ x, _fd(lambda y: srcad.grad(f)(y) @ x, x),
                               rtol=1e-5, atol=1e-7)  # fmt: skip


def test_unread_entries_and_items():
    src = srcad.source(reg_loop, mode="grad")  # no argument values: the version for arrays
    assert ".append(None)" in src and "plain_receiver" not in src, src
    src = srcad.source(tail, mode="grad")
    assert "shape_like(t)" not in src, src  # the tape's item for `t` is read by no one
    src = srcad.source(skipping, mode="primal")
    assert "pass" not in src and "if not " in src, src
