"""Random valid programs in srcad's supported subset, written as module source text.

Input: a decision source (`choice.Rand(seed)` or `choice.HypRand(draw)`) and a set of feature
flags to leave out. Output: a `Program`: the module source (globals `GS`, `GV`, `GM`, `GK`, helper
functions, and the entry point `f`), example arguments, the positions to differentiate, and the
features the program uses. Programs use scalars, (3,) and (2, 3) arrays, lists, dicts, tuples,
`if`/`elif`, `for`, bounded `while`, `break`/`continue`, early `return`, helpers, closures,
lambdas, augmented assignment, `x[i] = v`, `append`, and deliberately aliased mutation (feature
flags `alias`, `view`, `container_alias`, `mutate_arg`, `mutate_global`, `helper_mutates`).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .gen_control import ControlMixin
from .gen_expr import ROOT_FEATURE, ExprMixin, Var

HEADER = """import copy
import math

import numpy as np

GS = 0.7
GV = np.array([0.3, -1.2, 0.8])
GM = np.array([[0.5, -0.4, 1.1], [0.9, 0.2, -0.6]])
GK = np.array([[0.6, -0.2, 0.1], [0.3, 0.8, -0.5], [-0.4, 0.1, 0.7]])
"""
GLOBAL_ARRAYS = ("GV", "GM", "GK")
GLOBAL_REF = re.compile(r"^(GV|GM|GK)(\[[^]]*\])?$")
NAME_REF = re.compile(r"^([A-Za-z_]\w*)((?:\[[^]]*\])*)$")
COPY = {
    "v": "np.copy({})",
    "m": "np.copy({})",
    "lf": "list({})",
    "lv": "[np.copy(e) for e in {}]",
    "d": "{{'a': {0}['a'], 'b': np.copy({0}['b'])}}",
    "t": "(np.copy({0}[0]), {0}[1])",
}
ARG_TYPES = [(5, "f"), (5, "v"), (2, "m"), (1, "i"), (1, "lf"), (1, "lv"), (1, "d"), (1, "t")]
CONTAINER_ARG = {"lf": "list_arg", "lv": "list_arg", "d": "dict_arg", "t": "tuple_arg"}
OUT_TYPES = [(8, "f"), (2, "v"), (1, "m"), (1, "fv"), (0.5, "dict"), (0.5, "list")]


@dataclass
class Program:
    """A generated module: `source` defines `f`; call it as `f(*args)`."""

    source: str
    args: tuple
    types: tuple[str, ...]
    wrt: tuple[int, ...]
    out: str
    features: set[str] = field(default_factory=set)
    seed: Any = None
    check_dtypes: bool = False  # the oracle compares the output's dtypes too (gen_api.py)

    def fresh_args(self) -> tuple:
        return copy.deepcopy(self.args)


class Gen(ControlMixin, ExprMixin):
    """One program per instance; `program()` builds it."""

    def __init__(self, r, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        self.r = r
        self.exclude = exclude
        self.size = size
        self.features: set[str] = set()
        self.captured: set[str] = set()  # names nested functions read
        self.env: dict[str, Var] = {}
        self.fid = 0  # the function whose body is being written
        self.counter = 0
        self.lines: list[str] = []
        self.ind = 1
        self.loop = 0
        self.base_ind = 1  # indentation of the body of the function being written
        self.in_while = 0  # loop depth of the outermost enclosing `while` (0: none)
        self.ret = "f"
        for g, ty in (("GV", "v"), ("GM", "m")):
            self.env[g] = Var(g, ty, owner=-1, kind="global")

    # -- host interface for ExprMixin ---------------------------------------------------------

    def vars(self, ty: str) -> list[str]:
        return [n for n, v in self.env.items() if v.ty == ty and v.kind != "global"]

    def is_param(self, name: str) -> bool:
        return self.env[name].kind in ("arg", "harg")

    def callables(self, ret: str) -> list[str]:
        return [n for n, v in self.env.items() if v.ty == "fn" and v.ret == ret]

    def ok(self, feature: str) -> bool:
        return feature not in self.exclude

    def use(self, feature: str) -> None:
        self.features.add(feature)

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def emit(self, text: str) -> None:
        self.lines.append("    " * self.ind + text)

    def mine(self, ty: str) -> list[str]:
        """Variables of type `ty` the current function may rebind."""
        return [n for n, v in self.env.items() if v.ty == ty and v.owner == self.fid]

    # -- statements ---------------------------------------------------------------------------

    def block(self, n: int, depth: int) -> None:
        """`n` statements; names bound inside the block are forgotten after it."""
        saved = dict(self.env)
        start = len(self.lines)
        for _ in range(n):
            self.stmt(depth)
        if len(self.lines) == start:
            self.emit("pass")
        self.env = self.join(saved)

    def join(self, saved: dict[str, Var]) -> dict[str, Var]:
        """The names bound before a block, after it: a name that may share an argument's or a
        global's object on either path is taken to share it."""
        out = {}
        for k, v in saved.items():
            nv = self.env.get(k, v)
            if nv is not v:
                root = self.root_of_var(v) or self.root_of_var(nv)
                nv = dataclasses.replace(v, root=root)
            out[k] = nv
        return out

    def stmt(self, depth: int) -> None:
        r = self.r
        opts: list[tuple[float, Any]] = [(6, self.s_assign), (3, self.s_rebind), (2, self.s_aug)]
        opts.append((0.7, self.s_unpack))
        opts.append((2, self.s_setitem))
        if depth > 0:
            opts += [(2, self.s_if), (2, self.s_for)]
            if self.ok("while"):
                opts.append((1, self.s_while))
        if self.loop and self.ok("break"):
            opts.append((1, self.s_break))
        if self.ok("early_return"):
            opts.append((0.5, self.s_return))
        if self.vars("lf") or self.vars("lv"):
            opts.append((1, self.s_append))
        top = self.ind == self.base_ind
        if self.ok("closure") and (top or self.ok("def_in_branch")):
            opts.append((0.7, self.s_inner))
        if self.ok("lambda") and (top or self.ok("def_in_branch")):
            opts.append((0.7, self.s_lambda))
        opts.append((1.5, self.s_alias))
        r.pick_w(opts)(depth)

    def new_var(self, ty: str, expr: str, **kw: Any) -> str:
        name = self.fresh({"f": "s", "v": "a", "m": "b", "i": "k"}.get(ty, ty))
        expr, root = self.bound_expr(expr)
        self.emit(f"{name} = {expr}")
        self.env[name] = Var(name, ty, owner=self.fid, root=kw.pop("root", root), **kw)
        return name

    def bound_expr(self, expr: str) -> tuple[str, str]:
        """`expr` about to be bound to a name: does the name then share a global array?"""
        if GLOBAL_REF.match(expr):
            if not self.ok("global_alias"):
                return f"np.copy({expr})", ""
            self.use("global_alias")
            return expr, "global"
        m = NAME_REF.match(expr)
        if (
            m
            and m.group(1) in self.env
            and self.env[m.group(1)].ty in ("v", "m", "lf", "lv", "d", "t")
        ):
            root = self.root_of(m.group(1))
            if root and not self.ok(ROOT_FEATURE[root]):
                ty = self.env[m.group(1)].ty
                return COPY[ty].format(expr), ""
            return expr, root
        return expr, ""

    def may_rebind(self, name: str) -> bool:
        """A name a closure reads, rebound in a `for` loop: flag `closure_late_binding` (FZ7)."""
        if name in self.captured and self.loop:
            if not self.ok("closure_late_binding"):
                return False
            self.use("closure_late_binding")
        return True

    def captures(self, body: str) -> None:
        """Record the names of the current function that a nested def/lambda body reads."""
        for n in re.findall(r"[A-Za-z_]\w*", body):
            if n in self.env and self.env[n].owner == self.fid:
                self.captured.add(n)

    def root_of(self, name: str) -> str:
        return self.root_of_var(self.env[name])

    @staticmethod
    def root_of_var(v: Var) -> str:
        return v.kind if v.kind in ("arg", "harg", "global") else v.root

    def s_assign(self, depth: int) -> None:
        ty = self.r.pick_w([(5, "f"), (4, "v"), (2, "m"), (1, "lf"), (1, "lv"), (1, "d"), (1, "t")])
        if ty in ("lf", "lv", "d", "t"):
            self.use("containers")
        self.new_var(ty, self.e(ty, 2), minlen=2 if ty in ("lf", "lv") else 2)

    def s_unpack(self, depth: int) -> None:
        """`s, a = f, v`, or `a, s = t` from a tuple variable."""
        self.use("unpack")
        s, a = self.fresh("s"), self.fresh("a")
        tuples = self.vars("t")
        root = ""
        if tuples and self.r.chance(0.5):
            t = self.r.pick(tuples)
            self.emit(f"{a}, {s} = {t}")
            root = self.root_of(t)
        else:
            self.emit(f"{s}, {a} = {self.e_f(2)}, {self.e_v(2)}")
        self.env[s] = Var(s, "f", owner=self.fid)
        self.env[a] = Var(a, "v", owner=self.fid, root=root)

    def s_rebind(self, depth: int) -> None:
        ty = self.r.pick(["f", "f", "v", "m"])
        names = self.mine(ty)
        if not names:
            return self.s_assign(depth)
        name = self.r.pick(names)
        if not self.may_rebind(name):
            return
        expr, root = self.bound_expr(self.e(ty, 2))
        self.emit(f"{name} = {expr}")
        self.env[name] = Var(name, ty, owner=self.fid, kind="local", root=root)

    def s_aug(self, depth: int) -> None:
        r = self.r
        ty = r.pick(["f", "f", "v", "m"])
        names = self.mine(ty)
        if not names:
            return self.s_assign(depth)
        name = r.pick(names)
        if not self.may_rebind(name):
            return
        op = r.pick(["+=", "-=", "*="])
        rhs = self.e(ty if r.chance(0.7) else "f", 1)
        if op == "*=":
            rhs = (
                f"np.tanh({rhs})" if ty == "f" or not rhs.startswith(("(GK", "np.s", "GM")) else rhs
            )
        if ty != "f":
            root = self.root_of(name)
            if root and not self.ok(ROOT_FEATURE[root]):
                self.emit(f"{name} = {name} {op[0]} {rhs}")
                self.env[name] = Var(name, ty, owner=self.fid)
                return
            self.use("aug_array")
            if root:
                self.use(ROOT_FEATURE[root])
        self.emit(f"{name} {op} {rhs}")

    def s_setitem(self, depth: int) -> None:
        r = self.r
        cands = []
        for n, v in self.env.items():
            if v.ty not in ("v", "m", "lf", "lv", "d"):
                continue
            root = self.root_of(n)
            if root and (
                not self.ok(ROOT_FEATURE[root]) or r.chance(0.9 if root == "global" else 0.85)
            ):
                continue
            if v.owner != self.fid and v.kind != "global" and not self.ok("closure_mutate"):
                continue
            cands.append(n)
        if not cands:
            return self.s_assign(depth)
        n = r.pick(cands)
        v = self.env[n]
        if self.root_of(n):
            self.use(ROOT_FEATURE[self.root_of(n)])
        if v.owner != self.fid and v.kind != "global":
            self.use("closure_mutate")
        if v.ty == "v":
            if r.chance(0.7):
                tgt, rhs = f"{n}[{self.index_int(3)}]", self.e_f(2)
            else:
                tgt, rhs = f"{n}[1:]", f"{self.paren(self.e_v(1))}[:2]"
        elif v.ty == "m":
            if r.chance(0.5):
                tgt, rhs = f"{n}[{self.index_int(2)}, {self.index_int(3)}]", self.e_f(2)
            else:
                tgt, rhs = f"{n}[{self.index_int(2)}]", self.e_v(1)
        elif v.ty == "lf":
            tgt, rhs = f"{n}[{r.int(0, v.minlen - 1)}]", self.e_f(2)
        elif v.ty == "lv":
            tgt, rhs = f"{n}[{r.int(0, v.minlen - 1)}]", self.e_v(1)
        else:
            key = r.pick(["a", "b"])
            tgt, rhs = f"{n}[{key!r}]", self.e_f(2) if key == "a" else self.e_v(1)
        self.use("setitem")
        op = "=" if r.chance(0.7) or v.ty in ("lv", "d") else r.pick(["+=", "-="])
        self.emit(f"{tgt} {op} {rhs}")

    def s_alias(self, depth: int) -> None:
        """Copies, and (when allowed) aliases, views and containers holding arrays."""
        r = self.r
        arrays = [n for n, v in self.env.items() if v.ty in ("v", "m") and v.kind != "global"]
        if not arrays:
            return self.s_assign(depth)
        src = r.pick(arrays)
        ty = self.env[src].ty
        kinds = [(3, "copy")]
        if self.ok("alias"):
            kinds.append((2, "alias"))
        if self.ok("view"):
            kinds.append((2, "view"))
        if self.ok("container_alias"):
            kinds.append((2, "container"))
        kind = r.pick_w(kinds)
        root = self.root_of(src)
        if kind != "copy" and root and not self.ok(ROOT_FEATURE[root]):
            kind = "copy"
        if kind == "copy":
            self.new_var(ty, r.pick([f"{src}.copy()", f"np.copy({src})", f"np.array({src})"]))
        elif kind == "alias":
            self.use("alias")
            self.new_var(ty, src, root=root)
        elif kind == "view":
            self.use("view")
            if ty == "m":
                self.new_var("v", f"{src}[{r.int(0, 1)}]", root=root)
            else:
                self.new_var(
                    "v", r.pick([f"{src}[:]", f"{src}[::1]", f"{src}.reshape(3)"]), root=root
                )
        else:
            self.use("container_alias")
            self.use("containers")
            if ty == "v":
                if r.chance(0.5):
                    self.new_var("lv", f"[{src}, {self.e_v(1)}]")
                else:
                    self.new_var("d", "{'a': " + self.e_f(1) + ", 'b': " + src + "}")
            else:
                self.new_var("lv", f"[{src}[0], {src}[1]]")
        # mutate the source or the new name right away, half the time
        if kind != "copy" and r.chance(0.6):
            self.s_setitem(0)

    def out_expr(self) -> str:
        """The result, plus terms reading a few live variables so the output depends on them."""
        if self.ret == "fv":
            return f"{self.out_of('f')}, {self.out_of('v')}"
        if self.ret == "dict":
            return "{'a': " + self.out_of("f") + ", 'b': " + self.out_of("v") + "}"
        if self.ret == "list":
            return f"[{self.out_of('v')}, {self.out_of('f')}]"
        return self.out_of(self.ret)

    def out_of(self, ty: str) -> str:
        terms = [self.e(ty, 2)]
        live = [n for n, v in self.env.items() if v.ty in ("f", "v", "m") and v.kind != "global"]
        for n in live[-4:]:
            if not self.r.chance(0.6):
                continue
            src = self.env[n].ty
            if src == ty or (src == "f" and ty != "f"):
                terms.append(n)
            elif ty == "f":
                terms.append(f"np.sum({n})")
            elif ty == "v":
                terms.append(f"{n}[{self.r.int(0, 1)}]" if src == "m" else f"np.sum({n})")
            else:
                terms.append(n)
        return " + ".join(terms) if len(terms) > 1 else terms[0]

    # -- functions and the module -------------------------------------------------------------

    def function(
        self, name: str, ptypes: list[str], ret: str, n: int, depth: int, kind: str = "arg"
    ) -> list[str]:
        self.lines, self.ind, self.loop, self.ret, self.in_while = [], 1, 0, ret, 0
        self.base_ind = 1
        self.counter += 1
        self.fid = self.counter
        params = []
        outer = self.env
        self.env = {k: v for k, v in outer.items() if v.kind == "global" or v.ty == "fn"}
        for ty in ptypes:
            p = self.fresh({"f": "x", "v": "xv", "m": "xm", "i": "n"}.get(ty, "p"))
            params.append(p)
            self.env[p] = Var(p, ty, owner=self.fid, kind=kind, bound=4)
        body_start = len(self.lines)
        for _ in range(n):
            self.stmt(depth)
        del body_start
        self.emit(f"return {self.out_expr()}")
        self.env = outer
        return [f"def {name}({', '.join(params)}):"] + self.lines

    def helper(self) -> list[str]:
        self.use("helper")
        ptypes = [self.r.pick(["f", "f", "v", "m"]) for _ in range(self.r.int(1, 2))]
        ret = self.r.pick(["f", "f", "v"])
        name = self.fresh("h")
        src = self.function(name, ptypes, ret, self.r.int(1, 3), 1, kind="harg")
        self.env[name] = Var(name, "fn", owner=-1, kind="global", params=tuple(ptypes), ret=ret)
        return src

    def arg_value(self, ty: str) -> Any:
        r = self.r
        vec = lambda: np.array([r.normal() for _ in range(3)])  # noqa: E731
        if ty == "f":
            return float(r.normal())
        if ty == "v":
            return vec()
        if ty == "m":
            return np.array([[r.normal() for _ in range(3)] for _ in range(2)])
        if ty == "i":
            return r.int(1, 3)
        if ty == "lf":
            return [float(r.normal()) for _ in range(r.int(2, 3))]
        if ty == "lv":
            return [vec() for _ in range(r.int(2, 3))]
        if ty == "d":
            return {"a": float(r.normal()), "b": vec()}
        return (vec(), float(r.normal()))

    def program(self) -> Program:
        r = self.r
        chunks = [HEADER]
        if self.ok("helper"):
            for _ in range(r.pick_w([(5, 0), (3, 1), (1, 2)])):
                chunks.append("\n".join(self.helper()) + "\n")
        types = [r.pick_w(ARG_TYPES) for _ in range(r.int(1, 3))]
        types = [
            t if CONTAINER_ARG.get(t) is None or self.ok(CONTAINER_ARG[t]) else "v" for t in types
        ]
        if not any(t in ("f", "v", "m", "lf", "lv", "d", "t") for t in types):
            types.append("v")
        for t in types:
            if t in CONTAINER_ARG:
                self.use(CONTAINER_ARG[t])
        ret = r.pick_w(OUT_TYPES)
        src = self.function("f", types, ret, r.int(2, self.size), 2)
        chunks.append("\n".join(src) + "\n")
        args = tuple(self.arg_value(t) for t in types)
        wrt = tuple(k for k, t in enumerate(types) if t != "i")
        source = "\n\n".join(chunks)
        return Program(source, args, tuple(types), wrt, ret, set(self.features))


def generate(r, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One random program from the decision source `r`."""
    return Gen(r, exclude, size).program()
