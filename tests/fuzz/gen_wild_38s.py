"""Python scalars in the wild38 typed expressions (tests/fuzz/gen_wild_38e.py).

Input: a depth. Output: the source of a scalar: a NumPy 0-d result turned into a Python float
(``float(...)``, ``.item()``, ``.sum()`` of one element) or a Python ``math`` function of one
(``math.sin``, ``math.exp``, ``math.log(1 + s * s)``, ``math.sqrt``, ``math.hypot``,
``math.pow`` of a positive base, ``math.atan2``, ``sum`` of a list, ``abs`` away from 0), the way
scalars leak out of array code into Python arithmetic; whole reductions (`reduce_all`: ``sum``,
``mean``, ``prod``, ``max`` away from ties, ``norm``, ``std``, ``var``, ``axis=None``, a tuple of
every axis) and contractions to a scalar (`contract`: ``np.dot``, ``@``, ``np.vdot``, ``np.einsum``,
``np.trace``, one element). Also `einsum_any`: ``np.einsum`` with
random valid subscripts for a target shape (operands of up to two labels each, any order, one or
two contracted labels, an operand without labels, the implicit form without ``->``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject

GAP = 0.05  # how far from a tie a kinked operation's operands must stay at the point


def _gap(*vals: Any) -> bool:
    return all(np.min(np.abs(np.asarray(v, float)), initial=1.0) > GAP for v in vals)


def _distinct(v: Any, axis: int | None = None) -> bool:
    """Sorted along `axis`, neighbours differ by more than `GAP` (max/min/sort unambiguous)."""
    a = np.sort(np.asarray(v, float), axis=-1 if axis is None else axis)
    if axis is None:
        a = np.sort(np.ravel(a))
        return a.size < 2 or float(np.min(np.diff(a))) > GAP
    return a.shape[axis] < 2 or float(np.min(np.diff(a, axis=axis))) > GAP


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

    def _paren(self, src: str) -> str:  # pragma: no cover - Expr38's
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
            return (
                f"({self.expr((), d)}).item()"
                if r.chance(0.5)
                else f"np.float64({self.expr((), d)}).item()"
            )
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

    def reduce_all(self, s: tuple, d: int) -> str:
        r = self.r
        t = self.other()
        a = self._paren(self.expr(t, d))
        form = r.pick(
            ["sum", "mean", "msum", "npsum", "axnone", "prod", "max", "norm", "std", "var"]
        )
        self.use("red_" + form)
        if form == "max":
            if not _distinct(self.val(a)):
                raise Reject("tied max")
            return r.pick(
                ["np.max({0})", "{0}.min()", "np.amax({0})", "np.min({0}, axis=None)"]
            ).format(a)
        if form == "norm":
            if float(np.linalg.norm(self.val(a))) < 0.1:
                raise Reject("norm at 0")
            return f"np.linalg.norm({a})"
        if form == "std" and float(np.std(self.val(a))) < 0.05:
            raise Reject("std at 0")
        return {
            "sum": "{0}.sum()",
            "mean": "np.mean({0})",
            "msum": "{0}.mean(axis=None)",
            "npsum": "np.sum({0}, axis=None)",
            "axnone": "np.sum({0}, axis=tuple(range({0}.ndim)))",
            "prod": "np.prod(np.tanh({0}) * 0.5 + 1.0)",
            "std": "np.std({0})",
            "var": "{0}.var()",
        }[form].format(a)

    def contract(self, s: tuple, d: int) -> str:
        r = self.r
        k = r.pick([self.n, self.m])  # type: ignore[attr-defined]
        form = r.pick(["dot", "matmul", "ein1", "ein2", "trace", "idx", "idx2", "vdot"])
        self.use("con_" + form)
        if form in ("dot", "matmul", "ein1", "vdot"):
            a, b = self._paren(self.expr((k,), d)), self._paren(self.expr((k,), d))
            return {
                "dot": f"np.dot({a}, {b})",
                "matmul": f"{a} @ {b}",
                "ein1": f"np.einsum('i,i->', {a}, {b})",
                "vdot": f"np.vdot({a}, {b})",
            }[form]
        if form == "ein2":
            t = (self.n, self.m)  # type: ignore[attr-defined]
            sub = r.pick(["ij,ij->", "ij,ji->", "ij->"])
            ops = [self.expr(t, d)] + (
                [self.expr(t if sub == "ij,ij->" else t[::-1], d)] if "," in sub else []
            )
            return f"np.einsum('{sub}', {', '.join(ops)})"
        if form == "trace":
            return f"np.trace({self.expr((k, k), d)})"
        if form == "idx":
            i = r.int(-k, k - 1)
            return f"{self._paren(self.expr((k,), d))}[{i}]"
        t = self.other()
        if len(t) < 2:
            t = (t[0], 2)
        return f"{self._paren(self.expr(t, d))}[{r.int(0, t[0] - 1)}, {r.int(-t[1], t[1] - 1)}]"

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
