"""The fast path for plain NumPy calls (srcad.lower.fastcalls): every name it takes lowers to
the same IR, and the same gradient code, as through `expr_Call`'s full chain of checks; calls it
does not take (keywords, ``*args``, an output array) still get the full path's lowering or
refusal."""

from __future__ import annotations

import itertools
import linecache

import numpy as np
import pytest

import srcad
from srcad.lower import fastcalls
from srcad.lower.lower import lower_function
from srcad.ssa.printer import format_function

_BINARY = {"arctan2", "maximum", "minimum", "hypot", "power", "add", "subtract", "multiply",
           "divide", "true_divide", "dot", "outer", "matmul"}  # fmt: skip
_SPECIAL = {
    "where": ["np.where(x > 0.5, x, y)"],
    "clip": ["np.clip(x, 0.2, 0.9)", "np.clip(x, y, 1.0)"],
    "concatenate": ["np.concatenate([x, y])", "np.concatenate((x[:1], x[:-1]))"],
    "stack": ["np.stack([x, y])"],
    "reshape": ["np.reshape(x, (2, 2))"],
    "tile": ["np.tile(x, 2)"],
    "sum": ["np.sum(x)", "np.sum(x * y, 0)", "np.sum([v * 2.0 for v in x])"],
    "mean": ["np.mean(x)", "np.mean(np.outer(x, y), 1)"],
    "max": ["np.max(x)", "np.max(np.outer(x, y), 0)"],
    "diff": ["np.diff(x)", "np.diff(x, 2)"],
    "cumsum": ["np.cumsum(x)"],
    "shape": ["np.shape(x)[0] * x"],
}
_counter = itertools.count()


def _calls(name: str) -> list[str]:
    short = name.split(".", 1)[1]
    if short in _SPECIAL:
        return _SPECIAL[short]
    if short in _BINARY:
        return [f"np.{short}(x, y)", f"np.{short}(np.abs(x) + 1.0, 2.0)"]
    return [f"np.{short}(x)", f"np.{short}(np.abs(x * y) + 0.5)"]


def _make(expr: str):
    """A new function object whose source linecache holds: ``return <expr>`` (summed)."""
    filename = f"<fastcalls-{next(_counter)}>"
    src = f"def f(x, y):\n    z = {expr}\n    return np.sum(z * 1.0)\n"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {"np": np}
    exec(compile(src, filename, "exec"), ns)
    return ns["f"]


def _both(monkeypatch: pytest.MonkeyPatch, expr: str, make) -> tuple:
    fast = make(_make(expr))
    with monkeypatch.context() as m:
        m.setattr(fastcalls, "PLAIN", frozenset())
        slow = make(_make(expr))
    return fast, slow


CASES = [(n, e) for n in sorted(fastcalls.PLAIN) for e in _calls(n)]


@pytest.mark.parametrize(("name", "expr"), CASES)
def test_same_ir(monkeypatch: pytest.MonkeyPatch, name: str, expr: str) -> None:
    fast, slow = _both(monkeypatch, expr, lambda f: format_function(lower_function(f)))
    assert fast == slow


@pytest.mark.parametrize(
    "expr",
    ["np.sin(x) * np.cos(y)", "np.sum(np.tanh(x) * np.maximum(y, 0.1))", "np.where(x > y, x, y)",
     "np.concatenate([x[1:], x[:1]]) - 2.0 * x", "np.std(x) + np.mean(np.exp(y))"],
)  # fmt: skip
def test_same_gradient_code(monkeypatch: pytest.MonkeyPatch, expr: str) -> None:
    fast, slow = _both(monkeypatch, expr, lambda f: srcad.source(f, mode="grad"))
    assert fast == slow


def test_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """The path is taken for plain calls, not for calls with keywords or ``*args``."""
    taken: list[str] = []
    orig = fastcalls.plain_call

    def spy(lw, f, node, positional_out):  # noqa: ANN001, ANN202
        out = orig(lw, f, node, positional_out)
        if out is not None:
            taken.append(f.name)
        return out

    monkeypatch.setattr(fastcalls, "plain_call", spy)
    lower_function(_make("np.sin(x) + np.sum(y, axis=0) + np.maximum(*(x, y))"))
    assert taken == ["numpy.sin", "numpy.sum"]  # (the second: `_make`'s return)


@pytest.mark.parametrize(
    ("expr", "keyword"),
    [("np.sin(x, y)", "np.sin(x, out=y)"), ("np.sum(x, 0, None, y)", "np.sum(x, 0, out=y)")],
)
def test_output_array_as_the_keyword(expr: str, keyword: str) -> None:
    """A positional output array is lowered as ``out=`` (refuse36: lower/inplace_np.out_keyword),
    never by the fast path; the argument `y` it writes into is copied on entry and written back,
    as for the keyword form (lower/argcopy.py)."""
    lower_function(_make(expr))
    x = np.array([0.3, 0.5, 0.7])
    got, want = [], []
    for form, into in ((expr, got), (keyword, want)):
        y = np.ones(3) if "sum" not in form else np.ones(())
        into.append((srcad.grad(_make(form), wrt=(0, 1))(x, y), y))
    (g1, y1), (g2, y2) = got[0], want[0]
    for a, b in zip(g1, g2):
        np.testing.assert_allclose(a, b, rtol=1e-15)
    np.testing.assert_array_equal(y1, y2)
