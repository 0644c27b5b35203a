"""The list, comprehension, NumPy-keyword, mask, tie and object forms of the session-37 wild
statements (tests/fuzz/gen_wild_37.py).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group, or `Reject`: lists of arrays appended in loops, their items rebound, then
``np.stack``/``np.array``/``np.vstack``/``np.column_stack``, ``sorted`` by a key;
comprehensions with conditions over ``zip``/``enumerate``/``reversed``/``sorted(key=)``, dict
comprehensions, ``max``/``min`` with a key; NumPy calls with ``axis``/``keepdims``/``where``/
``out`` (reductions with a mask, ufuncs writing into an ``out`` array under a ``where``);
broadcasting ``(n, 1)`` with ``(1, m)`` and boolean masks (assigned through, selected, counted);
ties on purpose (``np.maximum(a, a[::-1])``, ``np.clip(a, a.min(), a.max())``, ``max`` of
duplicated values, all of them the same function on both sides of the tie); objects of the
prelude's class and dataclass (tests/fuzz/gen_wild_37.py) and of a class defined in `f`, whose
methods update ``self`` fields in loops.
"""

from __future__ import annotations

from typing import Any

from .gen_wild_expr import Reject


class Wild37Ctl:
    """Mixin of `gen_wild_37.Wild37`: the forms of the module docstring."""

    r: Any
    consts: dict[str, Any]

    def _u37(self, what: str) -> None:
        self.use("w37_" + what)  # type: ignore[attr-defined]

    def _n35(self, p: str = "v") -> str:  # pragma: no cover - gen_wild_35c.Wild35Ctl's
        raise NotImplementedError

    def _vec35(self, lo: int = 2, hi: int = 6) -> tuple[str, Any]:  # pragma: no cover
        raise NotImplementedError

    # -- lists of arrays --------------------------------------------------------------------------

    def p_list_arrays(self) -> list[str]:
        r = self.r
        a, _ = self._vec35()
        L, x, i, S, v = (self._n35(p) for p in "L x i S v".split())
        K = r.int(2, 4)
        form = r.pick(["stack", "array", "vstack", "column", "sorted", "rebind", "pop"])
        self._u37("list_" + form)
        body = [
            f"    {L} = []",
            f"    {x} = {a}",
            f"    for {i} in range({K}):",
            f"        {x} = np.tanh({x}) * 1.1 + {a} * 0.1 * {i}",
            f"        {L}.append({x})",
        ]
        if form == "stack":
            ax = r.pick([0, 1, -1])
            body += [f"    {S} = np.stack({L}, axis={ax})", f"    {v} = {S}.mean(axis={ax})"]
        elif form == "array":
            body += [f"    {S} = np.array({L})", f"    {v} = {S}[:, 0].sum() + {S}[-1]"]
        elif form == "vstack":
            body += [f"    {S} = np.vstack({L}[::-1])", f"    {v} = {S}.max(axis=0)"]
        elif form == "column":
            body += [
                f"    {S} = np.column_stack({L})",
                f"    {v} = {S} @ np.arange(1.0, {K + 1}.0)",
            ]
        elif form == "sorted":
            key = r.pick(["lambda t: float(t.sum())", "lambda t: -float(t[0])", "len"])
            body += [f"    {S} = sorted({L}, key={key})", f"    {v} = {S}[0] * 2.0 + {S}[-1]"]
        elif form == "rebind":
            body += [
                f"    {L}[0] = {L}[0] * 2.0",
                f"    {L}[-1] += {a}",
                f"    for {i}, {S} in enumerate({L}):",
                f"        {L}[{i}] = {S} * ({i} + 0.5)",
                f"    {v} = np.array({L}).sum(axis=0)",
            ]
        else:
            body += [
                f"    {S} = {L}.pop()",
                f"    {L}.insert(0, {S} * 0.5)",
                f"    {v} = np.concatenate({L})[:2].sum() + {S}",
            ]
        return body + [f"    del {L}"]

    # -- comprehensions with conditions over zip/enumerate/reversed/sorted -------------------------

    def p_comp_iter(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        n = len(av)
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, L, t, u, i, p = (self._n35(q) for q in "v L t u i p".split())
        form = r.pick(["enum_zip_rev", "sorted_idx", "dictcomp", "rows", "maxkey", "minzip", "gen"])
        self._u37("comp_" + form)
        if form == "enum_zip_rev":
            return [
                f"    {L} = [{t} * {u} for {i}, ({t}, {u}) in enumerate(zip({a}, reversed({a})))"
                f" if {i} % 2 == 0]",
                f"    {v} = {a} * sum({L})",
            ]
        if form == "sorted_idx":
            return [
                f"    {L} = [{i} for {i}, _ in sorted(enumerate({a}), key=lambda {p}: {p}[1])]",
                f"    {v} = {a}[{L}] * np.arange(1.0, {n + 1}.0)",
            ]
        if form == "dictcomp":
            return [
                f"    {L} = {{{i}: {t} for {i}, {t} in enumerate({a}) if {t} > {c}}}",
                f"    {v} = {a} * (sum({L}.values()) + 1.0) + len({L})",
            ]
        if form == "rows":
            return [
                f"    {L} = np.outer({a}, np.sin({a}))",
                f"    {L} = [[x * y for y in row if y > {c}] for x, row in zip({a}, {L})]",
                f"    {v} = {a} * sum(sum(row) for row in {L})",
            ]
        if form == "maxkey":
            fn = r.pick(["max", "min"])
            return [
                f"    {i}, {t} = {fn}(enumerate({a}), key=lambda {p}: {p}[1])",
                f"    {v} = {a} * {t} + {i}",
            ]
        if form == "minzip":
            return [
                f"    {t}, {u} = min(zip({a} ** 2, np.cos({a})), key=lambda {p}: {p}[0])",
                f"    {v} = {a} * {t} - {u}",
            ]
        return [f"    {v} = {a} * sum({t} ** 2 for {t} in reversed({a}) if {t} < {c})"]

    # -- NumPy keywords: axis / keepdims / where / out --------------------------------------------

    def p_numpy_kw(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, w, M = self._n35(), self._n35("w"), self._n35("M")
        form = r.pick(
            ["kd", "where_red", "out_ufunc", "out_where", "out_cumsum", "norm_kd", "std_kd", "avg"]
        )
        self._u37("np_" + form)
        mask = f"{a} {r.pick(['>', '<'])} {c}"
        mat = f"    {M} = np.outer({a}, np.cos({a})) + {a}[:, None] * 0.5"
        if form == "kd":
            red = r.pick(["sum", "mean", "max", "min", "prod"])
            ax = r.pick([0, 1, -1])
            return [mat, f"    {v} = ({M} - np.{red}({M}, axis={ax}, keepdims=True)).sum(axis=0)"]
        if form == "where_red":
            red = r.pick(
                [
                    f"np.sum({a}, where={mask})",
                    f"np.mean({a} ** 2, where={mask})",
                    f"np.max({a}, where={mask}, initial=-10.0)",
                    f"np.prod(1.0 + {a} * 0.1, where={mask})",
                    f"{a}.sum(where={mask})",
                ]
            )
            return [f"    {v} = {a} * {red}"]
        if form == "out_ufunc":
            fn = r.pick(
                [
                    "np.add({a}, np.sin({a}), out={w})",
                    "np.multiply({a}, {a}, out={w})",
                    "np.exp({a} * 0.5, out={w})",
                    "np.sin({a}, {w})",
                ]
            )
            return [
                f"    {w} = np.empty_like({a})",
                f"    {fn.format(a=a, w=w)}",
                f"    {v} = {w} * 1.0",
            ]
        if form == "out_where":
            return [
                f"    {w} = {a} * 0.5",
                f"    np.multiply({a}, {a}, out={w}, where={mask})",
                f"    {v} = {w} + 0.0",
            ]
        if form == "out_cumsum":
            return [
                f"    {w} = np.zeros_like({a})",
                f"    np.cumsum({a} ** 2, out={w})",
                f"    {v} = {w} * {a}",
            ]
        if form == "norm_kd":
            return [mat, f"    {v} = ({M} / (np.linalg.norm({M}, axis=1, keepdims=True) + 1.0))[0]"]
        if form == "std_kd":
            if len(av) < 2:
                raise Reject("ddof=1 of one value")
            return [
                mat,
                f"    {v} = ({M} * np.std({M}, axis=0, ddof=1, keepdims=True)).sum(axis=1)",
            ]
        return [
            mat,
            f"    {v} = np.average({M}, axis={r.pick([0, 1])}, weights=np.arange(1.0, {len(av) + 1}.0))",
        ]

    # -- broadcasting (n, 1) with (1, m), boolean masks -------------------------------------------

    def p_broadcast_mask(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        b, bv = self._vec35()
        mv = av[:, None] - bv[None, :]
        c = self._cut33(mv)  # type: ignore[attr-defined]
        v, M, K, m = self._n35(), self._n35("M"), self._n35("K"), self._n35("m")
        bc = r.pick(
            [
                f"{a}[:, None] - {b}[None, :]",
                f"{a}.reshape(-1, 1) - {b}.reshape(1, -1)",
                f"{a}[:, np.newaxis] - {b}",
            ]
        )
        form = r.pick(["kernel", "assign", "select", "where", "count", "mulmask", "idx"])
        self._u37("bc_" + form)
        head = [f"    {M} = {bc}"]
        if form == "kernel":
            body = [f"    {K} = np.exp(-{M} ** 2)", f"    {v} = {K} @ {b} + {K}.sum(axis=0).sum()"]
        elif form == "assign":
            body = [f"    {M}[{M} > {c}] = 0.0", f"    {v} = {M}.sum(axis=1)"]
        elif form == "select":
            body = [f"    {v} = {a} * {M}[{M} > {c}].sum()"]
        elif form == "where":
            body = [f"    {v} = np.where({M} > {c}, {M}, {M} * 0.1).sum(axis=0)"]
        elif form == "count":
            body = [f"    {m} = np.count_nonzero({M} < {c})", f"    {v} = {a} * {m} + {M}.mean()"]
        elif form == "mulmask":
            body = [
                f"    {m} = ({M} > {c}) & ({M} < {c} + 1.0)",
                f"    {v} = ({M} * {m}).sum(axis=1) + {M}[~{m}].sum()",
            ]
        else:
            body = [
                f"    {m} = np.where({a} > {self._cut33(av)})[0]",
                f"    {v} = {M}[{m}].sum(axis=0)",
            ]  # type: ignore
        return head + body + [f"    del {M}"]

    # -- ties on purpose (the same function on both sides) ----------------------------------------

    def p_ties(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        v, s = self._n35(), self._n35("s")
        form = r.pick(
            [
                "max_rev",
                "clip_minmax",
                "max_dup",
                "full",
                "stack_max",
                "twice",
                "sort_dup",
                "pymax",
                "med",
                "absdiff",
            ]
        )
        self._u37("tie_" + form)
        if form == "max_rev":
            return [
                f"    {v} = np.{r.pick(['maximum', 'minimum', 'fmax', 'fmin'])}({a}, {a}[::-1])"
            ]
        if form == "clip_minmax":
            return [f"    {v} = np.clip({a}, {a}.min(), {a}.max()) * {a}"]
        if form == "max_dup":
            return [f"    {v} = {a} * np.{r.pick(['max', 'min'])}(np.concatenate([{a}, {a}]))"]
        if form == "full":
            return [
                f"    {s} = float(np.sum({a} ** 2))",
                f"    {v} = {a} * np.{r.pick(['max', 'min', 'median'])}(np.ones({len(av)}) * {s})",
            ]
        if form == "stack_max":
            return [
                f"    {v} = np.{r.pick(['max', 'min'])}(np.stack([{a}, {a}, {a} - 1.0]), axis=0)"
            ]
        if form == "twice":
            return [f"    {v} = np.{r.pick(['maximum', 'minimum'])}({a} * 2.0, {a} + {a})"]
        if form == "sort_dup":
            return [
                f"    {v} = np.sort(np.concatenate([{a}, {a}]))[::2] * np.arange(1.0, {len(av) + 1}.0)"
            ]
        if form == "pymax":
            return [
                f"    {s} = {r.pick(['max', 'min'])}(float({a}[0]), float({a}[0]), float({a}[-1]) - 5.0)",
                f"    {v} = {a} * {s}",
            ]
        if form == "med":
            return [f"    {v} = {a} * np.median(np.concatenate([{a}, {a}]))"]
        return [f"    {v} = {a} + np.abs({a} - {a}[::-1])"]

    # -- user objects updating self fields in loops -----------------------------------------------

    def p_objects(self) -> list[str]:
        r = self.r
        a, _ = self._vec35()
        o, i, v, C, os_ = (
            self._n35("o"),
            self._n35("i"),
            self._n35(),
            self._n35("C"),
            self._n35("os"),
        )
        opts = ["local", "local_dc"]
        if "Acc37" in self.consts:
            opts += ["acc", "acc", "accs"]
        if "State37" in self.consts:
            opts += ["state", "state", "state_while"]
        form = r.pick(opts)
        self._u37("obj_" + form)
        K = r.int(1, 3)
        if form == "acc":
            return [
                f"    {o} = Acc37({a} * 1.0, lr=0.05)",
                f"    for {i} in range({K}):",
                f"        {o}.step(np.sin({o}.w) + {a}, scale=1.0 + {i})",
                f"    {v} = {o}.w * {o}.total() + {o}.n",
                f"    del {o}",
            ]
        if form == "accs":
            return [
                f"    {os_} = [Acc37({a} * k) for k in (0.5, 1.0)]",
                f"    for {i} in range({K}):",
                f"        for {o} in {os_}:",
                f"            {o}.step({a} * {o}.w)",
                f"    {v} = sum({o}.w for {o} in {os_})",
                f"    del {os_}",
            ]
        if form == "state":
            return [
                f"    {o} = State37({a} * 1.0, np.cos({a}))",
                f"    for {i} in range({K}):",
                f"        {o}.advance(dt=0.1 * ({i} + 1))",
                f"    {v} = {o}.x * {o}.energy() + {o}.t",
                f"    del {o}",
            ]
        if form == "state_while":
            return [
                f"    {o} = State37(x={a} * 1.0, v={a} * 0.0, t=0.0)",
                f"    while {o}.t < {0.1 * K + 0.05:.2f}:",
                f"        {o}.advance()",
                f"    {v} = {o}.x + {o}.v * {o}.steps",
                f"    del {o}",
            ]
        if form == "local":
            return [
                f"    class {C}:",
                "        def __init__(self, w):",
                "            self.w = w",
                "            self.s = 0.0",
                "",
                "        def step(self, x, lr=0.1):",
                "            self.w = self.w - lr * np.sin(self.w) * x",
                "            self.s += float(np.sum(self.w ** 2))",
                "            return self.s",
                f"    {o} = {C}({a} * 1.0)",
                f"    for {i} in range({K}):",
                f"        {o}.step({a}[{i} % len({a})], lr=0.1 * ({i} + 1))",
                f"    {v} = {o}.w * {o}.s",
                f"    del {o}, {C}",
            ]
        return [
            "    @dataclasses.dataclass",
            f"    class {C}:",
            "        w: np.ndarray",
            "        k: float = 0.5",
            "",
            "        def bump(self, g):",
            "            self.w = self.w + self.k * g",
            "            self.k *= 0.9",
            f"    {o} = {C}({a} * 1.0)",
            f"    for {i} in range({K}):",
            f"        {o}.bump(np.tanh({o}.w))",
            f"    {v} = {o}.w * {o}.k",
            f"    del {o}, {C}",
        ]
