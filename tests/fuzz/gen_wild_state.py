"""Statements of the wild generator (tests/fuzz/gen_wild.py) on state, aliases and linear algebra.

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group, or `Reject`: in-place updates through views and aliases (``v = a[1:]; v *= c``,
``p = q = ...`` with writes through both, ``t = np.asarray(u)``, ``b = a`` then ``b[k] = e``),
lists and dicts updated in loops (``append``/``pop(0)``, ``d[k] += e``), a class defined in `f`
with ``__init__``, a method returning ``self`` and a property, objects of a class defined in
`f` held in a list whose methods are named like NumPy's (``os[0].sum()``) and update the object,
with a property counting its reads, nested helpers with default and
keyword-only arguments reading an enclosing value, recursion bounded by a depth argument (two
calls per level), ``np.einsum`` with random subscript letters and ``np.tensordot`` with random
axes, reshape/transpose chains, ``np.linalg`` on well-conditioned matrices (``A A^T + I``:
solve, inv, det, slogdet, cholesky, eigh values, svd values), cumulative ops and
sort/argsort gathers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject

_LETTERS = "abcdefghijkmnpqrstuvwz"


class WildState:
    """Mixin of `gen_wild_stmts.WildStmts`: the state, alias and linear-algebra forms."""

    r: Any

    def s_state(self) -> list[str]:
        forms = [
            self.q_view_alias,
            self.q_asarray_alias,
            self.q_chain,
            self.q_name_alias,
            self.q_list_loop,
            self.q_dict_loop,
            self.q_class,
            self.q_class_list,
            self.q_helper_defaults,
            self.q_recursion,
            self.q_einsum,
            self.q_tensordot,
            self.q_reshape_chain,
            self.q_linalg,
            self.q_cumulative,
            self.q_sort_gather,
        ]
        return self.r.pick(forms)()

    def _vec(self, lo: int = 2, hi: int = 6) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 1 and lo <= x.size <= hi)

    def _mat(self) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 2 and 1 <= min(x.shape) and max(x.shape) <= 4)

    def _coef(self) -> str:
        return f"{round(self.r.normal() * 0.5, 3)}"

    def q_view_alias(self) -> list[str]:
        r = self.r
        a, _ = self._vec(3)
        u, v, w = self.fresh("u"), self.fresh("w"), self.fresh("v")
        view = r.pick(["[1:]", "[::2]", "[::-1]", "[:-1]", "[1:][::-1]"])
        op = r.pick(["*=", "+=", "-="])
        rhs = r.pick([self._coef(), f"np.tanh({u}{view})", f"{u}{view}[::-1]"])
        self.use("state_view_alias")
        return [
            f"    {u} = np.array({a}, dtype=float)",
            f"    {v} = {u}{view}",
            f"    {v} {op} {rhs}",
            f"    {w} = {u} * np.sum({v})",
        ]

    def q_asarray_alias(self) -> list[str]:
        r = self.r
        a, av = self._vec(2)
        u, t, w = self.fresh("u"), self.fresh("w"), self.fresh("v")
        k = r.int(0, np.size(av) - 1)
        self.use("state_asarray_alias")
        return [
            f"    {u} = {a} * {self._coef()} + 1.0",
            f"    {t} = np.asarray({u})",
            f"    {t}[{k}] = np.sin({t}[-1]) * {u}[0]",
            f"    {w} = {u} + {t}",
        ]

    def q_chain(self) -> list[str]:
        r = self.r
        a, av = self._vec(2)
        p, q, w = self.fresh("u"), self.fresh("u"), self.fresh("v")
        n, k = np.size(av), r.int(0, np.size(av) - 1)
        init = r.pick([f"np.zeros({n})", f"np.ones_like({a})", f"{a} * 0.5", f"np.array({a})"])
        lines = [f"    {p} = {q} = {init}"]
        for _ in range(r.int(1, 3)):
            who = r.pick([p, q])
            lines.append(
                r.pick(
                    [
                        f"    {who}[{k}] = np.cos({a}[{k}])",
                        f"    {who} += {a}",
                        f"    {who} *= {self._coef()}",
                        f"    {who}[::-1] += {a} * 0.5",
                    ]
                )
            )
        lines.append(f"    {w} = {r.pick([p, q])} * {r.pick([p, q])}")
        if r.chance(0.3):
            lines.append(f"    {p} = {p} + {q}")
        self.use("state_chain")
        return lines

    def q_name_alias(self) -> list[str]:
        r = self.r
        a, av = self._vec(2)
        u, b, w = self.fresh("u"), self.fresh("u"), self.fresh("v")
        k = r.int(0, np.size(av) - 1)
        kind = r.pick(["array", "list"])
        self.use("state_name_alias_" + kind)
        if kind == "array":
            return [
                f"    {u} = {a} * 2.0",
                f"    {b} = {u}",
                f"    {b}[{k}] = {a}[{k}] ** 2",
                f"    {w} = np.sum({u}) * {b}",
            ]
        return [
            f"    {u} = [{a} * 1.0]",
            f"    {b} = {u}",
            f"    {b}.append(np.exp(-{a} ** 2))",
            f"    {w} = {u}[-1] * len({u}) + {b}[0]",
        ]

    def q_list_loop(self) -> list[str]:
        r = self.r
        a, av = self._vec(3)
        lst, i, s = self.fresh("l"), self.fresh("i"), self.fresh("v")
        keep = r.int(1, 3)
        self.use("state_list_loop")
        return [
            f"    {lst} = []",
            f"    for {i} in range({np.size(av)}):",
            f"        {lst}.append({a}[{i}] * {self._coef()} + np.sin({a}[{i}]))",
            f"        if len({lst}) > {keep}:",
            f"            {lst}.pop(0)",
            f"        {lst}[-1] = {lst}[-1] * 0.5 + {lst}[0]",
            f"    {s} = sum({lst}) * len({lst})",
        ]

    def q_dict_loop(self) -> list[str]:
        a, _ = self._vec(2)
        d, e, m = self.fresh("d"), self.fresh("e"), self.fresh("v")
        self.use("state_dict_loop")
        return [
            f"    {d} = {{'s': 0.0, 'n': 0, 'hist': []}}",
            f"    for {e} in {a}:",
            f"        {d}['s'] += np.sin({e}) * {self._coef()}",
            f"        {d}['n'] += 1",
            f"        {d}['hist'].append({d}['s'])",
            f"    {m} = {d}['s'] / {d}['n'] + sum({d}['hist'])",
        ]

    def q_class(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.size <= 6)
        k, o, v = self.fresh("K").capitalize(), self.fresh("o"), self.fresh("v")
        steps = "".join(f".step({r.pick([f'np.tanh({a})', a, f'{a} ** 2'])})" for _ in range(2))
        self.use("state_class")
        return [
            f"    class {k}:",
            f"        def __init__(self, w, scale={abs(float(self._coef())) + 0.5}):",
            "            self.w = w",
            "            self.scale = scale",
            "        @property",
            "        def norm2(self):",
            "            return float(np.sum(self.w ** 2))",
            "        def step(self, g):",
            "            self.w = self.w - 0.1 * self.scale * g",
            "            return self",
            f"    {o} = {k}({a} * 1.0)",
            f"    {o}{steps}",
            f"    {v} = {o}.norm2 + np.sum({o}.w) * {o}.scale",
            f"    del {o}",  # (an object of a class made per run: no snapshot compares it)
        ]

    def q_class_list(self) -> list[str]:
        """Objects of a class defined in `f`, held in a list and read back out of it
        (``os[0].sum()``, ``for o in os``), whose methods are named like NumPy's pure ones and
        update the object, and a property counting its reads (fuzz29: the optimiser took them
        for NumPy's and merged the reads around them)."""
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.size <= 6)
        k, os_, o, v = (
            self.fresh("K").capitalize(),
            self.fresh("os"),
            self.fresh("o"),
            self.fresh("v"),
        )
        c = abs(float(self._coef())) + 0.5
        pre = f"{os_}[{r.int(0, 1)}]"
        read = r.pick([f"{pre}.w", f"{pre}.ticks * {pre}.w", f"np.sum({pre}.w) * {pre}.ticks"])
        call = r.pick([f"{pre}.sum()", f"{pre}.mean({a})", f"{pre}.sum() * {pre}.ticks"])
        loop = r.pick([f"{o}.sum()", f"{o}.mean(np.tanh({a}))", f"{o}.ticks"])
        self.use("state_class_list")
        return [
            f"    class {k}:",
            "        def __init__(self, w):",
            "            self.w = w",
            "            self.n = 0",
            "        def sum(self):",
            f"            self.w = self.w * {c}",
            "            return float(self.n) + 1.0",
            "        def mean(self, g):",
            "            self.w = self.w - 0.1 * g",
            "            return self",
            "        @property",
            "        def ticks(self):",
            "            self.n += 1",
            "            return self.n",
            f"    {os_} = [{k}({a} * 1.0), {k}(np.sin({a}))]",
            f"    {v} = {read}",
            f"    {v} = {v} + {call}",
            f"    for {o} in {os_}:",
            f"        {loop}",
            f"    {v} = {v} + {read} + {os_}[0].w * {os_}[1].w",
            f"    del {os_}, {o}",  # (objects of a class made per run: no snapshot compares them)
        ]

    def q_helper_defaults(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f")
        sc, g, v = self.fresh("c"), self.fresh("g"), self.fresh("v")
        k = r.int(1, 3)
        self.use("state_helper_defaults")
        call2 = r.pick([f"{g}({a}, {k + 1})", f"{g}({a}, s={self._coef()})", f"{g}({a}, k=2)"])
        return [
            f"    {sc} = {self._coef()}",
            f"    def {g}(t, k={k}, *, s={self._coef()}):",
            f"        return np.tanh(t * {sc}) * k + s * t",
            f"    {v} = {g}({a}) + {call2}",
        ]

    def q_recursion(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f")
        g, v = self.fresh("rec"), self.fresh("v")
        n = r.int(1, 4)
        self.use("state_recursion")
        return [
            f"    def {g}(t, n):",
            "        if n <= 0:",
            "            return t",
            f"        return {g}(np.sin(t) * 0.5, n - 1) + 0.25 * {g}(t * t * 0.1, n - 2)",
            f"    {v} = {g}({a}, {n})",
        ]

    def _letters(self, n: int) -> list[str]:
        pool = list(_LETTERS)
        return [pool.pop(self.r.int(0, len(pool) - 1)) for _ in range(n)]

    def q_einsum(self) -> list[str]:
        r = self.r
        m, mv = self._mat()
        i, j, k = self._letters(3)
        rows, cols = np.shape(mv)
        forms = [
            (f"{i}{j}->{j}{i}", [m]),
            (f"{i}{j}->{r.pick([i, j])}", [m]),
            (f"{i}{j},{i}{j}->{r.pick([i, j, ''])}", [m, m]),
            (f"{i}{j},{k}{j}->{i}{k}", [m, m]),
            (f"{i}{j},{i}{k}->{j}{k}", [m, f"np.tanh({m})"]),
        ]
        if rows == cols:
            forms += [(f"{i}{i}->", [m]), (f"{i}{j},{j}{k},{k}{i}->", [m, m, m])]
        spec, ops = r.pick(forms)
        v = self.fresh("v")
        self.use("state_einsum")
        return [f"    {v} = np.einsum('{spec}', {', '.join(ops)})"]

    def q_tensordot(self) -> list[str]:
        r = self.r
        m, mv = self._mat()
        v = self.fresh("v")
        axes = r.pick(["0", "1", "2", "([1], [1])", "([0], [0])", "((0, 1), (0, 1))"])
        other = m if axes != "1" else f"{m}.T"
        self.use("state_tensordot")
        return [f"    {v} = np.tensordot({m}, np.sin({other}), axes={axes})"]

    def q_reshape_chain(self) -> list[str]:
        r = self.r
        a, av = self._vec(2, 5)
        n = np.size(av)
        v = self.fresh("v")
        chain = r.pick(
            [
                f"np.outer({a}, {a}).reshape(-1)[::-1].reshape({n}, {n}).T",
                f"np.outer({a}, {a}).T.reshape({n * n}).reshape(1, {n}, {n}).transpose(2, 0, 1)",
                f"np.stack([{a}, {a} ** 2]).T.reshape(-1, 2).swapaxes(0, 1).ravel()",
                f"{a}.reshape({n}, 1).T.reshape(-1)[::-1]",
                f"np.moveaxis(np.outer({a}, {a})[None], 0, -1).squeeze(-1).T",
            ]
        )
        self.use("state_reshape_chain")
        return [f"    {v} = {chain}"]

    def q_linalg(self) -> list[str]:
        r = self.r
        a, av = r.pick([self._mat, self._vec])()
        n = np.shape(av)[0]
        spd, v = self.fresh("S"), self.fresh("v")
        if np.ndim(av) == 2:
            base = f"{a} @ {a}.T + np.eye({n})"
        else:
            base = f"np.outer({a}, {a}) + {n} * np.eye({n})"
        rhs = f"np.ones({n})" if np.ndim(av) == 2 else a
        op = r.pick(
            [
                f"np.linalg.solve({spd}, {rhs})",
                f"np.linalg.inv({spd})",
                f"np.linalg.det({spd})",
                f"np.linalg.slogdet({spd})[1]",
                f"np.linalg.cholesky({spd})",
                f"np.linalg.eigh({spd})[0]",
                f"np.linalg.eigvalsh({spd})",
                f"np.linalg.svd({spd}, compute_uv=False)",
            ]
        )
        self.use("state_linalg_" + op.split("(")[0].split(".")[-1])
        return [f"    {spd} = {base}", f"    {v} = {op}"]

    def q_cumulative(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.size >= 2)
        v = self.fresh("v")
        op = r.pick(
            [
                f"np.cumsum({a}[::-1], axis=0)[::-1]",
                f"np.cumprod(1.0 + 0.1 * np.tanh({a}), axis=0)",
                f"np.cumsum(np.cumsum({a}, axis=-1), axis=-1) * 0.5",
                f"np.diff(np.cumsum({a}, axis=0), axis=0)",
                f"np.cumsum({a}) / np.arange(1, np.size({a}) + 1)",
            ]
        )
        self.use("state_cumulative")
        return [f"    {v} = {op}"]

    def q_sort_gather(self) -> list[str]:
        r = self.r
        a, av = self._vec(2)
        b, _ = self.leaf("f", lambda x: x.shape == np.shape(av))
        o, v = self.fresh("i"), self.fresh("v")
        if len(set(np.round(av, 6))) < np.size(av):
            raise Reject("ties")
        self.use("state_sort_gather")
        use = r.pick(
            [
                f"{a}[{o}] * {b}[{o}]",
                f"np.take({b}, {o}[::-1]) + np.sort({a})",
                f"np.cumsum({b}[{o}])[{o}]",
                f"{b}[{o}[-2:]].sum() * {a}[np.argsort(-{a})]",
            ]
        )
        return [f"    {o} = np.argsort({a})", f"    {v} = {use}"]


__all__ = ["WildState", "Reject"]
