"""Users' forms the wild generator (tests/fuzz/gen_wild.py) did not draw before session 27.

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: module-level prelude
definitions (`prelude27()`: a ``@dataclass`` and a ``NamedTuple`` of an array and a float, a
recursive helper carrying a depth argument, a generator function) and the lines of one statement
group (`s_w27()`), or `Reject`: ``match`` over tuples and class patterns; walrus in ``while``
conditions and comprehensions; generators consumed by ``sum``/``np.fromiter``; recursion on a
depth; ``dataclasses.replace`` and ``_replace``; the NaN-safe double ``np.where``; ``np.clip``
with array bounds; ``keepdims``/``np.newaxis``; views written in place (``a[:, 0] *= s``,
``out[..., 1] += v``); sorting (``np.sort``, argsort gathers, ``np.median``,
``np.percentile`` away from ties); ``for i, (p, q) in enumerate(zip(...))``; nested
comprehensions over 2-D arrays; ``any``/``all`` in conditions; chained comparisons; ``math``
functions of scalars pulled out with ``float(x[i])`` / ``x[i].item()``; float32 copies.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_expr import Reject

_PAIR = """import dataclasses
from typing import NamedTuple


@dataclasses.dataclass
class Pair27:
    w: np.ndarray
    s: float = 0.5

    def energy(self):
        return np.sum(self.w ** 2) * self.s


class Tup27(NamedTuple):
    a: np.ndarray
    c: float
"""

_REC = """def rec27(x, depth):
    if depth <= 0:
        return x, 0.0
    y, acc = rec27(np.tanh(x) * {a} + x * 0.25, depth - 1)
    return y, acc + float(np.sum(y * y)) * {b}
"""

_GEN = """def gen27(xs, c):
    for k, e in enumerate(xs):
        yield e * c + np.sin(e) * k
