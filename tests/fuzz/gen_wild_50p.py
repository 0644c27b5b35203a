"""The module-level prelude of a wild50 program (tests/fuzz/gen_wild_50.py), added after wild49's.

Input: a decision source (`choice.Rand`). Output: the source of what session 49's features meet
in the wild50 blocks, constants drawn: data `Y50` with NaN entries, helpers reducing it, a field
holder, a smooth helper of a magnitude, a user class deriving its ``var`` from a base class and
an ndarray subclass (``np.sqrt(o.var())`` of each: passes/stdroots.py, ad/receivers.py).
"""

from __future__ import annotations

from typing import Any

from .gen_wild_43p import _c

HEADER = ""


def prelude50(r: Any, n: int) -> str:
    """The definitions of the module docstring, constants drawn."""
    vals = [repr(round(_c_f(r), 3)) for _ in range(n)]
    vals[r.int(0, n - 1)] = "np.nan"
    if n > 2 and r.chance(0.5):
        vals[r.int(0, n - 1)] = "np.nan"
    shift = _c(r, 0.5, 1.5)
    return f"""

Y50 = np.array([{", ".join(vals)}])


class Box50:
    def __init__(self, r):
        self.r = r


def smooth50(t):
    return (1 + t) * np.exp(-t)


def nan_term50(z, s):
    return np.sin(z * s) * s


def nan_loop50(z):
    t = 0.0
    for v in z:
        if np.isnan(v):
            continue
        t = t + np.cos(v) * v
    return t


class Base50:
    def __init__(self, v):
        self.v = v

    def var(self):
        return np.sum(self.v * self.v) * 0.5 + {shift}


class Derived50(Base50):
    pass


class Arr50(np.ndarray):
    pass
"""


def _c_f(r: Any) -> float:
    return float(r.normal())
