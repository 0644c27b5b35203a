"""The shared-list and module blocks of the wild44 grammar (tests/fuzz/gen_wild_44.py).

Input: the host's variables (scalars, vectors of length n) and wild43's expressions. Output:
lines of ``f``'s body binding a new scalar ``s<k>`` or vector ``a<k>``: n-body programs (bodies
``[pos, vel, m]`` lists or tuples built here, ``pairs`` of them, other names and containers
holding the same lists, in-place writes through any of them, in loops and in the prelude's
helpers, an energy sum, a history list), PyTorch-style modules (``Sequential`` of ``Linear``,
``Scaled``, ``Lam`` layers holding lambdas, ufuncs or bound methods, ``Mix`` of two arguments,
a module's ``forward`` read by ``getattr``), ``compose(*fs)`` and ``functools.reduce`` over
functions and over values, a ``Solver`` dispatching by ``getattr``.
"""

from __future__ import annotations

from typing import Any

from .gen_host import HostStubs


class Blocks44a(HostStubs):
    """Mixin of `gen_wild_44.Gen44`: the productions of the module docstring."""

    r: Any
    n: int

    def use(self, f: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def scalars(self) -> list[str]:  # pragma: no cover - the host's
        raise NotImplementedError

    # -- n-body: lists shared by names and containers, written in place ----------------------

    def nbody(self) -> list[str]:
        r = self.r
        k = r.int(2, 4)
        bd, pr, s = self.fresh("bd"), self.fresh("pr"), self.fresh("s")
        tup = r.chance(0.3)
        items = []
        for j in range(k):
            pos = f"[{j} * 1.1 + 0.2 * {self.sx(0)}, {self.const(-0.5, 0.5)} + 0.1 * {self.sx(0)}]"
            vel = f"[0.1 * {self.sx(0)}, {self.const(-0.3, 0.3)}]"
            m = f"{self.const(0.5, 2.0)}" if r.chance(0.6) else f"1.0 + 0.1 * {self.sx(0)} ** 2"
            items.append(f"({pos}, {vel}, {m})" if tup else f"[{pos}, {vel}, {m}]")
        self.use("nb_" + ("tuple" if tup else "list"))
        lines = [f"{bd} = [{', '.join(items)}]"]
        pform = r.pick(["comp", "loop", "enum", "literal"])
        self.use("nb_pairs_" + pform)
        if pform == "comp":
            lines.append(
                f"{pr} = [({bd}[i], {bd}[j]) for i in range({k}) for j in range(i + 1, {k})]"
            )
        elif pform == "loop":
            lines += [
                f"{pr} = []",
                f"for i in range({k}):",
                f"    for j in range(i + 1, {k}):",
                f"        {pr}.append(({bd}[i], {bd}[j]))",
            ]
        elif pform == "enum":
            lines += [
                f"{pr} = []",
                f"for i, b in enumerate({bd}):",
                f"    for c in {bd}[i + 1:]:",
                f"        {pr}.append((b, c))",
            ]
        else:
            idx = [(i, j) for i in range(k) for j in range(i + 1, k)]
            lines.append(f"{pr} = [{', '.join(f'({bd}[{i}], {bd}[{j}])' for i, j in idx)}]")
        dt = self.const(0.01, 0.08)
        trips = r.int(1, 3)
        if r.chance(0.3):
            self.use("nb_offset")
            lines.append(f"offset({bd})")
        form = r.pick(["helpers", "inline", "inline_kick", "alias", "vel_names", "history"])
        self.use("nb_" + form)
        if form == "helpers":
            lines.append(f"advance({bd}, {pr}, {dt}, {trips})")
        elif form == "inline":
            lines += [
                f"for _ in range({trips}):",
                f"    for ([x1, y1], v1, m1), ([x2, y2], v2, m2) in {pr}:",
                "        dx = x1 - x2",
                "        dy = y1 - y2",
                f"        mag = {dt} / (dx * dx + dy * dy + 0.05) ** 1.5",
                "        v1[0] -= dx * m2 * mag",
                "        v1[1] -= dy * m2 * mag",
                "        v2[0] += dx * m1 * mag",
                "        v2[1] += dy * m1 * mag",
                f"    for p, v, _m in {bd}:",
                f"        p[0] += {dt} * v[0]",
                f"        p[1] += {dt} * v[1]",
            ]
        elif form == "inline_kick":
            lines += [
                f"for _ in range({trips}):",
                f"    for b1, b2 in {pr}:",
                f"        kick(b1, b2, {dt})",
                f"    drift({bd}, {dt})",
            ]
        elif form == "alias":
            first = self.fresh("first")
            lines += [
                f"{first} = {bd}[0]",
                f"{first}[1][0] += {self.const(0.05, 0.3)} * {self.sx(0)}",
                f"advance({bd}, {pr}, {dt}, {trips})",
                f"{first}[0][1] -= {dt} * {first}[1][1]",
            ]
        elif form == "vel_names":
            vs = self.fresh("vl")
            lines += [
                f"{vs} = [b[1] for b in {bd}]",
                f"for _ in range({trips}):",
                f"    for v in {vs}:",
                f"        v[0] *= {self.const(0.8, 0.99)}",
                f"    advance({bd}, {pr}, {dt}, 1)",
            ]
        else:
            hs = self.fresh("hist")
            lines += [
                f"{hs} = []",
                f"for _ in range({trips}):",
                f"    advance({bd}, {pr}, {dt}, 1)",
                f"    {hs}.append(energy({bd}, {pr}))",
            ]
        red = r.pick(["energy", "pos", "sum_gen", "hist"] if form == "history" else
                     ["energy", "pos", "sum_gen", "energy"])  # fmt: skip
        if red == "energy":
            lines.append(f"{s} = energy({bd}, {pr})")
        elif red == "pos":
            lines.append(f"{s} = {bd}[0][0][0] * {bd}[-1][0][1] + {bd}[-1][1][0]")
        elif red == "sum_gen":
            lines.append(f"{s} = sum(m * (p[0] ** 2 + v[1]) for p, v, m in {bd})")
        else:
            lines.append(f"{s} = sum({hs}) / len({hs})")
        return ["    " + x for x in lines]

    # -- PyTorch-style modules ------------------------------------------------------------------

    def layer(self) -> str:
        r = self.r
        form = r.pick(["linear", "scaled", "lam", "ufunc", "act", "bound"])
        self.use("mod_layer_" + form)
        if form == "linear":
            return f"Linear({self.vx(0)}, {self.const()})"
        if form == "scaled":
            return f"Scaled({self.const(0.5, 1.5)}, {self.sx(0)})"
        if form == "lam":
            return f"Lam(lambda t: t * {self.const(0.5, 1.5)} + np.sin(t))"
        if form == "ufunc":
            return f"Lam({r.pick(['np.tanh', 'np.sin', 'np.arctan'])})"
        if form == "act":
            return "Lam(act)"
        return f"Linear({self.const(0.5, 1.5)}, {self.sx(0)}).forward"

    def modules(self) -> list[str]:
        r = self.r
        a, net = self.fresh("a"), self.fresh("net")
        form = r.pick(["seq", "seq_nested", "mix", "getattr", "loop", "list_call"])
        self.use("mod_" + form)
        layers = ", ".join(self.layer() for _ in range(r.int(1, 3)))
        if form == "seq":
            return [f"    {net} = Sequential({layers})", f"    {a} = {net}({self.vx(0)})"]
        if form == "seq_nested":
            return [
                f"    {net} = Sequential(Sequential({layers}), {self.layer()})",
                f"    {a} = {net}({self.vx(0)})",
            ]
        if form == "mix":
            return [f"    {a} = Mix()({self.vx(0)}, {self.vx(0)})"]
        if form == "getattr":
            return [
                f"    {net} = Sequential({layers})",
                f"    {a} = getattr({net}, {r.pick(['forward', '__call__'])!r})({self.vx(0)})",
            ]
        if form == "loop":
            return [
                f"    {net} = Sequential({layers})",
                f"    {a} = {self.vx(0)}",
                f"    for _ in range({r.int(1, 3)}):",
                f"        {a} = {net}({a}) * {self.const(0.5, 1.0)}",
            ]
        return [
            f"    {net} = [{layers}]",
            f"    {a} = {self.vx(0)}",
            f"    for layer in {net}:",
            f"        {a} = layer({a})",
        ]

    # -- composed functions and reduce ----------------------------------------------------------

    def fn(self) -> str:
        r = self.r
        return r.pick(
            [
                "np.sin",
                "np.tanh",
                "act",
                f"lambda v: v * {self.const(0.5, 1.5)}",
                "lambda v: v * v * 0.5",
                f"Linear({self.const(0.5, 1.5)}, {self.const()})",
            ]
        )

    def composed(self) -> list[str]:
        r = self.r
        form = r.pick(["compose", "reduce_fns", "reduce_vals", "reduce_init", "then"])
        self.use("fn_" + form)
        fs = ", ".join(self.fn() for _ in range(r.int(2, 3)))
        if form == "compose":
            h = self.fresh("h")
            return [f"    {h} = compose({fs})", f"    {self.fresh('a')} = {h}({self.vx(0)})"]
        if form == "reduce_fns":
            h = self.fresh("h")
            return [
                f"    {h} = functools.reduce(lambda f, g: lambda v: g(f(v)), [{fs}])",
                f"    {self.fresh('a')} = {h}({self.vx(0)})",
            ]
        if form == "reduce_vals":
            s = self.fresh("s")
            v = r.pick(self.vecs()[-3:])
            return [f"    {s} = functools.reduce(lambda p, q: p * {self.const(0.5, 1.0)} + q, "
                    f"list({v}))"]  # fmt: skip
        if form == "reduce_init":
            s = self.fresh("s")
            v = r.pick(self.vecs()[-3:])
            op = r.pick(["p + np.sin(q)", "p * 0.5 + q * q", "max(p, q)"])
            return [f"    {s} = functools.reduce(lambda p, q: {op}, {v}, {self.sx(0)})"]
        return [f"    {self.fresh('a')} = then({self.fn()}, {self.fn()})({self.vx(0)})"]

    def solver(self) -> list[str]:
        r = self.r
        a, sv = self.fresh("a"), self.fresh("sv")
        form = r.pick(["default", "euler", "attr", "method_var"])
        self.use("solve_" + form)
        f = r.pick(["np.sin", "act", "lambda y: -0.5 * y", "np.tanh"])
        v = self.vx(0)
        if form == "default":
            return [f"    {a} = Solver({self.const(0.05, 0.3)}).solve({f}, {v})"]
        if form == "euler":
            return [f"    {a} = Solver({self.const(0.05, 0.3)}).solve({f}, {v}, method='euler')"]
        if form == "attr":
            m = r.pick(["_step_euler", "_step_rk2"])
            return [
                f"    {sv} = Solver({self.const(0.05, 0.3)})",
                f"    {a} = getattr({sv}, {m!r})({f}, {v}) * getattr({sv}, 'h')",
            ]
        m = r.pick(["euler", "rk2"])
        return [
            f"    meth = {m!r}",
            f"    {a} = Solver({self.const(0.05, 0.3)}).solve({f}, {v}, n={r.int(1, 3)}, "
            "method=meth)",
        ]
