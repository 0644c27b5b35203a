"""Random programs over session 44's features mixed with older ones (``--grammar wild45``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: a module with wild43's and
wild44's preludes and session 44's (gen_wild_45p.py: SGD helpers, keyword callees, a
``Stepper`` with steps chosen by name, context managers, a pair-loop helper), and a function
``f`` of two float vectors ``(n,)``, then wild43's scalars, often a dict ``params`` (a float or
vector ``scale``, a float ``shift``) and some of the time a list ``ps`` of two vectors, whose
body chains blocks: session 44's (gen_wild_45b.py: the arguments' items updated with ``op=``,
``**`` of run-time dicts, ``getattr`` with run-time method names, ``itertools`` pair loops
writing items, ``with`` on managers that swallow the body's exception or not, squares of
magnitudes exactly at 0) and wild44's; it returns a scalar loss.

Blocks are kept as wild43 keeps them (`gen_wild_43.Gen43.accept`): the body so far runs at the
example point and stays smooth within `gen_wild.STEP` of it.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from .gen import Program
from .gen_wild_43 import SNAP
from .gen_wild_44 import Gen44
from .gen_wild_44p import HEADER as HEADER44
from .gen_wild_45b import Blocks45
from .gen_wild_45p import HEADER as HEADER45
from .gen_wild_45p import prelude45


class Gen45(Gen44, Blocks45):
    """One program per instance; `program()` builds it (features flagged ``w45_*``)."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre += prelude45(r)

    def block(self) -> list[str]:
        """Session 44's blocks mostly, wild44's the rest."""
        return self.block45() if self.r.chance(0.65) else Gen44.block(self)

    def make_args(self) -> None:
        super().make_args()
        r, n = self.r, self.n
        args, params, kinds = list(self.args), list(self.params), list(self.kinds)
        if "params" not in params and r.chance(0.5):
            sc = float(r.normal()) if r.chance(0.5) else np.array([r.normal() for _ in range(n)])
            args.append({"scale": sc, "shift": float(r.normal())})
            params.append("params")
            kinds.append("dict")
            self.features.add("w45_arg_dict")
        if r.chance(0.4):
            args.append([np.array([r.normal() for _ in range(n)]) for _ in range(2)])
            params.append("ps")
            kinds.append("list")
            self.features.add("w45_arg_list")
        self.args, self.params, self.kinds = tuple(args), params, kinds
        self.types = {p: k for p, k in zip(params, kinds)}
        self.wrt = tuple(range(len(args)))
        self.env = {
            p: copy.deepcopy(a) for p, a in zip(params, args) if not isinstance(a, (dict, list))
        }

    def moved(self, t: float, v: list) -> tuple:
        out = []
        for a, d in zip(self.args, v):
            if isinstance(a, list):
                out.append([x + t * dx for x, dx in zip(a, d)])
            elif isinstance(a, dict):
                out.append({k: (type(x)(x + t * d[k]) if isinstance(x, float) else x + t * d[k])
                            for k, x in a.items()})  # fmt: skip
            elif isinstance(a, float):
                out.append(type(a)(a + t * d))
            else:
                out.append(a + t * d)
        return tuple(out)

    def direction(self, rng: np.random.Generator) -> list:
        return [
            [rng.standard_normal(np.shape(x)) for x in a]
            if isinstance(a, list)
            else {k: rng.standard_normal(np.shape(x)) for k, x in a.items()}
            if isinstance(a, dict)
            else rng.standard_normal(np.shape(a))
            for a in self.args
        ]

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        body = "\n".join(lines + [ret])
        head = HEADER45 + HEADER44
        return (
            f"{head}{self.pre}{SNAP if snap else ''}\n\ndef f({', '.join(self.params)}):\n{body}\n"
        )


def generate45(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 44's features combined (see the module docstring)."""
    p = Gen45(r, exclude, size).program()
    p.features |= {"wild45"}
    return p
