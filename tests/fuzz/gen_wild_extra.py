"""Users' forms the wild generator (tests/fuzz/gen_wild.py) did not draw before session 25.

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: module-level prelude
definitions (`prelude()`: a ``@dataclass`` whose methods update its fields, a recursive
function, a generator function, a helper returning early from inside a loop) and the lines of
one statement group, or `Reject`: those prelude definitions used; generator functions and
generator expressions consumed by `sum`/`list`; ``while`` with a compound condition, `break` and
``else``; ``try``/``except``/``finally`` with a ``raise``; boolean-mask writes
``u[u > c] = e``; `np.where` chains; `np.add.at` with repeated indices; the array forms of
`gen_wild_arr25.py`; Python float/int loop counters in arithmetic; closures over loop
variables (bound early by a default, and late); ``a, *rest = x`` and ``first, *mid, last = x``;
dict-of-lists accumulators; ``match`` on sequences and mappings.
"""

from __future__ import annotations

import collections
import dataclasses
from typing import Any

import numpy as np

from .gen_wild_arr25 import WildArr25
from .gen_wild_expr import Reject

_DATACLASS = """from dataclasses import dataclass


@dataclass
class Acc:
    w: np.ndarray
    s: float = {s}
    n: int = 0

    def step(self, x):
        self.w = self.w * {d} + np.tanh(x) * self.s
        self.s = self.s * 0.9 + 0.05
        self.n += 1
        return self

    def value(self):
        return np.sum(self.w ** 2) * self.s + self.n
"""

_RECURSIVE = """def rec(x, n):
    if n <= 0:
        return x
    return rec(np.sin(x) * {a} + x * {b}, n - 1)
"""

_GENERATOR = """def walk(a, c):
    for k, e in enumerate(a):
        if k > {m}:
            return
        yield e * c + k * 0.5
"""

_EARLY = """def early(v, c):
    for k in range(len(v)):
        if np.sum(v[k]) > c:
            return v[k] * 2.0 + np.sum(v[:k])
    return np.sum(v) * 0.5
"""


