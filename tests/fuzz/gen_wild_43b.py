"""The object blocks of the wild43 grammar (tests/fuzz/gen_wild_43.py) and its expressions.

Input: the host's variables (scalars, vectors of length n). Output: lines of ``f``'s body that
bind a new scalar ``s<k>`` or vector ``a<k>``: lists, tuples and dicts of dataclass or
NamedTuple objects rebuilt in for/while loops (list comprehensions, kick then drift, appends,
``enumerate``, index swaps, per-item conditionals, in-place field updates, breaks on data),
NamedTuple items picked by ``min``/``max``/``sorted`` with a key, ``pts[i].norm2()``, an ``Acc``
whose ``+=`` returns self through a method, cached ``@property`` getters.
"""

from __future__ import annotations

from typing import Any

FIELDS = {"P": ("x", "v"), "N": ("x", "y"), "A": ("x", "v")}


class Blocks43a:
    """Mixin of `gen_wild_43.Gen43`: the productions of the module docstring."""

    r: Any
    n: int

    def use(self, f: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def fresh(self, p: str = "v") -> str:  # pragma: no cover - the host's
        raise NotImplementedError

    def vecs(self) -> list[str]:  # pragma: no cover - the host's
        raise NotImplementedError

    def scalars(self) -> list[str]:  # pragma: no cover - the host's
        raise NotImplementedError

    # -- expressions ----------------------------------------------------------------------------

    def const(self, lo: float = 0.1, hi: float = 0.9) -> str:
        return repr(round(lo + (hi - lo) * (abs(self.r.normal()) % 1.0), 3))

    def unary(self, e: str) -> str:
        return self.r.pick(
            [
                "np.sin({0})",
                "np.tanh({0})",
                "np.cos({0})",
                "({0}) * ({0}) * 0.5",
                "np.exp(-({0}) * ({0}))",
                "({0}) * {1}",
                "math.sin({0})",
            ]
        ).format(e, self.const(0.3, 1.5))

    def sx(self, depth: int = 1) -> str:
        """A scalar expression (a Python float or 0-d)."""
        r = self.r
        vs, ss = self.vecs(), self.scalars()
        opts = [f"{v}[{r.int(0, self.n - 1)}]" for v in vs[-3:]] + ss[-3:]
        opts += [f"float(np.sum({v}))" for v in vs[-2:]] + [f"np.mean({v})" for v in vs[-2:]]
        e = r.pick(opts)
        if r.chance(0.5):
            e = self.unary(e)
        if depth and r.chance(0.4):
            e = f"{e} {r.pick(['+', '-', '*'])} {self.sx(depth - 1)}"
        return e

    def vx(self, depth: int = 1) -> str:
        """A vector expression of shape (n,)."""
        r = self.r
        e = r.pick(self.vecs()[-4:])
        if r.chance(0.6):
            e = self.unary(e).replace("math.sin", "np.sin")
        if depth and r.chance(0.5):
            other = self.vx(depth - 1) if r.chance(0.5) else self.sx(0)
            e = f"{e} {r.pick(['+', '-', '*'])} {other}"
        return e

    # -- lists, tuples and dicts of objects rebuilt in loops -----------------------------------

    def objects(self) -> list[str]:
        r = self.r
        cls = r.pick(["P", "P", "N", "A"])
        box = r.pick(["list", "list", "tuple", "dict"]) if cls != "A" else r.pick(["list", "dict"])
        k = r.int(2, 3)
        f1, f2 = FIELDS[cls]
        ps, s = self.fresh("ps"), self.fresh("s")
        ex = self.vx if cls == "A" else self.sx
        items = [f"{cls}({ex(0)}, {ex(0)})" for _ in range(k)]
        keys = ["a", "b", "c"][:k]
        if box == "dict":
            init = "{" + ", ".join(f"{q!r}: {it}" for q, it in zip(keys, items)) + "}"
        elif box == "tuple":
            init = "(" + ", ".join(items) + ")"
        else:
            init = "[" + ", ".join(items) + "]"
        meth = {"P": "moved", "N": "moved", "A": "step"}[cls]
        c, c2 = self.const(0.05, 0.3), self.const(0.05, 0.3)
        forms = {
            "list": ["comp", "enum", "append", "swap", "peritem", "ctor", "kick", "inplace"],
            "tuple": ["tuple", "tuple_enum"],
            "dict": ["dcomp", "dkick"],
        }[box]
        if cls != "P":
            forms = [x for x in forms if x not in ("kick", "inplace", "dkick", "ctor", "peritem")]
        form = r.pick(forms or ["comp"])
        self.use(f"objs_{cls}_{box}_{form}")
        it = {
            "comp": [f"{ps} = [p.{meth}({c}) for p in {ps}]"],
            "enum": [f"{ps} = [p.{meth}({c} * (j + 1)) for j, p in enumerate({ps})]"],
            "append": [
                "new = []",
                f"for p in {ps}:",
                f"    new.append(p.{meth}({c}))",
                f"{ps} = new",
            ],
            "swap": [f"{ps} = [q.{meth}({c}) for q in {ps}[::-1]]"],
            "peritem": [
                f"{ps} = [p.moved({c}) if p.x < {self.const(-1.0, 1.0)} else p.moved({c2}) "
                f"for p in {ps}]"
            ],
            "ctor": [f"{ps} = [P(p.x, p.v - {c} * np.sin(p.x)) for p in {ps}]"],
            "kick": [
                f"{ps} = [p.kicked({c}) for p in {ps}]",
                f"{ps} = [p.moved({c2}) for p in {ps}]",
            ],
            "inplace": [f"for p in {ps}:", f"    p.x += {c} * p.v * p.x"],
            "tuple": [f"{ps} = tuple(p.{meth}({c}) for p in {ps})"],
            "tuple_enum": [f"{ps} = tuple(p.{meth}({c} * j) for j, p in enumerate({ps}))"],
            "dcomp": [f"{ps} = {{q: p.{meth}({c}) for q, p in {ps}.items()}}"],
            "dkick": [
                f"{ps} = {{q: P(p.x, p.v - {c} * np.tanh(p.x)) for q, p in {ps}.items()}}",
                f"{ps} = {{q: p.moved({c2}) for q, p in {ps}.items()}}",
            ],
        }[form]
        first = f"{ps}['a']" if box == "dict" else f"{ps}[0]"
        reads = r.pick(["none", "none", "break", "acc"])
        self.use("objs_loop_" + reads)
        if reads == "break":
            red = f"np.sum({first}.{f1})" if cls == "A" else f"{first}.{f1}"
            it += [f"if {red} > {self.const(0.5, 3.0)}:", "    break"]
        elif reads == "acc":
            red = f"np.sum({first}.{f2})" if cls == "A" else f"{first}.{f2}"
            it = [f"{s} = {s} + {red} * {c2}"] + it
        trips = r.int(1, 4)
        loop = r.pick(["for", "while", "fori"])
        self.use("objs_" + loop)
        body = ["    " + x for x in it]
        pre = [f"{s} = 0.0"] if reads == "acc" else []
        if loop == "while":
            kk = self.fresh("k")
            pre += [f"{kk} = 0"]
            head, body = f"while {kk} < {trips}:", body + [f"    {kk} += 1"]
        else:
            head = f"for _ in range({trips}):" if loop == "for" else f"for i in range({trips}):"
        vals = f"{ps}.values()" if box == "dict" else ps
        agg = f"np.sum(p.{f1} * p.{f2})" if cls == "A" else f"p.{f1} * p.{f2}"
        red = r.pick(
            [f"sum({agg} for p in {vals})", f"{first}.{f1} * {self.last(ps, box, keys)}.{f2}"]
        )
        if cls == "A" and "sum(" not in red:
            red = f"float(np.sum({red}))"
        if cls == "N" and r.chance(0.5):
            red = f"{first}.norm2() + {red}"
        tail = f"{s} = {s} + {red}" if reads == "acc" else f"{s} = {red}"
        return ["    " + x for x in [f"{ps} = {init}"] + pre + [head] + body + [tail]]

    def last(self, ps: str, box: str, keys: list[str]) -> str:
        return f"{ps}[{keys[-1]!r}]" if box == "dict" else f"{ps}[-1]"

    # -- NamedTuple items -----------------------------------------------------------------------

    def named_items(self) -> list[str]:
        r = self.r
        k = r.int(2, 4)
        pts, s = self.fresh("pts"), self.fresh("s")
        box = r.pick(["[{}]", "({},)", "list(({},))"])
        init = box.format(", ".join(f"N({self.sx(0)}, {self.sx(0)})" for _ in range(k)))
        form = r.pick(["min", "max", "sorted", "index", "slice", "loop", "add", "minloop"])
        self.use("nt_" + form)
        key = r.pick(["p.norm2()", "p.x", "p.x - p.norm2()", "p.y * p.x"])
        c = self.const(0.5, 2.0)
        if form == "min":
            lines = [f"{s} = min({pts}, key=lambda p: {key}).y * {c}"]
        elif form == "max":
            lines = [f"best = max({pts}, key=lambda p: {key})", f"{s} = best.norm2() * best.y"]
        elif form == "sorted":
            j = r.int(0, k - 1)
            lines = [f"{s} = sorted({pts}, key=lambda p: {key})[{j}].x + {pts}[0].y"]
        elif form == "index":
            lines = [f"{s} = {pts}[-1].norm2() + {pts}[{r.int(0, k - 1)}].scaled({c}).x"]
        elif form == "slice":
            lines = [f"{s} = sum(p.norm2() for p in {pts}[1:]) + {pts}[0:1][0].norm2()"]
        elif form == "loop":
            lines = [
                f"{s} = 0.0",
                f"for p in {pts}:",
                f"    {s} = {s} + p.scaled({c}).norm2() * p.x",
            ]
        elif form == "add":
            lines = [
                f"tot = {pts}[0]",
                f"for i in range(1, len({pts})):",
                f"    tot = tot + {pts}[i]",
                f"{s} = tot.norm2()",
            ]
        else:
            lines = [
                f"{s} = 0.0",
                f"for i in range(len({pts})):",
                f"    {s} = {s} + {pts}[i].norm2() * {c}",
                f"    if {s} > {self.const(1.0, 4.0)}:",
                "        break",
            ]
        return ["    " + x for x in [f"{pts} = {init}"] + lines]

    # -- accumulators and lazy properties -------------------------------------------------------

    def accumulator(self) -> list[str]:
        r = self.r
        acc, s = self.fresh("acc"), self.fresh("s")
        v = r.pick(self.vecs()[-3:])
        form = r.pick(["iadd", "step", "iadd_break", "index"])
        self.use("acc_" + form)
        if form == "index":
            head, e = f"for i in range({self.n}):", self.unary(f"{v}[i]")
        else:
            head, e = f"for e in {v}:", self.unary("e")
        upd = f"{acc} = {acc}.step(e)" if form == "step" else f"{acc} += {e}"
        body = [f"    {upd}"]
        if form == "iadd_break":
            body += [f"    if {acc}.total > {self.const(0.5, 2.5)}:", "        break"]
        out = r.pick([f"{acc}.total / {acc}.n", f"{acc}.total * {acc}.n", f"{acc}.total"])
        return ["    " + x for x in [f"{acc} = Acc()", head] + body + [f"{s} = {out}"]]

    def lazy(self) -> list[str]:
        r = self.r
        lz, s = self.fresh("lz"), self.fresh("s")
        form = r.pick(["gram", "energy2", "both", "reads"])
        self.use("lazy_" + form)
        c = self.const()
        out = {
            "gram": f"np.sum({lz}.gram) * {c} + np.sum({lz}.gram)",
            "energy2": f"{lz}.energy * {lz}.energy",
            "both": f"np.sum({lz}.gram * {lz}.gram) * {c} + {lz}.energy",
            "reads": f"{lz}.energy + {lz}.energy * {lz}.reads",
        }[form]
        return ["    " + x for x in [f"{lz} = Lazy({self.vx(0)})", f"{s} = {out}"]]