"""


class Wild27:
    """Mixin of `gen_wild_stmts.WildStmts`: the session-27 forms (see the module docstring)."""

    r: Any
    consts: dict[str, Any]
    const_src: list[str]

    def prelude27(self) -> None:
        r = self.r
        if r.chance(0.3):
            self._define27(("Pair27", "Tup27"), _PAIR, "pair")
        if r.chance(0.25):
            src = _REC.format(a=r.pick([0.8, 0.6]), b=r.pick([0.1, 0.3]))
            self._define27(("rec27",), src, "rec")
        if r.chance(0.25):
            self._define27(("gen27",), _GEN, "gen")

    def _define27(self, names: tuple[str, ...], src: str, feature: str) -> None:
        ns: dict[str, Any] = {"np": np}
        exec(compile(src, "<prelude>", "exec"), ns)  # noqa: S102 - our own definition
        for n in names:
            self.consts[n] = ns[n]
        self.const_src.append("\n\n" + src)
        self.features.add("prelude27_" + feature)  # type: ignore[attr-defined]

    def _u(self, what: str) -> None:
        self.use("w27_" + what)  # type: ignore[attr-defined]

    def _n(self, p: str = "v") -> str:
        return self.fresh(p)  # type: ignore[attr-defined]

    def _arr(self, lo: int = 2, hi: int = 6) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 1 and lo <= x.size <= hi)  # type: ignore

    def _mat(self) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 2 and x.shape[0] >= 2 and x.shape[1] >= 2)  # type: ignore

    def _c(self, av: Any, gap: float = 0.05) -> float:
        """A threshold between the values of `av`, at least `gap` from each (else `Reject`)."""
        vals = np.sort(np.ravel(np.asarray(av, float)))
        for _ in range(6):
            c = round(float(self.r.pick(list(vals))) + self.r.pick([-0.11, 0.13]), 3)
            if np.min(np.abs(vals - c)) > gap:
                return c
        raise Reject("no threshold away from the values")

    def s_w27(self) -> list[str]:
        forms = [
            self.z_match_tuple,
            self.z_match_class,
            self.z_walrus_while,
            self.z_walrus_comp,
            self.z_gen,
            self.z_rec,
            self.z_replace,
            self.z_double_where,
            self.z_clip_arrays,
            self.z_keepdims,
            self.z_view_inplace,
            self.z_sorting,
            self.z_enum_zip,
            self.z_nested_comp,
            self.z_any_all,
            self.z_chained,
            self.z_math_item,
            self.z_float32,
        ]
        return self.r.pick(forms)()

    def z_match_tuple(self) -> list[str]:
        r = self.r
        a, av = self._arr(2)
        v, p, q = self._n(), self._n("p"), self._n("q")
        c = self._c(av[:1])
        self._u("match_tuple")
        subj = f"(float({a}[0]) > {c}, {a}[1:], len({a}))"
        lines = [f"    match {subj}:"]
        lines += [
            f"        case (True, {p}, {len(av)}):",
            f"            {v} = np.sum(np.sin({p})) * {a}",
            f"        case (False, {p}, {q}) if {q} > {r.int(1, 4)}:",
            f"            {v} = {p}[0] * {a} + {q}",
            "        case _:",
            f"            {v} = {a} ** 2",
        ]
        return lines

    def z_match_class(self) -> list[str]:
        if "Pair27" not in self.consts:
            raise Reject("no Pair27")
        a, _ = self._arr(1)
        o, v, w, s = self._n("o"), self._n(), self._n("w"), self._n("s")
        self._u("match_class")
        ctor = self.r.pick([f"Pair27({a} * 1.0, 0.7)", f"Tup27({a} * 2.0, 0.3)"])
        return [
            f"    {o} = {ctor}",
            f"    match {o}:",
            f"        case Pair27(w={w}, s={s}) if {s} > 0.5:",
            f"            {v} = {w} * {s} + {o}.energy()",
            f"        case Tup27({w}, {s}):",
            f"            {v} = np.cos({w}) * {s}",
            "        case _:",
            f"            {v} = {a}",
        ]

    def z_walrus_while(self) -> list[str]:
        r = self.r
        init, iv = self.fexpr(self.depth() - 1)  # type: ignore[attr-defined]
        k, acc, t = self._n("k"), self._n(), self._n("t")
        n = r.int(1, 5)
        lim = abs(r.normal()) + 2.0
        self._u("walrus_while")
        return [
            f"    {k} = 0",
            f"    {acc} = {init}",
            f"    while ({t} := {k} + 1) <= {n} and np.max(np.abs({acc})) < {lim}:",
            f"        {acc} = np.tanh({acc}) * {r.pick(['0.9', '1.1'])} + 0.1 * {t}",
            f"        {k} = {t}",
        ]

    def z_walrus_comp(self) -> list[str]:
        r = self.r
        a, av = self._arr(2)
        v, e, y = self._n(), self._n("e"), self._n("y")
        self._u("walrus_comp")
        # (`y` may be read after it: given a value before it half the time, else refused)
        pre = [f"    {y} = 0.0"] if r.chance(0.5) else []
        if r.chance(0.5):
            c = self._c(np.sin(av) * 2.0)
            return pre + [
                f"    {v} = sum([{y} * {e} for {e} in {a} if ({y} := np.sin({e}) * 2.0) > {c}])"
            ]
        return pre + [f"    {v} = np.array([({y} := {e} * 0.5) + {y} ** 2 for {e} in {a}])"]

    def z_gen(self) -> list[str]:
        r = self.r
        a, _ = self._arr(1)
        v, g, z = self._n(), self._n("gn"), self._n("z")
        self._u("gen")
        if "gen27" in self.consts and r.chance(0.5):
            use = r.pick([f"sum(gen27({a}, 0.5))", f"np.fromiter(gen27({a}, 1.5), dtype=float)"])
            return [f"    {v} = {use}"]
        lines = [
            f"    def {g}({z}):",
            f"        for e in {z}:",
            "            yield np.exp(-e * e) * 2.0",
            "            yield e * 0.5",
        ]
        use = r.pick(
            [f"sum({g}({a}))", f"np.fromiter({g}({a}), dtype=np.float64) * 1.5",
             f"max({g}({a}), key=abs)"]
        )  # fmt: skip
        return lines + [f"    {v} = {use}"]

    def z_rec(self) -> list[str]:
        if "rec27" not in self.consts:
            raise Reject("no rec27")
        a, _ = self.leaf("f", lambda x: x.size >= 1)  # type: ignore[attr-defined]
        v, w = self._n(), self._n("w")
        self._u("rec")
        return [f"    {v}, {w} = rec27({a}, {self.r.int(0, 3)})", f"    {v} = {v} * {w} + {v}"]

    def z_replace(self) -> list[str]:
        if "Pair27" not in self.consts:
            raise Reject("no Pair27")
        a, _ = self._arr(1)
        o, p, v = self._n("o"), self._n("o"), self._n()
        self._u("replace")
        if self.r.chance(0.5):
            return [
                f"    {o} = Pair27({a} * 0.5)",
                f"    {p} = dataclasses.replace({o}, w=np.sin({o}.w) + {o}.w, s=1.25)",
                f"    {v} = {p}.energy() * {o}.w + {p}.w",
            ]
        return [
            f"    {o} = Tup27({a}, 0.75)",
            f"    {p} = {o}._replace(a={o}.a ** 2 * {o}.c)",
            f"    {v} = {p}.a + {o}.a * {p}.c",
        ]

    def z_double_where(self) -> list[str]:
        a, av = self._arr(1)
        if np.min(np.abs(av)) < 0.05:
            raise Reject("near 0")
        v, s = self._n(), self._n("safe")
        f = self.r.pick(["np.log", "np.sqrt"])
        self._u("double_where")
        return [
            f"    {s} = np.where({a} > 0.0, {a}, 1.0)",
            f"    {v} = np.where({a} > 0.0, {f}({s}), {a} * 0.5)",
        ]

    def z_clip_arrays(self) -> list[str]:
        a, av = self._arr(2)
        n = np.size(av)
        lo = np.round(np.asarray(av) + self.r.pick([-0.3, 0.4, -1.0]), 2)
        hi = lo + 0.9
        vals = np.asarray(av)
        if min(np.min(np.abs(vals - lo)), np.min(np.abs(vals - hi))) < 0.05:
            raise Reject("at a bound")
        v = self._n()
        self._u("clip_arrays")
        form = self.r.pick(
            [
                f"np.clip({a}, np.array({lo.tolist()}), np.array({hi.tolist()}))",
                f"np.clip({a} * 1.0, np.array({lo.tolist()}), None) + {a}",
                f"{a}.clip(np.full({n}, {float(lo.min())}), np.array({hi.tolist()}))",
            ]
        )
        return [f"    {v} = {form}"]

    def z_keepdims(self) -> list[str]:
        M, _ = self._mat()
        v = self._n()
        self._u("keepdims")
        form = self.r.pick(
            [
                f"({M} - {M}.mean(axis=1, keepdims=True)) / (1.0 + {M}.std(axis=0, keepdims=True))",
                f"{M}[:, np.newaxis, :] * {M}[np.newaxis, :, :]",
                f"np.sum({M}[..., np.newaxis] ** 2, axis=-1) + np.max({M}, axis=0, keepdims=True)",
            ]
        )
        return [f"    {v} = {form}"]

    def z_view_inplace(self) -> list[str]:
        r = self.r
        M, mv = self._mat()
        s, _ = self.leaf("f", lambda x: x.ndim == 0)  # type: ignore[attr-defined]
        b, v = self._n("b"), self._n()
        self._u("view_inplace")
        lines = [f"    {b} = {M} * 1.0"]
        ops = [
            f"    {b}[:, 0] *= {s}",
            f"    {b}[..., 1] += np.sin({M}[..., 0])",
            f"    {b}[0] -= {b}[-1] * 0.5",
            f"    {b}[1:, :] /= 2.0 + {b}[:-1, :] ** 2",
        ]
        for _ in range(r.int(1, 3)):
            lines.append(r.pick(ops))
        return lines + [f"    {v} = {b}.sum(axis=0) + {b}[:, -1].mean()"]

    def z_sorting(self) -> list[str]:
        a, av = self._arr(3)
        s = np.sort(np.asarray(av, float))
        if np.min(np.diff(s)) < 0.05:
            raise Reject("near ties")
        v = self._n()
        self._u("sorting")
        form = self.r.pick(
            [
                f"np.sort({a})[::-1] * np.arange(1, {np.size(av) + 1})",
                f"{a}[np.argsort({a})] - {a}[np.argsort(-{a})]",
                f"np.median({a}) * {a} + np.percentile({a}, 40.0)",
                f"np.quantile({a}, [0.25, 0.5, 0.75])",
                f"np.sort({a})[{np.size(av) // 2}] + np.mean(np.sort({a})[:2])",
            ]
        )
        return [f"    {v} = {form}"]

    def z_enum_zip(self) -> list[str]:
        a, av = self._arr(2)
        v, i, p, q = self._n(), self._n("i"), self._n("p"), self._n("q")
        self._u("enum_zip")
        b = self.r.pick([f"np.cos({a})", f"{a}[::-1]", f"list({a} * 2.0)"])
        return [
            f"    {v} = 0.0",
            f"    for {i}, ({p}, {q}) in enumerate(zip({a}, {b})):",
            f"        {v} = {v} + ({i} + 1) * {p} * {q} - np.sin({p})",
        ]

    def z_nested_comp(self) -> list[str]:
        M, _ = self._mat()
        v, row, e = self._n(), self._n("row"), self._n("e")
        self._u("nested_comp")
        form = self.r.pick(
            [
                f"np.array([[np.tanh({e}) * 2.0 for {e} in {row}] for {row} in {M}])",
                f"sum({e} ** 2 for {row} in {M} for {e} in {row})",
                f"np.array([sum({row}) * {row}[0] for {row} in {M}.T])",
            ]
        )
        return [f"    {v} = {form}"]

    def z_any_all(self) -> list[str]:
        a, av = self._arr(2)
        c = self._c(av)
        v, e = self._n(), self._n("e")
        self._u("any_all")
        fn = self.r.pick(["any", "all"])
        cond = self.r.pick(
            [f"{fn}({e} > {c} for {e} in {a})", f"{fn}([{e} < {c} for {e} in {a}])",
             f"np.{fn}({a} > {c})"]
        )  # fmt: skip
        return [
            f"    if {cond}:",
            f"        {v} = np.sin({a}) * 2.0",
            "    else:",
            f"        {v} = {a} ** 2 - 1.0",
        ]

    def z_chained(self) -> list[str]:
        s, sv = self.leaf("f", lambda x: x.ndim == 0)  # type: ignore[attr-defined]
        x = float(sv)
        lo, hi = round(x - abs(self.r.normal()) - 0.1, 3), round(x + abs(self.r.normal()) + 0.1, 3)
        if self.r.chance(0.4):
            lo, hi = round(x + 0.2, 3), round(x + 1.0, 3)
        v = self._n()
        self._u("chained")
        return [
            f"    if {lo} < {s} <= {hi}:",
            f"        {v} = {s} * 2.0 + 1.0",
            f"    elif {s} > {hi} > {lo}:",
            f"        {v} = np.sin({s})",
            "    else:",
            f"        {v} = {s} ** 2",
        ]

    def z_math_item(self) -> list[str]:
        a, av = self._arr(1)
        k = self.r.int(0, np.size(av) - 1)
        v, t = self._n(), self._n("t")
        pull = self.r.pick([f"float({a}[{k}])", f"{a}[{k}].item()", f"{a}.tolist()[{k}]"])
        fn = self.r.pick(
            ["math.exp(-{0} * {0})", "math.sin({0}) * math.cos({0})", "math.hypot({0}, 1.5)",
             "math.atan2({0}, 2.0)", "math.log1p({0} ** 2)", "math.sqrt({0} ** 2 + 1.0)"]
        )  # fmt: skip
        self._u("math_item")
        return [f"    {t} = {pull}", f"    {v} = {fn.format(t)} * {a}"]

    def z_float32(self) -> list[str]:
        a, _ = self.leaf("f", lambda x: x.size >= 1 and x.dtype == np.float64)  # type: ignore
        v, h = self._n(), self._n("h")
        self._u("float32")
        return [
            f"    {h} = np.asarray({a}, dtype=np.float32)",
            f"    {v} = np.sin({h}).astype(np.float64) * 1e-3 + {a} * 2.0",
        ]
