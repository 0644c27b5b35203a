"""The control-flow and state forms of the session-32 wild statements (tests/fuzz/gen_wild_32.py).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group, or `Reject`: an early ``return`` from nested loops in a helper (a bound between
two of the accumulator's values along the iterations, a tuple result, a ``while`` inside the
``for``); ``while`` loops whose exit depends on the data (a shrinking norm, Newton's square root
to a tolerance, ``while True`` with ``break``, a count and a data test); dict, list and tuple
state threaded through helpers (returned, or updated in place); user classes whose methods update
fields (``self.total += ...``, ``self.buf[i] = ...``, ``self.w -= ...``, methods returning
``self``, a ``@property``). The shared helpers of the session-32 forms (`_vec32`, `_cut32`, ..).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_expr import Reject


class Wild32Ctl:
    """Mixin of `gen_wild_32.Wild32`: the control-flow and state forms (see the docstring)."""

    r: Any

    def _u32(self, what: str) -> None:
        self.use("w32_" + what)  # type: ignore[attr-defined]

    def _n32(self, p: str = "v") -> str:
        return self.fresh(p)  # type: ignore[attr-defined]

    def _vec32(self, lo: int = 2, hi: int = 5) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 1 and lo <= x.size <= hi)  # type: ignore

    def _sc32(self) -> tuple[str, Any]:
        """A float scalar: a live scalar, or an element of a live vector."""
        try:
            return self.leaf("f", lambda x: x.ndim == 0)  # type: ignore[attr-defined]
        except Reject:
            a, av = self._vec32(1, 6)
            return f"{a}[{self.r.int(0, len(av) - 1)}]", av[0]

    def _k32(self) -> str:
        return f"{round(0.3 + abs(self.r.normal()) * 0.4, 3)}"

    def _cut32(self, av: Any) -> str:
        """A threshold between two of `av`'s values (away from every element)."""
        s = sorted({round(float(x), 6) for x in np.ravel(av)})
        if len(s) < 2:
            return f"{round(s[0] + self.r.pick([-0.5, 0.5]), 3)}"
        k = self.r.int(0, len(s) - 2)
        return f"{round((s[k] + s[k + 1]) / 2, 4)}"

    # -- early return from nested loops in a helper ----------------------------------------------

    def u_early_nested(self) -> list[str]:
        r = self.r
        a, av = self._vec32(1, 5)
        g, v, w = self._n32("g"), self._n32(), self._n32("w")
        n, m = r.int(1, 3), r.int(1, 3)
        form = r.pick(["acc", "tuple", "found", "while_in_for"])
        self._u32("early_" + form)
        # the accumulator's sums along the iterations: a bound between two of them
        acc, sums = np.zeros_like(av), []
        for i in range(n):
            for j in range(m):
                acc = acc + np.sin(av * (i + j + 1)) * 0.5
                sums.append(float(np.sum(acc * acc)))
        lim = self._cut32(np.array(sums + [max(sums) + 1.0]))
        head = [
            f"    def {g}(z):",
            "        acc = z * 0.0",
            f"        for i in range({n}):",
            f"            for j in range({m}):",
            "                acc = acc + np.sin(z * (i + j + 1)) * 0.5",
        ]
        if form == "acc":
            return head + [
                f"                if float(np.sum(acc * acc)) > {lim}:",
                "                    return acc * 2.0",
                "        return acc - 1.0",
                f"    {v} = {g}({a})",
            ]
        if form == "tuple":
            return head + [
                f"                if float(np.sum(acc * acc)) > {lim}:",
                "                    return acc, i + j",
                "        return acc * 0.5, -1",
                f"    {v}, {w} = {g}({a})",
                f"    {v} = {v} * ({w} + 2.0)",
            ]
        if form == "found":
            return head + [
                f"                if np.any(acc > {round(float(np.max(av)) * 0.5 + 0.2, 3)}):",
                "                    return acc[::-1]",
                "        return np.cos(acc)",
                f"    {v} = {g}({a})",
            ]
        return [
            f"    def {g}(z):",
            f"        for i in range({n}):",
            "            k = 0",
            "            while k < 3:",
            "                z = np.tanh(z) + 0.1 * (k + i)",
            f"                if i == {n - 1} and k == {r.int(0, 2)}:",
            "                    return z * 3.0",
            "                k += 1",
            "        return z",
            f"    {v} = {g}({a})",
        ]

    # -- while with a data-dependent exit ----------------------------------------------------------

    def u_while_data(self) -> list[str]:
        r = self.r
        a, av = self._vec32(1, 5)
        y, k, v = self._n32("y"), self._n32("k"), self._n32()
        form = r.pick(["shrink", "newton", "true_break", "and_count"])
        self._u32("whiled_" + form)
        if form == "shrink":
            tol = round(float(np.max(np.abs(av))) * r.pick([0.13, 0.31, 0.07]) + 0.011, 4)
            return [
                f"    {y} = {a} * 1.0",
                f"    {k} = 0",
                f"    while float(np.max(np.abs({y}))) > {tol}:",
                f"        {y} = {y} * 0.6",
                f"        {k} += 1",
                f"    {v} = {y} * ({k} + 1.0)",
            ]
        if form == "newton":
            return [
                f"    {y} = {a} * {a} + 1.0",
                f"    {v} = {y} * 0.5 + 0.5",
                f"    {k} = 0",
                f"    while np.max(np.abs({v} * {v} - {y})) > 1e-12 and {k} < 50:",
                f"        {v} = 0.5 * ({v} + {y} / {v})",
                f"        {k} += 1",
            ]
        lim = round(float(np.sum(np.abs(av))) * r.pick([1.7, 2.9, 4.3]) + 0.05, 4)
        if form == "true_break":
            return [
                f"    {y} = {a} * 0.0",
                f"    {k} = 0",
                "    while True:",
                f"        {y} = {y} + np.abs({a}) + 0.1",
                f"        {k} += 1",
                f"        if float(np.sum({y})) > {lim} or {k} > 8:",
                "            break",
                f"    {v} = {y} / {k}",
            ]
        return [
            f"    {y} = np.cos({a})",
            f"    {k} = 0",
            f"    while {k} < 6 and float(np.sum({y} * {y})) < {lim}:",
            f"        {y} = {y} * 1.3 + 0.05 * {a}",
            f"        {k} += 1",
            f"    {v} = {y} * {k}",
        ]

    # -- dict / list state threaded through helpers -----------------------------------------------

    def u_state(self) -> list[str]:
        r = self.r
        a, _ = self._vec32(1, 5)
        st, g, v, t = self._n32("st"), self._n32("g"), self._n32(), self._n32("t")
        T = r.int(1, 3)
        form = r.pick(["dict_return", "dict_mutate", "list_push", "tuple_state", "nested"])
        self._u32("state_" + form)
        if form in ("dict_return", "dict_mutate"):
            ret = ["        return s"] if form == "dict_return" else []
            call = f"{st} = {g}({st}, " if form == "dict_return" else f"{g}({st}, "
            return (
                [
                    f"    def {g}(s, z):",
                    "        s['h'] = np.tanh(s['h'] * 0.5 + z)",
                    "        s['hist'].append(s['h'] * 1.0)",
                    "        s['n'] += 1",
                ]
                + ret
                + [
                    f"    {st} = {{'h': {a} * 0.1, 'hist': [], 'n': 0}}",
                    f"    for {t} in range({T}):",
                    f"        {call}{a} * ({t} + 1) * 0.3)",
                    f"    {v} = {st}['h'] * {st}['n'] + sum({st}['hist'])",
                ]
            )
        if form == "list_push":
            return [
                f"    def {g}(buf, z):",
                "        buf.append(np.sin(z) * len(buf))",
                "        if len(buf) > 2:",
                "            buf.pop(0)",
                f"    {st} = [{a} * 0.5]",
                f"    for {t} in range({T + 1}):",
                f"        {g}({st}, {a} + {t})",
                f"    {v} = sum({st}) + {st}[-1]",
            ]
        if form == "tuple_state":
            return [
                f"    def {g}(state, z):",
                "        h, c = state",
                "        c = c * 0.9 + np.tanh(z)",
                "        h = np.tanh(c) * 0.5 + h * 0.5",
                "        return h, c",
                f"    {st} = ({a} * 0.0, {a} * 0.1)",
                f"    for {t} in range({T}):",
                f"        {st} = {g}({st}, {a} * ({t} + 1.0))",
                f"    {v} = {st}[0] + {st}[1] ** 2",
            ]
        return [
            f"    def {g}(s, z):",
            "        s['p']['w'] = s['p']['w'] - 0.1 * z",
            "        s['log'].append(float(np.sum(s['p']['w'])))",
            "        return s['p']['w'] * 2.0",
            f"    {st} = {{'p': {{'w': {a} * 1.0}}, 'log': []}}",
            f"    {v} = {a} * 0.0",
            f"    for {t} in range({T}):",
            f"        {v} = {v} + {g}({st}, np.cos({a} + {t}))",
            f"    {v} = {v} + {st}['p']['w'] * len({st}['log'])",
        ]

    # -- classes whose methods update fields ----------------------------------------------------

    def u_class(self) -> list[str]:
        r = self.r
        a, av = self._vec32(1, 5)
        n = len(av)
        K, o, v, t = self._n32("K"), self._n32("o"), self._n32(), self._n32("t")
        T = r.int(1, 3)
        form = r.pick(["total", "buf", "chain", "sgd", "prop"])
        self._u32("cls_" + form)
        if form == "total":
            body = [
                f"    class {K}:",
                "        def __init__(self):",
                "            self.total = 0.0",
                "            self.count = 0",
                "        def add(self, z):",
                "            self.total += np.sum(z ** 2)",
                "            self.count += 1",
                "        def mean(self):",
                "            return self.total / self.count",
            ]
            use = [
                f"    {o} = {K}()",
                f"    for {t} in range({T}):",
                f"        {o}.add({a} * ({t} + 1.0))",
                f"    {v} = {o}.mean() * {a}",
            ]
        elif form == "buf":
            body = [
                f"    class {K}:",
                "        def __init__(self, n):",
                "            self.buf = np.zeros(n)",
                "            self.i = 0",
                "        def put(self, x):",
                "            self.buf[self.i % len(self.buf)] = x",
                "            self.i += 1",
            ]
            use = [
                f"    {o} = {K}({n})",
                f"    for {t} in range({n + r.int(0, 2)}):",
                f"        {o}.put(np.sin({a}[{t} % {n}]) * ({t} + 1.0))",
                f"    {v} = {o}.buf * {a}",
            ]
        elif form == "chain":
            body = [
                f"    class {K}:",
                "        def __init__(self, w):",
                "            self.w = w",
                "        def scale(self, s):",
                "            self.w = self.w * s",
                "            return self",
                "        def shift(self, z):",
                "            self.w = self.w + z",
                "            return self",
            ]
            use = [
                f"    {o} = {K}({a} * 1.0).scale({self._k32()}).shift(np.cos({a}))",
                f"    {o}.scale(2.0)",
                f"    {v} = {o}.w",
            ]
        elif form == "sgd":
            body = [
                f"    class {K}:",
                "        def __init__(self, w, lr):",
                "            self.w = w.copy()",
                "            self.lr = lr",
                "            self.steps = 0",
                "        def step(self, g):",
                "            self.w -= self.lr * g",
                "            self.steps += 1",
            ]
            use = [
                f"    {o} = {K}({a}, {self._k32()})",
                f"    for {t} in range({T}):",
                f"        {o}.step(np.tanh({o}.w) + {a} * 0.1)",
                f"    {v} = {o}.w * {o}.steps",
            ]
        else:
            body = [
                f"    class {K}:",
                "        def __init__(self, w):",
                "            self._w = w",
                "        @property",
                "        def w2(self):",
                "            return self._w ** 2",
                "        def bump(self, z):",
                "            self._w = self._w + z",
            ]
            use = [
                f"    {o} = {K}({a})",
                f"    {o}.bump(np.sin({a}))",
                f"    {v} = {o}.w2 + {o}._w",
            ]
        return body + use + [f"    del {o}"]
