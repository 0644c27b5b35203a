"""Users' forms the wild generator (tests/fuzz/gen_wild.py) did not draw before session 26.

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: module-level prelude
definitions (`prelude26()`: a class whose ``__init__`` computes fields and whose methods call
each other, a helper returning early from inside nested loops, a global weight array) and the
lines of one statement group (`s_w26()`), or `Reject`: lists of arrays changed by
``append``/``pop``/``insert``/``extend`` and slice assignment; a dict of arrays updated in a
loop (momentum / Adam state); nested helpers returning tuples unpacked with a star;
``zip(*rows)``; ``itertools`` (accumulate, product, chain, pairwise) and ``functools.reduce``;
``sorted``/``min``/``max`` with a key; string-keyed configs; a global array indexed by int
arrays; ``np.split``/``np.stack``/``np.concatenate``/``np.pad``/``np.cumsum``/``np.diff``/
``np.roll``; matrix code (``@``, ``.T``, ``solve``, ``inv``, ``det`` of well-conditioned
matrices); reductions over axis tuples; ``np.einsum``; int and bool arrays in arithmetic.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_expr import Reject

_MODEL = """class Model:
    def __init__(self, w, c):
        self.w = np.asarray(w, dtype=float) * c
        self.b = float(np.sum(self.w)) * 0.1
        self.n = len(self.w)
        self.scale = 1.0 / (1.0 + abs(c))

    def feat(self, x):
        return np.tanh(self.w * x + self.b)

    def score(self, x):
        return np.sum(self.feat(x) * self.scale) + self.penalty()

    def penalty(self):
        return 0.01 * np.sum(self.w ** 2) / self.n

    def update(self, g):
        self.w = self.w - 0.1 * g
        self.b = self.b + 0.05 * float(np.mean(g))
        return self.score(g)
"""

_FIND = """def find(M, c):
    for i in range(M.shape[0]):
        for j in range(M.shape[1]):
            if M[i, j] > c:
                return M[i, j] * 2.0 + np.sum(M[:i])
    return np.sum(M) * 0.5
