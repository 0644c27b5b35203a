"""Python idioms users write that srcad used to refuse, crash on or get wrong (session 11,
`refuse11`): ``super().m(v)`` / ``super(C, self).m(v)`` in a method of an object built in the
function (the generated code called ``super()`` with no ``__class__`` cell: a crash;
lower/objsuper.py).
Each is checked forward, reverse and (``extra="hvp"``) at second order
(tests/soundness/test_refuse11.py, with the neighbours that must stay refused)."""

from __future__ import annotations

import numpy as np

from . import Case

V4 = np.array([0.31, -0.72, 1.13, 0.57])


# -- super() in methods of objects built here ------------------------------------------------------
class _Scale:
    def __init__(self, s):
        self.k = 2.0 * s

    def apply(self, v):
        return v * self.k

    @property
    def gain(self):
        return self.k + 1.0


class _Doubled(_Scale):
    def apply(self, v):
        return super().apply(v) * 2.0


class _Shifted(_Doubled):
    def __init__(self, s):
        super().__init__(s)
        self.m = s * 0.5

    def apply(self, v):
        return super().apply(v) + self.m * v + super().gain


class _Named(_Scale):
    def apply(self, v):
        return super(_Named, self).apply(v) * 3.0  # noqa: UP008 - the two-argument form


class _Layer:
    def __init__(self, w):
        self.w = w * 1.0

    def __call__(self, x):
        return np.tanh(self.w * x)


class _Residual(_Layer):
    def __call__(self, x):
        return x + super().__call__(x)


class _A:
    def __init__(self, s):
        self.s = s * 1.0

    def g(self, v):
        return v * self.s


class _B(_A):
    def g(self, v):
        return super().g(v) + 1.0


class _C(_A):
    def g(self, v):
        return super().g(v) * 2.0


class _D(_B, _C):  # diamond: _D's super() is _B's, _B's is _C's
    def g(self, v):
        return super().g(v) ** 2


def super_in_method(x):
    return np.sum(_Doubled(x[0]).apply(x) ** 2)


def super_chain_and_property(x):
    s = _Shifted(x[1])
    return np.sum(s.apply(x) * s.gain)


def super_two_arguments(x):
    return np.sum(_Named(1.5).apply(x) ** 2)


def super_call_dunder(x):
    return np.sum(_Residual(x[1])(x))


def super_diamond(x):
    return np.sum(_D(x[0]).g(x))


def _run(layer, x):
    return layer.g(x)


def super_in_helper(x):
    return np.sum(_run(_B(x[1]), x) ** 2)


CASES = [
    Case(super_in_method, (V4,), (0,), extra="hvp"),
    Case(super_chain_and_property, (V4,), (0,), extra="hvp"),
    Case(super_two_arguments, (V4,), (0,), extra="hvp"),
    Case(super_call_dunder, (V4,), (0,), extra="hvp"),
    Case(super_diamond, (V4,), (0,), extra="hvp"),
    Case(super_in_helper, (V4,), (0,), extra="hvp"),
]
