"""Random programs over session 48's features mixed with older ones (``--grammar wild49``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: wild48's module (its preludes
and arguments) with session 48's prelude added (gen_wild_49p.py: a statistics class with its own
``var`` and ``std``, an accumulator object), whose body chains blocks: session 48's
(gen_wild_49b.py: C-style ``A[i][j]`` loops, roots of variances, convergence loops whose test
is read by nothing else or also by the result, values reaching the result through containers,
fields and closures, ``lfilter`` with ``zi``/``lfilter_zi``/``filtfilt``, plain nested cached
functions, quiet reverse loops under ``np.errstate``, magnitudes in flag branches) and
wild48's; it returns a scalar loss.

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
from .gen_wild_47p import HEADER as HEADER47
from .gen_wild_48 import Gen48
from .gen_wild_48p import HEADER as HEADER48
from .gen_wild_49b import Blocks49
from .gen_wild_49p import HEADER as HEADER49
from .gen_wild_49p import prelude49


class Gen49(Gen48, Blocks49):
    """One program per instance; `program()` builds it (features flagged ``w49_*``)."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre += prelude49(r)

    def block(self) -> list[str]:
        """Session 48's blocks mostly, wild48's the rest."""
        return self.block49() if self.r.chance(0.7) else Gen48.block(self)

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        body = "\n".join(lines + [ret])
        head = HEADER49 + HEADER48 + HEADER47 + HEADER46 + HEADER45 + HEADER44
        return (
            f"{head}{self.pre}{SNAP if snap else ''}\n\ndef f({', '.join(self.params)}):\n{body}\n"
        )


def generate49(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 48's features combined (see the module docstring)."""
    p = Gen49(r, exclude, size).program()
    p.features |= {"wild49"}
    return p
