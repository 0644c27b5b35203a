"""Python idioms users write that srcad used to refuse or get wrong (session 10, `refuse10`):
``zip(*rows)`` of a list a helper returns (lowered once: lower/idioms_more.zip_star) and
``a, b = zip(...)`` (unpacked from a list: lower/idioms_more.unpacked_iterator). Each is checked
forward, reverse and (``extra="hvp"``) at second order (tests/soundness/test_refuse10.py, with
the neighbours that must stay refused)."""

from __future__ import annotations

import numpy as np

from . import Case

V4 = np.array([0.31, -0.72, 1.13, 0.57])


# -- zip(*rows) ----------------------------------------------------------------------------------
def zip_star_unpacked(x):
    a, b = zip(*[(x[0], x[1]), (x[2], x[3])])
    return sum(a) * sum(b)


def zip_star_of_helper(x):
    calls = [0]

    def pairs():
        calls[0] += 1  # runs once, as in Python
        return [(x[0], x[1]), (x[2], x[3])]

    a, b = zip(*pairs())
    s = 0.0
    for p, q in zip(*pairs()):
        s = s + p * np.sin(q)
    return sum(a) * sum(b) + s * calls[0]


def zip_unpacked(x):
    (p, q), r = zip([x[0], x[1]], [x[2], x[3]])
    i, (u, v) = enumerate([x[1], x[2]])
    return p * q + r[1] * v + u


CASES = [
    Case(zip_star_unpacked, (V4,), (0,), extra="hvp"),
    Case(zip_star_of_helper, (V4,), (0,), extra="hvp"),
    Case(zip_unpacked, (V4,), (0,), extra="hvp"),
]
