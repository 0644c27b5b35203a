"""Python scalars in the wild38 typed expressions (tests/fuzz/gen_wild_38e.py).

Input: a depth. Output: the source of a scalar: a NumPy 0-d result turned into a Python float
(``float(...)``, ``.item()``, ``.sum()`` of one element) or a Python ``math`` function of one
(``math.sin``, ``math.exp``, ``math.log(1 + s * s)``, ``math.sqrt``, ``math.hypot``,
``math.pow`` of a positive base, ``math.atan2``, ``sum`` of a list, ``abs`` away from 0), the way
scalars leak out of array code into Python arithmetic. Also `einsum_any`: ``np.einsum`` with
random valid subscripts for a target shape (operands of up to two labels each, any order, one or
two contracted labels, an operand without labels, the implicit form without ``->``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject

MATH = [
    "math.sin({0})",
    "math.cos({0})",
    "math.tanh({0})",
    "math.atan({0})",
    "math.exp({0} * 0.5)",
    "math.log(1.0 + {0} * {0})",
    "math.log1p(math.exp({0}))",
    "math.sqrt({0} ** 2 + 0.5)",
    "math.hypot({0}, 0.7)",
    "math.pow(math.exp({0}), 0.5)",
    "math.atan2({0}, 2.0)",
    "math.erf({0})",
    "math.expm1({0} * 0.3)",
    "{0} ** 3",
    "(-1.5 - {0} ** 2) ** 2",
]


class Scalar38:
    """Mixin of `gen_wild_38e.Expr38`: the scalars of the module docstring."""

    r: Any

    def expr(self, shape: tuple, d: int) -> str:  # pragma: no cover - Expr38's
        raise NotImplementedError

    def use(self, f: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def val(self, src: str) -> Any:  # pragma: no cover - the host's
        raise NotImplementedError

    def other(self) -> tuple:  # pragma: no cover - Expr38's
        raise NotImplementedError

    def pyvars(self) -> list[str]:  # pragma: no cover - the host's
        raise NotImplementedError

    def scalar(self, d: int) -> str:
        """A Python float (or NumPy scalar) drawn as scalar code writes it."""
        r = self.r
        names = self.pyvars()
        if names and r.chance(0.35):
            self.use("sc_var")
            return r.pick(names)
        form = r.pick(["float", "item", "item1", "sum", "math", "math2", "abs", "listsum", "lit"])
        self.use("sc_" + form)
        if form == "lit" or d < 0:
            return repr(round(r.normal(), 3))
        if form == "float":
            return f"float({self.expr((), d)})"
        if form == "item":
            return f"({self.expr((), d)}).item()" if r.chance(0.5) else f"np.float64({self.expr((), d)}).item()"
        if form == "item1":
            t = r.pick([(1,), (1, 1)])
            return f"({self.expr(t, d)}).item()"
        if form == "sum":
            return f"({self.expr(self.other(), d)}).sum()"
        if form == "math":
            return r.pick(MATH).format(f"float({self.expr((), d)})")
        if form == "math2":
            inner = self.scalar(d - 1)
            return r.pick(MATH).format(f"({inner})")
        if form == "abs":
            src = f"float({self.expr((), d)})"
            if abs(float(self.val(src))) < 0.05:
                raise Reject("abs at 0")
            return f"abs({src})"
        k = r.int(2, 3)
        parts = [self.scalar(d - 1) for _ in range(k)]
        return f"sum([{', '.join(parts)}])"

    def scalar_leaf(self, s: tuple, d: int) -> str:
        return self.scalar(d)

    def einsum_any(self, s: tuple, d: int) -> str:
        """``np.einsum`` with random subscripts whose result has shape `s`."""
        r = self.r
        out = "ij"[: len(s)]
        size = dict(zip(out, s))
        con = "kl"[: r.int(0 if s else 1, 2)]
        for c in con:
            size[c] = r.int(1, 4)
        one = [c for c in out if r.chance(0.5)] + list(con)
        two = [c for c in out if c not in one or r.chance(0.2)] + [c for c in con if r.chance(0.8)]
        if len(one) > 2 or len(two) > 2 or not set(one) | set(two) >= set(out):
            raise Reject("labels")
        for ops in (one, two):
            ops.sort(key=lambda _: r.int(0, 9))
        a = self.expr(tuple(size[c] for c in one), d)
        b = self.expr(tuple(size[c] for c in two), d)
        sub = f"{''.join(one)},{''.join(two)}"
        self.use(f"ein_{len(one)}{len(two)}{len(con)}")
        implicit = "".join(sorted(c for c in set(one) | set(two) if (one + two).count(c) == 1))
        if implicit == out and r.chance(0.3):
            return f"np.einsum('{sub}', {a}, {b})"
        src = f"np.einsum('{sub}->{out}', {a}, {b})"
        if np.shape(self.val(src)) != s:
            raise Reject("einsum shape")
        return src
