"""Session 47, hunt47b: spurious refusals of ordinary Python lifted.

- A user vector class whose ``__mul__`` guards on the other operand with ``not isinstance``
  (``if not isinstance(o, V): return V(self.a * o, ...)``, or the conditional-expression form) and
  also defines ``__rmul__``: ``u * u`` was refused ("`V` defines `__rmul__`"). The inlined method
  reads ``not isinstance(u, V)`` with `u` built here: ``isinstance`` was known (True) but its
  ``not`` stayed an op, so the dead branch (``self.a * o`` with `o` a `V`) was kept and refused.
"""

from __future__ import annotations

import numpy as np

import srcad
from srcad.testing import check_grads


class _V:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __add__(self, o):
        return _V(self.a + o.a, self.b + o.b) if isinstance(o, _V) else _V(self.a + o, self.b + o)

    def __mul__(self, o):
        return _V(self.a * o, self.b * o) if not isinstance(o, _V) else self.a * o.a + self.b * o.b

    def __rmul__(self, o):
        return _V(o * self.a, o * self.b)


class _W:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __mul__(self, o):
        if not isinstance(o, _W):
            return _W(self.a * o, self.b * o)
        return self.a * o.a + self.b * o.b

    def __rmul__(self, o):
        return _W(o * self.a, o * self.b)


def _dot_ternary(x):
    u = _V(x[0], x[1])
    z = 2.0 * u + 1.0
    return z * u


def _dot_if_not(x):
    u = _W(x[0], x[1])
    return (u * 3.0) * u


def test_not_isinstance_dot_of_user_vectors():
    x = np.array([0.7, -1.3])
    g = srcad.grad(_dot_ternary)(x)
    np.testing.assert_allclose(g, 4.0 * x + 1.0)
    np.testing.assert_allclose(srcad.grad(_dot_if_not)(x), 6.0 * x)
    check_grads(_dot_ternary, (x,), modes=("fwd", "rev"), order=2)
    check_grads(_dot_if_not, (x,), modes=("fwd", "rev"), order=2)
