"""Transform work done once, not twice (issue 11 item 4): ``sum([...])`` of a comprehension
whose items are no objects built here is lowered once (`objops.sum_of` tried it as a list of
objects, undid it and the call lowered it again), and the rule templates with a tuple of number
constants (``np.outer``'s ``np.reshape(a, (-1, 1))``) are kept like the others (`_plain`), not
lowered again by every transform. The derivatives stay those of the code as written."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.ad import template
from srcad.lower.calls import CallLowerer


def _hist(x):
    s = np.sum(x * x)
    return s + sum([np.sum(x * b) * b for b in (0.5, 2.0)])


def _looped(x):
    acc = 0.0
    for k in range(3):
        acc = acc + sum([np.sum(x * c) * k for c in (1.0, 3.0)])
    return acc + sum([v * v for v in x])


def _outer_a(x, v):
    return np.sum(np.outer(x, v) ** 2)


def _outer_b(x, v):
    return np.sum(np.outer(np.sin(x), v) * 3.0)


@pytest.fixture
def comprehensions(monkeypatch):
    seen: list = []
    real = CallLowerer._comprehension

    def counted(self, node, kind):
        seen.append(node)
        return real(self, node, kind)

    monkeypatch.setattr(CallLowerer, "_comprehension", counted)
    return seen


def test_a_summed_comprehension_is_lowered_once(comprehensions) -> None:
    x = np.array([0.3, -1.2, 2.0])
    srcad.source(_hist, mode="grad", args=(x,))
    assert len(comprehensions) == 1  # (twice before: tried as objects, undone, lowered again)
    g = srcad.grad(_hist)(x)
    np.testing.assert_allclose(g, 2 * x + 0.5 * 0.5 + 2.0 * 2.0, rtol=1e-12)


def test_a_summed_comprehension_in_a_loop(comprehensions) -> None:
    x = np.array([0.3, -1.2, 2.0])
    g = srcad.grad(_looped)(x)
    np.testing.assert_allclose(g, (1.0 + 3.0) * (0 + 1 + 2) + 2 * x, rtol=1e-12)
    assert len(comprehensions) == len({id(n) for n in comprehensions}) == 2  # (once each)


def test_tuple_constant_templates_are_kept(monkeypatch) -> None:
    x, v = np.array([0.3, -1.2, 2.0]), np.array([1.5, -0.5])
    srcad.source(_outer_a, mode="grad", wrt=[0, 1], args=(x, v))  # (kept by this transform)
    lowered: list = []
    real = template.lower_expression

    def counted(node, names, block, loc, ns, text):
        lowered.append(text)
        return real(node, names, block, loc, ns, text)

    monkeypatch.setattr(template, "lower_expression", counted)
    gx, gv = srcad.grad(_outer_b, wrt=(0, 1))(x, v)
    assert not [t for t in lowered if "(-1, 1)" in t or "(1, -1)" in t]
    np.testing.assert_allclose(gx, 3.0 * np.cos(x) * np.sum(v), rtol=1e-12)
    np.testing.assert_allclose(gv, 3.0 * np.full(2, np.sum(np.sin(x))), rtol=1e-12)
