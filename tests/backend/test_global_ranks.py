"""Global and closure float64 arrays' ranks in the specialization (`backend/globalranks.py`).

The quickstart's ``np.tanh(X @ w)`` of a global 2-D `X` gets ``X.T @ g`` as its cotangent, which
holds for that rank only; so the rank (and dtype) of such an array is part of the cache key and
of every guard. Between calls `X` is rebound, reshaped in place (``X.shape = ...``: the same
object) or given another dtype; each call's derivatives must be those of the `X` of that call,
through every call path (grad's inline call, value_and_grad, jvp, vjp, hessian), and for a
closure array, a helper's global and a second process reading the disk cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import srcad
from srcad.backend.globalranks import global_ranks

X = np.array([[0.3, -0.2, 0.5, 0.1], [0.1, 0.4, -0.6, 0.2]])
Y = np.array([[0.2, -0.1], [0.5, 0.3]])


def loss(w):
    return np.sum(np.tanh(X @ w) ** 2)


def helper(w):
    return np.sin(Y @ w)


def loss_helper(w):
    return np.sum(helper(w) ** 2)


def make_closure(z):
    def inner(w):
        return np.sum(np.tanh(z @ w) ** 2)

    return inner


def _fd_grad(f, w, h=1e-6):
    out = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[i] = h
        out[i] = (f(w + e) - f(w - e)) / (2 * h)
    return out


def _check_all(f, w) -> None:
    """Every call path's derivatives of `f` at `w` against central differences."""
    want = _fd_grad(f, w)
    np.testing.assert_allclose(srcad.grad(f)(w), want, rtol=1e-6, atol=1e-8)
    val, g = srcad.value_and_grad(f)(w)
    assert val == pytest.approx(f(w), rel=1e-12)
    np.testing.assert_allclose(g, want, rtol=1e-6, atol=1e-8)
    v = np.linspace(-1.0, 1.0, w.size).reshape(w.shape)
    out, t = srcad.jvp(f, (w,), (v,))
    assert t == pytest.approx(float(np.sum(want * v)), rel=1e-6, abs=1e-8)
    out, pull = srcad.vjp(f, w)
    np.testing.assert_allclose(pull(1.0)[0], want, rtol=1e-6, atol=1e-8)
    if w.ndim == 1:
        h = srcad.hessian(f)(w)
        fd = np.array(
            [_fd_grad(f, w + 1e-4 * e) - _fd_grad(f, w - 1e-4 * e) for e in np.eye(w.size)]
        )
        np.testing.assert_allclose(h, fd.T / 2e-4, rtol=1e-3, atol=1e-5)


def test_quickstart_cotangent_is_a_transposed_product() -> None:
    """The specialization knows `X` is 2-D: the plain product ``X.T @ g`` (issue 11 item 1),
    checked at run time for a NaN/inf (a global may hold one in a row no read reaches:
    rules/checked_products.py), not the general helper."""
    src = srcad.source(loss, args=(np.ones(4),))
    assert "matmul_vjp_checked(X.T @ " in src and "matmul_vjp(" not in src, src
    assert "X.T @ " in srcad.source(loss)  # (the default Spec: `w` of unknown rank)


def test_ranks_of_globals_and_cells() -> None:
    reads = [(loss.__globals__, "X", X, False), (loss.__globals__, "np", np, True)]
    assert global_ranks(loss, reads) == (("global", "X", 2),)
    inner = make_closure(np.ones(3, dtype=np.float32))
    assert global_ranks(inner, []) == ()
    assert global_ranks(make_closure(np.ones((2, 3))), []) == (("free", "z", 2),)


def test_global_reshaped_in_place_between_calls() -> None:
    """``X.shape = ...`` keeps the object: the guard's rank test must see it; each rank is
    another transform (one miss each, then hits)."""
    global X
    old = X
    X = x = np.array([[0.3, -0.2, 0.5, 0.1], [0.1, 0.4, -0.6, 0.2]])
    grad = srcad.grad(loss)
    try:
        for shape, w in [
            ((2, 4), np.array([0.5, -0.25, 1.0, 0.3])),
            ((8,), np.linspace(-0.5, 0.5, 8)),
            ((1, 2, 4), np.array([0.5, -0.25, 1.0, 0.3])),
            ((4, 2), np.array([0.7, -0.4])),
            ((2, 4), np.array([0.5, -0.25, 1.0, 0.3])),
        ]:
            x.shape = shape
            for _ in range(2):  # the second call: the fast paths' tests
                np.testing.assert_allclose(grad(w), _fd_grad(loss, w), rtol=1e-6, atol=1e-8)
            _check_all(loss, w)
    finally:
        X = old


