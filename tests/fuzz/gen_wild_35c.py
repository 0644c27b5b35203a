"""The helper, iteration and array-update forms of the session-35 wild statements
(tests/fuzz/gen_wild_35.py).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group, or `Reject`: helpers returning tuples unpacked by the caller (also starred),
closures capturing loop variables by default arguments (lambdas and defs made in a loop, then
called), ``sorted(..., key=lambda ...)`` whose keys read values not differentiated (ints,
constants) or only order the elements, ``zip``/``enumerate``/``reversed`` over arrays and their
rows, list comprehensions with conditions (nested, with ``sum``/``max``/``min`` over them),
augmented assignment on slices (``w[a:b] *= c``, overlapping right-hand sides), ``np.where``
guards around singular operations, reductions along axes with ``keepdims=True`` broadcast back,
and a Python-level scalar iteration (Newton's method with ``math``) on an element. The shared
helpers of the session-35 forms (`_vec35`, `_n35`, `_u35`).
"""

from __future__ import annotations

from typing import Any


class Wild35Ctl:
    """Mixin of `gen_wild_35.Wild35`: the forms of the module docstring."""

    r: Any
    lax34: bool = False  # (the host's: a `where`'s untaken side is singular, Python warns)

    def _u35(self, what: str) -> None:
        self.use("w35_" + what)  # type: ignore[attr-defined]

    def _n35(self, p: str = "v") -> str:
        return self.fresh(p)  # type: ignore[attr-defined]

    def _vec35(self, lo: int = 2, hi: int = 6) -> tuple[str, Any]:
        return self._vec33(lo, hi)  # type: ignore[attr-defined]

    def _m35(self, t: str) -> str:  # pragma: no cover - gen_wild_35.Wild35's
        raise NotImplementedError

    # -- helpers returning tuples, unpacked --------------------------------------------------

    def p_tuple_helper(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        g, v, m, s, k, i = (self._n35(p) for p in ("g", "v", "m", "s", "k", "i"))
        form = r.pick(["stats", "star", "swap", "loop", "nested", "scalar"])
        self._u35("tup_" + form)
        if form == "stats":
            return [
                f"    def {g}(x):",
                "        mu = float(np.mean(x))",
                "        sd = math.sqrt(float(np.var(x)) + 0.1)",
                "        return mu, sd, len(x)",
                f"    {m}, {s}, {k} = {g}({a})",
                f"    {v} = ({a} - {m}) / {s} + {k} * 0.01",
            ]
        if form == "star":
            return [
                f"    def {g}(x):",
                "        return tuple(math.sin(t) * t for t in x)",
                f"    {m}, *{s} = {g}({a})",
                f"    {v} = {a} * {m} + sum({s})",
            ]
        if form == "swap":
            return [
                f"    def {g}(p, q):",
                "        return q * 0.5, p + q * 0.25",
                f"    {m}, {s} = {a}, np.cos({a})",
                f"    for {i} in range({r.int(1, 3)}):",
                f"        {m}, {s} = {g}({m}, {s})",
                f"    {v} = {m} * {s}",
            ]
        if form == "loop":
            return [
                f"    def {g}(t, j):",
                "        return t * t, math.cos(t) + j",
                f"    {m} = [{g}(t, j) for j, t in enumerate({a})]",
                f"    {v} = {a} * sum(p for p, _ in {m}) + np.array([q for _, q in {m}])",
            ]
        if form == "nested":
            return [
                f"    def {g}(x):",
                "        return (x[0], (x[-1], float(x.sum())))",
                f"    {m}, ({s}, {k}) = {g}({a})",
                f"    {v} = {a} * {m} - {s} * {k}",
            ]
        return [
            f"    def {g}(t):",
            "        if t > 0:",
            "            return t, 1.0",
            "        return -t, -1.0",
            f"    {m} = 0.0",
            f"    for {i} in range(len({a})):",
            f"        {s}, {k} = {g}(float({a}[{i}]))",
            f"        {m} += math.sqrt({s} + 1.0) * {k}",
            f"    {v} = {a} * {m}",
        ]

    # -- closures capturing loop variables by default arguments --------------------------------

    def p_closures(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        n = len(av)
        fs, v, j, w, g, h = (self._n35(p) for p in ("fs", "v", "j", "w", "g", "h"))
        # (closures made in a loop over an array's elements are refused, "the nested function
        # is used as a value": drawn less often than those of a constant range, unrolled)
        form = r.pick_w(
            [(3, "lam_int"), (0.4, "lam_elem"), (3, "def_elem"), (0.4, "comp"), (0.4, "late")]
        )
        self._u35("clo_" + form)
        if form == "lam_int":
            body = [
                f"    {fs} = []",
                f"    for {j} in range({r.int(2, 3)}):",
                f"        {fs}.append(lambda z, {j}={j}: z * ({j} + 1.0) + math.sin({j}))",
            ]
        elif form == "lam_elem":
            body = [
                f"    {fs} = []",
                f"    for {w} in {a}:",
                f"        {fs}.append(lambda z, {w}={w}: np.tanh(z * {w}))",
            ]
        elif form == "def_elem":
            body = [f"    {fs} = []", f"    for {j} in range({n}):"]
            body += [
                f"        def {g}(z, c={a}[{j}], k={j}):",
                "            return z * c + k * 0.1",
                f"        {fs}.append({g})",
                f"    del {g}",
            ]
        elif form == "comp":
            body = [f"    {fs} = [lambda z, {w}={w}: z - {w} for {w} in {a}[:{r.int(1, n)}]]"]
        else:
            # late binding: every lambda reads the loop variable's last value
            body = [
                f"    {fs} = []",
                f"    for {w} in {a}:",
                f"        {fs}.append(lambda z: z * {w})",
            ]
        call = r.pick(
            [
                f"    {v} = sum({h}({a}) for {h} in {fs})",
                f"    {v} = {a} * 0.0\n    for {h} in {fs}:\n        {v} = {v} + {h}({a}) * 0.5",
                f"    {v} = {fs}[-1]({a}) + {fs}[0]({a}[::-1])",
            ]
        )
        return body + [call, f"    del {fs}"]

    # -- sorted(key=...) -----------------------------------------------------------------------

    def p_sorted_key(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        n = len(av)
        perm = list(range(n))
        for k in range(n - 1, 0, -1):
            j = r.int(0, k)
            perm[k], perm[j] = perm[j], perm[k]
        o, v, i, p = self._n35("o"), self._n35(), self._n35("i"), self._n35("p")
        form = r.pick(["ints", "by_value", "pairs", "neg", "items", "tuples"])
        self._u35("sort_" + form)
        if form == "ints":
            body = [
                f"    {o} = sorted(range({n}), key=lambda {i}: {perm}[{i}])",
                f"    {v} = np.array([{a}[{i}] for {i} in {o}]) * {a}",
            ]
        elif form == "by_value":
            body = [
                f"    {o} = sorted(range(len({a})), key=lambda {i}: {a}[{i}])",
                f"    {v} = {a}[{o}] * np.arange(1.0, {n + 1}.0)",
            ]
        elif form == "pairs":
            body = [
                f"    {o} = sorted(zip({perm}, {a}), key=lambda {p}: {p}[0])",
                f"    {v} = np.array([t for _, t in {o}]) + {a}",
            ]
        elif form == "neg":
            body = [
                f"    {o} = sorted({a}.tolist(), key=lambda t: -t, reverse={r.pick([True, False])})",
                f"    {v} = np.array({o}) * {a}",
            ]
        elif form == "items":
            body = [
                f"    {p} = {{'k' + str({i}): {a}[{i}] for {i} in range({n})}}",
                f"    {o} = sorted({p}.items(), key=lambda kv: kv[0], reverse=True)",
                f"    {v} = np.array([val for _, val in {o}]) * 0.5 + {a}",
                f"    del {p}",
            ]
        else:
            body = [
                f"    {o} = sorted([({perm}[{i}], {i}, {a}[{i}]) for {i} in range({n})])",
                f"    {v} = {a} * sum(t[2] * t[0] for t in {o})",
            ]
        return body + [f"    del {o}"]

    # -- zip / enumerate / reversed over arrays ------------------------------------------------

    def p_zip_enum(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        n = len(av)
        s, v, t, u, i = (self._n35(p) for p in ("s", "v", "t", "u", "i"))
        form = r.pick(["zip_rev", "enum_rev", "shift", "rows", "zip3", "enum_start", "unzip"])
        self._u35("iter_" + form)
        if form == "zip_rev":
            body = [f"    {s} = 0.0", f"    for {t}, {u} in zip({a}, reversed({a})):"]
            body += [f"        {s} += {t} * {u}"]
        elif form == "enum_rev":
            body = [f"    {s} = 0.0", f"    for {i}, {t} in enumerate(reversed({a})):"]
            body += [f"        {s} = {s} + {t} * ({i} + 1) ** 0.5"]
        elif form == "shift":
            body = [f"    {s} = 0.0", f"    for {t}, {u} in zip({a}, {a}[1:]):"]
            body += [f"        {s} += math.atan({u} - {t})"]
        elif form == "rows":
            M = self._n35("M")
            body = [
                f"    {M} = np.outer({a}, np.cos({a}))",
                f"    {s} = 0.0",
                f"    for {i}, {t} in enumerate({M}):",
                f"        {s} = {s} + float({t} @ {a}) * 0.1 + {t}[{i}]",
                f"    del {M}",
            ]
        elif form == "zip3":
            body = [
                f"    {s} = 0.0",
                f"    for {t}, {u}, {i} in zip({a}, np.sin({a}), range({n}, 0, -1)):",
                f"        {s} += {t} * {u} / {i}",
            ]
        elif form == "enum_start":
            body = [f"    {s} = 0.0", f"    for {i}, {t} in enumerate({a}.tolist(), start=1):"]
            body += [f"        {s} += {t} ** 2 / {i}"]
        else:
            body = [
                f"    {t}, {u} = zip(*[(x, x * x) for x in {a}])",
                f"    {s} = sum({t}) * 0.5 + max({u})",
            ]
        return body + [f"    {v} = {a} * {s} + 1.0"]

    # -- list comprehensions with conditions ---------------------------------------------------

    def p_comprehension(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, L, t = self._n35(), self._n35("L"), self._n35("t")
        form = r.pick(["filter", "ifelse", "nested", "sum_gen", "maxmin", "index", "two_if"])
        self._u35("comp_" + form)
        if form == "filter":
            return [
                f"    {L} = [{self._m35(t)} for {t} in {a} if {t} > {c}]",
                f"    {v} = {a} * (sum({L}) + 1.0) + len({L})",
            ]
        if form == "ifelse":
            return [
                f"    {L} = [{t} * 2.0 if {t} > {c} else {self._m35(t)} for {t} in {a}]",
                f"    {v} = np.array({L}) + {a}",
            ]
        if form == "nested":
            u = self._n35("u")
            return [
                f"    {L} = [[{t} * {u} for {u} in {a} if {u} != {t}] for {t} in {a}]",
                f"    {v} = np.array([sum(row) for row in {L}]) * 0.5",
            ]
        if form == "sum_gen":
            return [f"    {v} = {a} * sum({t} * {t} for {t} in {a} if {t} < {c})"]
        if form == "maxmin":
            return [
                f"    {L} = [{t} + 0.5 for {t} in {a}]",
                f"    {v} = {a} * max({L}) - min({L}) * {a}[::-1]",
            ]
        if form == "index":
            i = self._n35("i")
            return [
                f"    {L} = [{i} for {i} in range(len({a})) if {a}[{i}] >= {c}]",
                f"    {v} = {a} + np.sum({a}[{L}]) if {L} else {a} * 1.0",
            ]
        return [
            f"    {L} = [{t} for {t} in {a} if {t} > {c} if abs({t}) < 3.0]",
            f"    {v} = {a} * np.array({L} + [1.0]).prod()",
        ]

    # -- augmented assignment on slices --------------------------------------------------------

    def p_slice_aug(self) -> list[str]:
        r = self.r
        a, av = self._vec35(3, 6)
        n = len(av)
        w, v = self._n35("w"), self._n35()
        lo = r.int(0, n - 2)
        hi = r.int(lo + 1, n)
        k = self._k33()  # type: ignore[attr-defined]
        form = r.pick(["mul", "div", "add_self", "shift", "step", "neg", "pow", "loop"])
        self._u35("slc_" + form)
        head = r.pick([f"    {w} = {a}.copy()", f"    {w} = np.array({a})", f"    {w} = {a} * 1.0"])
        if form == "mul":
            body = [f"    {w}[{lo}:{hi}] *= {k}"]
        elif form == "div":
            body = [f"    {w}[{lo}:] /= ({a}[{lo}:] ** 2 + 1.0)"]
        elif form == "add_self":
            body = [f"    {w}[{lo}:{hi}] += {w}[{lo}:{hi}] * {a}[{lo}:{hi}]"]
        elif form == "shift":
            body = [f"    {w}[1:] -= {w}[:-1] * {k}"]
        elif form == "step":
            body = [f"    {w}[::2] *= np.sin({w}[::2])", f"    {w}[1::2] += {k}"]
        elif form == "neg":
            body = [f"    {w}[-{n - lo}:-1] *= -{k}"]
        elif form == "pow":
            body = [
                f"    {w}[{lo}:{hi}] = np.abs({w}[{lo}:{hi}]) + 0.5",
                f"    {w}[{lo}:{hi}] **= 2",
            ]
        else:
            i = self._n35("i")
            body = [
                f"    for {i} in range(1, {n}):",
                f"        {w}[{i}:] *= {k} + {w}[{i} - 1] * 0.1",
            ]
        return [head] + body + [f"    {v} = {w} * 1.0"]

    # -- np.where-guarded singular operations --------------------------------------------------

    def p_where35(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, s = self._n35(), self._n35("s")
        form = r.pick(["sqrt2", "log2", "div2", "sinc", "norm", "naive_div", "pow2"])
        self._u35("where_" + form)
        if form == "sqrt2":
            return [
                f"    {s} = np.where({a} > {c}, {a} - {c}, 1.0)",
                f"    {v} = np.where({a} > {c}, np.sqrt({s}), 0.0) + {a}",
            ]
        if form == "log2":
            return [
                f"    {s} = np.where({a} > {c}, {a} - {c}, 1.0)",
                f"    {v} = np.where({a} > {c}, np.log({s}), {a} - {c})",
            ]
        if form == "div2":
            return [
                f"    {s} = np.where(np.abs({a}) > 0.05, {a}, 1.0)",
                f"    {v} = np.where(np.abs({a}) > 0.05, np.sin({a}) / {s}, 1.0)",
            ]
        if form == "sinc":
            return [
                f"    {v} = np.where({a} == 0.0, 1.0, np.sin({a}) / np.where({a} == 0.0, 1.0, {a}))"
            ]
        if form == "norm":
            return [
                f"    {s} = float(np.sqrt(np.sum({a} ** 2)))",
                f"    {v} = {a} / {s} if {s} > 1e-8 else {a} * 0.0",
            ]
        if form == "naive_div":
            self.lax34 = True  # the untaken side divides by zero: Python warns
            return [f"    {v} = np.where({a} > {c}, 1.0 / ({a} - {c}), 0.0)"]
        self.lax34 = True
        return [f"    {v} = np.where({a} > {c}, ({a} - {c}) ** 0.5, ({c} - {a}) ** 1.5)"]

    # -- reductions along axes with keepdims ---------------------------------------------------

    def p_keepdims35(self) -> list[str]:
        r = self.r
        a, av = self._vec35(2, 4)
        v, M, e = self._n35(), self._n35("M"), self._n35("e")
        ax = r.pick([0, 1, -1, -2])
        red = r.pick(["sum", "mean", "max", "min", "std", "var", "prod"])
        form = r.pick(["center", "softmax", "scale", "loop", "pyfloat"])
        self._u35("kd_" + form)
        call = f"np.{red}({M}, axis={ax}, keepdims=True)"
        head = [f"    {M} = np.outer({a}, np.sin({a})) + {a}[:, None] * 0.5"]
        if form == "center":
            body = [f"    {v} = ({M} - {call}).sum(axis=0)"]
        elif form == "softmax":
            body = [
                f"    {e} = np.exp({M} - np.max({M}, axis={ax}, keepdims=True))",
                f"    {v} = ({e} / np.sum({e}, axis={ax}, keepdims=True))[0]",
            ]
        elif form == "scale":
            body = [f"    {v} = ({M} / (np.abs({call}) + 1.0)).mean(axis={r.pick([0, 1])})"]
        elif form == "loop":
            i = self._n35("i")
            body = [
                f"    for {i} in range({M}.shape[0]):",
                f"        {M}[{i}] -= {M}[{i}:].mean(axis=0, keepdims=True)[0] * 0.5",
                f"    {v} = {M}.sum(axis=1)",
            ]
        else:
            body = [
                f"    {e} = {call}",
                f"    {v} = {M}[:, 0] * float({e}.flat[0]) + {e}.ravel()[-1]",
            ]
        return head + body + [f"    del {M}"]

    # -- a Python-level scalar iteration -------------------------------------------------------

    def p_newton(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        j = r.int(0, len(av) - 1)
        v, y, t, k = self._n35(), self._n35("y"), self._n35("t"), self._n35("k")
        form = r.pick(["cbrt", "kepler", "fixed", "each"])
        self._u35("newton_" + form)
        if form == "cbrt":
            body = [
                f"    {t} = float({a}[{j}]) ** 2 + 1.0",
                f"    {y} = 1.0",
                f"    for {k} in range(8):",
                f"        {y} = {y} - ({y} ** 3 - {t}) / (3.0 * {y} ** 2)",
            ]
        elif form == "kepler":
            body = [
                f"    {t} = {a}[{j}]",
                f"    {y} = {t}",
                f"    for {k} in range(6):",
                f"        {y} = {y} - ({y} - 0.3 * math.sin({y}) - {t}) / (1.0 - 0.3 * math.cos({y}))",
            ]
        elif form == "fixed":
            body = [
                f"    {t}, {y} = float({a}[{j}]), 0.0",
                f"    {k} = 0",
                f"    while {k} < 20 and abs({y} - math.cos({y} * 0.5 + {t} * 0.1)) > 1e-12:",
                f"        {y} = math.cos({y} * 0.5 + {t} * 0.1)",
                f"        {k} += 1",
            ]
            body.append(f"    {y} = math.cos({y} * 0.5 + {t} * 0.1)")
        else:
            body = [
                f"    {y} = []",
                f"    for {t} in {a}:",
                f"        {k} = 1.0",
                "        for _ in range(5):",
                f"            {k} = 0.5 * ({k} + ({t} * {t} + 1.0) / {k})",
                f"        {y}.append({k})",
                f"    {y} = np.array({y})",
            ]
        return body + [f"    {v} = {a} * {y}"]
