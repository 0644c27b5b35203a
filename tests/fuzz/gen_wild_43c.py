"""The call, iteration and gather blocks of the wild43 grammar (tests/fuzz/gen_wild_43.py).

Input: the host's variables and their values at the example point. Output: lines of ``f``'s
body binding a new scalar ``s<k>`` or vector ``a<k>``: ``**opts`` (a helper's dict default, the
``params`` argument, a literal), ``for k in params: params[k] = ...``, ``enumerate(zip(gen_a(..),
gen_b(..)))`` and ``islice(gen_a(..), k)`` in comprehensions and loops, ufuncs and ``math``
functions handed to an ``Integrator``'s methods (a bound method in a local too), ``isinstance``
of the arguments (float, ``np.float64``, 0-d, vector), NaN entries of a log/sqrt never read
through gathers (fancy indices, take, concatenate, stack, tile, repeat, pad, append, insert,
cumsum/cumprod prefixes, diff, sort, outer, einsum, broadcast_to); for/while loops with breaks,
branches on data, helpers with early returns, plain arithmetic. `block` draws one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject


class Blocks43b:
    """Mixin of `gen_wild_43.Gen43`: the productions of the module docstring, and `block`."""

    r: Any
    n: int
    env: dict
    types: dict

    def use(self, f: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def fresh(self, p: str = "v") -> str:  # pragma: no cover - the host's
        raise NotImplementedError

    def vecs(self) -> list[str]:  # pragma: no cover - the host's
        raise NotImplementedError

    def scalars(self) -> list[str]:  # pragma: no cover - the host's
        raise NotImplementedError

    def const(self, lo: float = 0.1, hi: float = 0.9) -> str:  # pragma: no cover - 43b's
        raise NotImplementedError

    def unary(self, e: str) -> str:  # pragma: no cover - 43b's
        raise NotImplementedError

    def sx(self, depth: int = 1) -> str:  # pragma: no cover - 43b's
        raise NotImplementedError

    def vx(self, depth: int = 1) -> str:  # pragma: no cover - 43b's
        raise NotImplementedError

    def objects(self) -> list[str]:  # pragma: no cover - 43b's
        raise NotImplementedError

    def named_items(self) -> list[str]:  # pragma: no cover - 43b's
        raise NotImplementedError

    def accumulator(self) -> list[str]:  # pragma: no cover - 43b's
        raise NotImplementedError

    def lazy(self) -> list[str]:  # pragma: no cover - 43b's
        raise NotImplementedError

    def block(self) -> list[str]:
        """One block, drawn by weight (session 42's features mostly)."""
        has_dict = "params" in self.types
        return self.r.pick_w(
            [
                (3.0, self.objects),
                (1.5, self.named_items),
                (1.0, self.accumulator),
                (0.7, self.lazy),
                (1.0, self.opts),
                (1.5 if has_dict else 0.0, self.dict_loop),
                (1.2, self.genzip),
                (1.0, self.integrator),
                (1.0, self.switch),
                (1.5, self.gathers),
                (1.5, self.control),
                (1.0, self.arith),
            ]
        )()

    # -- **opts and dict arguments --------------------------------------------------------------

    def opts(self) -> list[str]:
        r = self.r
        a = self.fresh("a")
        forms = ["default", "literal"] + (["param"] * 2 if "params" in self.types else [])
        form = r.pick(forms)
        self.use("opts_" + form)
        v = self.vx(0)
        if form == "default":
            e = f"wrapped({v})"
        elif form == "literal":
            e = f"model({v}, **{{'scale': {self.sx(0)}, 'shift': {self.const()}}})"
        else:
            e = f"model({v}, **params)"
        return [f"    {a} = {e}"]

    def dict_loop(self) -> list[str]:
        r = self.r
        form = r.pick(["affine", "tanh", "scalar", "read"])
        self.use("dloop_" + form)
        c, d = self.const(0.5, 1.5), self.const(-0.5, 0.5)
        upd = {
            "affine": f"params[q] * {c} + {d}",
            "tanh": "np.tanh(params[q])",
            "scalar": f"params[q] * {self.sx(0)}",
            "read": f"params[q] + params['shift'] * {c}",
        }[form]
        lines = ["    for q in params:", f"        params[q] = {upd}"]
        if r.chance(0.5):
            s = self.fresh("s")
            lines.append(f"    {s} = float(np.sum(params['scale'])) * params['shift']")
        else:
            lines.append(f"    {self.fresh('a')} = model({self.vx(0)}, **params)")
        return lines

    # -- generators in comprehensions -----------------------------------------------------------

    def genzip(self) -> list[str]:
        r = self.r
        vs = self.vecs()
        u, w = r.pick(vs[-4:]), r.pick(vs[-4:])
        g1, g2 = r.pick(["gen_a", "gen_b"]), r.pick(["gen_a", "gen_b"])
        form = r.pick(["zip_list", "enum_zip", "enum_zip_sum", "islice", "islice_arr", "loop"])
        self.use("gen_" + form)
        c = self.const(0.2, 1.0)
        if form == "zip_list":
            a = self.fresh("a")
            return [f"    {a} = np.array([p * q for p, q in zip({g1}({u}), {g2}({w}))])"]
        s = self.fresh("s")
        if form == "enum_zip":
            return [
                f"    {s} = sum([p * q * (i + 1) * {c} for i, (p, q) in "
                f"enumerate(zip({g1}({u}), {g2}({w})))])"
            ]
        if form == "enum_zip_sum":
            return [
                f"    terms = [np.sin(p) + q * i for i, (p, q) in enumerate(zip({g1}({u}), "
                f"{g2}({w})))]",
                f"    {s} = float(np.sum(np.array(terms))) * {c}",
            ]
        k = r.int(1, self.n)
        if form == "islice":
            return [f"    {s} = sum([e * e * {c} for e in islice({g1}({u}), {k})])"]
        if form == "islice_arr":
            return [
                f"    {s} = float(np.prod(np.array([e + 2.0 for e in islice({g1}({u}), {k})])))"
            ]
        return [
            f"    {s} = 0.0",
            f"    for i, (p, q) in enumerate(zip({g1}({u}), {g2}({w}))):",
            f"        {s} = {s} + p * q * {c}",
            f"        if {s} > {self.const(0.5, 3.0)}:",
            "            break",
        ]

    # -- ufuncs handed to methods ---------------------------------------------------------------

    def integrator(self) -> list[str]:
        r = self.r
        h = self.const(0.05, 0.4)
        fn = r.pick(["np.sin", "np.tanh", "np.cos", "np.arctan", "np.square", "np.negative"])
        form = r.pick(["rk2", "euler", "bound", "nested", "math", "math_rk2"])
        self.use("integ_" + form)
        if form in ("math", "math_rk2"):
            s = self.fresh("s")
            mf = r.pick(["math.sin", "math.tanh", "math.cos", "math.atan"])
            m = "euler" if form == "math" else "rk2"
            return [f"    {s} = Integrator({h}).{m}({mf}, float({self.sx(0)}))"]
        a = self.fresh("a")
        v = self.vx(0)
        if form in ("rk2", "euler"):
            return [f"    {a} = Integrator({h}).{form}({fn}, {v})"]
        if form == "nested":
            ig = self.fresh("ig")
            return [
                f"    {ig} = Integrator({h})",
                f"    {a} = {ig}.rk2({fn}, {ig}.euler(np.sin, {v}))",
            ]
        st = self.fresh("step")
        return [
            f"    {st} = Integrator({h}).{r.pick(['euler', 'rk2'])}",
            f"    {a} = {v}",
            f"    for _ in range({r.int(1, 3)}):",
            f"        {a} = {st}({fn}, {a})",
        ]

    # -- isinstance of the arguments ------------------------------------------------------------

    def switch(self) -> list[str]:
        r = self.r
        x = r.pick([p for p in self.types if p != "params" and p != "x0"] or ["x0"])
        s = self.fresh("s")
        form = r.pick(["if", "ifnd", "tuple", "floating", "ternary", "total", "soft"])
        self.use("isinst_" + form + "_" + self.types.get(x, "vec"))
        c = self.const(0.5, 2.0)
        test = {
            "if": f"isinstance({x}, float)",
            "ifnd": f"isinstance({x}, np.ndarray)",
            "tuple": f"isinstance({x}, (int, float))",
            "floating": f"isinstance({x}, np.floating)",
        }
        if form in test:
            yes, no = f"{s} = np.sin({x}) * {c}", f"{s} = float(np.sum(np.cos({x})))"
            if form == "ifnd":
                yes, no = no, yes
            return ["    " + t for t in [f"if {test[form]}:", f"    {yes}", "else:", f"    {no}"]]
        if form == "ternary":
            return [f"    {s} = ({x} if isinstance({x}, float) else np.sum({x}) * {c}) + 1.0"]
        if form == "total":
            return [f"    {s} = total({x}) * {c} + total({self.sx(0)})"]
        return [f"    {s} = soft({x}, {self.const(-1.0, 1.0)}) * {c}"]

    # -- NaN entries never read through gathers -------------------------------------------------

    def gathers(self) -> list[str]:
        r, n = self.r, self.n
        vs = [v for v in self.vecs() if v in self.env]
        v = r.pick(vs[-4:])
        x = np.asarray(self.env[v], float)
        srt = np.sort(x)
        gaps = [(srt[i + 1] - srt[i], i) for i in range(n - 1)]
        gap, i = max(gaps)
        if gap < 0.2:
            raise Reject("no gap")
        c = round(float(srt[i] + srt[i + 1]) / 2, 3)
        fn = r.pick(["np.log", "np.sqrt", "np.log1p"])
        arg = f"{v} - {c}" if fn != "np.log1p" else f"{v} - {c} - 1.0"
        good = [j for j in range(n) if x[j] > c]
        bad, s = self.fresh("bad"), self.fresh("s")
        w = r.pick(vs[-4:])
        form = r.pick(
            ["fancy", "take", "scalar", "concat", "stack", "tile", "repeat", "pad", "append",
             "insert", "cumsum", "cumprod", "diff", "sort", "outer", "einsum", "bcast", "mul",
             "mm_right", "mm_left", "mv", "outer_col"]
        )  # fmt: skip
        self.use("nan_" + form)
        G = good
        if form in ("cumsum", "cumprod"):
            j = next((k for k in range(n) if x[k] <= c), n)
            if j == 0:
                raise Reject("no prefix")
            e = f"np.{form}({bad})[:{j}]"
        elif form == "diff":
            pairs = [k for k in range(n - 1) if k in G and k + 1 in G]
            if not pairs:
                raise Reject("no pair")
            e = f"np.diff({bad})[{r.pick(pairs)}]"
        elif form == "sort":
            gv = np.sort(x[G])
            if len(gv) > 1 and float(np.min(np.diff(gv))) < 0.05:
                raise Reject("ties")
            e = f"np.sort({bad})[:{len(G)}]"
        else:
            e = {
                "fancy": f"{bad}[np.array({G})]",
                "take": f"np.take({bad}, {G})",
                "scalar": f"{bad}[{G[0]}] * {bad}[{G[-1]}]",
                "concat": f"np.concatenate([{w}, {bad}])[{[n + g for g in G]}]",
                "stack": f"np.stack([{bad}, {w}])[:, {G}]",
                "tile": f"np.tile({bad}, 2)[{[g + n for g in G]}]",
                "repeat": f"np.repeat({bad}, 2)[{[2 * g for g in G]}]",
                "pad": f"np.pad({bad}, 1)[{[g + 1 for g in G]}]",
                "append": f"np.append({w}, {bad})[{[n + g for g in G]}]",
                "insert": f"np.insert({bad}, 0, {self.sx(0)})[{[g + 1 for g in G]}]",
                "outer": f"np.outer({bad}, {w})[{G}]",
                "einsum": f"np.einsum('i,j->ij', {bad}, {w})[{G}]",
                "bcast": f"np.broadcast_to({bad}, (2, {n}))[1][np.array({G})]",
                "mul": f"({bad} * {w} + 1.0)[{G}]",
                "mm_right": f"(np.outer({w}, np.sin({w})) @ np.stack([{bad}, {w}], axis=1))[:, 1]",
                "mm_left": f"(np.stack([{bad}, {w}]) @ np.outer(np.cos({w}), {w}))[1]",
                "mv": f"(np.stack([{w}, {bad}]) @ np.tanh({w}))[0]",
                "outer_col": f"np.outer(np.cos({w}), {bad})[:, {G}]",
            }[form]
        red = r.pick(["np.sum(np.sin({0}))", "np.sum({0} ** 2)", "float(np.mean({0}))"])
        return [f"    {bad} = {fn}({arg})", f"    {s} = {red.format(e)}"]

    # -- ordinary control flow and arithmetic ---------------------------------------------------

    def control(self) -> list[str]:
        r = self.r
        form = r.pick(["for_break", "while", "branch", "first_big", "soft", "rw_loop"])
        self.use("cf_" + form)
        t = self.const(0.5, 3.0)
        c = self.const(0.3, 1.1)
        if form == "for_break":
            s, v = self.fresh("s"), r.pick(self.vecs()[-4:])
            return ["    " + x for x in [
                f"{s} = {self.sx(0)}",
                f"for i in range({r.int(2, 6)}):",
                f"    {s} = {s} * {c} + {self.unary(f'{v}[i % {self.n}]')}",
                f"    if {s} > {t}:",
                "        break",
            ]]  # fmt: skip
        if form == "while":
            s, j = self.fresh("s"), self.fresh("j")
            return ["    " + x for x in [
                f"{s} = {self.sx(0)}",
                f"{j} = 0",
                f"while {j} < {r.int(2, 6)} and {s} < {t}:",
                f"    {s} = {s} + {c} * {self.unary(self.sx(0))}",
                f"    {j} += 1",
            ]]  # fmt: skip
        if form == "branch":
            a = self.fresh("a")
            return ["    " + x for x in [
                f"if {self.sx(0)} > {self.const(-1.0, 1.0)}:",
                f"    {a} = {self.vx(1)}",
                "else:",
                f"    {a} = {self.vx(1)}",
            ]]  # fmt: skip
        s = self.fresh("s")
        if form == "first_big":
            return [f"    {s} = first_big({self.vx(0)}, {self.const(-0.5, 1.5)})"]
        if form == "soft":
            return [f"    {s} = soft({self.sx(0)}, {self.const(-0.5, 1.5)})"]
        a = self.fresh("a")
        return ["    " + x for x in [
            f"{a} = np.array({self.vx(0)}, dtype=float)",
            f"for i in range(1, {self.n}):",
            f"    {a}[i] = {a}[i] * {c} + np.sin({a}[i - 1])",
        ]]  # fmt: skip

    def arith(self) -> list[str]:
        if self.r.chance(0.5):
            self.use("ar_vec")
            return [f"    {self.fresh('a')} = {self.vx(2)}"]
        self.use("ar_scalar")
        return [f"    {self.fresh('s')} = {self.sx(2)}"]
