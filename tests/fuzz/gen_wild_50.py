"""Random programs over session 49's features mixed with older ones (``--grammar wild50``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: wild49's module (its preludes
and arguments) with session 49's prelude added (gen_wild_50p.py: data with NaNs, helpers of it,
user classes deriving ``var``, an ndarray subclass), whose body chains blocks: session 49's
(gen_wild_50b.py: magnitudes at exact zeros of the example point through containers, loops and
helpers; NaN data reduced by NaN-skipping reductions and masks; roots of variances; matrix
products accumulated in loops) and wild49's; it returns a scalar loss.

Blocks are kept as wild43 keeps them (`gen_wild_43.Gen43.accept`): the body so far runs at the
example point and stays smooth within `gen_wild.STEP` of it (a kink at a magnitude's 0 is
rejected; a function smooth there is kept, and srcad must answer it right or refuse it).
"""

from __future__ import annotations

from typing import Any

from .gen import Program
from .gen_wild_43 import SNAP
from .gen_wild_44p import HEADER as HEADER44
from .gen_wild_45p import HEADER as HEADER45
from .gen_wild_46p import HEADER as HEADER46
from .gen_wild_47p import HEADER as HEADER47
from .gen_wild_48p import HEADER as HEADER48
from .gen_wild_49 import Gen49
from .gen_wild_49p import HEADER as HEADER49
from .gen_wild_50b import Blocks50
from .gen_wild_50p import HEADER as HEADER50
from .gen_wild_50p import prelude50


class Gen50(Gen49, Blocks50):
    """One program per instance; `program()` builds it (features flagged ``w50_*``)."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre += prelude50(r, self.n)

    def block(self) -> list[str]:
        """Session 49's blocks mostly, wild49's the rest."""
        return self.block50() if self.r.chance(0.7) else Gen49.block(self)

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        body = "\n".join(lines + [ret])
        head = HEADER50 + HEADER49 + HEADER48 + HEADER47 + HEADER46 + HEADER45 + HEADER44
        return (
            f"{head}{self.pre}{SNAP if snap else ''}\n\ndef f({', '.join(self.params)}):\n{body}\n"
        )


def generate50(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 49's features combined (see the module docstring)."""
    p = Gen50(r, exclude, size).program()
    p.features |= {"wild50"}
    return p
