"""Typed random expressions for the program generator.

Input: the generator's state (variables in scope with their types, helpers, a decision source).
Output: Python expression text of a requested type that evaluates without error and stays finite:
`f` float scalar, `v` float array (3,), `m` float array (2, 3), `i` small int, `lf` list of floats,
`lv` list of (3,) arrays, `d` dict {"a": float, "b": (3,) array}, `t` tuple ((3,) array, float).
Math runs on safe domains only (log(1 + x*x), sqrt(1 + x*x), exp of bounded values, divisions by
1.5 + x*x).
"""

from __future__ import annotations

from dataclasses import dataclass, field

UFUNC_F = [
    "math.sin({})",
    "math.cos({})",
    "np.sin({})",
    "np.tanh({})",
    "math.tanh({})",
    "np.arctan({})",
    "np.exp(np.tanh({}))",
    "math.exp(0.5 * math.sin({}))",
    "np.log(1.0 + {0} * {0})",
    "math.log(1.0 + {0} * {0})",
    "np.sqrt(1.0 + {0} * {0})",
    "math.sqrt(2.0 + math.sin({}))",
    "np.log1p({0} * {0})",
    "abs({})",
    "math.hypot({}, 1.0)",
    "(1.5 + {0} * {0}) ** 0.5",
    "math.pow(1.0 + {0} * {0}, 1.5)",
    "math.atan2({}, 1.5)",
    "np.float64({})",
    "float({})",
    "np.square({})",
]
UFUNC_A = [
    "np.sin({})",
    "np.cos({})",
    "np.tanh({})",
    "np.arctan({})",
    "np.exp(np.tanh({}))",
    "np.log(1.0 + {0} * {0})",
    "np.sqrt(1.0 + {0} * {0})",
    "np.abs({})",
    "np.maximum({}, 0.1)",
    "np.clip({}, -1.0, 1.0)",
    "({0} / (1.5 + {0} * {0}))",
    "({} ** 2)",
    "np.square({})",
    "np.power(1.0 + {0} * {0}, 0.5)",
    "np.hypot({}, 1.0)",
    "np.logaddexp({}, 0.0)",
    "np.exp(-{0} * {0})",
    "np.sinh(np.tanh({}))",
    "np.where({0} > 0.2, {0}, 0.5 * {0})",
]


@dataclass
class Var:
    """A name in scope: its type, the function that owns it, and what it may alias."""

    name: str
    ty: str
    owner: int = 0
    kind: str = "local"  # arg (of f) | harg (of a helper) | global | local
    root: str = ""  # for aliases and views: the kind of the object they share (arg, harg, global)
    bound: int = 3  # ints: exclusive upper bound of the value (0 <= value < bound)
    minlen: int = 2  # lists: a lower bound on the length
    params: tuple[str, ...] = ()  # callables: parameter types
    ret: str = "f"  # callables: result type
    extra: dict = field(default_factory=dict)


LIST_REDUCE = "<a NumPy reduction of a list>"  # a sentinel option of _f_reduce

ROOT_FEATURE = {"arg": "mutate_arg", "harg": "helper_mutates", "global": "mutate_global"}


def const(r) -> str:
    return repr(r.pick([0.5, -0.75, 1.25, 0.3, 2.0, -1.5, 0.1, 0.9]))


