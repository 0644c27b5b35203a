"""The statement blocks of the wild45 grammar (tests/fuzz/gen_wild_45.py): session 44's features.

Input: the host's variables and their values at the example point. Output: lines of ``f``'s
body binding a new vector ``a<k>`` (or scalar ``s<k>``): the ``params`` dict or ``ps`` list
argument's items updated with ``op=`` (loops, a helper called once or twice, one item alone);
``f(v, **params)`` of the run-time dict (a copy with an item set, a dict whose keys depend on
data, a ``**kw`` callee, a keyword given beside it); ``getattr(obj, "_step_" + m)`` with ``m``
a constant, chosen by data, or from a module-level instance, on a subclass overriding a step;
``itertools.combinations``/``permutations`` pair loops writing the items (in a time loop,
through a helper, with ``continue``); ``with`` on managers letting the exception through and on
ones swallowing it; squares of magnitudes exactly at 0 (``np.linalg.norm(x0 - c) ** 2`` with
``c`` the example point's value: their Hessian 2I there).
"""

from __future__ import annotations

from typing import Any

from .gen_host import HostStubs


class Blocks45(HostStubs):
    """Mixin of `gen_wild_45.Gen45`: the productions of the module docstring."""

    r: Any
    n: int
    env: dict
    types: dict

    trial: set

    def use45(self, f: str) -> None:
        self.trial.add("w45_" + f)

    def block45(self) -> list[str]:
        """One of this module's blocks, drawn by weight."""
        return self.r.pick_w(
            [
                (2.0 if "params" in self.types else 0.0, self.sgd_dict),
                (1.5 if "ps" in self.types else 0.0, self.sgd_items_list),
                (1.5 if "params" in self.types else 0.3, self.kw_call),
                (1.5, self.method_pick),
                (1.5, self.pairs),
                (1.0, self.with45),
                (1.5, self.squares_at_zero),
            ]
        )()

    # -- items of an argument updated with op= (lower/argitems.py) -------------------------------

    def sgd_dict(self) -> list[str]:
        r = self.r
        form = r.pick(["loop", "keys", "helper", "helper2", "one", "break", "read_after"])
        self.use45("sgd_" + form)
        a, lr = self.fresh("a"), self.const(0.05, 0.3)
        g = self.sx(0)
        if form == "loop":
            body = ["    for q in params:", f"        params[q] -= {lr} * np.tanh(params[q])"]
        elif form == "keys":
            body = ["    for q in ('scale', 'shift'):", f"        params[q] += {lr} * {g}"]
        elif form == "helper":
            body = [f"    sgd_step(params, {lr}, {g})"]
        elif form == "helper2":
            body = [f"    sgd_step(params, {lr}, {g})", f"    sgd_step(params, {lr}, {self.sx(0)})"]
        elif form == "one":
            body = [f"    params['{r.pick(['scale', 'shift'])}'] *= {self.const(0.5, 1.5)}"]
        elif form == "break":
            body = [
                "    for q in params:",
                f"        params[q] -= {lr} * {g}",
                "        if q == 'scale':",
                "            break",
            ]
        else:
            body = [
                "    for q in params:",
                f"        params[q] *= {self.const(0.5, 1.5)}",
                f"        params[q] += {lr} * np.sum(params[q])",
            ]
        return body + [f"    {a} = params['scale'] * {self.vx(0)} + params['shift']"]

    def sgd_items_list(self) -> list[str]:
        r = self.r
        form = r.pick(["range", "enum", "helper", "other"])
        self.use45("sgdl_" + form)
        a, lr = self.fresh("a"), self.const(0.05, 0.3)
        if form == "range":
            body = ["    for i in range(len(ps)):", f"        ps[i] -= {lr} * np.tanh(ps[i])"]
        elif form == "enum":
            body = ["    for i, w in enumerate(ps):", f"        ps[i] += {lr} * np.sin(w)"]
        elif form == "helper":
            body = [f"    sgd_list(ps, {lr})"]
        else:
            body = [
                "    for i in range(len(ps)):",
                f"        ps[i] -= {lr} * ps[1 - i] * {self.sx(0)}",
            ]
        return body + [f"    {a} = ps[0] * ps[1] + {self.vx(0)}"]

    # -- f(v, **d) of a run-time dict (lower/kwdicts.py) -----------------------------------------

    def kw_call(self) -> list[str]:
        r = self.r
        has = "params" in self.types
        forms = ["plain", "power", "rest", "copy", "branch"] if has else ["branch", "rest_local"]
        form = r.pick(forms)
        self.use45("kw_" + form)
        a, v = self.fresh("a"), self.vx(0)
        if form == "plain":
            return [f"    {a} = kwloss({v}, **params)"]
        if form == "power":
            return [f"    {a} = kwloss({v}, power={r.pick([1, 2, 3])}, **params)"]
        if form == "rest":
            return [f"    {a} = kwrest({v}, **params)"]
        if form == "copy":
            o = self.fresh("opts")
            return [f"    {o} = dict(params)", f"    {o}['shift'] = {self.sx(0)}",
                    f"    {a} = kwloss({v}, **{o})"]  # fmt: skip
        o, s = self.fresh("opts"), self.sx(0)
        lines = [
            f"    if {s} > {self.const(-0.5, 0.5)}:",
            f"        {o} = {{'scale': {self.sx(0)}}}",
            "    else:",
            f"        {o} = {{'scale': {self.const(0.5, 1.5)}, 'shift': {self.sx(0)}}}",
        ]
        call = "kwrest" if form == "rest_local" else "kwloss"
        return lines + [f"    {a} = {call}({v}, **{o})"]

    # -- getattr(obj, "_step_" + m) (lower/methodpick.py) ----------------------------------------

    def method_pick(self) -> list[str]:
        r = self.r
        form = r.pick(["const", "data", "global", "sub", "diff_h", "fstring"])
        self.use45("mp_" + form)
        a, m = self.fresh("a"), self.fresh("m")
        v = self.vx(0)
        name = r.pick(["euler", "mid", "heun"])
        cls = "Stepper2" if form == "sub" else "Stepper"
        h = self.sx(0) + " * 0.1" if form == "diff_h" else self.const(0.05, 0.3)
        if form == "data":
            lines = [f"    {m} = {name!r} if {self.sx(0)} > {self.const(-0.5, 0.5)} else 'mid'"]
        else:
            lines = [f"    {m} = {name!r}"]
        if form == "global":
            return lines + [f"    {a} = getattr(STEPPER, '_step_' + {m})({v})"]
        if form == "fstring":
            st = self.fresh("st")
            return lines + [
                f"    {st} = Stepper({h})",
                f"    {a} = getattr({st}, f'_step_{{{m}}}')({v})",
            ]
        st = self.fresh("st")
        return lines + [
            f"    {st} = {cls}({h})",
            f"    {a} = {st}.run({v}, {m}, {r.int(1, 3)}) + {st}.calls",
        ]

    # -- pair loops writing the items (lower/combos.py) ------------------------------------------

    def pairs(self) -> list[str]:
        r = self.r
        form = r.pick(["comb", "perm", "trips", "helper", "tuple"])
        self.use45("pairs_" + form)
        a, bd = self.fresh("a"), self.fresh("bd")
        v, w = self.vx(0), self.vx(0)
        vv, ww = self.fresh("pv"), self.fresh("pw")
        ms = [self.const(0.5, 2.0) for _ in range(self.n)]
        items = ", ".join(f"[{vv}[{i}], {ww}[{i}], {ms[i]}]" for i in range(self.n))
        lines = [f"    {vv} = {v}", f"    {ww} = {w}", f"    {bd} = [{items}]"]
        if form == "tuple":
            lines[-1] = f"    {bd} = ({items},)"
        c = self.const(0.01, 0.1)
        kind = "permutations" if form == "perm" else "combinations"
        loop = [
            f"    for p, q in itertools.{kind}({bd}, 2):",
            "        d = p[0] - q[0]",
            f"        p[1] -= {c} * d * q[2]",
        ]
        if form == "perm":
            loop[1:1] = ["        if p[2] > q[2]:", "            continue"]
        else:
            loop.append(f"        q[1] += {c} * d * p[2]")
        if form == "helper":
            loop = [f"    pair_kick({bd}, {c})"]
        if form == "trips":
            dt = self.const(0.05, 0.2)
            loop = [f"    for _ in range({r.int(1, 3)}):"] + ["    " + s for s in loop]
            loop += [f"        for b in {bd}:", f"            b[0] += {dt} * b[1]"]
        return lines + loop + [f"    {a} = np.array([b[0] + b[1] for b in {bd}])"]

    # -- with on managers (lower/withs.py) ------------------------------------------------------

    def with45(self) -> list[str]:
        r = self.r
        form = r.pick(["tally", "guarded", "suppress", "swallow", "tally_raise"])
        self.use45("with_" + form)
        a, lg, v = self.fresh("a"), self.fresh("lg"), self.vx(0)
        if form == "tally":
            return [f"    {lg} = []", f"    with Tally({lg}) as k:", f"        {a} = {v} * k",
                    f"    {a} = {a} + len({lg})"]  # fmt: skip
        if form == "guarded":
            return [f"    {lg} = []", f"    with guarded({lg}) as k:", f"        {a} = {v} + k",
                    f"    {a} = {a} * len({lg})"]  # fmt: skip
        if form == "suppress":
            return [
                f"    {a} = {v}",
                "    with contextlib.suppress(ZeroDivisionError):",
                f"        {a} = {a} * {self.const(0.5, 1.5)}",
            ]
        if form == "swallow":  # (Python leaves the body at the KeyError: srcad must refuse)
            return [
                f"    {a} = {v}",
                "    with swallowing():",
                f"        {a} = {a} * 2.0",
                "        _ = {'u': 1.0}['w']",
                f"        {a} = {a} * 3.0",
            ]
        return [  # (a manager letting it through: raised, the block rejected by the generator)
            f"    {lg} = []",
            f"    with Tally({lg}):",
            f"        {a} = {v}",
            f"        _ = {{'u': 1.0}}[{r.pick(['u', 'w'])!r}]",
        ]

    # -- squares of magnitudes at 0 (ad/squares.py) --------------------------------------------

    def squares_at_zero(self) -> list[str]:
        r = self.r
        vecs = self.vecs()
        base = r.pick([p for p in ("x0", "x1") if p in vecs] or vecs[-2:])
        vals = ", ".join(repr(float(t)) for t in self.env[base])
        d, s, rr = self.fresh("d"), self.fresh("s"), self.fresh("r")
        lines = [f"    {d} = {base} - np.array([{vals}])"]  # (0 at the example point)
        form = r.pick(["norm", "rr", "gauss", "half", "hypot", "root", "ord2", "float",
                       "branch", "std", "fro"])  # fmt: skip
        self.use45("sq_" + form)
        if form == "norm":
            lines.append(f"    {s} = np.linalg.norm({d}) ** 2")
        elif form == "rr":
            lines += [f"    {rr} = np.linalg.norm({d})", f"    {s} = {rr} * {rr} + {rr} ** 2"]
        elif form == "gauss":
            lines += [f"    {rr} = np.sqrt(np.sum({d} ** 2))", f"    {s} = np.exp(-{rr} * {rr})"]
        elif form == "half":
            lines += [f"    {rr} = np.linalg.norm({d})", f"    {s} = 0.5 * {rr} * {rr}"]
        elif form == "hypot":
            lines.append(f"    {s} = math.hypot({d}[0], {d}[1]) ** 2")
        elif form == "root":
            lines.append(f"    {s} = np.sqrt({d} @ {d}) ** 2")
        elif form == "ord2":
            lines.append(f"    {s} = np.linalg.norm({d}, 2) ** 2")
        elif form == "float":
            lines.append(f"    {s} = float(np.linalg.norm({d})) ** 2")
        elif form == "branch":
            lines += [
                f"    {rr} = np.linalg.norm({d})",
                f"    if {rr} > {self.const(0.5, 1.0)}:",
                f"        {s} = {rr}",
                "    else:",
                f"        {s} = {rr} ** 2",
            ]
        elif form == "std":
            lines.append(f"    {s} = np.std({d} + {self.const(0.1, 0.5)}) ** 2")
        else:
            lines.append(f"    {s} = np.linalg.norm({d}.reshape(1, -1), 'fro') ** 2")
        return lines + [f"    {s} = {s} * {self.const(0.5, 2.0)} + {self.sx(0)}"]
