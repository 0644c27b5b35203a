"""Random programs over session 43's features mixed with older ones (``--grammar wild44``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: a module with wild43's
prelude (tests/fuzz/gen_wild_43p.py) and session 43's (gen_wild_44p.py: torch-style modules,
``compose``, a ``getattr`` solver, context managers, ``contract``, n-body helpers), and a
function ``f`` of two float vectors ``(n,)``, then a Python float, an ``np.float64`` or a 0-d
array, and some of the time a dict ``params`` (a float or vector ``scale``, a float ``shift``),
whose body chains blocks (gen_wild_44b.py, gen_wild_44c.py, and wild43's): n-body lists shared
by names, pairs and helpers and written in place, modules, composed functions and ``reduce``,
``getattr``, ``with``, ``try/except E as e``, ``statistics``, einsum subscripts handed to a
helper, ``sorted(set(..))``, dicts of arrays updated in loops, data-dependent ``while`` exits,
``x[i] = v`` writes, ``np.where`` masks, objects rebuilt in loops, gathers, early returns; it
returns a scalar loss.

Blocks are kept as wild43 keeps them (`gen_wild_43.Gen43.accept`): the body so far runs at the
example point and stays smooth within `gen_wild.STEP` of it.
"""

from __future__ import annotations

from typing import Any

from .gen import Program
from .gen_wild_43 import SNAP, Gen43
from .gen_wild_43p import prelude
from .gen_wild_44b import Blocks44a
from .gen_wild_44c import Blocks44c
from .gen_wild_44p import HEADER, prelude44


class Gen44(Gen43, Blocks44a, Blocks44c):
    """One program per instance; `program()` builds it (features flagged ``w44_*``)."""

    block = Blocks44c.block  # (Gen43's mixins come first: their methods over the stubs)

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre = prelude(r) + prelude44(r)

    def use(self, f: str) -> None:
        self.trial.add("w44_" + f)

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        body = "\n".join(lines + [ret])
        return f"{HEADER}{self.pre}{SNAP if snap else ''}\n\ndef f({', '.join(self.params)}):\n{body}\n"


def generate44(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 43's features combined (see the module docstring)."""
    p = Gen44(r, exclude, size).program()
    p.features |= {"wild44"}
    return p