class ExprMixin:
    """Expression generation; the host class provides `r`, `vars`, `ok`, `use`, `callables`."""

    def e(self, ty: str, d: int) -> str:
        return getattr(self, "e_" + ty)(d)

    def _leaf(self, ty: str) -> str | None:
        names = self.vars(ty)
        if not names:
            return None
        return self.r.pick(names[-2:] if self.r.chance(0.5) else names)

    # -- floats -------------------------------------------------------------------------------

    def e_f(self, d: int) -> str:
        r = self.r
        if d <= 0 or r.chance(0.2):
            leaf = self._leaf("f")
            ints = self.vars("i")
            if leaf is not None and r.chance(0.75):
                return leaf
            if ints and r.chance(0.3):
                return f"({r.pick(ints)} * 0.5)"
            return const(r) if r.chance(0.7) or leaf is None else "GS"
        opts = [
            (4, self._f_binop),
            (3, lambda d: r.pick(UFUNC_F).format(self.e_f(d - 1))),
            (3, self._f_reduce),
            (2, self._f_index),
            (1, lambda d: f"{r.pick(['min', 'max'])}({self.e_f(d - 1)}, {self.e_f(d - 1)})"),
        ]
        if self.callables("f"):
            opts.append((2, self._call_f))
        if d >= 2 and r.chance(0.3):
            opts.append(
                (1, lambda d: f"({self.e_f(d - 1)} if {self.cond(d - 1)} else {self.e_f(d - 1)})")
            )
        if self.vars("lf"):
            opts.append((1, lambda d: f"sum({self.r.pick(self.vars('lf'))})"))
            opts.append(
                (0.5, lambda d: f"{r.pick(['max', 'min'])}({self.r.pick(self.vars('lf'))})")
            )
        opts.append((0.5, lambda d: f"sum([{self.e_f(d - 1)} * k for k in range(3)])"))
        return r.pick_w(opts)(d)

    def _f_binop(self, d: int) -> str:
        r = self.r
        a, b = self.e_f(d - 1), self.e_f(d - 1)
        return r.pick_w(
            [
                (3, f"({a} + {b})"),
                (2, f"({a} - {b})"),
                (3, f"({a} * {b})"),
                (1, f"({a} / (1.5 + {b} * {b}))"),
                (1, f"({a} / 2.0)"),
                (1, f"(-{a})"),
                (1, f"({a} ** 2)"),
            ]
        )

    def _f_reduce(self, d: int) -> str:
        r = self.r
        if r.chance(0.7):
            v = self.e_v(d - 1)
            out = r.pick_w(
                [
                    (2, f"np.sum({v})"),
                    (2, f"{self.paren(v)}.sum()"),
                    (1, f"np.mean({v})"),
                    (1, f"np.max({v})"),
                    (1, f"{self.paren(v)}.min()"),
                    (1, f"np.prod({v})"),
                    (1, f"np.std({v})" if self.ok("std_constant") else f"np.std({v} + GV)"),
                    (1, f"np.var({v})"),
                    (1, f"sum(e * e for e in {v})"),
                    (1, f"np.einsum('i,i->', {v}, {self.e_v(d - 1)})"),
                    (1, f"{self.paren(v)}[np.argmax({v})]"),
                    (1, f"np.linalg.norm({v})"),
                    (2, f"({v} @ {self.e_v(d - 1)})"),
                    (1, f"np.dot({v}, {self.e_v(d - 1)})"),
                    *([(3, LIST_REDUCE)] if self.ok("np_on_list") else []),
                ]
            )
            return self._list_reduce(d) if out == LIST_REDUCE else out
        m = self.e_m(d - 1)
        return r.pick(
            [
                f"np.sum({m})",
                f"{self.paren(m)}.mean()",
                f"np.max({m})",
                "np.trace(GK)",
                f"np.linalg.norm({m})",
                f"np.trace({self.paren(m)}.T @ {self.paren(m)})",
                f"np.einsum('ij,ij->', {m}, {m})",
                f"np.sum({m}, axis=1) @ np.array([0.5, -1.0])",
                f"np.linalg.det(GK + 0.1 * ({self.paren(m)}.T @ {self.paren(m)}))",
            ]
        )

    def _list3(self, d: int) -> str:
        items = ", ".join(self.e_f(d - 1) for _ in range(3))
        return f"[{items}]" if self.r.chance(0.7) else f"({items})"

    def _on_list(self, text: str) -> str:
        self.use("np_on_list")
        return text

    def _list_reduce(self, d: int) -> str:
        lf = self.e_lf(d - 1)
        return self._on_list(
            self.r.pick(
                [
                    f"np.sum(np.square({lf}))",
                    f"np.var({lf})",
                    f"np.max({lf})",
                    f"np.dot({self._list3(d)}, {self.e_v(d - 1)})",
                ]
            )
        )

    def paren(self, s: str) -> str:
        return s if s.isidentifier() or s.endswith(")") and s[0].isalpha() else f"({s})"

    def index_int(self, bound: int) -> str:
        """An int expression in [0, bound) or a valid negative index."""
        r = self.r
        ints = [n for n in self.vars("i") if self.env[n].bound <= bound]
        if ints and r.chance(0.6):
            return r.pick(ints)
        anyints = self.vars("i")
        if anyints and r.chance(0.4):
            return f"({r.pick(anyints)} + 1) % {bound}"
        return str(r.int(-bound, bound - 1))

    def _f_index(self, d: int) -> str:
        r = self.r
        opts = [(2, lambda: f"{self.paren(self.e_v(d - 1))}[{self.index_int(3)}]")]
        if self.vars("m"):
            m = r.pick(self.vars("m"))
            opts.append((1, lambda: f"{m}[{self.index_int(2)}, {self.index_int(3)}]"))
            opts.append((1, lambda: f"{m}[{self.index_int(2)}][{self.index_int(3)}]"))
        for ty, acc in (("lf", None), ("d", "['a']"), ("t", "[1]")):
            for n in self.vars(ty):
                if acc is None:
                    k = r.int(-self.env[n].minlen, self.env[n].minlen - 1)
                    opts.append((1, lambda n=n, k=k: f"{n}[{k}]"))
                else:
                    opts.append((1, lambda n=n, acc=acc: n + acc))
        for n in self.vars("lv"):
            k = r.int(0, self.env[n].minlen - 1)
            opts.append((1, lambda n=n, k=k: f"{n}[{k}][{self.index_int(3)}]"))
        return r.pick_w(opts)()

    def _call_f(self, d: int) -> str:
        return self._call(self.r.pick(self.callables("f")), d)

    def _call(self, name: str, d: int) -> str:
        var = self.env[name]
        args = ", ".join(self.e(t, max(d - 1, 0)) for t in var.params)
        return f"{name}({args})"

    # -- conditions ---------------------------------------------------------------------------

    def cond(self, d: int) -> str:
        r = self.r
        ints = self.vars("i")
        opts = [(5, lambda: f"{self.e_f(d)} {r.pick(['>', '<', '>=', '<='])} {const(r)}")]
        opts.append((1, lambda: f"-1.0 < {self.e_f(d)} < 1.0"))
        if ints:
            opts.append((2, lambda: f"{r.pick(ints)} {r.pick(['==', '>', '<'])} {r.int(0, 2)}"))
            opts.append((1, lambda: f"{r.pick(ints)} % 2 == {r.int(0, 1)}"))
        if d > 0:
            opts.append((1, lambda: f"({self.cond(0)} {r.pick(['and', 'or'])} {self.cond(0)})"))
            opts.append((1, lambda: f"not {self.cond(0)}"))
        return r.pick_w(opts)()

    # -- arrays -------------------------------------------------------------------------------

    def e_v(self, d: int) -> str:
        r = self.r
        if d <= 0 or r.chance(0.15):
            leaf = self._leaf("v")
            if leaf is not None and r.chance(0.8):
                return leaf
            return r.pick(
                [
                    "GV",
                    "np.ones(3)",
                    "np.arange(3.0)",
                    "np.linspace(0.1, 1.0, 3)",
                    f"np.array([{const(r)}, {const(r)}, {const(r)}])",
                ]
            )
        opts = [
            (4, self._v_binop),
            (3, lambda d: r.pick(UFUNC_A).format(self.e_v(d - 1))),
            (3, self._v_struct),
        ]
        if self.callables("v"):
            opts.append((1, lambda d: self._call(r.pick(self.callables("v")), d)))
        return r.pick_w(opts)(d)

    def _v_binop(self, d: int) -> str:
        r = self.r
        a = self.e_v(d - 1)
        b = self.e_v(d - 1) if r.chance(0.6) else self.e_f(d - 1)
        if r.chance(0.3):
            a, b = b, a
        return f"({a} {r.pick(['+', '-', '*'])} {b})"

    def _v_struct(self, d: int) -> str:
        r = self.r
        opts = [
            (1, lambda: f"{self.paren(self.e_v(d - 1))}[::-1]"),
            (
                1,
                lambda: (
                    f"np.concatenate([{self.paren(self.e_v(d - 1))}[1:], {self.paren(self.e_v(d - 1))}[:1]])"
                ),
            ),
            (1, lambda: f"np.cumsum({self.e_v(d - 1)})"),
            (2, lambda: f"(GK @ {self.e_v(d - 1)})"),
            (1, lambda: f"({self.e_v(d - 1)} @ GK)"),
            (1, lambda: f"np.array([{self.e_f(d - 1)}, {self.e_f(d - 1)}, {self.e_f(d - 1)}])"),
            (1, lambda: f"{self.paren(self.e_v(d - 1))}[[2, 0, 1]]"),
            (
                1,
                lambda: (
                    f"np.where({self.paren(self.e_v(d - 1))} > {const(r)}, "
                    f"{self.e_v(d - 1)}, {self.e_v(d - 1)})"
                ),
            ),
            (1, lambda: f"np.minimum({self.e_v(d - 1)}, {self.e_v(d - 1)})"),
            (1, lambda: f"(({self.e_m(d - 1)}).T @ {self.e_m(d - 1)}) @ {self.e_v(d - 1)}"),
            (1, lambda: f"np.einsum('ij,j->i', GK, {self.e_v(d - 1)})"),
            (1, lambda: f"np.linalg.solve(GK + 2.0 * np.eye(3), {self.e_v(d - 1)})"),
            (1, lambda: f"np.sort({self.e_v(d - 1)})"),
            (1, lambda: f"np.flip({self.e_v(d - 1)})"),
            (1, lambda: f"np.roll({self.e_v(d - 1)}, 1)"),
            (1, lambda: f"{self.paren(self.e_v(d - 1))}.reshape(3, 1)[:, 0]"),
            (1, lambda: f"np.cumprod(np.tanh({self.e_v(d - 1)}))"),
            (1, lambda: f"np.array([{self.e_f(d - 1)} * k for k in range(3)])"),
            (1, lambda: f"np.linalg.norm({self.e_m(d - 1)}, axis=0)"),
            (1, lambda: f"np.tile({self.paren(self.e_v(d - 1))}[:1], 3)"),
        ]
        if self.ok("np_on_list"):  # a list or tuple where NumPy takes an array
            opts += [
                (1, lambda: self._on_list(f"np.maximum({self._list3(d)}, {self.e_v(d - 1)})")),
                (1, lambda: self._on_list(f"np.square({self._list3(d)})")),
                (1, lambda: self._on_list(f"np.subtract({self.e_v(d - 1)}, {self._list3(d)})")),
                (1, lambda: self._on_list(f"np.arctan2({self._list3(d)}, 1.5 + GV * GV)")),
            ]
        if self.vars("m") or d > 1:
            opts += [
                (2, lambda: f"{self.paren(self.e_m(d - 1))}[{self.index_int(2)}]"),
                (1, lambda: f"np.sum({self.e_m(d - 1)}, axis=0)"),
                (1, lambda: f"{self.paren(self.e_m(d - 1))}.mean(axis=0)"),
                (1, lambda: f"np.max({self.e_m(d - 1)}, axis=0)"),
            ]
        for n in self.vars("d"):
            opts.append((1, lambda n=n: f"{n}['b']"))
        for n in self.vars("t"):
            opts.append((1, lambda n=n: f"{n}[0]"))
        for n in self.vars("lv"):
            k = r.int(-self.env[n].minlen, self.env[n].minlen - 1)
            opts.append((1, lambda n=n, k=k: f"{n}[{k}]"))
        return r.pick_w(opts)()

    def e_m(self, d: int) -> str:
        r = self.r
        if d <= 0 or r.chance(0.15):
            leaf = self._leaf("m")
            if leaf is not None and r.chance(0.8):
                return leaf
            return r.pick(["GM", "np.ones((2, 3))", f"np.stack([{self.e_v(0)}, {self.e_v(0)}])"])
        opts = [
            (3, lambda: f"({self.e_m(d - 1)} {r.pick(['+', '-', '*'])} {self.e_m(d - 1)})"),
            (2, lambda: f"({self.e_m(d - 1)} {r.pick(['+', '-', '*'])} {self.e_v(d - 1)})"),
            (1, lambda: f"({self.e_f(d - 1)} * {self.e_m(d - 1)})"),
            (2, lambda: r.pick(UFUNC_A).format(self.e_m(d - 1))),
            (1, lambda: f"np.outer({self.paren(self.e_v(d - 1))}[:2], {self.e_v(d - 1)})"),
            (1, lambda: f"np.stack([{self.e_v(d - 1)}, {self.e_v(d - 1)}])"),
            (1, lambda: f"np.array([{self.e_v(d - 1)}, {self.e_v(d - 1)}])"),
            (2, lambda: f"({self.e_m(d - 1)} @ GK)"),
            (1, lambda: f"{self.paren(self.e_m(d - 1))}[::-1]"),
            (1, lambda: f"{self.paren(self.e_m(d - 1))}[:, ::-1]"),
            (1, lambda: f"({self.paren(self.e_v(d - 1))}[None, :] * {self.e_m(d - 1)})"),
            (1, lambda: f"{self.paren(self.e_m(d - 1))}.reshape(3, 2).T"),
            (1, lambda: f"np.vstack([{self.e_v(d - 1)}, {self.e_v(d - 1)}])"),
            (1, lambda: f"np.maximum({self.e_m(d - 1)}, 0.0)"),
            (1, lambda: f"np.transpose({self.paren(self.e_m(d - 1))}.T)"),
        ]
        if self.callables("m"):
            opts.append((1, lambda: self._call(r.pick(self.callables("m")), d)))
        return r.pick_w(opts)()

    # -- small ints and containers ------------------------------------------------------------

    def e_i(self, d: int) -> str:
        ints = self.vars("i")
        if ints and self.r.chance(0.5):
            return self.r.pick(ints)
        return str(self.r.int(0, 2))

    def e_lf(self, d: int) -> str:
        leaf = self._leaf("lf")
        if leaf is not None and self.r.chance(0.5):
            return f"list({leaf})" if self.r.chance(0.5) else f"{leaf}[:]"
        return "[" + ", ".join(self.e_f(d - 1) for _ in range(self.r.int(2, 3))) + "]"

    def e_lv(self, d: int) -> str:
        return "[" + ", ".join(self.e_v(d - 1) for _ in range(self.r.int(2, 3))) + "]"

    def e_d(self, d: int) -> str:
        return "{'a': " + self.e_f(d - 1) + ", 'b': " + self.e_v(d - 1) + "}"

    def e_t(self, d: int) -> str:
        return f"({self.e_v(d - 1)}, {self.e_f(d - 1)})"
