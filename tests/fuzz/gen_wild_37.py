"""Features combined that the other wild grammars draw apart: the session-37 statements
(``--grammar wild37``).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: module-level prelude
definitions (`prelude37()`: tests/fuzz/gen_wild_37m.py's `PRELUDE`) and the lines of one
statement group (`s_w37()`), or `Reject`: nested helpers with defaults and keyword arguments
called in loops, their tuples unpacked; recursion with a depth parameter (plain,
tuple-returning, data-dependent stop, divide and conquer, a list threaded through); closures
over loop variables (late binding, factories, ``nonlocal`` accumulators, a list the closure
appends to); ``while`` loops with data-dependent exits writing ``x[i] = v``, ``x[i, j] += v``
and ``x[a:b] = ...`` with ``break``/``continue`` and early returns in nested ``if``s; dicts of
arrays updated in loops. Lists of arrays, comprehensions, NumPy keywords
(``axis``/``keepdims``/``where``/``out``), broadcasting and masks, ties on purpose and user
objects: tests/fuzz/gen_wild_37c.py; in-place mutation forms: tests/fuzz/gen_wild_37m.py.

No form guards a kink: the host keeps a statement only when the body stays smooth around the
point (`gen_wild.smooth`), so a tie kept is one both sides of which are the same function there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_37c import Wild37Ctl
from .gen_wild_37m import PRELUDE, Wild37Mut
from .gen_wild_expr import Reject


class Wild37(Wild37Ctl, Wild37Mut):
    """Mixin of `gen_wild_stmts.WildStmts`: the session-37 forms (see the module docstring)."""

    r: Any

    def prelude37(self) -> None:
        import dataclasses
        import math

        for name, src in PRELUDE.items():
            if self.r.chance(0.6):
                ns: dict[str, Any] = {"np": np, "math": math, "dataclasses": dataclasses}
                if name == "rec37":
                    ns = {"np": np}
                exec(compile(src, "<prelude37>", "exec"), ns)  # noqa: S102 - our own definition
                self.consts[name] = ns[name]  # type: ignore[attr-defined]
                self.const_src.append("\n\n" + src)  # type: ignore[attr-defined]
                self.features.add("prelude_" + name)  # type: ignore[attr-defined]

    def s_w37(self) -> list[str]:
        forms = [
            (1.2, self.p_kw_helper),
            (1.2, self.p_recursion),
            (1.0, self.p_closure_loop),
            (1.2, self.p_while_write),
            (1.0, self.p_matrix_update),
            (1.0, self.p_dict_arrays),
            (1.2, self.p_list_arrays),
            (1.0, self.p_comp_iter),
            (1.2, self.p_numpy_kw),
            (1.0, self.p_broadcast_mask),
            (1.2, self.p_ties),
            (1.2, self.p_objects),
            (1.5, self.p_mutate),
        ]
        return self.r.pick_w(forms)()

    # -- nested helpers with defaults and keyword arguments, called in loops ----------------------

    def p_kw_helper(self) -> list[str]:
        r = self.r
        a, _ = self._vec35()
        g, acc, s, i, u, q, m, v = (self._n35(p) for p in "g acc s i u q m v".split())
        k = self._k33()  # type: ignore[attr-defined]
        form = r.pick(["kw", "kwonly", "default", "star", "dict", "mod"])
        self._u37("kw_" + form)
        head = [
            f"    def {g}(x, k=1.0, *, off=0.0, reps=2):",
            "        y = x * k + off",
            "        for _ in range(reps):",
            "            y = np.tanh(y) + 0.5 * y",
            "        return y, float(np.sum(y * y)), reps",
        ]
        call = {
            "kw": f"{g}({a}, off={i} * 0.1, k={k} + {i} * 0.2)",
            "kwonly": f"{g}(k={k}, x={a}, reps={i} + 1)",
            "default": f"{g}({a} * ({i} + 1.0))",
            "star": f"{g}(*({a}, {k}), **{{'off': 0.2 * {i}}})",
            "dict": f"{g}(**dict(x={a}, k={k}, reps=1))",
            "mod": f"{g}({a}, {k}, off={u}[0] * 0.1 if {i} else 0.0)",
        }[form]
        body = [
            f"    {acc}, {s}, {u} = {a} * 0.0, 0.0, {a}",
            f"    for {i} in range({r.int(1, 3)}):",
            f"        {u}, {q}, {m} = {call}",
            f"        {acc} = {acc} + {u} / {m}",
            f"        {s} += {q}",
            f"    {v} = {acc} * ({s} * 0.01 + 1.0)",
        ]
        if form == "mod" and "stats37" in self.consts:  # type: ignore[attr-defined]
            body = [
                f"    {acc} = {a} * 1.0",
                f"    for {i} in range({r.int(1, 3)}):",
                f"        {q}, {m} = stats37({acc}, ddof={r.int(0, 1)}, eps=0.01 * ({i} + 1))",
                f"        {acc} = ({acc} - {q}) / {m} + {a} * 0.25",
                f"    {v} = {acc} * 1.0",
            ]
            return body
        return head + body

    # -- recursion with a depth parameter ---------------------------------------------------------

    def p_recursion(self) -> list[str]:
        r = self.r
        a, av = self._vec35()
        g, v, L = self._n35("g"), self._n35(), self._n35("L")
        d = r.int(0, 3)
        form = r.pick(["plain", "tuple", "data", "tree", "list", "module", "kw"])
        if form == "module" and "rec37" not in self.consts:  # type: ignore[attr-defined]
            form = "kw"
        self._u37("rec_" + form)
        if form == "plain":
            return [
                f"    def {g}(x, d):",
                f"        return x if d == 0 else {g}(np.sin(x) * 0.9 + x * 0.3, d - 1)",
                f"    {v} = {g}({a}, {d})",
            ]
        if form == "tuple":
            return [
                f"    def {g}(x, d=3):",
                "        if d <= 0:",
                "            return x, 1.0",
                f"        y, w = {g}(x * 0.5 + 0.1, d - 1)",
                "        return y + np.cos(x) * w, w * 0.5",
                f"    {v}, {L} = {g}({a}, {d})",
                f"    {v} = {v} * {L}",
                f"    del {L}",
            ]
        if form == "data":
            c = round(float(np.max(av)) + abs(r.normal()) + 0.2, 3)
            return [
                f"    def {g}(x, d):",
                f"        if d == 0 or float(np.max(x)) > {c}:",
                "            return x",
                f"        return {g}(x * 1.3 + 0.2, d - 1)",
                f"    {v} = {g}({a}, {r.int(1, 5)})",
            ]
        if form == "tree":
            return [
                f"    def {g}(x, d):",
                "        if d == 0 or len(x) <= 1:",
                "            return float(np.sum(np.sin(x))) + 1.5",
                "        h = len(x) // 2",
                f"        return {g}(x[:h], d - 1) * 0.5 + {g}(x[h:], d - 1) * 0.25",
                f"    {v} = {a} * {g}({a}, {d + 1})",
            ]
        if form == "list":
            return [
                f"    def {g}(x, d, out):",
                "        if d == 0:",
                "            return out",
                "        out.append(x * d)",
                f"        return {g}(np.cos(x), d - 1, out)",
                f"    {L} = {g}({a}, {d + 1}, [])",
                f"    {v} = np.stack({L}).sum(axis=0)",
                f"    del {L}",
            ]
        if form == "module":
            kw = r.pick([f"{d}", f"depth={d}", f"scale=0.5, depth={d}", f"{d}, 1.5"])
            return [f"    {v} = rec37({a}, {kw})"]
        return [
            f"    def {g}(x, *, depth=2, acc=0.0):",
            "        if depth == 0:",
            "            return acc + float(np.sum(x ** 2))",
            f"        return {g}(np.tanh(x), depth=depth - 1, acc=acc + float(x[0]))",
            f"    {v} = {a} * {g}({a}, depth={d})",
        ]

    # -- closures over loop variables -------------------------------------------------------------

    def p_closure_loop(self) -> list[str]:
        r = self.r
        a, _ = self._vec35()
        fs, g, v, i, s, t, h = (self._n35(p) for p in "fs g v i s t h".split())
        form = r.pick(["late", "factory", "nonlocal", "append", "rebound", "default_arr"])
        self._u37("clo_" + form)
        if form == "late":
            return [
                f"    {fs} = []",
                f"    for {i} in range({r.int(2, 3)}):",
                f"        {fs}.append(lambda z: z * ({i} + 1.0) + math.sin({i}))",
                f"    {v} = sum({h}({a}) for {h} in {fs})",
                f"    del {fs}",
            ]
        if form == "factory":
            ks = r.pick(["(0.5, 1.0, 1.5)", f"{a}[:2]", f"[float({a}[0]), 2.0]"])
            return [
                f"    def {g}(k):",
                f"        def {h}(z):",
                "            return z * k + np.sin(z * k)",
                f"        return {h}",
                f"    {fs} = [{g}({t}) for {t} in {ks}]",
                f"    {v} = {fs}[0]({a})",
                f"    for {h} in {fs}[1:]:",
                f"        {v} = {v} + {h}({a}) * 0.5",
                f"    del {fs}",
            ]
        if form == "nonlocal":
            return [
                f"    {s} = 0.0",
                f"    def {g}(t):",
                f"        nonlocal {s}",
                f"        {s} += t * t",
                f"        return {s}",
                f"    for {t} in {a}:",
                f"        {g}({t})",
                f"    {v} = {a} * {s}",
            ]
        if form == "append":
            return [
                f"    {fs} = []",
                f"    def {g}(x):",
                f"        {fs}.append(x * 2.0)",
                "        return np.sin(x)",
                f"    {v} = {a}",
                f"    for {i} in range({r.int(1, 3)}):",
                f"        {v} = {g}({v}) * 0.9 + {a} * 0.1",
                f"    {v} = {v} + sum({fs})",
                f"    del {fs}",
            ]
        if form == "rebound":
            return [
                f"    {s} = 1.0",
                f"    def {g}(z):",
                f"        return z * {s}",
                f"    {s} = {a}[{r.int(0, 1)}] * 2.0",
                f"    {v} = {g}({a}) + {s}",
            ]
        return [
            f"    {fs} = []",
            f"    for {i} in range({r.int(2, 3)}):",
            f"        def {g}(z, w={a} * ({i} + 1.0)):",
            "            return z * w",
            f"        {fs}.append({g})",
            f"    {v} = {fs}[0]({a}) - {fs}[-1](np.cos({a}))",
            f"    del {g}, {fs}",
        ]

    # -- while loops with data-dependent exits writing elements and slices ------------------------

    def p_while_write(self) -> list[str]:
        r = self.r
        a, av = self._vec35(3, 6)
        n = len(av)
        c = self._cut33(av)  # type: ignore[attr-defined]
        w, i, v, lo = self._n35("w"), self._n35("i"), self._n35(), self._n35("lo")
        form = r.pick(["elem", "slice", "early", "nested_if", "two"])
        if form == "early" and not getattr(self, "early_ok", True):
            raise Reject("too early for an early return")
        self._u37("while_" + form)
        if form == "elem":
            return [
                f"    {w} = {a}.copy()",
                f"    {i} = 0",
                f"    while {i} < len({w}):",
                f"        if {w}[{i}] > {c}:",
                f"            {w}[{i}] = {w}[{i}] * 0.5 + 0.1",
                f"            {i} += 1",
                "            continue",
                f"        {w}[{i}] = np.sin({w}[{i}]) + ({w}[{i} - 1] * 0.3 if {i} > 0 else 0.0)",
                f"        if {w}[{i}] < {round(float(np.min(av)) - 1.5, 3)}:",
                "            break",
                f"        {i} += 1",
                f"    {v} = {w} * ({i} + 1.0)",
            ]
        if form == "slice":
            return [
                f"    {w} = {a} * 1.0",
                f"    {lo}, {i} = 0, {n}",
                f"    while {lo} < {i}:",
                f"        {w}[{lo}:{i}] = {w}[{lo}:{i}] * 0.9 + np.cos({w}[{lo}:{i}]) * 0.1",
                f"        if {w}[{lo}] > {c}:",
                "            break",
                f"        {lo} += 1",
                f"        {i} -= {r.int(0, 1)}",
                f"    {v} = {w} + {lo}",
            ]
        if form == "early":
            return [
                f"    {i} = 0",
                f"    while {i} < {n}:",
                f"        if {a}[{i}] > {c}:",
                f"            if {i} % 2 == 0:",
                f"                return float(np.sum({a} ** 2)) + {i}",
                f"            elif {a}[{i}] > {round(float(np.max(av)) + 0.3, 3)}:",
                f"                return float({a}[{i}])",
                f"        {i} += 1",
                f"    {v} = {a} * {i}",
            ]
        if form == "nested_if":
            return [
                f"    {w} = np.zeros({n})",
                f"    {i} = 0",
                "    while True:",
                f"        if {a}[{i}] > {c}:",
                f"            if {i} > 0:",
                f"                {w}[{i}] += {w}[{i} - 1] + {a}[{i}]",
                "            else:",
                f"                {w}[{i}] = {a}[{i}] ** 2",
                "        else:",
                f"            {w}[{i}] -= np.tanh({a}[{i}])",
                f"        {i} += 1",
                f"        if {i} >= {n}:",
                "            break",
                f"    {v} = {w} * 1.0",
            ]
        return [
            f"    {w} = {a}.copy()",
            f"    {i}, {lo} = 0, 0",
            f"    while {i} < {n} and {lo} < {2 * n}:",
            f"        {lo} += 1",
            f"        if {w}[{i}] < {c}:",
            f"            {w}[{i}] += 0.75",
            "            continue",
            f"        {w}[{i}:] *= 0.95",
            f"        {i} += 1",
            f"    {v} = {w} + {lo} * 0.01",
        ]

    # -- x[i, j] += v in nested loops -------------------------------------------------------------

    def p_matrix_update(self) -> list[str]:
        r = self.r
        a, av = self._vec35(2, 4)
        b, bv = self._vec35(2, 4)
        mv = np.outer(av, np.cos(bv)) + 0.1
        c = self._cut33(mv)  # type: ignore[attr-defined]
        M, i, j, v = self._n35("M"), self._n35("i"), self._n35("j"), self._n35()
        form = r.pick(["cont", "break", "rows", "cols", "tri", "mask"])
        self._u37("mat_" + form)
        head = [f"    {M} = np.outer({a}, np.cos({b})) + 0.1"]
        if form == "cont":
            body = [
                f"    for {i} in range({M}.shape[0]):",
                f"        for {j} in range({M}.shape[1]):",
                f"            if {i} == {j}:",
                "                continue",
                f"            {M}[{i}, {j}] += {M}[{i} - 1, {j}] * 0.25",
            ]
        elif form == "break":
            body = [
                f"    for {i} in range({M}.shape[0]):",
                f"        for {j} in range({M}.shape[1]):",
                f"            {M}[{i}, {j}] *= 1.0 + 0.1 * {j}",
                f"            if {M}[{i}, {j}] > {c}:",
                "                break",
            ]
        elif form == "rows":
            body = [
                f"    for {i} in range(len({M})):",
                f"        {M}[{i}] = {M}[{i}] / (np.linalg.norm({M}[{i}]) + 1.0)",
            ]
        elif form == "cols":
            body = [
                f"    for {j} in range({M}.shape[1]):",
                f"        {M}[:, {j}] -= {M}[:, {j}].mean() * 0.5",
            ]
        elif form == "tri":
            body = [
                f"    for {i} in range({M}.shape[0]):",
                f"        {M}[{i}, {i}:] *= 0.5 + {i} * 0.25",
                f"        {M}[{i}, :{i}] += np.sin({M}[{i}, :{i}])",
            ]
        else:
            body = [
                f"    for {i} in range({M}.shape[0]):",
                f"        {M}[{i}][{M}[{i}] > {c}] -= 0.5",
            ]
        out = r.pick([f"{M}.sum(axis=1)", f"{M}.sum(axis=0)", f"{M}[0] * {M}[-1]"])
        return head + body + [f"    {v} = {out}", f"    del {M}"]

    # -- dicts of arrays updated in loops ---------------------------------------------------------

    def p_dict_arrays(self) -> list[str]:
        r = self.r
        a, _ = self._vec35()
        d, i, k, v = self._n35("d"), self._n35("i"), self._n35("k"), self._n35()
        K = r.int(1, 3)
        form = r.pick(["swap", "fkeys", "items", "update", "comp", "get"])
        self._u37("dict_" + form)
        head = [f"    {d} = {{'p': {a} * 1.0, 'q': np.cos({a})}}"]
        if form == "swap":
            body = [
                f"    for {i} in range({K}):",
                f"        {d}['p'], {d}['q'] = {d}['q'] * 0.5 + {i} * 0.1, "
                f"{d}['p'] - np.sin({d}['q']) * 0.25",
            ]
        elif form == "fkeys":
            body = [
                f"    for {i} in range({K}):",
                f"        {d}[f'h{{{i}}}'] = {d}['p'] * {d}['q'] + {i}",
                f"        {d}['p'] = {d}['p'] + {d}[f'h{{{i}}}'] * 0.1",
            ]
        elif form == "items":
            body = [
                f"    for {i} in range({K}):",
                f"        for {k}, {v} in {d}.items():",
                f"            {d}[{k}] = {v} * 0.9 + np.tanh({v}) * 0.1",
            ]
        elif form == "update":
            body = [
                f"    for {i} in range({K}):",
                f"        {d}.update(p={d}['q'] * {d}['p'], r={a} + {i})",
            ]
        elif form == "comp":
            body = [
                f"    for {i} in range({K}):",
                f"        {d} = {{{k}: {v} * ({i} + 1.5) for {k}, {v} in {d}.items() if {k} != 'z'}}",
            ]
        else:
            body = [
                f"    for {i} in range({K}):",
                f"        {d}['m'] = {d}.get('m', 0.0) * 0.9 + {d}['p'] * 0.1",
                f"        {d}['p'] = {d}['p'] - {d}['m']",
            ]
        fin = r.pick(
            [
                f"np.stack([{d}[{k}] for {k} in sorted({d})]).sum(axis=0)",
                f"sum({d}.values())",
                f"np.array(list({d}.values())).mean(axis=0)",
            ]
        )
        return head + body + [f"    {v} = {fin}", f"    del {d}"]
