"""Readable generated code (srcad/backend/emit.py): ``return s, grads`` instead of a temporary
tuple, flags copied from their condition instead of ``if c: f = True else: f = False``."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def loop_break(x):
    for _ in range(10):
        x = x * 1.1
        if x > 3.0:
            break
    return x


def loop_not_break(x):
    i = 0
    while i < 10:
        i += 1
        x = x * 1.1
        if not x < 3.0:
            break
    return x


def flag_of_array(x):
    c = True if x > 0.0 else False
    return np.sum(x) * (2.0 if c else 1.0)


def test_return_tuple_written_in_the_return():
    src = srcad.source(srcad.grad(loop_break), args=(0.5,))
    assert src.rstrip().endswith("return x, grads")
    assert "grads = (bx,)" in src
    fwd = srcad.source(loop_break, mode="vjp", args=(0.5,))
    assert "return x, residuals" in fwd or "return x, ()" in fwd or "return x_1, " in fwd


def test_flags_copy_their_condition():
    src = srcad.source(srcad.grad(loop_break), args=(0.5,))
    assert "brk = bool(x > 3.0)" in src and "brk = True" not in src
    src = srcad.source(loop_not_break, mode="primal", args=(0.5,))
    assert "brk = not x < 3.0" in src and "brk = True" not in src  # a bool already
    for f in (loop_break, loop_not_break):
        assert srcad.grad(f)(0.5) == pytest.approx(1.1**10, rel=1e-15)
        assert srcad.grad(f)(2.5) == 1.1 * 1.1  # 2.5 -> 2.75 -> 3.025: stops after two
        assert srcad.grad(f)(2.9) == 1.1


def test_flag_of_an_array_condition_still_asks_for_its_truth_value():
    assert srcad.grad(flag_of_array)(np.array([0.5])) == pytest.approx(np.array([2.0]))
    assert srcad.grad(flag_of_array)(np.array([-0.5])) == pytest.approx(np.array([1.0]))
    with pytest.raises(ValueError, match="truth value"):  # as Python: bool() of two elements
        srcad.grad(flag_of_array)(np.array([0.5, 1.0]))


def long_expression(x, w):
    # (a chain of ufuncs: the mean of squares' cotangent is ``2.0 / n * t`` now, so the chain
    # keeps the reverse sweep's expression long enough to need splitting)
    return np.mean(np.tanh(np.sin(np.tanh(x @ w))) ** 2) + np.mean(
        np.tanh(np.sin(np.tanh(x * w + 1.0 - x))) ** 2
    )


def test_no_generated_line_is_longer_than_100_characters_where_it_can_be_split(monkeypatch):
    """Inlined temporaries go back to statements while a line is too long (first to last, so
    the order of evaluation stays); a tape tuple is split after its commas. Same values."""
    from srcad.backend import text

    x, w = np.linspace(0.1, 1.0, 4), np.linspace(-0.5, 0.5, 4)
    srcs = [srcad.source(long_expression, mode=m, args=(x, w)) for m in ("grad", "jvp", "hvp")]
    srcs.append(srcad.source(srcad.grad(_loop_many_residuals), args=(0.3,)))
    for src in srcs:
        assert max(len(line) for line in src.splitlines()) <= 100, src
    assert any(line.rstrip().endswith(",") for line in srcs[-1].splitlines()), srcs[-1]
    g = srcad.grad(long_expression, wrt=(0, 1))(x, w)
    for k, arg in enumerate((x, w)):
        fd = np.zeros_like(arg)
        for i in range(arg.size):
            d = np.zeros_like(arg)
            d[i] = 1e-6
            hi, lo = ((x + d, w), (x - d, w)) if k == 0 else ((x, w + d), (x, w - d))
            fd[i] = (long_expression(*hi) - long_expression(*lo)) / 2e-6
        np.testing.assert_allclose(g[k], fd, rtol=1e-6, atol=1e-8)
    eps = 1e-6
    fd = (_loop_many_residuals(0.3 + eps) - _loop_many_residuals(0.3 - eps)) / (2 * eps)
    assert np.isclose(srcad.grad(_loop_many_residuals)(0.3), fd)
    monkeypatch.setattr(text, "WIDTH", 10**6)  # the same, unlimited: the long lines come back
    wide = srcad.source(srcad.grad(_long_expression_again), args=(x, w))  # not cached
    assert max(len(line) for line in wide.splitlines()) > 100, wide


def _long_expression_again(x, w):
    return np.mean(np.tanh(np.sin(np.tanh(x @ w))) ** 2) + np.mean(
        np.tanh(np.sin(np.tanh(x * w + 1.0 - x))) ** 2
    )


def _loop_many_residuals(x):
    s = 0.0
    for i in range(3):
        a = np.sin(x * i) * np.cos(x) + np.tanh(x * s) * np.exp(-x) - np.log1p(x * x) * s
        b = np.sinh(a * 0.1) * np.arctan(x * s) + np.sqrt(1.0 + a * a) * np.cos(s * x)
        s = s + a * np.sqrt(1.0 + x * x) + np.arctan(a * x) * np.cosh(0.1 * s) + b * np.sin(b)
    return s


def _reductions(x):
    return (
        np.sum(x**2)
        + np.mean(np.sum(x[:, None] * x, axis=0))
        + np.sum(np.tanh(x), keepdims=True)[0]
    )


def test_runtime_helpers_called_without_their_trailing_defaults():
    x = np.array([0.3, -1.1, 0.8])
    src = srcad.source(_reductions, mode="grad")
    assert "None, False)" not in src and "_srcad.sum_vjp(" in src, src
    assert ", 0, False)" in src or ", 0)" in src, src  # axis=0 given: kept
    assert "True)" in src, src  # keepdims=True: not the default, kept
    g = srcad.grad(_reductions)(x)
    eps = 1e-6
    fd = [(_reductions(x + d) - _reductions(x - d)) / (2 * eps) for d in np.eye(3) * eps]
    np.testing.assert_allclose(g, fd, rtol=1e-6)
