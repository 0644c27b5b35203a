"""Python-level scalar code mixed with arrays: the session-35 wild statements (``--grammar wild35``).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group (`s_w35()`), or `Reject`: ``math.*`` on array elements read one by one,
``float()`` / ``int()`` conversions of array values (an index or a count drawn from the data),
``x[i]`` reads in ``while`` loops whose exit depends on the data, early returns from inside
nested loops, ``break`` in ``for``/``else``, floats accumulated into lists then ``np.array(L)``,
dict accumulators keyed by strings and ints. Helpers returning tuples, closures capturing loop
variables by default arguments, ``sorted(key=...)``, ``zip``/``enumerate``/``reversed`` over
arrays, conditional comprehensions, ``x[a:b] *= c``, ``np.where`` guards and ``keepdims``
reductions: tests/fuzz/gen_wild_35c.py.
"""

from __future__ import annotations

from typing import Any

from .gen_wild_35c import Wild35Ctl
from .gen_wild_expr import Reject

# ``math`` functions applied to one element ``t`` (a Python float or a 0-d value): smooth, and
# defined for every real argument
MATH1 = [
    "math.sin({})",
    "math.cos({})",
    "math.tanh({})",
    "math.atan({})",
    "math.exp(-({}) ** 2)",
    "math.log1p(({}) ** 2)",
    "math.sqrt(({}) ** 2 + 1.0)",
    "math.hypot({}, 0.75)",
    "math.atan2({}, 1.5)",
    "math.erf({})",
    "math.pow(abs({}) + 0.5, 1.5)",
    "math.log(abs({}) + 1.0)",
    "math.sinh(math.sin({}))",
    "math.expm1(math.cos({}))",
    "math.fabs({})",
    "math.copysign({}, 2.0)",
    "math.cosh(math.tanh({}))",
    "math.log2(({}) ** 2 + 1.0)",
]


