"""A corpus of user-style NumPy/`math` functions, each with example inputs.

Every module in this package defines functions and a `CASES` table of `Case` entries. `ALL_CASES`
collects them; tests/corpus/test_corpus.py runs the primal round trip, the IR verifier and the derivative
checks on each, and tests/golden/test_golden.py prints some of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Case:
    """`fn(*args)`; `diff`: positions of float arguments that may be differentiated."""

    fn: Callable
    args: tuple
    diff: tuple[int, ...] = ()
    name: str = ""
    # reason -> the case is expected to fail in the named stage ("primal", "verify", "fwd", "rev")
    xfail: dict[str, str] = field(default_factory=dict)
    atol: float | None = None
    rtol: float | None = None
    # scale of random perturbations for the extra primal variants (0: reuse the example inputs)
    jitter: float = 0.05
    extra: Any = None

    def __post_init__(self) -> None:
        if not self.name:
            self.name = f"{self.fn.__module__.rsplit('.', 1)[-1]}.{self.fn.__name__}"


def refused_everywhere(reason: str) -> dict[str, str]:
    """A `Case.xfail` table: refused when lowered, so every stage fails."""
    return dict.fromkeys(("primal", "verify", "fwd", "rev"), reason)


def refused_when_differentiated(reason: str) -> dict[str, str]:
    """A `Case.xfail` table: the primal runs, both derivative modes are refused."""
    return dict.fromkeys(("fwd", "rev"), reason)


def _collect() -> list[Case]:
    from . import arithmetic, calls, containers, control, indexing, loops, ml, tricky

    out: list[Case] = []
    for mod in (arithmetic, control, loops, indexing, containers, calls, ml, tricky):
        out.extend(mod.CASES)
    from . import ported

    out.extend(ported.CASES)
    from . import (
        users_arrays,
        users_classes2,
        users_hunt4,
        users_hunt4b,
        users_idioms,
        users_idioms2,
        users_ml,
        users_sim,
    )

    mods = (
        users_ml,
        users_sim,
        users_idioms,
        users_arrays,
        users_idioms2,
        users_hunt4,
        users_hunt4b,
        users_classes2,
    )
    out.extend(c for m in mods for c in m.CASES)
    return out


ALL_CASES = _collect()
