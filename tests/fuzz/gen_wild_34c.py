"""The loop, helper and class forms of the session-34 wild statements (tests/fuzz/gen_wild_34.py).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group, or `Reject`: in-place updates of rows, columns and slices of a fresh matrix
inside ``for``/``while`` loops with ``break`` and ``continue`` on data-dependent conditions;
helper functions called in loops that return arrays and tuples (unpacked, written into rows,
accumulated); small classes whose methods update array fields (``self.W -= lr * g``,
``self.W[i] = ...``, fields rebound, a method returning a tuple) called in loops. The shared
helpers of the session-34 forms (`_arr34`, `_t34`, `_fin34`, ..).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Wild34Ctl:
    """Mixin of `gen_wild_34.Wild34`: the loop, helper and class forms (see the docstring)."""

    r: Any
    lax34: bool = False  # a form computed a singular value on a `where`'s untaken side

    def _u34(self, what: str) -> None:
        self.use("w34_" + what)  # type: ignore[attr-defined]

    def _n34(self, p: str = "v") -> str:
        return self.fresh(p)  # type: ignore[attr-defined]

    def _arr34(self) -> tuple[str, Any]:
        """A live float vector or matrix (2..16 elements)."""
        if self.r.chance(0.4):
            try:
                return self._live33(  # type: ignore[attr-defined]
                    lambda x: x.ndim == 2 and min(x.shape) >= 2 and x.size <= 16
                )
            except Exception:  # noqa: BLE001 - no matrix: a vector
                pass
        return self._vec33(2, 6)  # type: ignore[attr-defined]

    def _t34(self) -> tuple[str, list[str], tuple]:
        """A 2-D or 3-D float array made here or live (its name, the lines making it, shape)."""
        r = self.r
        M, mv, lines = self._mat33()  # type: ignore[attr-defined]
        if r.chance(0.5):
            return M, lines, np.shape(mv)
        T = self._n34("T")
        k = r.int(2, 3)
        how = r.pick(
            [
                f"np.stack([{M} * ({{j}} + 1.0) for {{j}} in range({k})])",
                f"{M}[None, :, :] * np.arange(1.0, {k + 1}.0)[:, None, None] + 0.1",
                f"np.einsum('ij,k->kij', np.sin({M}), np.linspace(0.5, 1.5, {k}))",
            ]
        )
        how = how.format(j=self._n34("j"))
        return T, lines + [f"    {T} = {how}"], (k,) + np.shape(mv)

    def _fin34(self, lines: list[str], v: str, nd: int) -> list[str]:
        """Leave no 3-D local behind (the generator's values are at most 2-D)."""
        if nd < 3:
            return lines
        out = lines + [f"    {v} = np.{self.r.pick(['sum', 'mean', 'max'])}({v}, axis=0)"]
        names = [ln.split("=")[0].strip() for ln in lines if " = " in ln and ln[4] != " "]
        names = [n for n in dict.fromkeys(names) if n != v and n.isidentifier()]
        return out + ([f"    del {', '.join(names)}"] if names else [])

    # -- in-place row / slice updates in loops with break and continue -------------------------

    def p_loop_rows(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 5)  # type: ignore[attr-defined]
        n = len(av)
        c = self._cut33(av)  # type: ignore[attr-defined]
        M, i, v, t = self._n34("M"), self._n34("i"), self._n34(), self._n34("t")
        form = r.pick(["continue", "break", "both", "while", "cols", "rev", "nested", "chain"])
        self._u34("loop_" + form)
        k = self._k33()  # type: ignore[attr-defined]
        lines = [f"    {M} = np.outer(np.cos({a}), {a}) * {k} + np.eye({n})"]
        if form == "continue":
            lines += [
                f"    for {i} in range({n}):",
                f"        if {a}[{i}] > {c}:",
                "            continue",
                f"        {M}[{i}] = {M}[{i}] * 0.5 + np.sin({a})",
                f"        {M}[:, {i}] -= {M}[{i}, {i}] * 0.1",
            ]
        elif form == "break":
            lines += [
                f"    for {i} in range({n}):",
                f"        {M}[{i}, {i}:] *= 1.0 + {a}[{i}] * 0.1",
                f"        if {a}[{i}] < {c}:",
                "            break",
            ]
        elif form == "both":
            lines += [
                f"    {t} = 0.0",
                f"    for {i}, {v} in enumerate({a}):",
                f"        if {v} > {c}:",
                f"            {t} = {t} + {v} ** 2",
                "            continue",
                f"        {M}[{i}] += {t}",
                f"        if {i} >= {r.int(1, n)}:",
                "            break",
            ]
        elif form == "while":
            lines += [
                f"    {i} = 0",
                f"    while {i} < {n}:",
                f"        {M}[{i}:, {i}] = {M}[{i}:, {i}] / ({M}[{i}, {i}] ** 2 + 1.0)",
                f"        {i} += 1",
                f"        if {i} > {r.int(1, n)}:",
                "            break",
            ]
        elif form == "cols":
            lines += [
                f"    for {i} in range(1, {n}):",
                f"        {M}[:, {i}] = {M}[:, {i}] - {M}[:, {i} - 1] * {a}[{i}] * 0.2",
                f"        if {a}[{i}] > {c}:",
                f"            {M}[{i}, :{i}] = 0.0",
            ]
        elif form == "rev":
            lines += [
                f"    for {i} in range({n} - 1, -1, -1):",
                f"        {M}[{i}] = np.tanh({M}[{i}]) + {M}[({i} + 1) % {n}] * 0.3",
                f"        if {i} == {r.int(0, n - 1)}:",
                "            break",
            ]
        elif form == "chain":  # (``M[i][j] = v``: a row view written, then written back)
            lines += [
                f"    for {i} in range({n}):",
                f"        {M}[{i}][0] = {M}[({i} + 1) % {n}][{n - 1}] * 0.5 + {a}[{i}]",
                f"        if {a}[{i}] > {c}:",
                "            continue",
                f"        {t} = {M}[{i}]",
                f"        {t}[{n - 1}] = {t}[0] * {k}",
            ]
        else:
            lines += [
                f"    for {i} in range({n}):",
                f"        for {t} in range({i}):",
                f"            if {a}[{t}] < {c}:",
                "                continue",
                f"            {M}[{i}, {t}] += {M}[{t}, {i}] * {a}[{t}]",
            ]
        return lines + [
            f"    {v} = {M}.sum(axis={r.pick([0, 1])}) * {r.pick(['1.0', f'np.trace({M})'])}"
        ]

    # -- helpers called in loops, returning arrays and tuples ----------------------------------

    def p_helper_loop(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 5)  # type: ignore[attr-defined]
        n = len(av)
        g, i, v, s, t, M = (self._n34(p) for p in ("g", "i", "v", "s", "t", "M"))
        form = r.pick(["pair", "rows", "acc", "state", "tuple_in", "array_ret", "writes"])
        self._u34("help_" + form)
        k = self._k33()  # type: ignore[attr-defined]
        if form == "pair":
            return [
                f"    def {g}(z, w={k}):",
                "        y = np.tanh(z * w)",
                "        return y, float(y @ z)",
                f"    {s} = 0.0",
                f"    {v} = {a} * 1.0",
                f"    for {i} in range({r.int(1, 3)}):",
                f"        {v}, {t} = {g}({v}, w={k} + {i} * 0.1)",
                f"        {s} = {s} + {t}",
                f"    {v} = {v} * {s}",
            ]
        if form == "rows":
            return [
                f"    def {g}(row, j):",
                "        return row * np.cos(row) + j * 0.1",
                f"    {M} = np.outer({a}, {a}) * {k}",
                f"    for {i} in range({n}):",
                f"        {M}[{i}] = {g}({M}[{i}], {i})",
                f"    {v} = {M}.mean(axis=0)",
            ]
        if form == "acc":
            return [
                f"    def {g}(x, c):",
                "        return {'val': np.sum(np.sin(x) * c), 'vec': x * c}",
                f"    {v} = np.zeros({n})",
                f"    {s} = 0.0",
                f"    for {i} in range({r.int(2, 4)}):",
                f"        {t} = {g}({a} + {v}, {i} + 0.5)",
                f"        {v} = {v} + {t}['vec'] * 0.1",
                f"        {s} += {t}['val']",
                f"    {v} = {v} + {s}",
            ]
        if form == "state":
            return [
                f"    def {g}(st, x):",
                "        h, c = st",
                "        c = c * 0.5 + np.tanh(x) * 0.5",
                "        return (np.tanh(c) * h + 0.1, c)",
                f"    {t} = ({a} * 0.0 + 0.5, {a} * 0.1)",
                f"    for {i} in range({r.int(1, 4)}):",
                f"        {t} = {g}({t}, {a} * ({i} + 1))",
                f"    {v} = {t}[0] + {t}[1] * 2.0",
            ]
        if form == "tuple_in":
            return [
                f"    def {g}(p):",
                "        u, w = p",
                "        return u * w, u + w",
                f"    {v}, {s} = {a}, np.cos({a})",
                f"    for {i} in range({r.int(1, 3)}):",
                f"        {v}, {s} = {g}(({v}, {s} * 0.5))",
                f"    {v} = {v} + {s}",
            ]
        if form == "array_ret":
            return [
                f"    def {g}(x):",
                "        out = np.empty((2, x.shape[0]))",
                "        out[0] = np.sin(x)",
                "        out[1] = x ** 2 * 0.5",
                "        return out",
                f"    {v} = sum({g}({a} * ({i} + 1.0)) for {i} in range({r.int(1, 3)}))",
                f"    {v} = {v}[0] + {v}[1]",
            ]
        return [
            f"    def {g}(A, j, val):",
            "        A[j] = A[j] * 0.5 + val",
            "        return A[j].sum()",
            f"    {M} = np.outer({a}, np.sin({a})) + 1.0",
            f"    {s} = 0.0",
            f"    for {i} in range({n}):",
            f"        {s} += {g}({M}, {i}, {a}[{i}])",
            f"    {v} = {M}[-1] * {s}",
        ]

    # -- small classes with array fields updated by methods -----------------------------------

    def p_class(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 5)  # type: ignore[attr-defined]
        n = len(av)
        K, o, i, v = self._n34("Net"), self._n34("o"), self._n34("i"), self._n34()
        form = r.pick(["sgd", "row_set", "rebind", "tuple_ret", "counter", "two_obj"])
        self._u34("cls_" + form)
        lr = r.pick(["0.1", "0.05", "0.2"])
        body = [
            f"    class {K}:",
            "        def __init__(self, w, b):",
            "            self.W = np.outer(w, np.cos(w)) * 0.3 + np.eye(w.shape[0])",
            "            self.b = b",
            "            self.n = 0",
            "        def forward(self, x):",
            "            return np.tanh(self.W @ x + self.b)",
        ]
        if form == "sgd":
            body += [
                "        def update(self, x):",
                "            y = self.forward(x)",
                f"            self.W -= {lr} * np.outer(y, x)",
                f"            self.b = self.b - {lr} * y",
                "            self.n += 1",
                "            return y",
            ]
            calls = [f"        {o}.update({a} * ({i} + 1.0))"]
        elif form == "row_set":
            body += [
                "        def set_row(self, j, x):",
                "            self.W[j] = self.W[j] * 0.5 + x",
                "            self.W[:, j] *= 0.9",
            ]
            calls = [f"        {o}.set_row({i} % {n}, np.sin({a}) * {i})"]
        elif form == "rebind":
            body += [
                "        def grow(self, x):",
                "            self.W = self.W @ self.W.T * 0.2 + np.eye(self.W.shape[0])",
                "            self.b += x * 0.1",
            ]
            calls = [f"        {o}.grow({a})"]
        elif form == "tuple_ret":
            body += [
                "        def step(self, x):",
                "            y = self.forward(x)",
                "            self.b = self.b * 0.5 + y * 0.5",
                "            return y, float(y @ y)",
            ]
            calls = [f"        _y, _s = {o}.step({a})", f"        {o}.W = {o}.W + _s * 0.01"]
        elif form == "counter":
            body += [
                "        def __call__(self, x):",
                "            self.n += 1",
                "            self.W[self.n % self.W.shape[0]] += x * 0.1",
                "            return self.forward(x)",
            ]
            calls = [f"        {o}({a} * {o}.n)"]
        else:
            body += [
                "        def mix(self, other):",
                "            self.W = self.W * 0.5 + other.W * 0.5",
                "            other.b = other.b + self.b * 0.25",
            ]
            p = self._n34("p")
            calls = [f"        {o}.mix({p})", f"        {p}.W[0] += {o}.b * 0.1"]
            body.append(f"    {p} = {K}(np.sin({a}), {a} * 0.5)")
        steps = r.int(1, 3)
        lines = body + [
            f"    {o} = {K}({a}, np.zeros({n}) + 0.1)",
            f"    for {i} in range({steps}):",
            *calls,
            f"    {v} = {o}.forward({a}) + {o}.W.sum(axis=0) * {o}.n + {o}.b",
            f"    del {o}",
        ]
        if form == "two_obj":
            lines.append(f"    del {p}")
        return lines
