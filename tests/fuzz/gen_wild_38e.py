"""Typed random expressions over NumPy arrays of several shapes (``--grammar wild38``).

Input: the host generator's state (`gen_wild_38.Gen38`: a decision source, the values of the
variables in scope). Output: ``expr(shape, depth)``, the source of one expression whose value has
exactly that shape (``()``, ``(k,)``, ``(a, b)``), or `Reject`. Written the way a typed grammar
writes programs, not from users' idioms: a production is picked by the shape it must return and
asks for its operands by shape in turn, so broadcasting ``(n, 1)`` with ``(1, m)``, reductions
along ``axis=0/1/-1/None`` with ``keepdims``, transposes, reshapes, stacking, slices with negative
steps, fancy indices and constant masks, ``np.take``/``np.roll``/``np.cumsum``/``np.diff``/
``np.outer``/``np.einsum``/``@`` nest in any order. Elementwise functions keep to their domains
(``log`` of ``exp(x)`` or ``x * x + 1``, ``arcsin`` of ``tanh(x) / 2``, negative bases only under
integer powers); kinks (``abs``, ``maximum``, ``max``, ``sort``, ``clip``) are drawn only where the
operands' values at the point stay a margin away from the tie (`_gap`). Scalar leaves and Python
``math`` calls: tests/fuzz/gen_wild_38s.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_38a import Shapes38
from .gen_wild_38s import GAP, Scalar38, _distinct, _gap
from .gen_wild_38v import Spell38
from .gen_wild_calls import Reject

UNARY = [
    "np.sin({0})",
    "np.cos({0})",
    "np.tanh({0})",
    "np.arctan({0})",
    "np.exp(np.tanh({0}))",
    "np.exp({0} * 0.3)",
    "np.log(np.exp({0}))",
    "np.log({0} * {0} + 1.0)",
    "np.log1p({0} ** 2)",
    "np.sqrt({0} * {0} + 1.0)",
    "np.sqrt(np.exp({0}))",
    "np.arcsin(np.tanh({0}) / 2)",
    "np.arccos(np.tanh({0}) * 0.5)",
    "np.power({0}, 2)",
    "np.power({0}, 3)",
    "{0} ** 2",
    "np.square({0})",
    "np.power({0} * {0} + 1.0, 1.5)",
    "({0} * {0} + 1.0) ** -0.5",
    "(-np.exp({0} * 0.5)) ** 3",
    "np.power(-1.0 - {0} ** 2, -2)",
    "np.float_power(np.exp({0} * 0.2), 1.5)",
    "np.cbrt(np.exp({0}))",
    "np.sinh({0} * 0.5)",
    "np.cosh({0} * 0.5)",
    "np.expm1({0} * 0.5)",
    "np.log2(np.exp({0}) + 1.0)",
    "np.log10({0} ** 2 + 2.0)",
    "np.reciprocal({0} ** 2 + 1.0)",
    "1.0 / (1.0 + np.exp(-{0}))",
    "np.hypot({0}, 1.0)",
    "np.arctan2({0}, 1.5)",
    "-{0}",
    "np.negative({0})",
    "np.deg2rad({0}) * 30.0",
    "np.sinc({0} * 0.3 + 2.5)",
    "{0} ** -1 * 0.0 + np.exp({0} * 0.1) ** -2",
    "np.power({0} * 0.5, 0)",
    "(-2.0 - np.tanh({0})) ** np.int64(3)",
    "np.power(1.5 + np.tanh({0}), -1)",
    "np.power({0}, np.arange(np.size({0})).reshape(np.shape({0})) % 3 + 1)",
    "({0}) ** (np.arange(np.size({0})).reshape(np.shape({0})) % 2 * 1.0 + 2.0)",
]
BINARY = [
    "{0} + {1}",
    "{0} - {1}",
    "{0} * {1}",
    "{0} / ({1} ** 2 + 1.0)",
    "{0} / np.exp({1} * 0.5)",
    "{0} / (2.0 + np.sin({1}))",
    "np.add({0}, {1})",
    "np.subtract({0}, {1})",
    "np.multiply({0}, {1})",
    "np.divide({0}, np.cosh({1}))",
    "np.logaddexp({0}, {1})",
    "np.arctan2({0}, {1} ** 2 + 1.0)",
    "{0} * np.tanh({1})",
    "np.power(np.exp({0} * 0.3), {1})",
    "np.exp({1} * 0.2) ** {0}",
]
GUARDED = ["np.maximum({0}, {1})", "np.minimum({0}, {1})", "np.fmax({0}, {1})"]


def _pairs(s: tuple) -> list[tuple[tuple, tuple]]:
    """Operand shapes that broadcast to `s`."""
    if s == ():
        return [((), ())]
    if len(s) == 1:
        return [(s, s), (s, ()), ((), s), ((1,), s)]
    a, b = s
    return [(s, s), ((a, 1), (1, b)), (s, (b,)), ((a, 1), (b,)), (s, ()), ((1, b), s), (s, (a, 1))]


class Expr38(Shapes38, Scalar38, Spell38):
    """Mixin of `gen_wild_38.Gen38`: the typed expressions of the module docstring."""

    r: Any

    def use(self, f: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def val(self, src: str) -> Any:  # pragma: no cover - the host's
        raise NotImplementedError

    def vars_of(self, shape: tuple) -> list[str]:  # pragma: no cover - the host's
        raise NotImplementedError

    # -- the entry point ------------------------------------------------------------------------

    def expr(self, shape: tuple, d: int) -> str:
        """An expression of shape `shape`, at most `d` productions deep."""
        for _ in range(4 if d > 0 else 1):
            try:
                src = self._draw(shape, d) if d > 0 else self.leaf(shape)
                v = self.val(src)
                if np.shape(v) != shape:
                    raise Reject(f"shape {np.shape(v)} for {shape}")
                return src
            except Reject:
                continue
        return self.leaf(shape)

    def _draw(self, s: tuple, d: int) -> str:
        r = self.r
        forms: list[tuple[float, Any]] = [
            (1.5, self.leaf),
            (2.0, self.unary),
            (2.5, self.binary),
            (0.6, self.guarded),
            (0.6, self.masked_where),
            (0.8, self.einsum_any),
            (1.2, self.pattern),  # type: ignore[attr-defined]
        ]
        if s == ():
            forms += [(4.0, self.reduce_all), (1.5, self.contract), (1.5, self.scalar_leaf)]
            forms += [(2.0, self.sp_scalar)]
        elif len(s) == 1:
            forms += [
                (2.0, self.reduce_axis),
                (1.5, self.from_2d),
                (2.0, self.slice_1d),
                (1.2, self.fancy_1d),
                (1.5, self.scan_1d),
                (1.0, self.join_1d),
                (1.2, self.matvec),
                (2.0, self.sp_vector),
            ]
        else:
            forms += [
                (1.5, self.outer),
                (1.0, self.reshape_2d),
                (1.2, self.stack_2d),
                (1.2, self.matmat),
                (1.5, self.scan_2d),
                (1.2, self.slice_2d),
                (1.0, self.keep_2d),
                (2.0, self.sp_matrix),
            ]
        return r.pick_w(forms)(s, d - 1) if r.chance(0.95) else self.leaf(s)

    # -- leaves ---------------------------------------------------------------------------------

    def leaf(self, s: tuple, d: int = 0) -> str:
        r = self.r
        names = self.vars_of(s)
        if names and r.chance(0.65):
            self.use("leaf_var")
            return r.pick(names)
        if r.chance(0.85):
            try:
                return self.adapt(s)
            except Reject:
                pass
        return self.const(s)

    def adapt(self, s: tuple) -> str:
        """A variable of another shape brought to `s` by a slice, an index or a broadcast."""
        r = self.r
        names = [k for k in self.vars_of(None) if np.size(self.val(k))]
        if not names:
            raise Reject("no variable")
        x = r.pick(names)
        t = np.shape(self.val(x))
        size = int(np.prod(t))
        self.use(f"adapt_{len(t)}{len(s)}")
        if t == ():
            return (
                r.pick([f"np.full({s}, {x})", f"{x} * np.ones({s})", f"np.broadcast_to({x}, {s})"])
                if s
                else x
            )
        if s == ():
            return r.pick(
                [
                    f"{x}.ravel()[{r.int(-size, size - 1)}]",
                    f"{x}.sum()",
                    f"{x}.flat[{r.int(0, size - 1)}]",
                ]
            )
        if len(s) == 1 and len(t) == 1 and t[0] >= s[0]:
            lo = r.int(0, t[0] - s[0])
            return r.pick([f"{x}[{lo}:{lo + s[0]}]", f"{x}[::-1][{lo}:{lo + s[0]}]"])
        if len(s) == 2 and len(t) == 2 and t[0] >= s[0] and t[1] >= s[1]:
            return f"{x}[{r.int(0, t[0] - s[0])}:][:{s[0]}, -{s[1]}:]"
        idx = np.array([r.int(0, size - 1) for _ in range(int(np.prod(s)))]).reshape(s).tolist()
        return f"{x}.ravel()[np.array({idx!r})]" if len(t) > 1 else f"{x}[np.array({idx!r})]"

    def const(self, s: tuple) -> str:
        r = self.r
        self.use("leaf_const")
        if s == ():
            return repr(round(r.normal(), 3))
        n = int(np.prod(s))
        form = r.pick(["lit", "lin", "arange", "zeros"])
        if form == "zeros":
            self.use("const_zero")
            vals = [round(r.normal(), 3) if r.chance(0.5) else 0.0 for _ in range(n)]
            src = r.pick([f"np.array({vals!r})", f"np.zeros({n})", f"np.ones({n})"])
            return src if len(s) == 1 else f"{src}.reshape{s}"
        if form == "lin":
            src = f"np.linspace({round(r.normal(), 2)}, {round(r.normal() + 2.0, 2)}, {n})"
        elif form == "arange":
            src = f"(np.arange({n}.0) * {round(r.normal() * 0.5, 2)})"
        else:
            src = f"np.array({[round(r.normal(), 3) for _ in range(n)]!r})"
        return src if len(s) == 1 else f"{src}.reshape{s}"

    # -- elementwise ----------------------------------------------------------------------------

    def unary(self, s: tuple, d: int) -> str:
        t = self.r.pick(UNARY)
        self.use("un_" + t.split("(")[0].replace(" ", ""))
        return t.format(self._paren(self.expr(s, d)))

    def _paren(self, src: str) -> str:
        return src if src.replace("_", "").replace(".", "").isalnum() else f"({src})"

    def binary(self, s: tuple, d: int) -> str:
        r = self.r
        sa, sb = r.pick(_pairs(s))
        t = r.pick(BINARY)
        self.use(f"bin_{len(sa)}{len(sb)}")
        a = self.expr(sa, d) if sa != () or r.chance(0.5) else self.scalar(d)
        b = self.expr(sb, d) if sb != () or r.chance(0.5) else self.scalar(d)
        return t.format(self._paren(a), self._paren(b))

    def guarded(self, s: tuple, d: int) -> str:
        r = self.r
        sa, sb = r.pick(_pairs(s))
        a, b = self._paren(self.expr(sa, d)), self._paren(self.expr(sb, d))
        form = r.pick(["max", "abs", "clip", "where"])
        self.use("kink_" + form)
        if form == "max":
            if not _gap(np.subtract(self.val(a), self.val(b))):
                raise Reject("tie")
            return r.pick(GUARDED).format(a, b)
        if form == "abs":
            if not _gap(self.val(a)):
                raise Reject("abs at 0")
            return r.pick(["np.abs({0})", "abs({0})", "np.fabs({0})"]).format(a)
        if form == "clip":
            lo, hi = sorted(round(r.normal(), 2) for _ in range(2))
            v = self.val(a)
            if not (_gap(v - lo) and _gap(v - hi)):
                raise Reject("clip at a bound")
            return r.pick(["np.clip({0}, {1}, {2})", "{0}.clip({1}, {2})"]).format(a, lo, hi)
        v = self.val(a)
        return f"np.where({a} > {round(float(np.mean(v)) + GAP * 3, 3)}, {a}, 0.5 * {a} + {b})"

    def masked_where(self, s: tuple, d: int) -> str:
        mask = [self.r.chance(0.5) for _ in range(int(np.prod(s)))]
        m = f"np.array({mask!r})" + (f".reshape{s}" if len(s) == 2 else "")
        if s == ():
            m = repr(mask[0])
        self.use("where_const")
        return f"np.where({m}, {self.expr(s, d)}, {self.expr(s, d)})"

    # -- shapes from other shapes -----------------------------------------------------------------

    def other(self) -> tuple:
        """A shape to reduce from: mostly the program's own sizes."""
        r = self.r
        n, m = self.n, self.m  # type: ignore[attr-defined]
        return r.pick([(n,), (m,), (n, m), (m, n), (n, 1), (1, m), (r.int(1, 4), r.int(1, 4))])

    def reduce_axis(self, s: tuple, d: int) -> str:
        r = self.r
        (k,) = s
        j = r.int(1, 4)
        ax = r.pick([0, 1, -1])
        t = (j, k) if ax == 0 else (k, j)
        a = self._paren(self.expr(t, d))
        red = r.pick(["sum", "mean", "prod", "max", "min", "norm", "std", "cumsum"])
        kd = r.chance(0.3)
        self.use(f"rax_{red}_{ax}" + ("_kd" if kd else ""))
        if red in ("max", "min") and not _distinct(self.val(a), axis=ax):
            raise Reject("tied max along an axis")
        if red == "norm" and float(np.min(np.linalg.norm(self.val(a), axis=ax))) < 0.1:
            raise Reject("norm at 0")
        if red == "std" and float(np.min(np.std(self.val(a), axis=ax))) < 0.05:
            raise Reject("std at 0")
        if red == "cumsum":
            return f"np.cumsum({a}, axis={ax})[{-1 if ax == 0 else ':, -1'}]"
        if red == "prod":
            a = f"(np.tanh({a}) * 0.5 + 1.0)"
        call = {"norm": "np.linalg.norm({0}, axis={1}{2})", "std": "np.std({0}, axis={1}{2})"}.get(
            red, r.pick(["np.{3}({0}, axis={1}{2})", "{0}.{3}(axis={1}{2})"])
        )
        src = call.format(a, ax, ", keepdims=True" if kd else "", red)
        if kd:
            src = r.pick([f"{src}.ravel()", f"{src}.reshape(-1)", f"np.squeeze({src})"])
            if ax == 0:
                src = src if "ravel" in src or "reshape" in src else f"{src}.reshape({k})"
        return src

    def from_2d(self, s: tuple, d: int) -> str:
        r = self.r
        (k,) = s
        form = r.pick(["col", "row", "ravel", "diag", "T"])
        self.use("f2d_" + form)
        if form == "col":
            a = self._paren(self.expr((k, 1), d))
            return r.pick(
                [
                    "{0}[:, 0]",
                    "{0}.ravel()",
                    "{0}.reshape(-1)",
                    "np.squeeze({0}, axis=1)",
                    "{0}.flatten()",
                ]
            ).format(a)
        if form == "row":
            a = self._paren(self.expr((1, k), d))
            return r.pick(["{0}[0]", "{0}.ravel()", "{0}.reshape({1})", "{0}[-1, :]"]).format(a, k)
        if form == "ravel":
            for p in range(2, k):
                if k % p == 0:
                    return f"{self._paren(self.expr((p, k // p), d))}.ravel()"
            raise Reject("prime length")
        if form == "diag":
            return f"np.diag({self.expr((k, k), d)})"
        j = r.int(1, 4)
        return f"{self._paren(self.expr((j, k), d))}.T[:, {r.int(-j, j - 1)}]"
