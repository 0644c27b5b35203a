"""Sources of random decisions for the program generator.

Input: a seed (`Rand`, fast, used by the in-suite run and the campaign) or a hypothesis `draw`
(`HypRand`, so hypothesis can shrink a failing program). Output: an object with `int`, `pick`,
`chance`, `pick_w` and `normal`, the only calls the generator makes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class Rand:
    """Decisions from `random.Random(seed)`."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def int(self, lo: int, hi: int) -> int:
        return self.r.randint(lo, hi)

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.int(0, len(seq) - 1)]

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def normal(self) -> float:
        return round(self.r.gauss(0.0, 1.0), 4)

    def pick_w(self, options: Sequence[tuple[float, T]]) -> T:
        total = sum(w for w, _ in options)
        x = self.r.random() * total
        for w, o in options:
            x -= w
            if x < 0:
                return o
        return options[-1][1]


class HypRand(Rand):
    """Decisions drawn from hypothesis strategies (each shrinks towards the first option / False)."""

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        self.draw = draw

    def int(self, lo: int, hi: int) -> int:
        from hypothesis import strategies as st

        return self.draw(st.integers(lo, hi))

    def chance(self, p: float) -> bool:
        return self.int(0, 999) >= 1000 * (1.0 - p)

    def normal(self) -> float:
        return (self.int(0, 4000) - 2000) / 1000.0

    def pick_w(self, options: Sequence[tuple[float, T]]) -> T:
        total = sum(w for w, _ in options)
        x = self.int(0, 9999) / 10000.0 * total
        for w, o in options:
            x -= w
            if x < 0:
                return o
        return options[-1][1]
