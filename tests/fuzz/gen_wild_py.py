"""Plain-Python statements of the wild generator (tests/fuzz/gen_wild.py).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group, or `Reject`: chained assignment sharing one array (``a = b = np.zeros(n)``
then ``a[k] = e``), lists of arrays (`append`, `pop`, `insert`, `extend`, `reverse`, in-place
``lst[-1] *= c``, `np.stack`), dicts (`get` with a default, `setdefault`, `items()` sorted,
comprehensions), `nonlocal` counters and accumulators in nested functions, a recursive nested
function, `*args`/`**kwargs`, `assert`, `del`, nested loops left by `return`, `zip(*rows)`,
`enumerate(start=)`, `range` counting down, `sorted` with a key, `while` on a float condition,
and Python int arithmetic (``//``, ``%``, ``divmod``, ``round``, ``int()``) used as indices.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject


class WildPy:
    """Mixin of `gen_wild_stmts.WildStmts`: the plain-Python statement forms."""

    r: Any

    def s_py(self) -> list[str]:
        forms = [
            self.p_chained,
            self.p_list,
            self.p_dict,
            self.p_nonlocal,
            self.p_recursive,
            self.p_varargs,
            self.p_assert_del,
            self.p_nested_return,
            self.p_zip_rows,
            self.p_sorted_key,
            self.p_float_while,
            self.p_int_index,
        ]
        return self.r.pick(forms)()

    def vec(self) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 1 and 1 < x.size <= 5)

    def p_chained(self) -> list[str]:
        a, av = self.vec()
        p, q = self.fresh("u"), self.fresh("u")
        n = np.size(av)
        k = self.r.int(0, n - 1)
        self.use("chained_alias")
        return [
            f"    {p} = {q} = np.zeros({n})",
            f"    {p}[{k}] = np.sum({a} ** 2)",
            f"    {q} += {a}",
            f"    {p} = {p} * {q}",
        ]

    def p_list(self) -> list[str]:
        r = self.r
        a, av = self.vec()
        lst, n = self.fresh("l"), self.fresh()
        self.use("list_ops")
        lines = [f"    {lst} = [{a} * 1.0, np.sin({a})]"]
        for _ in range(r.int(1, 4)):
            lines.append(
                r.pick(
                    [
                        f"    {lst}.append({lst}[-1] * {r.normal()})",
                        f"    {lst}[-1] *= {r.normal()}",
                        f"    {lst}.insert(0, np.cos({a}))",
                        f"    {lst}.extend([{a} ** 2])",
                        f"    {lst}.reverse()",
                        f"    {lst}[0] = {lst}[0] + {lst}[-1]",
                        f"    {lst} = {lst}[::-1] + {lst}[:1]",
                        f"    {lst}[0][0] = {r.normal()} * {lst}[-1][-1]",
                    ]
                )
            )
        last = r.pick(
            [
                f"    {n} = np.stack({lst})",
                f"    {n} = sum({lst})",
                f"    {n} = {lst}.pop() * len({lst})",
                f"    {n} = np.array([np.sum(e) for e in {lst}])",
            ]
        )
        return lines + [last]

    def p_dict(self) -> list[str]:
        r = self.r
        a, _ = self.fexpr(self.depth() - 1)
        b, _ = self.fexpr(self.depth() - 1)
        d, n = self.fresh("d"), self.fresh()
        self.use("dict_ops")
        lines = [f"    {d} = {{'a': {a}, 'b': {b}}}"]
        lines.append(
            r.pick(
                [
                    f"    {d}['c'] = {d}.get('z', {d}['a']) * 2.0",
                    f"    {d}.setdefault('c', {d}['b'])",
                    f"    {d} = {{k: v * 2.0 for k, v in {d}.items()}}",
                    f"    {d}.update(c={d}['a'] - {d}['b'])",
                ]
            )
        )
        lines.append(
            r.pick(
                [
                    f"    {n} = sum(np.sum(v) for k, v in sorted({d}.items()))",
                    f"    {n} = {d}.get('c', 0.0) + {d}['a']",
                    f"    {n} = np.sum({d}.pop('a')) * len({d})",
                ]
            )
        )
        return lines

    def p_nonlocal(self) -> list[str]:
        a, _ = self.vec()
        g, acc, n = self.fresh("g"), self.fresh("acc"), self.fresh()
        self.use("nonlocal")
        return [
            f"    {acc} = 0.0",
            f"    def {g}(t):",
            f"        nonlocal {acc}",
            f"        {acc} = {acc} + t * t",
            "        return t * 0.5",
            f"    {n} = [{g}(e) for e in {a}]",
            f"    {n} = np.array({n}) + {acc}",
        ]

    def p_recursive(self) -> list[str]:
        s, _ = self.leaf("f", lambda x: x.ndim == 0)
        g, n = self.fresh("g"), self.fresh()
        k = self.r.int(1, 4)
        self.use("recursion")
        return [
            f"    def {g}(t, k):",
            "        if k == 0:",
            "            return t",
            f"        return {g}(np.sin(t) + t * 0.5, k - 1)",
            f"    {n} = {g}({s}, {k})",
        ]

    def p_varargs(self) -> list[str]:
        a, _ = self.fexpr(self.depth() - 1)
        b, _ = self.fexpr(self.depth() - 1)
        g, n = self.fresh("g"), self.fresh()
        self.use("varargs")
        return [
            f"    def {g}(*ts, scale=1.0, **kw):",
            "        out = 0.0",
            "        for t in ts:",
            "            out = out + np.sum(np.tanh(t)) * scale",
            "        return out + kw.get('bias', 0.0)",
            f"    {n} = {g}({a}, {b}, scale={self.r.normal()}, bias={self.r.normal()})",
            f"    {n} = {n} + {g}(*[{a}, {a}])",
        ]

    def p_assert_del(self) -> list[str]:
        a, av = self.fexpr(self.depth() - 1)
        t, n = self.fresh("t"), self.fresh()
        self.use("assert_del")
        return [
            f"    {t} = {a}",
            f"    assert np.all(np.isfinite({t})), 'not finite'",
            f"    {n} = {t} * 2.0",
            f"    del {t}",
        ]

    def p_nested_return(self) -> list[str]:
        if not getattr(self, "early_ok", True):
            raise Reject("too early for an early return")
        a, _ = self.leaf("f", lambda x: x.ndim == 2)
        i, j = self.fresh("i"), self.fresh("j")
        c = abs(self.r.normal()) + 1.0
        self.use("nested_return")
        return [
            f"    for {i} in range({a}.shape[0]):",
            f"        for {j} in range({a}.shape[1] - 1, -1, -1):",
            f"            if {a}[{i}, {j}] > {c}:",
            f"                return np.sum({a}[{i}]) * {a}[{i}, {j}]",
        ]

    def p_zip_rows(self) -> list[str]:
        a, _ = self.leaf("f", lambda x: x.ndim == 2 and x.shape[0] > 1)
        n, c = self.fresh(), self.fresh("c")
        self.use("zip_rows")
        form = self.r.pick(
            [
                [f"    {c} = [sum(col) for col in zip(*{a})]", f"    {n} = np.array({c})"],
                [
                    f"    {n} = 0.0",
                    f"    for k, (p, q) in enumerate(zip({a}[0], {a}[1]), start=1):",
                    f"        {n} = {n} + k * p * q",
                ],
                [f"    {n} = np.array([p - q for p, q in zip({a}, {a}[::-1])])"],
            ]
        )
        return form

    def p_sorted_key(self) -> list[str]:
        a, _ = self.vec()
        n = self.fresh()
        self.use("sorted_key")
        key = self.r.pick(["lambda t: -t", "abs", "lambda t: (t - 0.1) ** 2"])
        return [f"    {n} = np.array(sorted({a}, key={key}))[:2]"]

    def p_float_while(self) -> list[str]:
        s, _ = self.leaf("f", lambda x: x.ndim == 0)
        n, k = self.fresh(), self.fresh("k")
        self.use("float_while")
        return [
            f"    {n} = float({s}) ** 2 + 0.1",
            f"    {k} = 0",
            f"    while {n} < 3.0 and {k} < 10:",
            f"        {n} = {n} * 1.7 + 0.05",
            f"        {k} += 1",
        ]

    def p_int_index(self) -> list[str]:
        a, av = self.vec()
        m = np.size(av)
        n, i = self.fresh(), self.fresh("i")
        self.use("int_index")
        e = self.r.pick(
            [
                f"int(np.argmax({a})) // 2",
                f"divmod({m} + 3, {m})[1]",
                f"round({m} / 2) % {m}",
                f"int(abs(float({a}[0])) * 10) % {m}",
                f"(len({a}) - 1) // 2",
            ]
        )
        return [f"    {i} = {e}", f"    {n} = {a}[{i}] * {a}[-{i} - 1] + {a}[{i}:].sum()"]


__all__ = ["WildPy"]