"""

_W26 = "W26 = np.array([0.3, -1.1, 0.7, 1.9, -0.4, 0.25])"


class Wild26:
    """Mixin of `gen_wild_stmts.WildStmts`: the session-26 forms (see the module docstring)."""

    r: Any
    consts: dict[str, Any]
    const_src: list[str]

    def prelude26(self) -> None:
        r = self.r
        if r.chance(0.35):
            self._define("Model", _MODEL)
        if r.chance(0.25):
            self._define("find", _FIND)
        if r.chance(0.3):
            self.consts["W26"] = eval(_W26.split(" = ")[1], {"np": np})  # noqa: S307
            self.const_src.append(_W26)
            self.features.add("prelude_W26")  # type: ignore[attr-defined]

    def _define(self, name: str, src: str) -> None:
        ns: dict[str, Any] = {"np": np}
        exec(compile(src, "<prelude>", "exec"), ns)  # noqa: S102 - our own definition
        self.consts[name] = ns[name]
        self.const_src.append("\n\n" + src)
        self.features.add("prelude_" + name)  # type: ignore[attr-defined]

    def _k(self) -> str:
        return f"{round(self.r.normal() * 0.5, 3)}"

    def _vec(self, lo: int = 2, hi: int = 6) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 1 and lo <= x.size <= hi)  # type: ignore

    def _use(self, what: str) -> None:
        self.use("w26_" + what)  # type: ignore[attr-defined]

    def _new(self, p: str = "v") -> str:
        return self.fresh(p)  # type: ignore[attr-defined]

    def s_w26(self) -> list[str]:
        forms = [
            self.y_model,
            self.y_find,
            self.y_list_mut,
            self.y_dict_state,
            self.y_star_helper,
            self.y_zip_star,
            self.y_itertools,
            self.y_reduce,
            self.y_sorted_key,
            self.y_config,
            self.y_global_index,
            self.y_split_stack,
            self.y_matrix,
            self.y_axis_tuple,
            self.y_einsum,
            self.y_int_bool,
        ]
        return self.r.pick(forms)()

    def y_model(self) -> list[str]:
        if "Model" not in self.consts:
            raise Reject("no Model")
        r = self.r
        a, _ = self._vec(1)
        m, v = self._new("m"), self._new()
        self._use("model")
        lines = [f"    {m} = Model({a}, {abs(float(self._k())) + 0.3})"]
        form = r.pick(["score", "update", "feat"])
        self._use("model_" + form)
        if form == "score":
            lines.append(f"    {v} = {m}.score({a} * 0.5) + {m}.b")
        elif form == "update":
            lines += [
                f"    {v} = {m}.update(np.sin({a}))",
                f"    {v} = {v} + {m}.score({a}) * {m}.n",
            ]
        else:
            lines.append(f"    {v} = {m}.feat({a}) * {m}.scale + {m}.w")
        return lines + [f"    del {m}"]

    def y_find(self) -> list[str]:
        if "find" not in self.consts:
            raise Reject("no find")
        a, av = self.leaf("f", lambda x: x.ndim == 2 and x.size >= 2)  # type: ignore
        v = self._new()
        c = round(float(np.median(av)) + self.r.pick([-0.07, 0.07]), 4)
        self._use("find")
        return [f"    {v} = find({a}, {c})"]

    def y_list_mut(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.size >= 1)  # type: ignore
        ls, v = self._new("ls"), self._new()
        lines = [f"    {ls} = [{a} * 1.0, np.sin({a}), {a} ** 2]"]
        ops = [
            f"    {ls}.append({a} + 1.0)",
            f"    {ls}.pop({r.pick([0, -1, 1])})",
            f"    {ls}.insert(1, np.cos({a}) * {self._k()})",
            f"    {ls}.extend([{a} * 0.5, np.tanh({a})])",
            f"    {ls}[1:3] = [{a} * 2.0, {a} - 1.0]",
            f"    {ls}[0] = {ls}[0] * {ls}[-1]",
            f"    {ls}[-2:] = {ls}[-2:][::-1]",
        ]
        for _ in range(r.int(2, 4)):
            k = r.int(0, len(ops) - 1)
            self._use("list_" + ("append pop insert extend slice item rev".split()[k]))
            lines.append(ops[k])
        use = r.pick([f"sum({ls})", f"np.stack({ls}).mean(axis=0)", f"{ls}[0] + {ls}[-1]"])
        return lines + [f"    {v} = {use} * len({ls})"]

    def y_dict_state(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.size >= 1)  # type: ignore
        st, k, g, v = self._new("st"), self._new("k"), self._new("g"), self._new()
        self._use("dict_state")
        return [
            f"    {st} = {{'m': {a} * 0.0, 'v': np.zeros_like({a}), 'x': {a} * 1.0}}",
            f"    for {k} in range({r.int(1, 4)}):",
            f"        {g} = np.sin({st}['x'] * ({k} + 1)) + {st}['x'] * 0.1",
            f"        {st}['m'] = 0.9 * {st}['m'] + 0.1 * {g}",
            f"        {st}['v'] = 0.99 * {st}['v'] + 0.01 * {g} * {g}",
            f"        {st}['x'] = {st}['x'] - 0.1 * {st}['m'] / np.sqrt({st}['v'] + 0.01)",
            f"    {v} = {st}['x'] + {st}['m'] * {r.pick(['1.0', '0.5'])}",
        ]

    def y_star_helper(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.size >= 1)  # type: ignore
        h, z, v = self._new("hs"), self._new("z"), self._new()
        p, q = self._new("p"), self._new("q")
        self._use("star_helper")
        lines = [
            f"    def {h}({z}):",
            f"        return {z} * 2.0, np.sin({z}), float(np.sum({z})), {z} ** 2",
        ]
        if r.chance(0.5):
            return lines + [
                f"    {p}, *{q} = {h}({a})",
                f"    {v} = {p} + {q}[0] * {q}[1] + {q}[-1]",
            ]
        return lines + [f"    *{q}, {p} = {h}({a})", f"    {v} = {p} * {q}[0] - {q}[2]"]

    def y_zip_star(self) -> list[str]:
        a, _ = self._vec(2)
        rows, v, c = self._new("rows"), self._new(), self._new("c")
        self._use("zip_star")
        return [
            f"    {rows} = [{a} * 1.0, {a} ** 2, np.cos({a})]",
            f"    {v} = np.array([sum({c}) * {c}[0] for {c} in zip(*{rows})])",
        ]

    def y_itertools(self) -> list[str]:
        r = self.r
        a, _ = self._vec(2)
        v = self._new()
        form = r.pick(["accumulate", "accumulate_fn", "product", "chain", "pairwise"])
        self._use("itertools_" + form)
        if form == "accumulate":
            return [f"    {v} = np.array(list(itertools.accumulate({a})))"]
        if form == "accumulate_fn":
            return [
                f"    {v} = np.array(list(itertools.accumulate({a}, lambda s, t: s * 0.5 + t)))"
            ]
        if form == "product":
            b, _ = self._vec(2, 3)
            return [f"    {v} = sum(p * np.sin(q) for p, q in itertools.product({a}, {b}))"]
        if form == "chain":
            b, _ = self._vec(1)
            return [f"    {v} = np.array(list(itertools.chain({a}, {b} * 2.0))) ** 2"]
        return [f"    {v} = sum((q - p) ** 2 for p, q in itertools.pairwise({a}))"]

    def y_reduce(self) -> list[str]:
        r = self.r
        a, _ = self._vec(2)
        v = self._new()
        self._use("reduce")
        if r.chance(0.5):
            return [f"    {v} = functools.reduce(lambda s, t: s * 0.7 + np.sin(t), {a}, 0.0)"]
        return [
            f"    {v} = functools.reduce(lambda s, t: s + t * s, [{a}, {a} * 0.5, np.cos({a})])"
        ]

    def y_sorted_key(self) -> list[str]:
        r = self.r
        a, av = self._vec(2)
        vals = np.sort(np.asarray(av, float))
        if np.min(np.diff(vals), initial=1.0) < 0.05:
            raise Reject("near ties")
        c = round(float(r.normal()), 3)
        v = self._new()
        form = r.pick(["sorted", "max", "min"])
        self._use("key_" + form)
        if form == "sorted":
            return [f"    {v} = np.array(sorted({a}, key=lambda t: -t)) * np.arange(len({a}))"]
        key = r.pick(["lambda t: np.sin(t)", f"lambda t: (t - {c}) ** 2", "abs"])
        vals2 = {"abs": np.abs(vals), "lambda t: np.sin(t)": np.sin(vals)}.get(key, (vals - c) ** 2)
        s = np.sort(vals2)
        if s.size > 1 and np.min(np.diff(s)) < 0.05:
            raise Reject("near ties")
        return [f"    {v} = {form}({a}, key={key}) * {a}"]

    def y_config(self) -> list[str]:
        r = self.r
        a, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.size >= 1)  # type: ignore
        cfg, v = self._new("cfg"), self._new()
        act = r.pick(["tanh", "sin", "relu"])
        self._use("config")
        return [
            f"    {cfg} = {{'scale': {abs(float(self._k())) + 0.2}, 'act': '{act}', 'n': "
            f"{r.int(1, 3)}}}",
            f"    {v} = {a} * {cfg}['scale']",
            f"    for _ in range({cfg}['n']):",
            f"        if {cfg}['act'] == 'tanh':",
            f"            {v} = np.tanh({v}) + {a}",
            f"        elif {cfg}['act'] == 'sin':",
            f"            {v} = np.sin({v}) * 0.5",
            "        else:",
            f"            {v} = np.maximum({v}, 0.0) + 0.1 * {v}",
        ]

    def y_global_index(self) -> list[str]:
        if "W26" not in self.consts:
            raise Reject("no W26")
        a, _ = self._vec(1)
        v = self._new()
        form = self.r.pick(
            [
                f"W26[np.arange(len({a})) % 6] * {a}",
                f"W26[np.argsort({a}) % 6] + {a} ** 2",
                f"W26[[0, 2, 2]].sum() * {a} + W26[np.array([1, 3])] @ np.ones(2)",
            ]
        )
        self._use("global_index")
        return [f"    {v} = {form}"]

    def y_split_stack(self) -> list[str]:
        r = self.r
        a, av = self._vec(2)
        n = np.size(av)
        v, p, q = self._new(), self._new("p"), self._new("q")
        form = r.pick(["split", "stack", "pad", "cumdiff"])
        self._use("split_" + form)
        if form == "split":
            return [
                f"    {p}, {q} = np.split(np.concatenate([{a}, {a} * 2.0]), 2)",
                f"    {v} = {p} * {q} + np.roll({p}, 1)",
            ]
        if form == "stack":
            return [f"    {v} = np.stack([{a}, np.sin({a})], axis={r.pick([0, 1])}).sum(axis=0)"]
        if form == "pad":
            w = r.int(1, 2)
            return [f"    {v} = np.pad({a}, {w})[{w}:{w + n}] * np.pad({a}, ({w}, 0))[:{n}]"]
        return [f"    {v} = np.diff(np.cumsum({a} ** 2), prepend=0.0) + np.roll({a}, -1)"]

    def y_matrix(self) -> list[str]:
        r = self.r
        a, av = self._vec(2, 4)
        n = np.size(av)
        A, v = self._new("A"), self._new()
        form = r.pick(["solve", "inv", "det", "gram"])
        self._use("matrix_" + form)
        lines = [
            f"    {A} = np.eye({n}) * 3.0 + 0.1 * np.outer({a}, {a}) + 0.05 * np.ones(({n}, {n}))"
        ]
        if form == "solve":
            return lines + [f"    {v} = np.linalg.solve({A}, {a}) + {A}.T @ {a}"]
        if form == "inv":
            return lines + [f"    {v} = np.linalg.inv({A}) @ np.sin({a})"]
        if form == "det":
            return lines + [f"    {v} = np.linalg.det({A}) * {a}"]
        return lines + [f"    {v} = ({A}.T @ {A}) @ {a} / np.trace({A})"]

    def y_axis_tuple(self) -> list[str]:
        a, _ = self.leaf("f", lambda x: x.ndim == 2 and x.size >= 2)  # type: ignore
        v = self._new()
        form = self.r.pick(
            [
                f"np.sum({a} ** 2, axis=(0, 1)) * {a}",
                f"np.mean({a}[None] * 2.0, axis=(0, 2))",
                f"np.max(np.sin({a})[:, None, :], axis=(1, 2)) + {a}.sum(axis=(0,))[0]",
            ]
        )
        self._use("axis_tuple")
        return [f"    {v} = {form}"]

    def y_einsum(self) -> list[str]:
        r = self.r
        v = self._new()
        form = r.pick(["outer", "matvec", "trace"])
        self._use("einsum_" + form)
        if form == "outer":
            a, _ = self._vec(1)
            b, _ = self._vec(1)
            return [f"    {v} = np.einsum('i,j->ij', {a}, np.cos({b}))"]
        M, mv = self.leaf("f", lambda x: x.ndim == 2 and x.size >= 1)  # type: ignore
        if form == "matvec":
            return [f"    {v} = np.einsum('ij,j->i', {M}, np.ones({mv.shape[1]}) * 0.5) ** 2"]
        return [f"    {v} = np.einsum('ij,ij->', {M}, {M}) + np.einsum('ij->j', {M})"]

    def y_int_bool(self) -> list[str]:
        r = self.r
        a, av = self.leaf("f", lambda x: x.ndim == 1 and x.size >= 2)  # type: ignore
        n = np.size(av)
        c = round(float(np.median(av)) + r.pick([-0.05, 0.05]), 4)
        v = self._new()
        form = r.pick(
            [
                f"({a} > {c}) * {a} + ({a} < {c}).astype(int) * 2 * {a}",
                f"{a} * (np.arange({n}) % 3) + np.sum({a} > {c}) * {a}",
                f"np.where(np.arange({n}) % 2 == 0, {a}, -{a}) * np.int64(2)",
                f"{a} * np.array({[r.int(0, 3) for _ in range(n)]}) + True * {a}",
            ]
        )
        self._use("int_bool")
        return [f"    {v} = {form}"]
