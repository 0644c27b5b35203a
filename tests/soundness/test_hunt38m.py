"""Metamorphic hunt (session 38, hunt38m): corpus programs rewritten in another style
(tests/corpus/ported_corp38m_*.py) that srcad refused or failed on.

- Spurious refusal: a generator expression unpacked by an assignment (``p, q = (np.exp(v) for
  v in vs)``) counted as consumed later, and any name it reads rebound afterwards (even `np`,
  or the unpacked targets themselves) refused it. Unpacking runs the generator at once and
  whole, as `list(...)` does (lower/idioms_more.unpacked_iterator).
- Crash (an internal error): a relative import inside the function (``from .mod import f``,
  ``from . import sub``) was imported by its bare name, ignoring the dots. It now resolves
  against the function's package, as Python does (lower/imports.from_import).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def _unpack_gen(a, *logits):
    p, q = (np.exp(lg - np.max(lg)) for lg in logits)
    return np.sum(p * q) + np.sum(a**2)


def unpack_generator(x):
    return _unpack_gen(x[:2], x[2:4], x[4:6])


def unpack_generator_rebinds(x):
    a, b = (v * v for v in x[:2])
    a, b = b, a  # names the generator reads after it ran: no matter
    return a + 2.0 * b + x[2]


def unpack_generator_star(x):
    first, *rest = (np.sin(v) for v in x)
    return first * sum(rest)


def _writer(x):
    out = []

    def put(v):
        out.append(v)
        return v * 2.0

    a, b = (put(v) for v in x[:2])
    return a * b + out[0] * out[1]  # (the writes happened by the assignment)


X6 = np.array([0.3, -0.4, 0.8, 0.1, -0.6, 0.5])


@pytest.mark.parametrize(
    "fn", [unpack_generator, unpack_generator_rebinds, unpack_generator_star, _writer]
)
def test_unpacked_generator_expression(fn) -> None:
    check_grads(fn, (X6,), modes=("fwd", "rev"))
    check_grads(fn, (X6,), modes=("fwd",), order=2)
    np.testing.assert_allclose(srcad.primal(fn)(X6.copy()), fn(X6.copy()), rtol=1e-14)


def relative_import(x):
    from ..corpus.ported_corp10_sim import _sim_positions

    return np.sum(_sim_positions(x) ** 2)


def relative_package_import(x):
    from ..corpus import users_sim

    return users_sim.newton_sqrt(x * x + 1.0)


def test_relative_import_in_function() -> None:
    x = np.linspace(-1.0, 1.0, 15)
    check_grads(relative_import, (x,), modes=("fwd", "rev"))
    g = srcad.grad(relative_import)(x)
    from tests.corpus.ported_corp10_sim import _sim_positions

    np.testing.assert_allclose(g, 2 * 0.05 * _sim_positions(x).ravel(), rtol=1e-12)
    check_grads(relative_package_import, (0.7,), modes=("fwd", "rev"), order=2)
