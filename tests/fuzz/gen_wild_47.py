"""Random programs over session 46's features mixed with older ones (``--grammar wild47``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: wild46's module (its preludes
and arguments) with session 46's prelude added (gen_wild_47p.py: magnitudes in helpers, a
helper that may raise, a ``@contextmanager`` generator, a helper reading a constant tuple),
whose body chains blocks: session 46's (gen_wild_47b.py: scaled squares of magnitudes at 0 and
away from it, roots of sums of squares, products of matrices transposed in loops, unused ops
that may raise, ``try`` around a raising module-level helper, ``with`` on managers given the
differentiated value, stacks of displays, lists appended then written, deep copies of
containers, accumulators a loop's reverse sweep may not touch) and wild46's; it returns a scalar
loss.

Blocks are kept as wild43 keeps them (`gen_wild_43.Gen43.accept`): the body so far runs at the
example point and stays smooth within `gen_wild.STEP` of it.
"""

from __future__ import annotations

from typing import Any

from .gen import Program
from .gen_wild_43 import SNAP
from .gen_wild_44p import HEADER as HEADER44
from .gen_wild_45p import HEADER as HEADER45
from .gen_wild_46 import Gen46
from .gen_wild_46p import HEADER as HEADER46
from .gen_wild_47b import Blocks47
from .gen_wild_47p import HEADER as HEADER47
from .gen_wild_47p import prelude47


class Gen47(Gen46, Blocks47):
    """One program per instance; `program()` builds it (features flagged ``w47_*``)."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre += prelude47(r)

    def block(self) -> list[str]:
        """Session 46's blocks mostly, wild46's the rest."""
        return self.block47() if self.r.chance(0.7) else Gen46.block(self)

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        body = "\n".join(lines + [ret])
        head = HEADER47 + HEADER46 + HEADER45 + HEADER44
        return (
            f"{head}{self.pre}{SNAP if snap else ''}\n\ndef f({', '.join(self.params)}):\n{body}\n"
        )


def generate47(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 46's features combined (see the module docstring)."""
    p = Gen47(r, exclude, size).program()
    p.features |= {"wild47"}
    return p
