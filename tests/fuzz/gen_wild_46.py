"""Random programs over session 45's features mixed with older ones (``--grammar wild46``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: wild45's module (its
preludes and arguments) with session 45's prelude added (gen_wild_46p.py: a record class, a
body holding a list of arrays, a class with its own ``__deepcopy__``, particles, layers whose
bound methods go into lists, a property read through ``super()``, a walker picking moves by
name), whose body chains blocks: session 45's (gen_wild_46b.py: copies of objects built here,
dict comprehensions of objects, nested defs writing fields, ``next(g)`` then the rest, bound
methods as values, ``super().energy``, exact-class method picks, ``permutations`` without
``r``, a ``Counter``, unused ops that may raise, products whose factor's cotangent comes from
the product, even functions of magnitudes at 0) and wild45's; it returns a scalar loss.

Blocks are kept as wild43 keeps them (`gen_wild_43.Gen43.accept`): the body so far runs at the
example point and stays smooth within `gen_wild.STEP` of it.
"""

from __future__ import annotations

from typing import Any

from .gen import Program
from .gen_wild_43 import SNAP
from .gen_wild_44p import HEADER as HEADER44
from .gen_wild_45 import Gen45
from .gen_wild_45p import HEADER as HEADER45
from .gen_wild_46b import Blocks46
from .gen_wild_46p import HEADER as HEADER46
from .gen_wild_46p import prelude46


class Gen46(Gen45, Blocks46):
    """One program per instance; `program()` builds it (features flagged ``w46_*``)."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre += prelude46(r)

    def block(self) -> list[str]:
        """Session 45's blocks mostly, wild45's the rest."""
        return self.block46() if self.r.chance(0.7) else Gen45.block(self)

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        body = "\n".join(lines + [ret])
        head = HEADER46 + HEADER45 + HEADER44
        return (
            f"{head}{self.pre}{SNAP if snap else ''}\n\ndef f({', '.join(self.params)}):\n{body}\n"
        )


def generate46(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 45's features combined (see the module docstring)."""
    p = Gen46(r, exclude, size).program()
    p.features |= {"wild46"}
    return p
