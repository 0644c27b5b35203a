"""A global array rebound between calls (issue 11: the quickstart's ``X @ w``): a 2-D array, then
1-D, then a list, then a number. Whatever the cached or disk-cached code assumed of `X`, each
call's values and derivatives are those of the function with the `X` of that call: grad, jvp,
hessian, in this process and in a second one reading the disk cache.

The generated code reads `X` live and its cache key holds the kind of each plain global
(`srcad.backend.cache.global_kinds`); specializing on a global's rank (``X.T @ g`` instead of
``matmul_vjp``) must keep these tests passing.
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

X = np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]])
W = np.array([0.5, -0.25, 1.0])

STEPS = [  # (X, does ``X @ w`` run in Python)
    (np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]]), True),
    (np.array([0.7, -0.1, 0.2]), True),
    ([0.2, 0.3, -0.4], True),
    (0.5, False),  # ``0.5 @ w``: Python's ValueError, and np.dot's product
]


def loss_matmul(w):
    return np.sum(np.tanh(X @ w) ** 2)


def loss_dot(w):
    return np.sum(np.tanh(np.dot(X, w)) ** 2)


def _fd_grad(f, w, h=1e-6):
    out = np.zeros_like(w)
    for i in range(w.size):
        e = np.zeros_like(w)
        e[i] = h
        out[i] = (f(w + e) - f(w - e)) / (2 * h)
    return out


def _fd_hessian(g, w, h=1e-5):
    cols = []
    for i in range(w.size):
        e = np.zeros_like(w)
        e[i] = h
        cols.append((g(w + e) - g(w - e)) / (2 * h))
    return np.array(cols).T


@pytest.mark.parametrize("f", [loss_matmul, loss_dot])
def test_rebound_global(f) -> None:
    global X
    grad, hess = srcad.grad(f), srcad.hessian(f)
    value_and_grad = srcad.value_and_grad(f)
    v = np.array([1.0, 0.0, -1.0])
    try:
        for x, runs in STEPS * 2:  # twice: the cached code meets each kind again
            X = x
            if not runs and f is loss_matmul:
                with pytest.raises((ValueError, TypeError)):
                    f(W)
                with pytest.raises((ValueError, TypeError)):
                    grad(W)
                continue
            want = _fd_grad(f, W)
            val, g = value_and_grad(W)
            assert val == pytest.approx(f(W), rel=1e-12)
            np.testing.assert_allclose(grad(W), want, rtol=1e-6, atol=1e-8)
            np.testing.assert_allclose(g, want, rtol=1e-6, atol=1e-8)
            out, tangent = srcad.jvp(f, (W,), (v,))
            assert out == pytest.approx(f(W), rel=1e-12)
            assert tangent == pytest.approx(float(want @ v), rel=1e-6, abs=1e-8)
            np.testing.assert_allclose(hess(W), _fd_hessian(grad, W), rtol=1e-5, atol=1e-7)
    finally:
        X = np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]])


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
import user_rebind as m
w = np.array([0.5, -0.25, 1.0])
for x in (np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]]), np.array([0.7, -0.1, 0.2]),
          [0.2, 0.3, -0.4], np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]])):
    m.X = x
    g = srcad.grad(m.loss)(w)
    h = srcad.hessian(m.loss)(w)
    out, t = srcad.jvp(m.loss, (w,), (np.ones(3),))
    print(json.dumps({"g": g.tolist(), "h": h.tolist(), "t": float(t)}))
"""


def test_rebound_global_disk_cache(tmp_path) -> None:
    """The same rebinding in two processes sharing a disk cache: the second reads the entries
    the first wrote, and both give the derivatives of each call's `X`."""
    (tmp_path / "user_rebind.py").write_text(MODULE)
    env = {**os.environ, "SRCAD_CACHE_DIR": str(tmp_path / "c")}
    env.pop("SRCAD_NO_DISK_CACHE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", textwrap.dedent(SCRIPT), str(tmp_path)],
            env=env,
            capture_output=True,
            text=True,
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    assert any((tmp_path / "c").iterdir())
    assert runs[0].stdout == runs[1].stdout
    global X
    try:
        xs = [STEPS[0][0], STEPS[1][0], STEPS[2][0], STEPS[0][0]]
        for line, x in zip(runs[0].stdout.splitlines(), xs, strict=True):
            got = json.loads(line)
            X = x
            want = _fd_grad(loss_matmul, W)
            np.testing.assert_allclose(got["g"], want, rtol=1e-6, atol=1e-8)
            assert got["t"] == pytest.approx(float(np.sum(want)), rel=1e-6, abs=1e-8)
            h = _fd_hessian(lambda w: _fd_grad(loss_matmul, w, 1e-4), W, 1e-3)
            np.testing.assert_allclose(got["h"], h, rtol=1e-3, atol=1e-5)
    finally:
        X = np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]])
