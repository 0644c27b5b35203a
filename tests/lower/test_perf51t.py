"""Transform work done once, not twice (issue 11 item 4): ``sum([...])`` of a comprehension
whose items are no objects built here is lowered once (`objops.sum_of` tried it as a list of
objects, undid it and the call lowered it again). The derivatives stay those of the code as
written."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.lower.calls import CallLowerer


def _hist(x):
    s = np.sum(x * x)
    return s + sum([np.sum(x * b) * b for b in (0.5, 2.0)])


def _looped(x):
    acc = 0.0
    for k in range(3):
        acc = acc + sum([np.sum(x * c) * k for c in (1.0, 3.0)])
    return acc + sum([v * v for v in x])


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
