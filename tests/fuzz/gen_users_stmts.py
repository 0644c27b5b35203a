"""Statements of the user-style generator (`gen_users.py`): the idioms of users' code.

Input: the generator's state (see gen_arrays.ArrayGen: locals with their values, a decision
source). Output: a candidate statement's lines (guarded text, indented one level: the body of
`f`); `Reject` when it does not fit. Every comparison that decides control flow is guarded
(`_kne`) so that the example point is not at a branch flip.
"""

from __future__ import annotations

import numpy as np

from .gen_arrays_stmts import Reject
from .gen_users_more import UserMore


class UserStmts(UserMore):
    """Statement generators; the host is gen_users.UserGen."""

    def vec(self, d: int = 1) -> tuple[str, np.ndarray]:
        return self.arr(d, 1, 1)

    def scal(self, d: int = 1) -> str:
        return self.shaped((), d)

    def thr(self, text: str) -> str:
        """A threshold near the value of the scalar expression `text` (so both branches occur)."""
        v = float(np.asarray(self.ev(text)))
        return repr(round(v + self.r.pick([-0.3, -0.1, 0.1, 0.3]) * (1 + abs(v)), 3))

    def smooth(self, t: str) -> str:
        return self.r.pick(["np.sin({})", "np.tanh({})", "0.5 * {}", "np.cos({}) * 0.7"]).format(t)

    # -- loops with data-dependent exits --------------------------------------------------------

    def u_while_break(self) -> list[str]:
        a, va = self.arr(1, 0, 2)
        y, k = self.fresh("y"), self.fresh("k")
        c = round(float(np.sum(va * va)) * self.r.pick([0.2, 0.4, 0.7]), 4)
        step = self.r.pick([f"0.6 * {y}", f"0.7 * {y} + 0.05 * np.sin({y})", f"np.tanh({y}) * 0.8"])
        self.use("while_true_break")
        lim = self.r.int(2, 6)
        return [
            f"    {y} = {a} * 1.0",
            f"    {k} = 0",
            "    while True:",
            f"        {y} = {step}",
            f"        {k} += 1",
            f"        if _kne(float(np.sum({y} * {y})), {c}) < {c}:",
            "            break",
            f"        if {k} >= {lim}:",
            "            break",
        ]

    def u_while_continue(self) -> list[str]:
        a, va = self.arr(1, 0, 2)
        acc, k = self.fresh("acc"), self.fresh("k")
        self.use("while_continue")
        lim = self.r.int(2, 5)
        g = self.smooth(f"{a} * {k}")
        init = "0.0" if self.r.chance(0.5) else f"np.zeros_like({a})"
        cmp = self.r.pick(["<", ">"])
        return [
            f"    {acc} = {init}",
            f"    {k} = 0",
            f"    while {k} < {lim}:",
            f"        {k} += 1",
            f"        if _kne(float(np.sum(np.sin({a} * {k}))), 0.0) {cmp} 0.0:",
            "            continue",
            f"        {acc} = {acc} + {g}",
        ]

    # -- helpers: early returns from loops, tuples and dicts, closures --------------------------

    def u_helper_early(self) -> list[str]:
        a, va = self.arr(1, 0, 2)
        s = self.scal(0)
        h, z, i = self.fresh("h"), self.fresh("z"), self.fresh("i")
        out, n = self.fresh("t"), self.fresh("n")
        c = self.thr(f"float(np.sum(np.tanh({a}) * 0.9 + {s}))")
        self.use("early_return_in_loop")
        tup = self.r.chance(0.6)
        if tup:
            self.use("tuple_return")
        ret_in = f"{z} * 2.0, {i}" if tup else f"{z} * 2.0"
        ret_end = f"{z}, -1" if tup else f"{z} - 1.0"
        kind = self.r.pick(["for", "while"])
        lines = [f"    def {h}({z}, s):"]
        if kind == "for":
            lines.append(f"        for {i} in range({self.r.int(2, 4)}):")
        else:
            self.use("while_return")
            lines += [f"        {i} = 0", f"        while {i} < {self.r.int(2, 4)}:"]
        lines += [
            f"            {z} = np.tanh({z}) * 0.9 + s",
            f"            if _kne(float(np.sum({z})), {c}) > {c}:",
            f"                return {ret_in}",
        ]
        if kind == "while":
            lines.append(f"            {i} += 1")
        lines.append(f"        return {ret_end}")
        if tup:
            lines.append(f"    {out}, {n} = {h}({a}, {s})")
            lines.append(f"    {out} = {out} * ({n} + 1.5)")
        else:
            lines.append(f"    {out} = {h}({a}, {s})")
        return lines

    def u_helper_dict(self) -> list[str]:
        a, va = self.arr(1, 1)
        h, z, r, t = self.fresh("h"), self.fresh("z"), self.fresh("r"), self.fresh("t")
        self.use("dict_return")
        ax = self.r.pick(["None", "0", "-1"])
        lines = [
            f"    def {h}({z}):",
            f"        m = np.mean({z}, axis={ax}, keepdims=True)",
            f"        return {{'mu': m, 'c': {z} - m, 'n': {z}.shape[0]}}",
            f"    {r} = {h}({a})",
        ]
        use = self.r.pick(
            [
                f"{r}['c'] * {r}['mu'] / {r}['n']",
                f"np.sum({r}['c'] ** 2) + {r}['mu']",
                f"{r}['c'] + {r}['mu'] ** 2",
            ]
        )
        lines.append(f"    {t} = {use}")
        return lines

    def u_closure(self) -> list[str]:
        a, va = self.arr(1, 0)
        b = self.shaped(va.shape if self.r.chance(0.5) else (), 1)
        g, z, t = self.fresh("g"), self.fresh("z"), self.fresh("t")
        self.use("closure_local")
        how = self.r.pick(["def", "default", "lambda", "map"])
        if how == "def":
            lines = [f"    def {g}({z}):", f"        return {z} * {a} + np.sin({b})"]
        elif how == "default":
            self.use("default_arg")
            lines = [f"    def {g}({z}, w=0.5):", f"        return w * {z} * {a} + np.sin({b})"]
        else:
            self.use("lambda_local")
            lines = [f"    {g} = lambda {z}: {z} * {a} + np.sin({b})"]
        if how == "map":
            self.use("map")
            lines.append(f"    {t} = sum(map({g}, [{a}, {b}, 0.5]))")
        else:
            lines.append(f"    {t} = {g}({b}) + {g}({a} * 2.0)")
        return lines

    # -- comprehensions and iteration -----------------------------------------------------------

    def u_comprehension(self) -> list[str]:
        r = self.r
        a, va = self.vec(1)
        t = self.fresh("t")
        c = self.thr(f"float(np.median({a}))")
        kind = r.pick(["sum_if", "array_if", "dict", "enum_rows", "nested"])
        self.use(f"comp_{kind}")
        if kind == "sum_if":
            b = self.shaped(va.shape, 1)
            return [
                f"    {t} = sum([np.sin(e) * w for e, w in zip({a}, {b}) if _kne(e, {c}) > {c}])"
                + " + 0.0"
            ]
        if kind == "array_if":
            return [f"    {t} = np.array([e * e for e in {a} if _kne(e, {c}) < {c}] + [0.5])"]
        if kind == "dict":
            d = self.fresh("d")
            ks = r.pick([("a", "b", "c"), ("w", "b")])
            return [
                f"    {d} = {{k: {a} * (i + 1.0) for i, k in enumerate({ks!r})}}",
                f"    {t} = {d}[{ks[0]!r}] - np.cos({d}[{ks[-1]!r}])",
            ]
        if kind == "enum_rows":
            m, vm = self.arr(1, 2, 2)
            return [
                f"    {t} = np.stack([row * (i + 1) for i, row in enumerate({m}) if i % 2 == 0])",
            ]
        return [f"    {t} = [[e * f for f in {a}[:2]] for e in {a}]", f"    {t} = np.array({t})"]

    def u_zip_loop(self) -> list[str]:
        r = self.r
        a, va = self.vec(1)
        b = self.shaped(va.shape, 1)
        acc = self.fresh("acc")
        kind = r.pick(["enum_zip", "reversed", "reversed_range", "zip_rows"])
        self.use(f"loop_{kind}")
        if kind == "enum_zip":
            return [
                f"    {acc} = 0.0",
                f"    for i, (p, q) in enumerate(zip({a}, {b})):",
                f"        {acc} = {acc} + p * np.sin(q) * (i + 1)",
            ]
        if kind == "reversed":
            return [
                f"    {acc} = 0.0",
                f"    for e in reversed({r.pick([a, f'list({a})'])}):",
                f"        {acc} = 0.5 * {acc} + np.tanh(e)",
            ]
        if kind == "reversed_range":
            u = self.fresh("u")
            return [
                f"    {u} = np.array({a})",
                f"    for i in reversed(range(len({u}) - 1)):",
                f"        {u}[i] += 0.5 * np.sin({u}[i + 1])",
                f"    {acc} = {u} * 1.0",
            ]
        m, vm = self.arr(1, 2, 2)
        return [
            f"    {acc} = []",
            f"    for row, s in zip({m}, {a}):",  # zip stops at the shorter
            f"        {acc}.append(np.sum(row * row) * s)",
            f"    {acc} = np.array({acc})",
        ]

    def u_try(self) -> list[str]:
        a, va = self.arr(1, 0)
        t = self.fresh("t")
        kind = self.r.pick(["key", "index", "linalg"])
        self.use(f"try_{kind}")
        if kind == "key":
            d = self.fresh("d")
            return [
                f"    {d} = {{'a': {a}}}",
                "    try:",
                f"        {t} = {d}['b'] * 2.0",
                "    except KeyError:",
                f"        {t} = {d}['a'] * 3.0",
            ]
        if kind == "index":
            return [
                "    try:",
                f"        {t} = [{a}, {a} * 2.0][5]",
                "    except IndexError:",
                f"        {t} = np.sin({a})",
            ]
        spd = sorted(n for n in self.spd if n in self.env)
        if not spd:
            raise Reject("no SPD matrix")
        s = self.r.pick(spd)
        b = self.shaped(np.shape(self.env[s])[-1:], 1)
        return [
            "    try:",
            f"        {t} = np.linalg.solve({s}, {b})",
            "    except np.linalg.LinAlgError:",
            f"        {t} = {b} * 0.0",
        ]

    def u_ternary(self) -> list[str]:
        a, va = self.arr(1, 0)
        s = f"float(np.sum({a}))"
        lo, hi = sorted([float(self.thr(s)), float(self.thr(s))])
        if hi - lo < 0.1:
            hi = lo + 0.5
        t = self.fresh("t")
        e1, e2 = self.smooth(a), self.shaped(va.shape, 1)
        self.use("chained_compare")
        if self.r.chance(0.5):
            self.use("ternary")
            return [f"    {t} = {e1} if {lo} < _kne(_kne({s}, {lo}), {hi}) < {hi} else {e2}"]
        return [
            f"    if {lo} <= _kne(_kne({s}, {lo}), {hi}) <= {hi}:",
            f"        {t} = {e1}",
            "    else:",
            f"        {t} = {e2}",
        ]
