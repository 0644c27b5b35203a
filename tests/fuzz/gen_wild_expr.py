"""Deep random expression trees for the wild generator (tests/fuzz/gen_wild.py).

Input: the generator's current locals (values, not types) and a decision source. Output: an
expression's text and its value, built bottom-up: every subtree is evaluated as it is drawn (on
the example arguments), so shapes, dtypes and broadcasting come from NumPy itself, and a subtree
NumPy rejects is redrawn. Operands mix Python floats, ints, bools and complex numbers, 0-d
arrays, float32 and int arrays with float64 ones; operators are the whole Python set (`@`, `**`,
`//`, `%`, unary minus/plus, `abs`, chained comparisons), calls are drawn from a wide list of
NumPy functions with random keyword arguments, and methods, indexing and slicing in every form.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .gen_wild_calls import Reject, WildCalls, kind, sane

UNARY = [  # (template, domain): 'any', 'pos' (> 0 after the template's own shift), 'small'
    "np.sin({})",
    "np.cos({})",
    "np.tanh({})",
    "np.arctan({})",
    "np.exp(np.tanh({}))",
    "np.log1p({} ** 2)",
    "np.sqrt({} ** 2 + 1.0)",
    "np.abs({})",
    "abs({})",
    "np.square({})",
    "-{}",
    "+{}",
    "np.negative({})",
    "np.expm1(np.sin({}))",
    "np.sinh(np.cos({}))",
    "np.cosh(np.sin({}))",
    "np.log(np.abs({}) + 0.5)",
    "np.sign({0}) * {0}",
    "np.maximum({}, 0.1)",
    "np.minimum({}, -0.2)",
    "np.clip({}, -0.5, 0.7)",
    "np.floor({0}) + {0}",
    "np.round({}, 1) * 0.0 + {}",
    "np.reciprocal({} ** 2 + 1.0)",
    "np.sinc({})",
    "np.exp2(np.sin({}))",
    "np.log2(np.abs({}) + 1)",
    "np.log10({} ** 2 + 2)",
    "np.deg2rad({})",
    "np.hypot({}, 0.5)",
    "np.arctan2({}, 1.5)",
    "np.logaddexp({}, 0.3)",
    "np.fmax({}, -0.4)",
    "np.heaviside({0}, 0.5) * {0}",
    "np.float_power(np.abs({}) + 0.5, 1.5)",
    "np.power({} ** 2 + 0.5, -0.5)",
    "np.cbrt({} ** 2 + 1.0)",
    "np.rad2deg({}) / 57.0",
    "np.tan(np.tanh({}))",
    "np.arcsinh({})",
    "np.arcsin(np.tanh({}) * 0.9)",
    "np.real(np.exp(1j * {}))",
    "np.abs({} + 0.5j)",
    "np.angle({} + 1j)",
    "np.nan_to_num({})",
    "np.positive({})",
    "np.conj({})",
    "np.fix({0}) * 0.5 + {0}",
    "np.copysign({}, 1.0)",
]
BINOPS = ["+", "-", "*", "/", "**", "//", "%", "@"]
CMPS = ["<", "<=", ">", ">=", "==", "!="]


class WildExpr(WildCalls):
    """Mixin: `fexpr`, `bexpr`, `iexpr` return (text, value); the host provides `r`, `ns()`."""

    r: Any

    def ns(self) -> dict[str, Any]:  # pragma: no cover - the host's
        raise NotImplementedError

    def use(self, feature: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def ev(self, src: str) -> Any:
        try:
            with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
                warnings.simplefilter("error")
                v = eval(src, self.ns())  # noqa: S307 - our own expression
        except Reject:
            raise
        except Exception as e:  # noqa: BLE001
            raise Reject(f"{type(e).__name__}: {e}") from None
        return sane(v)

    def names(self, k: str, pred: Any = None) -> list[str]:
        out = []
        for n, v in self.ns().items():
            # (`y`: a comprehension's `:=` target, read after it: refused, see gen_wild_stmts)
            if n.startswith("_") or n in ("np", "math", "y") or kind(v) != k:
                continue
            if pred is None or pred(np.asarray(v)):
                out.append(n)
        return sorted(out)

    # -- leaves --------------------------------------------------------------------------------

    def literal(self, k: str = "f") -> str:
        r = self.r
        if k == "i":
            return str(r.pick([1, 2, 3, -1, 0]))
        if k == "b":
            return r.pick(["True", "False"])
        if k == "c":
            return f"({r.normal()}{r.pick(['+', '-'])}{abs(r.normal())}j)"
        x = round(r.normal(), 3) or 0.25
        form = r.pick_w(
            [(5, "{}"), (1, "np.float32({})"), (1, "np.array({})"), (1, "np.float64({})")]
        )
        if form != "{}":
            self.use("lit_" + form.split("(")[0].replace("np.", ""))
        return form.format(x)

    def leaf(self, k: str = "f", pred: Any = None) -> tuple[str, Any]:
        names = self.names(k, pred)
        live = [n for n in names if n in getattr(self, "live", ())]
        if live and self.r.chance(0.75):
            n = self.r.pick(live)
            return n, self.ev(n)
        if names and self.r.chance(0.7):
            n = self.r.pick(names)
            return n, self.ev(n)
        src = self.literal(k)
        v = self.ev(src)
        if pred is not None and not pred(np.asarray(v)):
            raise Reject("no leaf")
        return src, v

    def compatible(self, shape: tuple) -> Any:
        def ok(a: np.ndarray) -> bool:
            try:
                np.broadcast_shapes(a.shape, shape)
                return True
            except ValueError:
                return False

        return ok

    # -- float expressions ---------------------------------------------------------------------

    def fexpr(self, d: int) -> tuple[str, Any]:
        """A float-valued expression of depth at most `d`."""
        if d <= 0:
            return self.leaf("f")
        opts = [
            (3, self.e_unary),
            (4, self.e_binop),
            (2, self.e_reduce),
            (2, self.e_method),
            (2, self.e_index),
            (1.5, self.e_shape),
            (1.5, self.e_where),
            (1, self.e_mixed),
            (0.7, self.e_complex),
            (0.8, self.e_call_user),
            (0.6, self.e_comp),
            (0.6, self.e_pyscalar),
            (0.7, self.e_linalg),
            (2.5, self.e_more),
            (1, lambda d: self.leaf("f")),
        ]
        for _ in range(4):
            try:
                src, v = self.r.pick_w(opts)(d)
            except Reject:
                continue
            if kind(v) == "f":
                return src, v
        return self.leaf("f")

    def e_unary(self, d: int) -> tuple[str, Any]:
        a, _ = self.fexpr(d - 1)
        t = self.r.pick(UNARY)
        self.use("u_" + t.split("(")[0].replace("np.", "").strip("{}+- "))
        src = t.format(a, a) if "{0}" not in t else t.format(a)
        return f"({src})", self.ev(src)

    def e_binop(self, d: int) -> tuple[str, Any]:
        a, av = self.fexpr(d - 1)
        op = self.r.pick(BINOPS)
        if op == "@":
            pred = (
                (lambda x: x.ndim >= 1 and x.shape[0] == np.shape(av)[-1]) if np.ndim(av) else None
            )
            if pred is None:
                raise Reject("scalar @")
            b, _ = self.leaf("f", pred)
        elif self.r.chance(0.5):
            b, _ = self.fexpr(d - 1)
        else:
            b, _ = self.leaf(self.r.pick(["f", "f", "i", "b"]), self.compatible(np.shape(av)))
        if op == "**":
            a, b = f"np.abs({a}) + 0.5", self.r.pick(["2", "3", "0.5", "-1", "1.5", b, "2.0"])
            if b not in ("2", "3", "0.5", "-1", "1.5", "2.0"):
                b = f"np.tanh({b})"
        if op in ("//", "%"):
            self.use("floordiv_mod")
            b = f"({b} ** 2 + 0.7)"
        if op == "/":
            b = f"({b} ** 2 + 0.3)" if self.r.chance(0.7) else b
        if self.r.chance(0.5):
            a, b = (b, a) if op in "+*" else (a, b)
        self.use("op_" + op)
        src = f"({a}) {op} ({b})" if op != "**" else f"({a}) ** ({b})"
        return f"({src})", self.ev(src)

    def e_index(self, d: int) -> tuple[str, Any]:
        a, av = self.fexpr(d - 1)
        nd = np.ndim(av)
        if nd == 0:
            raise Reject("index a scalar")
        s = np.shape(av)
        r = self.r
        n0 = s[0]
        one = [
            str(r.int(-n0, n0 - 1)),
            "::-1",
            "1:",
            ":-1",
            "::2",
            "None",
            "...",
            f"[{', '.join(str(r.int(-n0, n0 - 1)) for _ in range(r.int(1, 4)))}]",
            f"np.array([{r.int(0, n0 - 1)}, {r.int(0, n0 - 1)}])",
            "1::-1",
            f"{r.int(0, n0 - 1)}:{r.int(0, n0)}",
        ]
        if nd == 1:
            ix = r.pick(one + [f"{a} > {r.normal()}", f"np.argsort({a})", f"np.argmax({a})"])
            if ix.startswith(a):
                ix = f"({ix})"
        else:
            n1 = s[1]
            two = [
                f"{r.int(-n0, n0 - 1)}, {r.int(-n1, n1 - 1)}",
                ":, ::-1",
                ":, None",
                "..., 0",
                f"..., {r.int(-n1, n1 - 1)}",
                f"None, :, {r.int(0, n1 - 1)}",
                f"1:, {r.int(0, n1 - 1)}:",
                f"[0, {n0 - 1}], [{n1 - 1}, 0]",
                f"::-1, [{r.int(0, n1 - 1)}, 0]",
                f"{a} > {r.normal()}",
                f":, {a}[0] > {r.normal()}",
                f"np.newaxis, ..., {r.int(0, n1 - 1)}",
            ]
            ix = r.pick(one + two)
        self.use("ix")
        src = f"({a})[{ix}]"
        v = self.ev(src)
        if np.size(v) == 0:
            raise Reject("empty")
        return src, v

    def bexpr(self, d: int, shape: tuple | None = None) -> tuple[str, Any]:
        """A bool expression (broadcastable to `shape` when given)."""
        pred = self.compatible(shape) if shape is not None else None
        a, av = self.leaf("f", pred)
        r = self.r
        c = r.pick(CMPS[:4])
        form = r.pick_w([(3, "cmp"), (1, "chain"), (1, "logic"), (0.5, "isclose")])
        if form == "chain":
            self.use("chained_cmp")
            lo, hi = sorted([r.normal(), r.normal()])
            src = f"({lo} < {a}) & ({a} < {hi})" if np.ndim(av) else f"{lo} < {a} < {hi}"
        elif form == "logic":
            b, _ = self.leaf("f", pred)
            src = f"np.logical_{r.pick(['and', 'or', 'xor'])}({a} {c} 0.1, {b} > -0.2)"
        elif form == "isclose":
            src = f"~np.isclose({a}, 0.5)"
        else:
            src = f"{a} {c} {r.normal()}"
        return f"({src})", self.ev(src)

    def e_where(self, d: int) -> tuple[str, Any]:
        a, av = self.fexpr(d - 1)
        m, _ = self.bexpr(d - 1, np.shape(av))
        b, _ = self.fexpr(d - 1) if self.r.chance(0.5) else self.leaf("f")
        self.use("where")
        src = f"np.where({m}, {a}, {b})"
        return src, self.ev(src)

    def e_mixed(self, d: int) -> tuple[str, Any]:
        """Floats with ints, bools, float32 and Python numbers."""
        a, av = self.fexpr(d - 1)
        b, _ = self.leaf(self.r.pick(["i", "b", "i"]), self.compatible(np.shape(av)))
        src = self.r.pick(
            [
                f"{a} * {b}",
                f"{a} + {b}",
                f"np.asarray({a}, dtype=np.float32) * {b}",
                f"{a} - np.float32(0.5) * {b}",
                f"{a} * (1 + {b})",
                f"np.multiply({a}, {b}, dtype=float)",
                f"{a} + True",
                f"{a} ** 2 * 2",
            ]
        )
        self.use("mixed")
        return f"({src})", self.ev(src)