class WildExtra(WildArr25):
    """Mixin of `gen_wild_stmts.WildStmts`: the session-25 forms (see the module docstring)."""

    r: Any
    consts: dict[str, Any]
    const_src: list[str]

    # -- module-level definitions ---------------------------------------------------------------

    def prelude(self) -> None:
        """Some module-level definitions the `x_*` statements may call."""
        r = self.r
        srcs = []
        if r.chance(0.35):
            srcs.append(("Acc", _DATACLASS.format(s=r.pick([0.5, 1.5]), d=r.pick([0.5, 0.9]))))
        if r.chance(0.3):
            srcs.append(("rec", _RECURSIVE.format(a=r.pick([0.8, 0.5]), b=r.pick([0.1, 0.3]))))
        if r.chance(0.3):
            srcs.append(("walk", _GENERATOR.format(m=r.pick([1, 2, 8]))))
        if r.chance(0.3):
            srcs.append(("early", _EARLY))
        for name, src in srcs:
            ns: dict[str, Any] = {"np": np, "dataclass": dataclasses.dataclass}
            exec(compile(src, "<prelude>", "exec"), ns)  # noqa: S102 - our own definition
            self.consts[name] = ns[name]
            self.const_src.append("\n\n" + src)
            self.features.add("prelude_" + name)  # type: ignore[attr-defined]

    # -- statements -----------------------------------------------------------------------------

    def s_extra(self) -> list[str]:
        forms = [
            self.x_prelude_use,
            self.x_generator,
            self.x_while_else,
            self.x_try_finally,
            self.x_mask_write,
            self.x_where_chain,
            self.x_add_at,
            self.x_fancy2d,
            self.x_normalise,
            self.x_out,
            self.x_outer,
            self.x_mixed_dtypes,
            self.x_counter,
            self.x_closures,
            self.x_star,
            self.x_dict_lists,
            self.x_match_seq,
        ]
        return self.r.pick(forms)()

    def x_prelude_use(self) -> list[str]:
        r = self.r
        have = [n for n in ("Acc", "rec", "walk", "early") if n in self.consts]
        if not have:
            raise Reject("no prelude")
        what = r.pick(have)
        v = self.fresh()  # type: ignore[attr-defined]
        self.use("w25_use_" + what)  # type: ignore[attr-defined]
        if what == "Acc":
            a, _ = self.leaf("f", lambda x: x.size <= 6)  # type: ignore[attr-defined]
            b, _ = self.fexpr(self.depth() - 1)  # type: ignore[attr-defined]
            o = self.fresh("o")  # type: ignore[attr-defined]
            lines = [f"    {o} = Acc({a} * 1.0)"]
            if r.chance(0.5):
                lines = [f"    {o} = Acc(w={a} * 1.0, s={abs(float(self._c())) + 0.2})"]
            k = self.fresh("k")  # type: ignore[attr-defined]
            lines += [
                f"    for {k} in range({r.int(1, 3)}):",
                f"        {o}.step({b} * ({k} + 1))",
                f"    {o}.s += 0.25",
                f"    {v} = {o}.value() + {o}.w * {o}.s",
                f"    del {o}",
            ]
            return lines
        if what == "rec":
            a, _ = self.fexpr(self.depth() - 1)  # type: ignore[attr-defined]
            return [f"    {v} = rec({a}, {r.int(0, 4)})"]
        if what == "walk":
            a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] > 0)  # type: ignore
            c = r.pick([self._c(), a + "[0]" if r.chance(0.3) else "1.5"])
            form = r.pick(["sum({})", "np.array(list({}))", "sum(t * t for t in {})"])
            return [f"    {v} = {form.format(f'walk({a}, {c})')}"]
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] > 0)  # type: ignore
        return [f"    {v} = early({a}, {r.normal() + 0.5})"]

    def x_generator(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] > 0)  # type: ignore
        g, v, e = self.fresh("it"), self.fresh(), self.fresh("e")  # type: ignore[attr-defined]
        self.use("w25_generator")  # type: ignore[attr-defined]
        if r.chance(0.4):
            body = r.pick([f"np.sin({e}) * {self._c()}", f"{e} ** 2", f"np.exp(-{e} ** 2)"])
            red = r.pick(["sum", "max", "min"]) if r.chance(0.3) else "sum"
            if red != "sum":
                body = f"float(np.sum({body}))"
            return [f"    {v} = {red}({body} for {e} in {a})"]
        lines = [
            f"    def {g}(xs):",
            "        acc = 0.0",
            "        for x in xs:",
            f"            acc = acc * {r.pick(['0.5', '0.8'])} + x",
            "            yield acc",
        ]
        if r.chance(0.4):
            lines[-1:] = [
                "            if np.sum(acc) > 50.0:",
                "                return",
                "            yield acc",
            ]
        use = r.pick([f"sum({g}({a}))", f"np.array(list({g}({a})))", f"list({g}({a}))[-1]"])
        return lines + [f"    {v} = {use}"]

    def x_while_else(self) -> list[str]:
        r = self.r
        init, iv = self.fexpr(self.depth() - 1)  # type: ignore[attr-defined]
        k, acc, t = self.fresh("k"), self.fresh(), self.fresh("t")  # type: ignore[attr-defined]
        self.scoped(**{acc: iv, k: 0})  # type: ignore[attr-defined]
        step, _ = self.fexpr(self.depth() - 1)  # type: ignore[attr-defined]
        n, lim = r.int(1, 5), abs(r.normal()) + 2.0
        self.use("w25_while_else")  # type: ignore[attr-defined]
        lines = [
            f"    {k} = 0",
            f"    {acc} = {init}",
            f"    {t} = 0.0",
            f"    while {k} < {n} and np.max(np.abs({acc})) < {lim}:",
            f"        {acc} = {acc} * {r.pick(['0.5', '0.9', '-0.3'])} + np.tanh({step})",
            f"        {k} += 1",
        ]
        if r.chance(0.6):
            lines += [
                f"        if {k} > 1 and np.min({acc}) < {round(-abs(r.normal()) - 0.5, 3)}:",
                "            break",
            ]
        lines += ["    else:", f"        {t} = {t} + 1.0", f"    {acc} = {acc} + {t}"]
        return lines

    def x_try_finally(self) -> list[str]:
        r = self.r
        a, _ = self.fexpr(self.depth())  # type: ignore[attr-defined]
        b, _ = self.fexpr(self.depth() - 1)  # type: ignore[attr-defined]
        v, t = self.fresh(), self.fresh("t")  # type: ignore[attr-defined]
        c = r.normal()
        self.use("w25_try_finally")  # type: ignore[attr-defined]
        return [
            f"    {t} = 1.0",
            "    try:",
            f"        {v} = {a}",
            f"        if np.sum({v}) > {c}:",
            "            raise ValueError('big')",
            f"        {v} = {v} * 2.0",
            "    except ValueError:",
            f"        {v} = {b}",
            "    finally:",
            f"        {t} = {t} + 0.5",
            f"    {v} = {v} * {t}",
        ]

    def x_mask_write(self) -> list[str]:
        r = self.r
        a, av = self.leaf("f", lambda x: x.ndim >= 1 and x.size >= 2)  # type: ignore
        u, v = self.fresh("u"), self.fresh()  # type: ignore[attr-defined]
        c = round(float(np.median(av)) + r.pick([-0.05, 0.05]), 4)
        form = r.pick(["set", "scale", "fn", "where"])
        self.use("w25_mask_" + form)  # type: ignore[attr-defined]
        lines = [f"    {u} = np.array({a}, dtype=float)"]
        if form == "set":
            lines.append(f"    {u}[{u} > {c}] = {self._c()}")
        elif form == "scale":
            lines.append(f"    {u}[{u} < {c}] *= {self._c()}")
        elif form == "fn":
            lines.append(f"    {u}[{u} > {c}] = np.sin({u}[{u} > {c}]) * 2.0")
        else:
            lines.append(f"    {u}[np.where({u} < {c})] += 1.0")
        lines.append(f"    {v} = {u} * {a}")
        return lines

    def x_where_chain(self) -> list[str]:
        r = self.r
        a, av = self.leaf("f", lambda x: x.ndim >= 1 and x.size >= 2)  # type: ignore
        v = self.fresh()  # type: ignore[attr-defined]
        lo, hi = sorted([round(r.normal(), 3), round(r.normal(), 3)])
        f1, f2, f3 = (
            r.pick([f"np.sin({a})", f"{a} ** 2", f"np.exp(-{a})", "0.0", f"-{a}"]) for _ in "abc"
        )
        self.use("w25_where_chain")  # type: ignore[attr-defined]
        return [f"    {v} = np.where({a} > {hi}, {f1}, np.where({a} < {lo}, {f2}, {f3}))"]

    def x_add_at(self) -> list[str]:
        r = self.r
        a, av = self.leaf("f", lambda x: x.ndim == 1 and x.size >= 2)  # type: ignore
        n = av.size
        m = r.int(1, 4)
        idx = [r.int(0, m - 1) for _ in range(n)]
        u, v = self.fresh("u"), self.fresh()  # type: ignore[attr-defined]
        op = r.pick(["add", "subtract"])
        self.use("w25_add_at")  # type: ignore[attr-defined]
        init = r.pick([f"np.zeros({m})", f"np.full({m}, {self._c()})"])
        return [
            f"    {u} = {init}",
            f"    np.{op}.at({u}, np.array({idx}), {r.pick([a, f'np.tanh({a})', f'{a} ** 2'])})",
            f"    {v} = {u} * {u}",
        ]

    def x_counter(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f")  # type: ignore[attr-defined]
        acc, t, k, c = self.fresh(), self.fresh("t"), self.fresh("k"), self.fresh("c")  # type: ignore
        n = r.int(1, 4)
        self.use("w25_counter")  # type: ignore[attr-defined]
        return [
            f"    {acc} = {a} * 0.0",
            f"    {t} = {r.pick(['0.0', '1', '0.5'])}",
            f"    {c} = 0",
            f"    for {k} in range({n}):",
            f"        {t} += {r.pick(['0.5', '1', '0.25'])}",
            f"        {c} = {c} + {k} * 2",
            f"        {acc} = {acc} + {t} * np.sin({a} * {t}) / ({c} + 1)",
            f"    {acc} = {acc} * {t} - {c}",
        ]

    def x_closures(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f")  # type: ignore[attr-defined]
        fs, k, v = self.fresh("fs"), self.fresh("k"), self.fresh()  # type: ignore[attr-defined]
        form = r.pick(["default", "late", "def"])
        self.use("w25_closures_" + form)  # type: ignore[attr-defined]
        if form == "default":
            make = [f"    {fs} = [lambda z, {k}={k}: np.sin(z * ({k} + 1)) for {k} in range(3)]"]
        elif form == "late":
            make = [
                f"    {fs} = []",
                f"    for {k} in range(3):",
                f"        {fs}.append(lambda z: z * {k} + np.cos(z))",
            ]
        else:
            make = [
                f"    {fs} = []",
                f"    for {k} in range(3):",
                f"        def _g(z, s={k} * 0.5):",
                f"            return np.tanh(z) * s + z * {k}",
                f"        {fs}.append(_g)",
            ]
        return make + [f"    {v} = sum(h({a}) for h in {fs})", f"    del {fs}"]

    def x_star(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] >= 3)  # type: ignore
        p, q, s, v = self.fresh(), self.fresh(), self.fresh(), self.fresh()  # type: ignore
        form = r.pick(["head", "ends", "tail"])
        self.use("w25_star_" + form)  # type: ignore[attr-defined]
        if form == "head":
            return [f"    {p}, *{q} = {a}", f"    {v} = {p} * sum({q})"]
        if form == "ends":
            return [f"    {p}, *{q}, {s} = list({a})", f"    {v} = {p} * {s} + len({q})"]
        return [f"    *{q}, {s} = {a}", f"    {v} = np.array({q}) * {s}"]

    def x_dict_lists(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] >= 1)  # type: ignore
        d, k, e, v = self.fresh("d"), self.fresh("k"), self.fresh("e"), self.fresh()  # type: ignore
        m = r.int(2, 3)
        form = r.pick(["setdefault", "defaultdict", "get"])
        self.use("w25_dict_lists_" + form)  # type: ignore[attr-defined]
        if form == "defaultdict":
            self.consts.setdefault("collections", collections)
            if "import collections" not in self.const_src:
                self.const_src.insert(0, "import collections")
            head = [f"    {d} = collections.defaultdict(list)"]
            add = f"        {d}[{k} % {m}].append({e} * {e})"
        elif form == "setdefault":
            head = [f"    {d} = {{}}"]
            add = f"        {d}.setdefault({k} % {m}, []).append(np.sin({e}))"
        else:
            head = [f"    {d} = {{}}"]
            add = f"        {d}[{k} % {m}] = {d}.get({k} % {m}, []) + [{e} * 2.0]"
        return head + [
            f"    for {k}, {e} in enumerate({a}):",
            add,
            f"    {v} = sum(np.sum(np.array({d}[j])) * (j + 1) for j in sorted({d}))",
            f"    del {d}",
        ]

    def x_match_seq(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim == 1 and 1 <= x.size <= 4)  # type: ignore
        b, _ = self.fexpr(self.depth() - 1)  # type: ignore[attr-defined]
        v = self.fresh()  # type: ignore[attr-defined]
        form = r.pick(["seq", "map"])
        self.use("w25_match_" + form)  # type: ignore[attr-defined]
        if form == "seq":
            return [
                f"    match list({a}):",
                "        case [p]:",
                f"            {v} = p * {b}",
                "        case [p, q]:",
                f"            {v} = p * q + {b}",
                "        case [p, *rest]:",
                f"            {v} = p + sum(rest) * {b}",
            ]
        return [
            f"    match {{'w': {a}, 'n': len({a})}}:",
            "        case {'w': w, 'n': 1}:",
            f"            {v} = w * 2.0",
            "        case {'w': w}:",
            f"            {v} = w[::-1] * {b}",
        ]
