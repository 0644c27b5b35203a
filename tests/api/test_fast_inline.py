"""The inline call of a grad wrapper (srcad/fastgrad.py) gives what the full path gives.

Input: grad and value_and_grad wrappers (has_aux, one or several `wrt` positions, a partial's
front argument) of small functions whose gradients come out in different layouts (a fresh
array, the zero of an unused argument, a read-only view, a NumPy scalar), called with arguments
of every fast kind (floats, ints, bools, NumPy scalars, strings, None; float64, float32,
big-endian and 0-d arrays of ranks 0 to 2). Output checked: the third call of a wrapper (the
inline call: no `grad_call`) returns the same types, dtypes, shapes and values as a fresh
wrapper's first call (the full path), raises the same errors, and a wrapper alternating kinds
keeps giving each kind's own result.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import srcad
from srcad import gradcall


def f_sum(x, y, s, n):
    return np.sum(np.sin(x) * y) + 0.0 * len(s) + (0.0 if n is None else n)


def f_view(x, y, s, n):
    return np.sum(x[..., :1]) * 1.0 + np.sum(y)  # y's gradient: ones (broadcast)


def f_unused(x, y, s, n):
    return np.sum(x * x)  # y unused: a zero of y's kind


def f_aux(x, y, s, n):
    return np.sum(x * y), {"n": n, "s": s}


def f_array_out(x, y, s, n):
    return x * y  # not a scalar when x or y is an array of size > 1


ARGS = {
    "f64 rank 1": lambda: np.array([0.5, 1.5]),
    "f64 rank 2": lambda: np.array([[0.5, 1.5], [2.0, -1.0]]),
    "f64 0-d": lambda: np.array(0.75),
    "f32 rank 1": lambda: np.array([0.5, 1.5], dtype=np.float32),
    "big-endian": lambda: np.array([0.5, 1.5], dtype=">f8"),
    "float": lambda: 0.25,
    "np.float64": lambda: np.float64(0.25),
    "np.float32": lambda: np.float32(0.25),
    "int": lambda: 3,
    "bool": lambda: True,
}


def outcome(fn, *args):
    """Types, dtypes, shapes and values of fn(*args) (nested in tuples/dicts), or the error."""
    try:
        r = fn(*args)
    except Exception as e:
        return type(e), str(e).split("\n")[0]
    return _describe(r)


def _describe(r):
    if isinstance(r, tuple):
        return ("tuple", tuple(_describe(e) for e in r))
    if isinstance(r, dict):
        return ("dict", tuple((k, _describe(v)) for k, v in sorted(r.items())))
    a = np.asarray(r)
    writable = r.flags.writeable if isinstance(r, np.ndarray) else None
    return type(r), getattr(r, "dtype", None), a.shape, a.tolist(), writable


def spy(monkeypatch):
    calls = []
    real = gradcall.grad_call

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gradcall, "grad_call", counted)
    return calls


MAKERS = {
    "grad": lambda f, wrt: srcad.grad(f, wrt=wrt),
    "grad aux": lambda f, wrt: srcad.grad(f, wrt=wrt, has_aux=True),
    "value_and_grad": lambda f, wrt: srcad.value_and_grad(f, wrt=wrt),
    "value_and_grad aux": lambda f, wrt: srcad.value_and_grad(f, wrt=wrt, has_aux=True),
}


@pytest.mark.parametrize("maker", list(MAKERS))
@pytest.mark.parametrize("f", [f_sum, f_view, f_unused, f_aux, f_array_out])
@pytest.mark.parametrize("wrt", [0, 1, (0, 1), (1,)])
@pytest.mark.parametrize("xk, yk", [
    ("f64 rank 1", "float"), ("f64 rank 2", "f64 rank 1"), ("f64 0-d", "np.float64"),
    ("f32 rank 1", "np.float32"), ("big-endian", "f64 rank 1"), ("float", "float"),
    ("np.float64", "int"), ("f64 rank 1", "bool"), ("float", "f64 rank 2"),
])  # fmt: skip
def test_inline_call_gives_the_full_paths_result(monkeypatch, maker, f, wrt, xk, yk):
    args = (ARGS[xk](), ARGS[yk](), "ab", None)
    want = outcome(MAKERS[maker](f, wrt), *args)  # a fresh wrapper: the full path
    g = MAKERS[maker](f, wrt)
    first = outcome(g, *args)
    assert first == want
    calls = spy(monkeypatch)
    for _ in range(2):  # the table path (which writes the inline call), then the inline call
        assert outcome(g, *args) == want
    if calls:  # only calls that raised, or kinds the fast paths do not take, go the full path
        assert type(want[0]) is type and issubclass(want[0], Exception)


@pytest.mark.parametrize("maker", list(MAKERS))
def test_alternating_kinds_and_a_partial(monkeypatch, maker):
    part = functools.partial(f_sum, np.array([0.5, 1.0]))
    kinds = [(ARGS[k](), "ab", 2.0) for k in ("float", "f64 rank 1", "f32 rank 1", "f64 rank 2")]
    for wrt in (0, 1, (0, 2)):
        wants = [outcome(MAKERS[maker](part, wrt), *a) for a in kinds]
        g = MAKERS[maker](part, wrt)
        for _ in range(3):
            for a, want in zip(kinds, wants):
                assert outcome(g, *a) == want


def test_the_inline_call_runs_without_the_full_path(monkeypatch):
    g = srcad.grad(f_sum, wrt=(0, 1))
    args = (np.array([0.5, 1.5]), 2.0, "ab", None)
    g(*args)
    g(*args)
    calls = spy(monkeypatch)
    gx, gy = g(*args)
    assert calls == []
    np.testing.assert_allclose(gx, 2.0 * np.cos(args[0]), rtol=1e-15)
    assert type(gy) is float


def test_a_rebound_number_global_keeps_the_inline_call(monkeypatch):
    g = srcad.grad(uses_scale)
    x = np.array([1.0, 2.0])
    for _ in range(2):
        np.testing.assert_array_equal(g(x), [2.0, 2.0])
    global SCALE
    saved = SCALE
    try:
        SCALE = 3.0  # read live by the generated code: no new transform
        calls = spy(monkeypatch)
        np.testing.assert_array_equal(g(x), [3.0, 3.0])
        np.testing.assert_array_equal(g(x), [3.0, 3.0])
        assert calls == []
    finally:
        SCALE = saved
    np.testing.assert_array_equal(g(x), [2.0, 2.0])


SCALE = 2.0


def uses_scale(x):
    return SCALE * np.sum(x)


def test_an_emptied_closure_cell_is_a_miss():
    def make():
        c = 2.0

        def f(x):
            return c * np.sum(x)

        def drop():
            nonlocal c
            del c

        return f, drop

    f, drop = make()
    g = srcad.grad(f)
    x = np.array([1.0, 2.0])
    for _ in range(3):
        np.testing.assert_array_equal(g(x), [2.0, 2.0])
    drop()
    with pytest.raises(srcad.SrcadError, match="name `c` is not defined"):
        g(x)  # the full path: what a new wrapper raises
