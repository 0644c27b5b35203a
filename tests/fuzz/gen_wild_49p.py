"""The module-level prelude of a wild49 program (tests/fuzz/gen_wild_49.py), added after wild48's
(tests/fuzz/gen_wild_48p.py).

Input: a decision source (`choice.Rand`). Output: the source of the classes session 48's
features meet in the wild49 blocks, constants drawn: a statistics class whose ``var`` and
``std`` are its own (``np.sqrt(o.var())`` is no ``o.std()``: passes/stdroots.py), an
accumulator object a loop adds to through a method (ad/live.py: a value reaching the result only
through an object's field).
"""

from __future__ import annotations

from typing import Any

from .gen_wild_43p import _c

HEADER = "import scipy.signal\n"


def prelude49(r: Any) -> str:
    """The definitions of the module docstring, constants drawn."""
    shift = _c(r, 0.5, 1.5)
    return f"""

class Stats49:
    def __init__(self, v):
        self.v = v

    def var(self):
        return np.sum(self.v * self.v) + {shift}

    def std(self):
        return np.sum(self.v) * 0.0 + 42.0


class Acc49:
    def __init__(self):
        self.total = 0.0

    def add(self, t):
        self.total = self.total + t
"""
