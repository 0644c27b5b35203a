"""The module-level prelude of a wild46 program (tests/fuzz/gen_wild_46.py), added after wild45's
(tests/fuzz/gen_wild_45p.py).

Input: a decision source (`choice.Rand`). Output: the source of the classes session 45's
features meet in the wild46 blocks, constants and bodies drawn: a record (``Rec``: every field
an ``__init__`` parameter) copied with ``copy.copy``/``copy.deepcopy``, a body holding a list of
arrays, a class copying itself its own way (``__deepcopy__``: srcad must refuse its deep copy), a
particle with a ``kick`` method (a dict comprehension of them), a layer whose bound ``forward``
goes into a list of functions, a shape whose subclass's property reads ``super().energy``, and a
walker picking its move by ``getattr(self, "_mv_" + m)`` on a subclass instance.
"""

from __future__ import annotations

from typing import Any

from .gen_wild_43p import _c, _unary

HEADER = "import collections\nimport copy\n"


def prelude46(r: Any) -> str:
    """The definitions of the module docstring, constants and bodies drawn."""
    fwd = r.pick(["self.a * v", "np.tanh(self.a * v)", "self.a * v + np.sin(v) * 0.1"])
    energy = r.pick(["np.sum(self.w ** 2)", "np.sum(np.cos(self.w))", "float(self.w @ self.w)"])
    return f"""

class Rec:
    def __init__(self, w, b):
        self.w = w
        self.b = b


class Body:
    def __init__(self, x):
        self.x = x
        self.hist = [x]

    def move(self, d):
        self.x = self.x + d
        self.hist.append(self.x)


class SelfCopy:
    def __init__(self, w):
        self.w = w

    def __deepcopy__(self, memo):
        return SelfCopy(self.w * {_c(r, 1.5, 3.0)})


class Particle:
    def __init__(self, v):
        self.v = v

    def kick(self, d):
        self.v = self.v + {_c(r, 0.1, 0.5)} * d


class Lin:
    def __init__(self, a):
        self.a = a

    def forward(self, v):
        return {fwd}


class Shape:
    def __init__(self, w):
        self.w = w

    @property
    def energy(self):
        return {energy}


class Shape2(Shape):
    @property
    def energy(self):
        return super().energy * {_c(r, 0.5, 1.5)} + np.sum(np.sin(self.w))


class Walker:
    def __init__(self, h):
        self.h = h
        self.steps = 0

    def go(self, y, m, n=1):
        for _ in range(n):
            y = getattr(self, "_mv_" + m)(y)
        return y

    def _mv_a(self, y):
        self.steps += 1
        return y + self.h * np.sin(y)

    def _mv_b(self, y):
        return y + self.h * {_unary(r, "y")}


class Walker2(Walker):
    def _mv_a(self, y):
        self.steps += 2
        return y * (1.0 + self.h) - self.h * np.tanh(y)
"""
