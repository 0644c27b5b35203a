"""Users' forms the wild generator (tests/fuzz/gen_wild.py) did not draw before session 30.

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group (`s_w30()`), or `Reject`: a recurrent cell, a class whose method updates its own
fields across the iterations of a loop (``self.h = np.tanh(self.W @ self.h + xs[t])``, a list
field appended to, a matrix field decayed); dict comprehensions of arrays updated in loops
(rebinding by key, rebuilt by a comprehension over ``.items()``, ``update``/``get``); ``while``
with ``break`` inside nested helper functions (a count, or a data-dependent bound); closures made
in loops (bound by a default, or late-bound: every closure sees the loop's last values);
``try``/``except``/``else``/``finally`` around differentiable code (raised by the data, in a
helper, or inside a loop whose ``except`` continues); ``np.linalg`` on well-conditioned matrices
(``solve`` with matrix right-hand sides, ``inv``, ``det``, ``norm`` with ``ord``/``axis``,
``lstsq``, ``matrix_power``).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Wild30:
    """Mixin of `gen_wild_stmts.WildStmts`: the session-30 forms (see the module docstring)."""

    r: Any

    def _u30(self, what: str) -> None:
        self.use("w30_" + what)  # type: ignore[attr-defined]

    def _n30(self, p: str = "v") -> str:
        return self.fresh(p)  # type: ignore[attr-defined]

    def _vec30(self, lo: int = 2, hi: int = 5) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 1 and lo <= x.size <= hi)  # type: ignore

    def _k30(self) -> str:
        return f"{round(0.3 + abs(self.r.normal()) * 0.4, 3)}"

    def s_w30(self) -> list[str]:
        forms = [
            self.t_cell,
            self.t_dict_comp,
            self.t_while_helper,
            self.t_loop_closure,
            self.t_try,
            self.t_linalg,
        ]
        return self.r.pick(forms)()

    # -- a class updating its own fields in a loop -------------------------------------------

    def t_cell(self) -> list[str]:
        r = self.r
        a, av = self._vec30(2, 5)
        n = len(av)
        K, c, t, v = self._n30("Cell"), self._n30("c"), self._n30("t"), self._n30()
        steps = r.int(2, 4)
        W = r.pick(
            [
                f"np.outer({a}, np.cos({a})) * {self._k30()} + np.eye({n}) * 0.5",
                f"np.eye({n}) * {self._k30()} - 0.2 * np.tri({n})",
            ]
        )
        xs = r.pick(
            [
                f"[{a} * ({t} + 1) * 0.2 for {t} in range({steps})]",
                f"np.sin(np.outer(np.arange({steps}) + 1.0, {a}))",
            ]
        )
        form = r.pick(["step", "run", "decay", "field_list"])
        self._u30("cell_" + form)
        body = [
            f"    class {K}:",
            "        def __init__(self, W, h):",
            "            self.W = W",
            "            self.h = h",
            "            self.hs = []",
            "            self.n = 0",
            "        def step(self, xt):",
            "            self.h = np.tanh(self.W @ self.h + xt)",
            "            self.hs.append(self.h)",
            "            self.n += 1",
        ]
        if form == "decay":
            body.append(f"            self.W = self.W * {r.pick(['0.9', '0.75'])}")
        body.append("            return self.h")
        if form == "run":
            body += [
                "        def run(self, xs):",
                "            for xt in xs:",
                "                self.step(xt)",
                "            return np.stack(self.hs)",
            ]
        h0 = r.pick([f"np.zeros({n})", f"{a} * 0.5", f"np.cos({a})"])
        lines = body + [f"    {c} = {K}({W}, {h0})"]
        if form == "run":
            lines.append(f"    {v} = {c}.run({xs}).sum(axis=0) + {c}.h * {c}.n")
        else:
            lines += [
                f"    for {t}, xt in enumerate({xs}):",
                f"        {c}.step(xt * ({t} + 1.0))",
            ]
            if form == "field_list":
                lines.append(f"    {v} = sum({c}.hs) * 0.5 + {c}.h")
            else:
                lines.append(f"    {v} = {c}.h + {c}.W[0] * {c}.n")
        return lines + [f"    del {c}"]

    # -- dicts of arrays ------------------------------------------------------------------------

    def t_dict_comp(self) -> list[str]:
        r = self.r
        a, _ = self._vec30(1, 5)
        d, t, k, e, v = self._n30("d"), self._n30("t"), self._n30("k"), self._n30("e"), self._n30()
        keys = r.pick([("p", "q", "r"), ("w", "b"), ("a", "b", "c", "d")])
        form = r.pick(["rebind", "items", "update", "filter"])
        self._u30("dict_" + form)
        lines = [f"    {d} = {{{k}: {a} * ({t} + 1.0) for {t}, {k} in enumerate({keys!r})}}"]
        T = r.int(1, 3)
        if form == "rebind":
            lines += [
                f"    for {t} in range({T}):",
                f"        for {k} in {d}:",
                f"            {d}[{k}] = np.tanh({d}[{k}]) * 0.9 + {a} * 0.1 * {t}",
            ]
        elif form == "items":
            lines += [
                f"    for {t} in range({T}):",
                f"        {d} = {{{k}: {e} * {self._k30()} + np.sin({e}) for {k}, {e} in {d}.items()}}",
            ]
        elif form == "update":
            lines += [
                f"    for {t} in range({T}):",
                f"        {d}.update({{{keys[0]!r}: {d}[{keys[-1]!r}] * 0.5 + {a}}})",
                f"        {d}[{keys[-1]!r}] = {d}.get('zz', {a}) * {d}[{keys[0]!r}]",
            ]
        else:
            lines += [
                f"    {d} = {{{k}: {e} ** 2 for {k}, {e} in {d}.items() if {k} != {keys[0]!r}}}",
                f"    {d}[{keys[0]!r}] = np.exp(-{a} * {a})",
            ]
        out = r.pick(
            [
                f"sum({d}.values())",
                f"{d}[{keys[0]!r}] * {d}[{keys[-1]!r}]",
                f"np.stack([{d}[{k}] for {k} in sorted({d})]).sum(axis=0)",
            ]
        )
        return lines + [f"    {v} = {out}"]

    # -- while with break inside nested helpers -----------------------------------------------

    def t_while_helper(self) -> list[str]:
        r = self.r
        a, av = self._vec30(1, 5)
        g, v = self._n30("g"), self._n30()
        form = r.pick(["count", "bound", "inner"])
        self._u30("while_" + form)
        n = r.int(1, 5)
        if form == "count":
            return [
                f"    def {g}(z, n={n}):",
                "        k = 0",
                "        acc = z * 0.0",
                "        while True:",
                "            acc = acc + np.sin(z * (k + 1)) / (k + 1)",
                "            k += 1",
                "            if k >= n:",
                "                break",
                "        return acc",
                f"    {v} = {g}({a})",
            ]
        lim = round(float(np.max(np.abs(av))) * r.pick([1.5, 2.5, 4.0]) + 0.3, 3)
        loop = [
            "            i = 0",
            f"            while i < {n + 3}:",
            "                y = np.cos(y) * 0.5 + z",
            f"                if np.max(np.abs(y)) > {lim}:",
            "                    break",
            "                i += 1",
            "            return y, i",
        ]
        if form == "bound":
            return (
                [f"    def {g}(y, z):"]
                + [ln[4:] for ln in loop]
                + [f"    {v}, _ = {g}({a} * 0.5, {a})"]
            )
        return (
            [f"    def {g}(z):", "        def inner(y):"]
            + loop
            + [
                "        y, i = inner(z * 0.5)",
                "        return y * (i + 1.0)",
                f"    {v} = {g}({a})",
            ]
        )

    # -- closures made in loops ------------------------------------------------------------------

    def t_loop_closure(self) -> list[str]:
        r = self.r
        a, _ = self._vec30(1, 5)
        fs, w, i, v, g = (
            self._n30("fs"),
            self._n30("w"),
            self._n30("i"),
            self._n30(),
            self._n30("g"),
        )
        form = r.pick(["default", "late", "late_def", "immediate"])
        self._u30("closure_" + form)
        T = r.int(1, 4)
        if form == "default":
            return [
                f"    {fs} = []",
                f"    {w} = {a} * 1.0",
                f"    for {i} in range({T}):",
                f"        {w} = np.sin({w}) + 0.5",
                f"        {fs}.append(lambda z, {i}={i}, {w}={w}: z * {w} + {i})",
                f"    {v} = sum({g}({a}) for {g} in {fs})",
                f"    del {fs}",  # (closures: no snapshot compares them)
            ]
        if form == "late":
            return [
                f"    {fs} = []",
                f"    {w} = {a} * 1.0",
                f"    for {i} in range({T}):",
                f"        {w} = np.sin({w}) + 0.5",
                f"        {fs}.append(lambda z: z * {w} + {i})",
                f"    {v} = sum({g}({a}) for {g} in {fs})",
                f"    del {fs}",  # (closures: no snapshot compares them)
            ]
        if form == "late_def":
            return [
                f"    {fs} = []",
                f"    {w} = {a} * 1.0",
                f"    for {i} in range({T}):",
                f"        def {g}(z):",
                f"            return np.tanh(z * {w}) * ({i} + 1)",
                f"        {fs}.append({g})",
                f"        {w} = {w} * 0.5 + np.cos({a})",
                f"    {v} = {fs}[0]({a}) + {fs}[-1]({a} * 2.0)",
                f"    del {fs}",
            ]
        return [
            f"    {v} = {a} * 0.0",
            f"    {w} = {a} * 1.0",
            f"    for {i} in range({T}):",
            f"        def {g}(z):",
            f"            return z * {w} + {i}",
            f"        {v} = {v} + {g}(np.cos({a}))",
            f"        {w} = {g}({w}) * 0.5",
        ]

    # -- try / except / else / finally -----------------------------------------------------------

    def t_try(self) -> list[str]:
        r = self.r
        a, av = self._vec30(1, 5)
        v, t, g = self._n30(), self._n30("t"), self._n30("g")
        form = r.pick(["data", "helper", "loop", "else_finally"])
        self._u30("try_" + form)
        s = float(np.sum(np.log(av * av + 1.0)))
        c = round(s + r.pick([-0.3, 0.3]), 3)  # either side of the data: both paths drawn
        if form == "data":
            return [
                "    try:",
                f"        {v} = np.log({a} * {a} + 1.0)",
                f"        if float(np.sum({v})) > {c}:",
                "            raise ValueError('big')",
                f"        {v} = {v} * 2.0",
                "    except ValueError:",
                f"        {v} = np.sin({a})",
                "    finally:",
                f"        {v} = {v} * 0.5",
            ]
        if form == "helper":
            return [
                f"    def {g}(z):",
                "        y = np.log(z * z + 1.0)",
                f"        if float(np.sum(y)) > {c}:",
                "            raise ArithmeticError('too big')",
                "        return y",
                "    try:",
                f"        {v} = {g}({a}) + 1.0",
                "    except ArithmeticError:",
                f"        {v} = np.tanh({a})",
            ]
        if form == "loop":
            k = r.int(0, 2)
            return [
                f"    {v} = {a} * 0.0",
                f"    for {t} in range(3):",
                "        try:",
                f"            if {t} == {k}:",
                f"                raise KeyError({t})",
                f"            {v} = {v} + np.cos({a} * ({t} + 1.0))",
                "        except KeyError:",
                f"            {v} = {v} * 0.5",
                "            continue",
                f"        {v} = {v} + 0.1",
            ]
        return [
            "    try:",
            f"        {v} = np.sqrt({a} * {a} + 1.0)",
            "    except FloatingPointError:",
            f"        {v} = {a}",
            "    else:",
            f"        {v} = {v} * {a}",
            "    finally:",
            f"        {v} = {v} + 1.0",
        ]

    # -- np.linalg on well-conditioned matrices ------------------------------------------------

    def t_linalg(self) -> list[str]:
        r = self.r
        a, av = self._vec30(2, 4)
        n = len(av)
        A, v = self._n30("A"), self._n30()
        base = r.pick(
            [
                f"np.outer({a}, {a}) + {n} * np.eye({n})",
                f"np.eye({n}) * 2.0 + 0.3 * np.outer(np.sin({a}), np.cos({a}))",
            ]
        )
        B = f"np.stack([{a}, {a} ** 2], axis=1)"
        op = r.pick(
            [
                f"np.linalg.solve({A}, {B})",
                f"np.linalg.inv({A}) @ {a}",
                f"np.linalg.det({A}) * np.linalg.inv({A})",
                f"np.linalg.norm({A}, ord='fro') + np.linalg.norm({A} @ {a})",
                f"np.linalg.norm({A}, axis=0)",
                f"np.linalg.norm({A}, ord=-2)",
                f"np.linalg.lstsq({A}, {a}, rcond=None)[0]",
                f"np.linalg.matrix_power({A}, {r.int(0, 3)}) @ {a}",
                f"np.linalg.solve({A}.T, {a}) * np.linalg.det({A})",
            ]
        )
        self._u30("linalg_" + op.split("(")[0].split(".")[-1])
        return [f"    {A} = {base}", f"    {v} = {op}"]
