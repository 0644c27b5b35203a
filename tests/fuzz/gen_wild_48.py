"""Random programs over session 47's features mixed with older ones (``--grammar wild48``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: wild47's module (its preludes
and arguments) with session 47's prelude added (gen_wild_48p.py: an iterator class, a module
with a params dict, a dual-number class, a dataclass tree), whose body chains blocks: session
47's (gen_wild_48b.py: nested lru_cache functions, iterator classes, as_strided windows,
loop-carried lists rebound, gathered rows updated in place, loop-invariant index ops, objects,
next/max defaults, starmap, combinations, ExitStack, dicts of numbers, astype(copy=False),
errstate around loops, even functions of magnitudes) and wild47's; it returns a scalar loss.

Blocks are kept as wild43 keeps them (`gen_wild_43.Gen43.accept`): the body so far runs at the
example point and stays smooth within `gen_wild.STEP` of it.
"""

from __future__ import annotations

from typing import Any

from .gen import Program
from .gen_wild_43 import SNAP
from .gen_wild_44p import HEADER as HEADER44
from .gen_wild_45p import HEADER as HEADER45
from .gen_wild_46p import HEADER as HEADER46
from .gen_wild_47 import Gen47
from .gen_wild_47p import HEADER as HEADER47
from .gen_wild_48b import Blocks48
from .gen_wild_48p import HEADER as HEADER48
from .gen_wild_48p import prelude48


class Gen48(Gen47, Blocks48):
    """One program per instance; `program()` builds it (features flagged ``w48_*``)."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre += prelude48(r)

    def block(self) -> list[str]:
        """Session 47's blocks mostly, wild47's the rest."""
        return self.block48() if self.r.chance(0.7) else Gen47.block(self)

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        body = "\n".join(lines + [ret])
        head = HEADER48 + HEADER47 + HEADER46 + HEADER45 + HEADER44
        return (
            f"{head}{self.pre}{SNAP if snap else ''}\n\ndef f({', '.join(self.params)}):\n{body}\n"
        )


def generate48(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 47's features combined (see the module docstring)."""
    p = Gen48(r, exclude, size).program()
    p.features |= {"wild48"}
    return p
