"""The helper and control-flow forms of the session-33 wild statements (tests/fuzz/gen_wild_33.py).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group, or `Reject`: helper functions returning tuples, nested tuples and dicts that the
caller unpacks (``v, s = g(a)``, ``first, *rest = g(a)``, ``for p, q in (g(a), g(b))``); nested
helpers calling each other with keyword arguments, keyword-only parameters, ``None`` defaults and
``**kw`` passed on; ``while`` loops with a counter and a float condition (a running float total,
a shrinking norm, a ``while``/``else``); the ``max``/``min``/``abs`` builtins on Python floats
(two or three operands, a generator, a list, ``key=``). The shared helpers of the session-33
forms (`_vec33`, `_cut33`, ..).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_expr import Reject


class Wild33Ctl:
    """Mixin of `gen_wild_33.Wild33`: the helper and control-flow forms (see the docstring)."""

    r: Any

    def _u33(self, what: str) -> None:
        self.use("w33_" + what)  # type: ignore[attr-defined]

    def _n33(self, p: str = "v") -> str:
        return self.fresh(p)  # type: ignore[attr-defined]

    def _live33(self, pred: Any) -> tuple[str, Any]:
        """A float value that `pred` accepts, mostly one that depends on the arguments."""
        names = self.names("f", pred)  # type: ignore[attr-defined]
        live = [n for n in names if n in getattr(self, "live", ())]
        if live and self.r.chance(0.9):
            n = self.r.pick(live)
            return n, self.ev(n)  # type: ignore[attr-defined]
        return self.leaf("f", pred)  # type: ignore[attr-defined]

    def _vec33(self, lo: int = 2, hi: int = 6) -> tuple[str, Any]:
        return self._live33(lambda x: x.ndim == 1 and lo <= x.size <= hi and x.dtype == float)

    def _mat33(self) -> tuple[str, Any, list[str]]:
        """A float matrix: a live one, or one made here from a vector (lines to make it)."""
        try:
            m, mv = self._live33(lambda x: x.ndim == 2 and min(x.shape) >= 2)
            return m, np.asarray(mv), []
        except Reject:
            a, av = self._vec33(2, 4)
            M = self._n33("M")
            k = self._k33()
            mv = np.outer(av, np.cos(av)) * float(k) + 0.5
            return M, mv, [f"    {M} = np.outer({a}, np.cos({a})) * {k} + 0.5"]

    def _sc33(self) -> str:
        """A Python float made from live values."""
        r = self.r
        try:
            s, _ = self.leaf("f", lambda x: x.ndim == 0)  # type: ignore[attr-defined]
            return f"float({s})"
        except Reject:
            a, _ = self._vec33(1, 6)
            return r.pick([f"float(np.sum({a}))", f"float({a}[0])", f"float(np.mean({a} ** 2))"])

    def _k33(self) -> str:
        return f"{round(0.3 + abs(self.r.normal()) * 0.4, 3)}"

    def _cut33(self, av: Any) -> str:
        """A threshold between two of `av`'s values (away from every element)."""
        s = sorted({round(float(x), 6) for x in np.ravel(av)})
        if len(s) < 2:
            return f"{round(s[0] + self.r.pick([-0.5, 0.5]), 3)}"
        k = self.r.int(0, len(s) - 2)
        return f"{round((s[k] + s[k + 1]) / 2, 4)}"

    # -- helpers returning tuples and dicts, unpacked by the caller --------------------------------

    def q_tuple_helper(self) -> list[str]:
        r = self.r
        a, _ = self._vec33(1, 6)
        g, v, s, t = self._n33("g"), self._n33(), self._n33("s"), self._n33("t")
        k = self._k33()
        form = r.pick(["pair", "dict", "nested", "star", "loop", "dict_items", "swap"])
        self._u33("ret_" + form)
        head = [
            f"    def {g}(z, k={k}):",
            "        a = np.sin(z) * k + z * 0.5",
            "        b = float(np.sum(a * z)) + 0.25",
        ]
        if form == "pair":
            return head + [
                "        return a, b",
                f"    {v}, {s} = {g}({a})",
                f"    {v} = {v} * {s} + {g}({a} * 0.5, k=0.2)[0]",
            ]
        if form == "dict":
            return head + [
                "        return {'a': a, 'b': b, 'n': len(z)}",
                f"    {t} = {g}({a}, k={self._k33()})",
                f"    {v} = {t}['a'] * {t}['b'] / {t}['n']",
            ]
        if form == "nested":
            return head + [
                "        return a, (b, a[-1])",
                f"    {v}, ({s}, {t}) = {g}({a})",
                f"    {v} = {v} * {t} + {s}",
            ]
        if form == "star":
            return head + [
                "        return a, b, a * b, np.cos(a)",
                f"    {v}, *{t} = {g}({a})",
                f"    {v} = {v} + {t}[1] * 0.1 + {t}[-1] * {t}[0]",
            ]
        if form == "loop":
            return head + [
                "        return a, b",
                f"    {v} = {a} * 0.0",
                f"    for {t}, {s} in ({g}({a}), {g}({a} * 0.5, k=1.5)):",
                f"        {v} = {v} + {t} * {s}",
            ]
        if form == "dict_items":
            return head + [
                "        return {'a': a, 'b': a * b}",
                f"    {v} = {a} * 0.0",
                f"    for {t}, {s} in {g}({a}).items():",
                f"        {v} = {v} + {s} * len({t})",
            ]
        return head + [
            "        return b, a",
            f"    {s}, {v} = {g}({a})",
            f"    {s}, {v} = {v}, {s}",
            f"    {v} = {s} * {v}",
        ]

    # -- helpers calling each other with keywords and defaults --------------------------------

    def q_kw_helpers(self) -> list[str]:
        r = self.r
        a, _ = self._vec33(1, 6)
        h1, h2, v = self._n33("h"), self._n33("h"), self._n33()
        form = r.pick(["kwonly", "none_default", "kwargs", "named_pos", "default_expr", "chain"])
        self._u33("kw_" + form)
        base = [
            f"    def {h1}(z, scale=1.0, shift=0.0):",
            "        return np.tanh(z * scale) + shift",
        ]
        if form == "kwonly":
            return base + [
                f"    def {h2}(z, *, p=2, w=0.5):",
                f"        return {h1}(z, shift=w) ** p + {h1}(z * w, scale=0.3)",
                f"    {v} = {h2}({a}, p={r.pick([1, 3])}) + {h2}({a}, w={self._k33()})",
            ]
        if form == "none_default":
            return base + [
                f"    def {h2}(z, c=None, n=2):",
                "        if c is None:",
                "            c = np.ones_like(z) * 0.5",
                "        out = z",
                "        for _ in range(n):",
                f"            out = {h1}(out, scale=c)",
                "        return out",
                f"    {v} = {h2}({a}) + {h2}({a}, c={a} * 0.25, n=1)",
            ]
        if form == "kwargs":
            return base + [
                f"    def {h2}(z, **kw):",
                f"        return {h1}(z, **kw) * 2.0",
                f"    {v} = {h2}({a}, shift={self._k33()}) + {h2}({a}, scale=0.5, shift=-0.1)",
            ]
        if form == "named_pos":
            return base + [
                f"    {v} = {h1}(shift={self._k33()}, z={a}) * {h1}(scale=2.0, z=np.cos({a}))",
            ]
        if form == "default_expr":
            s = self._sc33()
            return [
                f"    def {h1}(z, scale={s} * 0.1 + 1.0, shift=0.0):",
                "        return np.tanh(z * scale) + shift",
                f"    def {h2}(z, f={h1}):",
                "        return f(z) + f(z, shift=0.5) * f(z * 0.5)",
                f"    {v} = {h2}({a})",
            ]
        return base + [
            f"    def {h2}(z, depth=2, scale=0.8):",
            "        if depth == 0:",
            f"            return {h1}(z, scale=scale)",
            f"        return {h2}({h1}(z, shift=0.1), depth=depth - 1, scale=scale * 0.5)",
            f"    {v} = {h2}({a}) + {h2}({a}, depth=1)",
        ]

    # -- while loops: a counter and a float condition ----------------------------------------------

    def q_while_float(self) -> list[str]:
        r = self.r
        a, av = self._vec33(1, 6)
        t, k, v, y = self._n33("t"), self._n33("k"), self._n33(), self._n33("y")
        form = r.pick(["total", "norm", "else", "halve", "two_counters"])
        self._u33("while_" + form)
        step = float(abs(np.sum(av)) * 0.3 + 0.1)
        if form == "total":
            n = r.int(1, 5)
            lim = round(step * (n + 0.5), 4)  # n + 1 steps, away from the boundary
            return [
                f"    {t} = 0.0",
                f"    {k} = 0",
                f"    while {t} < {lim} and {k} < 20:",
                f"        {t} = {t} + abs(float(np.sum({a}))) * 0.3 + 0.1",
                f"        {k} += 1",
                f"    {v} = {a} * {t} + {k}",
            ]
        if form == "norm":
            return [
                f"    {y} = {a} * 1.0 + 0.1",
                f"    {k} = 0",
                f"    while np.linalg.norm({y}) > 0.05 and {k} < 12:",
                f"        {y} = {y} * 0.5",
                f"        {k} = {k} + 1",
                f"    {v} = {y} * (2.0 ** {k})",
            ]
        if form == "else":
            lim = round(step * r.pick([2.5, 7.5, 30.5]), 4)
            return [
                f"    {t} = 0.0",
                f"    {k} = 0",
                f"    while {k} < 6:",
                f"        {t} += abs(float(np.sum({a}))) * 0.3 + 0.1",
                f"        if {t} > {lim}:",
                "            break",
                f"        {k} += 1",
                "    else:",
                f"        {t} = {t} * 0.5",
                f"    {v} = np.sin({a}) * {t}",
            ]
        if form == "halve":
            return [
                f"    {y} = float(np.sum({a} ** 2)) + 1.0",
                f"    {k} = 0",
                f"    while {y} > 1.0:",
                f"        {y} = {y} / 2.0",
                f"        {k} += 1",
                f"    {v} = {a} * {y} + {k}",
            ]
        return [
            f"    {t}, {y} = 0.0, {a} * 0.0",
            f"    {k} = 0",
            f"    while {k} < {r.int(2, 5)}:",
            "        j = 0",
            "        while j <= k:",
            f"            {y} = {y} + np.cos({a} * (j + 1)) * 0.2",
            "            j += 1",
            f"        {t} = {t} + float(np.max({y}))",
            f"        {k} += 1",
            f"    {v} = {y} * {t}",
        ]

    # -- max / min / abs on Python floats ----------------------------------------------------------

    def q_builtins(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 6)
        s1, s2, v = self._n33("s"), self._n33("s"), self._n33()
        form = r.pick(["two", "three", "gen", "list", "key", "abs", "nested"])
        self._u33("builtin_" + form)
        lines = [
            f"    {s1} = float(np.sum({a}))",
            f"    {s2} = float(np.mean({a} ** 2)) + 0.1",
        ]
        if form == "two":
            return lines + [f"    {v} = max({s1}, {s2}) * {a} + min({s1}, {s2})"]
        if form == "three":
            c = self._k33()
            return lines + [f"    {v} = min({s1}, {c}, {s2}) + max(abs({s1}), {s2}, {c}) * {a}"]
        if form == "gen":
            return lines + [f"    {v} = max(abs(e) for e in {a}) + min(e * e for e in {a}) * {s2}"]
        if form == "list":
            return lines + [f"    {v} = max([{s1} * 0.5, {s2}, float({a}[0])]) * np.cos({a})"]
        if form == "key":
            return lines + [
                f"    {v} = max({a}, key=lambda e: abs(e)) * {a} + min({a}, key=lambda e: -e)"
            ]
        if form == "abs":
            c = self._cut33(np.array([float(np.sum(av)), float(np.sum(av)) + 1.0]))
            return lines + [f"    {v} = abs({s1} - {c}) * {a} + abs(-{s2})"]
        return lines + [f"    {v} = max(min({s1}, {s2}), -abs({s1})) + {a} * min(abs({s2}), 2.0)"]