class Wild35(Wild35Ctl):
    """Mixin of `gen_wild_stmts.WildStmts`: the session-35 forms (see the module docstring)."""

    r: Any

    def s_w35(self) -> list[str]:
        forms = [
            (1.2, self.p_math_elems),
            (1.2, self.p_while_exit),
            (0.8, self.p_early_nested),
            (1, self.p_for_else),
            (1.2, self.p_list_acc),
            (1.2, self.p_dict_acc),
            (1, self.p_float_int),
            (1, self.p_tuple_helper),
            (0.7, self.p_closures),
            (1, self.p_sorted_key),
            (1, self.p_zip_enum),
            (1.2, self.p_comprehension),
            (1, self.p_slice_aug),
            (0.8, self.p_where35),
            (0.8, self.p_keepdims35),
            (0.8, self.p_newton),
        ]
        return self.r.pick_w(forms)()

    def _m35(self, t: str) -> str:
        return self.r.pick(MATH1).format(t)

    # -- math.* on elements, read one by one ---------------------------------------------------

    def p_math_elems(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        n = len(av)
        v, s, i, t = self._n35(), self._n35("s"), self._n35("i"), self._n35("t")
        form = r.pick(["index", "iter", "float", "pair", "prod", "item", "fsum"])
        self._u35("math_" + form)
        if form == "index":
            body = [
                f"    {s} = 0.0",
                f"    for {i} in range(len({a})):",
                f"        {s} += {self._m35(f'{a}[{i}]')} * {self._m35(f'{a}[{i}]')}",
            ]
        elif form == "iter":
            body = [
                f"    {s} = 0.0",
                f"    for {t} in {a}:",
                f"        {s} = {s} + {self._m35(t)}",
            ]
        elif form == "float":
            body = [
                f"    {s} = 1.0",
                f"    for {i} in range({n}):",
                f"        {t} = float({a}[{i}])",
                f"        {s} = {s} * 0.5 + {self._m35(t)} * {t}",
            ]
        elif form == "pair":
            body = [
                f"    {s} = 0.0",
                f"    for {i} in range({n} - 1):",
                f"        {s} += math.hypot({a}[{i}], {a}[{i} + 1]) - math.atan2({a}[{i}], 2.0)",
            ]
        elif form == "prod":
            body = [
                f"    {s} = math.prod([{self._m35(t)} + 1.5 for {t} in {a}])",
            ]
        elif form == "item":
            body = [
                f"    {s} = {self._m35(f'{a}[{r.int(-n, n - 1)}].item()')}",
                f"    {s} += {self._m35(f'{a}.tolist()[{r.int(0, n - 1)}]')}",
            ]
        else:
            body = [f"    {s} = math.fsum({self._m35(t)} for {t} in {a}.tolist())"]
        out = r.pick([f"{a} * {s}", f"np.sin({a}) + {s}", f"{a} / ({s} ** 2 + 1.0)"])
        return body + [f"    {v} = {out}"]

    # -- x[i] reads in while loops with data-dependent exits -----------------------------------

    def p_while_exit(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        n = len(av)
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, s, i = self._n35(), self._n35("s"), self._n35("i")
        form = r.pick(["cond", "true_break", "accum", "two_ptr", "scalar"])
        self._u35("while_" + form)
        if form == "cond":
            body = [
                f"    {i} = 0",
                f"    {s} = 0.0",
                f"    while {i} < len({a}) and {a}[{i}] {r.pick(['<', '>'])} {c}:",
                f"        {s} = {s} + {a}[{i}] ** 2",
                f"        {i} += 1",
            ]
        elif form == "true_break":
            body = [
                f"    {i}, {s} = 0, 0.0",
                "    while True:",
                f"        {s} += {self._m35(f'{a}[{i}]')}",
                f"        {i} += 1",
                f"        if {i} >= {n} or {a}[{i} - 1] > {c}:",
                "            break",
            ]
        elif form == "accum":
            lim = round(abs(float(av.sum())) * 0.5 + 0.3, 3)
            body = [
                f"    {i}, {s} = 0, 0.0",
                f"    while abs({s}) < {lim} and {i} < {n}:",
                f"        {s} = {s} + float({a}[{i}])",
                f"        {i} = {i} + 1",
            ]
        elif form == "two_ptr":
            body = [
                f"    {i}, {v} = 0, {n} - 1",
                f"    {s} = 0.0",
                f"    while {i} < {v}:",
                f"        if {a}[{i}] < {a}[{v}]:",
                f"            {s} += {a}[{i}] * {a}[{v}]",
                f"            {i} += 1",
                "        else:",
                f"            {s} -= math.sin({a}[{v}])",
                f"            {v} -= 1",
            ]
        else:
            body = [
                f"    {s} = float({a}[0])",
                f"    {i} = 0",
                f"    while {s} < {round(float(av[0]) + 2.0 + abs(r.normal()), 3)} and {i} < 8:",
                f"        {s} = {s} + math.exp(-{s} * {s}) + 0.3",
                f"        {i} += 1",
            ]
        return body + [f"    {v} = {a} * ({s} + 1.0) + {i} * 0.1"]

    # -- early returns from inside nested loops ------------------------------------------------

    def p_early_nested(self) -> list[str]:
        r = self.r
        if not getattr(self, "early_ok", True):
            raise Reject("too early for an early return")
        a, av = self._vec35()
        b, bv = self._vec35()
        prods = sorted({round(float(x * y), 6) for x in av for y in bv})
        c = round(prods[-1] + 0.5, 4) if r.chance(0.5) else self._cut33(prods)  # type: ignore
        i, j, s = self._n35("i"), self._n35("j"), self._n35("s")
        form = r.pick(["pair", "while_in_for", "accum"])
        self._u35("early_" + form)
        ret = r.pick(
            [
                f"float(np.sum({a} * {b}[{j}])) + {i}",
                f"math.sin({a}[{i}]) * {b}[{j}]",
                f"{s} + float({a}[{i}] ** 2)",
            ]
        )
        if form == "pair":
            head = [f"    {s} = 0.0", f"    for {i} in range(len({a})):"]
            head += [f"        for {j} in range(len({b})):"]
        elif form == "while_in_for":
            head = [f"    {s} = 0.0", f"    for {i} in range(len({a})):", f"        {j} = 0"]
            head += [f"        while {j} < len({b}):", f"            {j} += 1"]
            ret = ret.replace(f"[{j}]", f"[{j} - 1]")
            return head + [
                f"            {s} += {a}[{i}] * {b}[{j} - 1]",
                f"            if {a}[{i}] * {b}[{j} - 1] > {c}:",
                f"                return {ret}",
            ]
        else:
            head = [
                f"    {s} = 0.0",
                f"    for {i}, {j} in enumerate(range(len({b}) - 1, -1, -1)):",
            ]
            head += [f"        for _k in range({r.int(1, 2)}):"]
            return head + [
                f"            {s} = {s} + {a}[{i} % len({a})] * {b}[{j}]",
                f"            if {a}[{i} % len({a})] * {b}[{j}] > {c}:",
                f"                return {ret.replace(f'[{i}]', f'[{i} % len({a})]')}",
            ]
        return head + [
            f"            {s} += {a}[{i}] * {b}[{j}]",
            f"            if {a}[{i}] * {b}[{j}] > {c}:",
            f"                return {ret}",
        ]

    # -- break in for/else ---------------------------------------------------------------------

    def p_for_else(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, k, t, s = self._n35(), self._n35("k"), self._n35("t"), self._n35("s")
        form = r.pick(["index", "value", "while", "nested"])
        self._u35("forelse_" + form)
        if form == "index":
            body = [
                f"    for {k}, {t} in enumerate({a}):",
                f"        if {t} {r.pick(['>', '<'])} {c}:",
                "            break",
                "    else:",
                f"        {k} = -1",
                f"    {s} = {a}[{k}] * 2.0",
            ]
        elif form == "value":
            body = [
                f"    {s} = 0.0",
                f"    for {t} in {a}:",
                f"        {s} += math.cos({t})",
                f"        if {s} > {round(float(r.normal()) + 1.0, 3)}:",
                "            break",
                "    else:",
                f"        {s} = {s} * 0.5",
            ]
        elif form == "while":
            body = [
                f"    {k}, {s} = 0, 1.0",
                f"    while {k} < len({a}):",
                f"        if {a}[{k}] > {c}:",
                "            break",
                f"        {s} *= 1.0 + {a}[{k}] * 0.25",
                f"        {k} += 1",
                "    else:",
                f"        {s} = {s} + float(np.max({a}))",
            ]
        else:
            body = [
                f"    {s} = 0.0",
                f"    for {k} in range(len({a})):",
                f"        for {t} in range({k}):",
                f"            if {a}[{t}] + {a}[{k}] > {c}:",
                "                break",
                f"            {s} += {a}[{t}] * {a}[{k}]",
                "        else:",
                f"            {s} -= {a}[{k}] * 0.5",
            ]
        return body + [f"    {v} = {a} + {s}"]

    # -- accumulation into lists, then np.array(list) ------------------------------------------

    def p_list_acc(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, L, t, i = self._n35(), self._n35("L"), self._n35("t"), self._n35("i")
        form = r.pick(["append", "cond", "extend", "rows", "insert", "pairs", "plus"])
        self._u35("list_" + form)
        if form == "append":
            body = [f"    {L} = []", f"    for {t} in {a}:", f"        {L}.append({self._m35(t)})"]
        elif form == "cond":
            body = [
                f"    {L} = [0.0]",
                f"    for {t} in {a}:",
                f"        if {t} > {c}:",
                f"            {L}.append({t} * 2.0)",
                "        else:",
                f"            {L}.append(math.sin({t}))",
            ]
        elif form == "extend":
            body = [f"    {L} = []", f"    for {t} in {a}:", f"        {L}.extend([{t}, {t} ** 2])"]
        elif form == "rows":
            body = [
                f"    {L} = []",
                f"    for {i} in range({r.int(2, 3)}):",
                f"        {L}.append({a} * ({i} + 1.0) + np.sin({a}))",
                f"    {L} = np.array({L}).sum(axis=0)",
            ]
        elif form == "insert":
            body = [f"    {L} = []", f"    for {t} in {a}:", f"        {L}.insert(0, {t} * 1.5)"]
        elif form == "pairs":
            body = [
                f"    {L} = []",
                f"    for {i} in range(len({a}) - 1):",
                f"        {L}.append(({a}[{i}], {a}[{i} + 1]))",
                f"    {L} = np.array({L})[:, 0] * np.array({L})[:, 1]",
            ]
        else:
            body = [
                f"    {L} = []",
                f"    for {t} in {a}:",
                f"        {L} = {L} + [float({t}) * {self._k33()}]",  # type: ignore[attr-defined]
            ]
        last = r.pick([f"np.array({L})", f"np.asarray({L}, dtype=float)", f"np.array({L}) * 1.0"])
        if form in ("rows", "pairs"):
            last = L
        return body + [f"    {v} = {last}"]

    # -- dict accumulators keyed by strings and ints -------------------------------------------

    def p_dict_acc(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, d, t, i, k = self._n35(), self._n35("d"), self._n35("t"), self._n35("i"), self._n35("k")
        form = r.pick(["str", "int", "get", "setdefault", "items", "nested", "counts"])
        self._u35("dict_" + form)
        if form == "str":
            body = [
                f"    {d} = {{'hi': 0.0, 'lo': 0.0}}",
                f"    for {t} in {a}:",
                f"        {d}['hi' if {t} > {c} else 'lo'] += {t} ** 2",
                f"    {v} = {a} * {d}['hi'] + {d}['lo']",
            ]
        elif form == "int":
            body = [
                f"    {d} = {{}}",
                f"    for {i}, {t} in enumerate({a}):",
                f"        {d}[{i} % 2] = {d}.get({i} % 2, 0.0) + math.sin({t})",
                f"    {v} = {a} * sum({d}.values())",
            ]
        elif form == "get":
            body = [
                f"    {d} = {{}}",
                f"    for {t} in {a}:",
                f"        {k} = 'pos' if {t} > {c} else 'neg'",
                f"        {d}[{k}] = {d}.get({k}, 1.0) * (1.0 + {t} * 0.5)",
                f"    {v} = {a} * {d}.get('pos', 0.0) - {d}.get('neg', 0.0)",
            ]
        elif form == "setdefault":
            body = [
                f"    {d} = {{}}",
                f"    for {i}, {t} in enumerate({a}):",
                f"        {d}.setdefault({t} > {c}, []).append({t} * {i})",
                f"    {v} = {a} * sum(sum(x) for x in {d}.values())",
            ]
        elif form == "items":
            body = [
                f"    {d} = {{'a': {a}[0], 'b': {a}[-1] * 2.0}}",
                f"    {d}['c'] = {d}['a'] * {d}['b']",
                f"    {v} = {a} * 0.0",
                f"    for {k}, {t} in sorted({d}.items()):",
                f"        {v} = {v} + {t} * len({k})",
            ]
        elif form == "nested":
            body = [
                f"    {d} = {{'w': {{}}, 'n': 0}}",
                f"    for {i} in range(len({a})):",
                f"        {d}['w'][str({i})] = {a}[{i}] * 0.5",
                f"        {d}['n'] += 1",
                f"    {v} = np.array([{d}['w'][{k}] for {k} in sorted({d}['w'])]) / {d}['n']",
            ]
        else:
            body = [
                f"    {d} = {{}}",
                f"    for {t} in {a}:",
                f"        {k} = int({t} > {c})",
                f"        {d}[{k}] = {d}.get({k}, 0) + 1",
                f"    {v} = {a} * {d}.get(1, 0) + {d}.get(0, 0) * 0.5",
            ]
        return body + [f"    del {d}"]

    # -- float() / int() conversions ------------------------------------------------------------

    def p_float_int(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        n = len(av)
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, m, j = self._n35(), self._n35("m"), self._n35("j")
        form = r.pick(["count", "argmax", "floor", "scalar", "len", "bool", "intcast"])
        self._u35("conv_" + form)
        if form == "count":
            body = [f"    {m} = int(np.sum({a} > {c}))", f"    {v} = {a} * float({m}) + {m}"]
        elif form == "argmax":
            body = [
                f"    {j} = int(np.{r.pick(['argmax', 'argmin'])}({a}))",
                f"    {v} = {a} * {a}[{j}] + float({a}[{j}]) ** 2",
            ]
        elif form == "floor":
            body = [
                f"    {j} = int(math.floor(abs(float({a}[0])) * 2.0)) % {n}",
                f"    {v} = {a} * math.cos({a}[{j}])",
            ]
        elif form == "scalar":
            body = [
                f"    {m} = float(np.sum({a} ** 2))",
                f"    {v} = {a} * math.sqrt({m} + 1.0) + float({a}.mean())",
            ]
        elif form == "len":
            body = [
                f"    {m} = float(len({a})) + float({a}.size) / 2",
                f"    {v} = {a} / {m} + int({m}) * 0.1",
            ]
        elif form == "bool":
            body = [
                f"    {m} = float({a}[0] > {c}) + float(bool({a}[-1] < {c}))",
                f"    {v} = {a} * ({m} + 0.5)",
            ]
        else:
            body = [
                f"    {j} = int({a}.shape[0] // 2)",
                f"    {v} = {a}[{j}:] * float({a}[:{j} + 1].sum())",
            ]
        return body
