"""Programs srcad used to refuse, session 35 (`refuse35`): idioms people write.

- ``sum(objs)`` / ``sum(objs, start)`` of a run-time list of objects of a class with its own
  ``__add__``/``__radd__`` (ad/objsumloop.py: the loop of the class's ``+``);

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused are in tests/soundness/test_refuse35.py."""

from __future__ import annotations

import numpy as np

from . import Case

X4 = np.array([0.4, -0.7, 1.3, 0.25])


class _Dual:
    """A value with a running scale, as a small autodiff-like class: ``+`` is not field-wise."""

    def __init__(self, v, s=1.0):
        self.v = v
        self.s = s

    def __add__(self, o):
        return _Dual(self.v + o.v * self.s, self.s * o.s)

    def __radd__(self, o):
        return _Dual(o + self.v, self.s)


def sum_of_objects(x):
    ds = [_Dual(np.sin(v), 1.0 + 0.1 * v) for v in x]
    total = sum(ds)
    return total.v * total.s


def sum_of_objects_start(x):
    total = sum((_Dual(v * v, np.cos(v)) for v in x), _Dual(x[0], 2.0))
    return total.v + total.s**2


CASES = [
    Case(sum_of_objects, (X4,), (0,), extra="hvp"),
    Case(sum_of_objects_start, (X4,), (0,), extra="hvp"),
]