def test_guard_rebuilds_on_an_in_place_rank_change() -> None:
    global X
    old = X
    X = x = np.array([[0.3, -0.2, 0.5, 0.1], [0.1, 0.4, -0.6, 0.2]])
    grad = srcad.grad(loss)
    w = np.array([0.5, -0.25, 1.0, 0.3])
    srcad.cache_clear()
    try:
        grad(w)
        misses = srcad.cache_info().misses
        grad(w)
        assert srcad.cache_info().misses == misses  # the same rank: served
        x.shape = (1, 2, 4)
        np.testing.assert_allclose(grad(w), _fd_grad(loss, w), rtol=1e-6, atol=1e-8)
        assert srcad.cache_info().misses > misses  # another rank: another transform
    finally:
        X = old


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.float64])
def test_global_dtype_changes(dtype) -> None:
    """float64 -> float32 or int (rebound, and in place for the same itemsize) and back."""
    global X
    old = X
    base = np.array([[3.0, -2.0, 5.0, 1.0], [1.0, 4.0, -6.0, 2.0]]) / 10
    w = np.array([0.5, -0.25, 1.0, 0.3])
    try:
        for x in (
            base.copy(),
            base.astype(dtype) if dtype is not np.int64 else (base * 10).astype(dtype),
            base.copy(),
        ):
            X = x
            _check_all(loss, w)
        X = x = base.copy()
        _check_all(loss, w)
        if np.dtype(dtype).itemsize == 8 and dtype is not np.float64:
            x.dtype = dtype  # the same memory read as int64: other values, the same object
            assert X.dtype == dtype
            _check_all(loss, w)
    finally:
        X = old


def test_closure_array_reshaped_in_place() -> None:
    z = np.array([[0.3, -0.2, 0.5, 0.1], [0.1, 0.4, -0.6, 0.2]])
    inner = make_closure(z)
    w4, w2 = np.array([0.5, -0.25, 1.0, 0.3]), np.array([0.7, -0.4])
    for shape, w in [((2, 4), w4), ((8,), np.linspace(-0.5, 0.5, 8)), ((4, 2), w2), ((2, 4), w4)]:
        z.shape = shape
        _check_all(inner, w)
    z2 = make_closure(z.astype(np.float32))  # another closure of the same code
    _check_all(z2, w4)


def test_helper_global_reshaped_in_place() -> None:
    global Y
    old = Y
    Y = y = np.array([[0.2, -0.1], [0.5, 0.3]])
    try:
        for shape, w in [((2, 2), np.array([0.4, -0.3])), ((4,), np.array([0.1, 0.2, -0.3, 0.4]))]:
            y.shape = shape
            _check_all(loss_helper, w)
    finally:
        Y = old


MODULE = """
import numpy as np

X = np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]])


def loss(w):
    return np.sum(np.tanh(X @ w) ** 2)
"""

SCRIPT = """
import json
import sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import srcad
import user_ranks as m
w = np.array([0.5, -0.25, 1.0])
if sys.argv[2] == "3d":
    m.X.shape = (1, 2, 3)
g = srcad.grad(m.loss)(w)
print(json.dumps({"g": g.tolist(), "src": srcad.source(m.loss, args=(w,))}))
"""


def test_disk_cache_second_process_other_rank(tmp_path) -> None:
    """A second process whose `X` has another rank does not load the first one's entry."""
    (tmp_path / "user_ranks.py").write_text(MODULE)
    env = {**os.environ, "SRCAD_CACHE_DIR": str(tmp_path / "c")}
    env.pop("SRCAD_NO_DISK_CACHE", None)

    def run(kind: str) -> dict:
        r = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(SCRIPT), str(tmp_path), kind],
            env=env,
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    first, again, other = run("2d"), run("2d"), run("3d")
    assert any((tmp_path / "c").iterdir())
    assert first == again
    assert "X.T @ " in first["src"]
    x = np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]])
    w = np.array([0.5, -0.25, 1.0])
    want = x.T @ (2 * np.tanh(x @ w) * (1 - np.tanh(x @ w) ** 2))
    np.testing.assert_allclose(first["g"], want, rtol=1e-12)
    np.testing.assert_allclose(other["g"], want, rtol=1e-12)  # (the same numbers, 3-D)
    assert "X.T @ " not in other["src"], other["src"]
