"""Statements of the idioms generator (`gen_idioms.py`), part one: control flow users write that
the other grammars do not: `while` loops with data-dependent exits writing arrays, early returns
from nested loops and `for`/`else`, `break`/`continue` over `zip`/`enumerate` of arrays and rows,
closures over loop variables (bound early and late), bounded recursion, dict and list accumulators,
`try`/`except` around numeric code.

Input: the generator's state (see gen_arrays.ArrayGen: locals with their values, a decision
source). Output: a candidate statement's lines (guarded text, indented one level: the body of
`f`); `Reject` when it does not fit. Every comparison that decides control flow is guarded.
"""

from __future__ import annotations

import numpy as np

from .gen_arrays_stmts import Reject
from .gen_idioms_more import IdiomMore


class IdiomStmts(IdiomMore):
    """Statement generators; the host is gen_idioms.IdiomGen."""

    def i_while_write(self) -> list[str]:
        """A `while` with a data-dependent exit that writes an array as it goes."""
        r = self.r
        a, va = self.vec(1)
        n = va.shape[0]
        u, y, k = self.fresh("u"), self.fresh("y"), self.fresh("k")
        c = round(float(np.sum(va * va)) * r.pick([0.2, 0.4, 0.7]), 4)
        step = r.pick([f"0.7 * {y} + 0.1 * np.cos({y})", f"np.tanh({y}) * 0.8", f"0.6 * {y}"])
        kind = r.pick(["cond", "true_break", "self_write"])
        self.use(f"while_write_{kind}")
        lim = r.int(2, 6)
        if kind == "self_write":
            c0 = self.thr(f"float({a}[0])")
            self.owned.add(y)
            return [
                f"    {y} = np.array({a})",
                f"    {k} = 0",
                f"    while {k} < {lim}:",
                f"        {y}[{k} % {n}] = np.sin({y}[({k} + 1) % {n}]) + 0.5 * {y}[{k} % {n}]",
                f"        {k} += 1",
                f"        if _kne(float({y}[0]), {c0}) > {c0}:",
                "            break",
            ]
        self.owned.add(u)
        head = [f"    {u} = np.zeros({n})", f"    {y} = {a} * 1.0", f"    {k} = 0"]
        if kind == "cond":
            return head + [
                f"    while {k} < {n} and _kne(float(np.sum({y} * {y})), {c}) > {c}:",
                f"        {u}[{k}] = np.sum(np.sin({y})) + {y}[{k}]",
                f"        {y} = {step}",
                f"        {k} += 1",
            ]
        return head + [
            "    while True:",
            f"        {y} = {step}",
            f"        {u}[{k} % {n}] += np.sum({y} ** 2)",
            f"        {k} += 1",
            f"        if _kne(float(np.sum({y} * {y})), {c}) < {c} or {k} >= {lim}:",
            "            break",
        ]

    def i_nested_return(self) -> list[str]:
        """An early `return` from the inner of two loops (a helper), or `for`/`else` breaking
        out of both loops of `f`."""
        r = self.r
        a, va = self.vec(1)
        s = self.scal(0)
        t, p, q = self.fresh("t"), self.fresh("p"), self.fresh("q")
        c = self.thr(f"float(np.sum(np.sin({a}))) * 0.5")
        rows = r.int(2, 3)
        if r.chance(0.6):
            h = self.fresh("h")
            self.use("return_nested_loops")
            return [
                f"    def {h}(z, s):",
                "        acc = 0.0",
                f"        for i in range({rows}):",
                "            for j in range(len(z)):",
                "                acc = acc + np.sin(z[j] * (i + 1.0)) * s",
                f"                if _kne(float(acc), {c}) > {c}:",
                "                    return acc * z, i, j",
                "        return acc * z, -1, -1",
                f"    {t}, {p}, {q} = {h}({a}, {s})",
                f"    {t} = {t} * ({p} + 1.5) + {q}",
            ]
        self.use("for_else_break2")
        return [
            f"    {p} = -1",
            f"    for i in range({rows}):",
            f"        for j, e in enumerate({a}):",
            f"            if _kne(float(e * (i + 1)), {c}) > {c}:",
            f"                {p} = j",
            "                break",
            "        else:",
            "            continue",
            "        break",
            f"    {t} = {a} * ({p} + 2.0)",
        ]

    def i_zip_break(self) -> list[str]:
        """`break`/`continue` in loops over `zip`/`enumerate` of arrays, rows, pairs."""
        r = self.r
        a, va = self.vec(1)
        b = self.shaped(va.shape, 1)
        acc = self.fresh("acc")
        c1 = self.thr(f"float(np.median({a}))")
        c2 = self.thr(f"float(np.sum(np.abs({a}))) * 0.5")
        kind = r.pick(["enum_zip", "pairs", "rows", "enum_start", "for_else"])
        self.use(f"zip_break_{kind}")
        if kind == "rows":
            m, vm = self.arr(1, 2, 2)
            return [
                f"    {acc} = np.zeros({vm.shape[1]})",
                f"    for i, (row, w) in enumerate(zip({m}, {a})):",
                f"        if _kne(float(w), {c1}) < {c1}:",
                "            continue",
                f"        {acc} = {acc} + row * np.sin(w) * (i + 1)",
                f"        if _kne(float(np.sum({acc})), {c2}) > {c2}:",
                "            break",
            ]
        if kind == "pairs":
            loop = f"    for p, q in zip({a}, {a}[1:]):"
        elif kind == "enum_start":
            loop = f"    for i, (p, q) in enumerate(zip({a}, {b}), start=1):"
        else:
            loop = f"    for i, (p, q) in enumerate(zip({a}, {b})):"
        w = "(i + 1)" if kind != "pairs" else "0.5"
        body = [
            f"    {acc} = 0.0",
            loop,
            f"        if _kne(float(p), {c1}) > {c1}:",
            "            continue",
            f"        {acc} = {acc} + p * np.sin(q) * {w}",
            f"        if _kne(float({acc}), {c2}) > {c2}:",
            "            break",
        ]
        if kind == "for_else":
            body += ["    else:", f"        {acc} = {acc} * 2.0"]
        return body

    def i_closure_loopvar(self) -> list[str]:
        """Functions made in a loop: the loop variable bound early (a default) or late."""
        r = self.r
        a, va = self.arr(1, 0, 2)
        b = self.shaped(va.shape, 1)
        fs, t = self.fresh("fs"), self.fresh("t")
        kind = r.pick(["default", "late_comp", "late_def", "row_default", "carry"])
        if not self.ok("closure_value"):  # (functions kept in lists: refused today)
            kind = "carry"
        self.use(f"closure_loop_{kind}")
        if kind == "default":
            return [
                f"    {fs} = []",
                "    for i in range(3):",
                "        def g(z, i=i):",
                f"            return z * (i + 1.0) + np.sin({b})",
                f"        {fs}.append(g)",
                f"    {t} = sum(g({a}) for g in {fs})",
            ]
        if kind == "late_comp":
            return [
                f"    {fs} = [lambda z: z * (i + 0.5) for i in range(3)]",
                f"    {t} = {fs}[0]({a}) + {fs}[2]({b} * 2.0)",
            ]
        if kind == "late_def":
            return [
                f"    {fs} = []",
                f"    for w in ({a}, {b}):",
                "        def g(z):",
                "            return z * w",
                f"        {fs}.append(g)",
                f"    {t} = {fs}[0]({a}) - {fs}[1]({b})",
            ]
        if kind == "row_default":
            m, vm = self.arr(1, 2, 2)
            v = self.shaped(vm.shape[1:], 1)
            return [
                f"    {fs} = [lambda z, row=row: np.sum(z * row) for row in {m}]",
                f"    {t} = sum(g({v}) for g in {fs}) * {a}",
            ]
        return [
            f"    {t} = {a} * 1.0",
            "    for k in range(3):",
            "        def step(z):",
            f"            return np.tanh(z) * (k + 1.0) * 0.5 + {t} * 0.1",
            f"        {t} = step({t})",
        ]

    def i_recursion(self) -> list[str]:
        """A recursive helper with a depth bound (or a data-dependent one)."""
        r = self.r
        a, va = self.arr(1, 0, 2)
        h, t = self.fresh("rec"), self.fresh("t")
        if not self.ok("recursion"):
            raise Reject("recursion left out")
        kind = r.pick(["depth", "data", "list", "split"])
        self.use(f"recursion_{kind}")
        if kind == "depth":
            return [
                f"    def {h}(z, n):",
                "        if n == 0:",
                "            return z",
                f"        return {h}(np.tanh(z) * 0.9 + 0.1, n - 1) + 0.1 * z",
                f"    {t} = {h}({a}, {r.int(1, 4)})",
            ]
        if kind == "data":
            c = round(float(np.sum(va * va)) * r.pick([0.2, 0.5]), 4)
            return [
                f"    def {h}(z, n):",
                f"        if n == 0 or _kne(float(np.sum(z * z)), {c}) < {c}:",
                "            return z",
                f"        return {h}(0.7 * z + 0.05 * np.sin(z), n - 1)",
                f"    {t} = {h}({a}, {r.int(2, 5)})",
            ]
        v, vv = self.vec(1)
        if kind == "list":
            return [
                f"    def {h}(xs):",
                "        if not xs:",
                "            return 0.0",
                f"        return xs[0] ** 2 + 0.5 * {h}(xs[1:])",
                f"    {t} = {h}(list({v}))",
            ]
        return [
            f"    def {h}(z):",
            "        if len(z) <= 1:",
            "            return np.sum(np.sin(z))",
            "        k = len(z) // 2",
            f"        return {h}(z[:k]) * 0.5 + np.cos({h}(z[k:]))",
            f"    {t} = {h}({v})",
        ]

    def i_accumulate(self) -> list[str]:
        """Dicts and lists as accumulators."""
        r = self.r
        a, va = self.vec(1)
        acc, t = self.fresh("acc"), self.fresh("t")
        c = self.thr(f"float(np.median({a}))")
        kind = r.pick(["bins", "setdefault", "defaultdict", "state", "list", "extend"])
        self.use(f"accum_{kind}")
        if kind == "bins":
            return [
                f"    {acc} = {{}}",
                f"    for i, e in enumerate({a}):",
                f"        key = 'hi' if _kne(float(e), {c}) > {c} else 'lo'",
                f"        {acc}[key] = {acc}.get(key, 0.0) + np.sin(e) * (i + 1)",
                f"    {t} = sum({acc}.values()) + {acc}.get('hi', 0.0) * 2.0",
            ]
        if kind == "setdefault":
            return [
                f"    {acc} = {{}}",
                f"    for e in {a}:",
                f"        {acc}.setdefault('p' if _kne(float(e), {c}) > {c} else 'n', [])"
                ".append(e * e)",
                f"    {t} = sum(sum(v) * (1.0 + len(v)) for v in {acc}.values())",
            ]
        if kind == "defaultdict":
            return [
                f"    {acc} = collections.defaultdict(float)",
                f"    for i, e in enumerate({a}):",
                f"        {acc}[i % 2] += np.cos(e) * e",
                f"    {t} = {acc}[0] - 2.0 * {acc}[1]",
            ]
        if kind == "state":
            return [
                f"    {acc} = {{'pos': {a} * 1.0, 'vel': np.zeros_like({a})}}",
                f"    for _ in range({r.int(2, 4)}):",
                f"        {acc}['vel'] = 0.9 * {acc}['vel'] - 0.1 * np.sin({acc}['pos'])",
                f"        {acc}['pos'] = {acc}['pos'] + {acc}['vel']",
                f"    {t} = {acc}['pos'] + {acc}['vel'] ** 2",
            ]
        m, vm = self.arr(1, 2, 2)
        if kind == "list":
            return [
                f"    {acc} = []",
                f"    for row in {m}:",
                f"        {acc} += [np.sum(row * row), float(row[0])]",
                f"    {t} = np.array({acc}) * 2.0",
            ]
        return [
            f"    {acc} = [0.5]",
            f"    for row in {m}[::-1]:",
            f"        {acc}.extend(row[:2] * {acc}[-1])",
            f"    {t} = np.array({acc})",
        ]

    def i_try(self) -> list[str]:
        """`try`/`except` around numeric code, raised by the data or never."""
        r = self.r
        a, va = self.arr(1, 0, 2)
        t = self.fresh("t")
        kind = r.pick(["raise", "else_finally", "zero_div", "math_domain", "cholesky"])
        if kind in ("raise", "else_finally") and not self.ok("try_flow"):
            kind = "zero_div"
        self.use(f"try_{kind}")
        if kind == "raise":
            c = self.thr(f"float(np.sum({a}))")
            return [
                "    try:",
                f"        if _kne(float(np.sum({a})), {c}) > {c}:",
                "            raise ValueError('large')",
                f"        {t} = np.sin({a}) * 2.0",
                "    except ValueError:",
                f"        {t} = np.cos({a})",
            ]
        if kind == "else_finally":
            k = self.fresh("k")
            return [
                f"    {k} = 1",
                "    try:",
                f"        {t} = np.tanh({a}) * 1.5",
                "    except FloatingPointError:",
                f"        {t} = {a}",
                "    else:",
                f"        {t} = {t} + 0.5",
                "    finally:",
                f"        {k} += 1",
                f"    {t} = {t} * {k}",
            ]
        if kind == "zero_div":
            v, vv = self.vec(1)
            c = self.thr(f"float(np.max({v}))")
            cnt = self.fresh("cnt")
            return [
                f"    {cnt} = int(np.sum(_kne({v}, {c}) > {c}))",
                "    try:",
                f"        {t} = float(np.sum({v})) / {cnt}",
                "    except ZeroDivisionError:",
                f"        {t} = float(np.mean({v}))",
            ]
        if kind == "math_domain":
            s = self.scal(1)
            return [
                "    try:",
                f"        {t} = math.log(_kz({s})) * 2.0",
                "    except ValueError:",
                f"        {t} = {s} * {s}",
            ]
        m, vm = self.arr(1, 2, 2)
        n = vm.shape[0]
        c = round(float(np.mean(np.sum(vm * vm, axis=1))) * r.pick([0.3, 0.8, 1.5]), 3)
        S = self.fresh("S")
        return [
            f"    {S} = {m} @ {m}.T - {c} * np.eye({n})",
            f"    {S} = _kw({S}, _kz(float(np.min(np.linalg.eigvalsh({S})))))",
            "    try:",
            f"        {t} = np.sum(np.linalg.cholesky({S}) ** 2)",
            "    except np.linalg.LinAlgError:",
            f"        {t} = np.trace({S})",
        ]

    def need_matrix(self) -> tuple[list[str], str, np.ndarray]:
        """An owned matrix to write into: lines making one (a copy) when there is none."""
        mats = [n for n in sorted(self.owned) if n in self.env and np.ndim(self.env[n]) == 2]
        if mats and self.r.chance(0.7):
            n = self.r.pick(mats)
            return [], n, np.asarray(self.env[n])
        m, vm = self.arr(1, 2, 2)
        n = self.fresh("u")
        self.owned.add(n)
        self.env[n] = vm.copy()  # for the statement's right-hand side (the run replaces env)
        return [f"    {n} = np.array({m})"], n, vm
