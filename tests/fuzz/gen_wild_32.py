"""Users' forms the wild generator (tests/fuzz/gen_wild.py) did not draw before session 32.

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group (`s_w32()`), or `Reject`: writes through views of a fresh matrix (a row named
and updated, ``r = A[i]; r += v``; a column scaled, ``A[:, j] *= s``; a transpose written);
``np.add.at``/``np.subtract.at``/``np.multiply.at`` with repeated indices; boolean-mask writes
(``w[w > c] = ...``, ``w[m] *= s``); float32 values mixed with float64 ones; ``x.T @ y`` with 1-D
and 2-D operands and ``M @= N``; integer powers and ``**`` with negative bases (``(a - c) ** 3``,
``(-1.5) ** k``, ``a ** -2``, ``x ** n`` with an int ``n``); ``np.where`` over branches that make
NaN or inf elsewhere, under ``with np.errstate(...)``. The control-flow and state forms (early
``return`` from nested loops, data-dependent ``while``, state threaded through helpers, classes
updating fields): tests/fuzz/gen_wild_32c.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_32c import Wild32Ctl


class Wild32(Wild32Ctl):
    """Mixin of `gen_wild_stmts.WildStmts`: the session-32 forms (see the module docstring; the
    control-flow and state forms: tests/fuzz/gen_wild_32c.py)."""

    r: Any

    def s_w32(self) -> list[str]:
        forms = [
            (2, self.u_view_write),
            (1.5, self.u_ufunc_at),
            (1.5, self.u_mask_write),
            (1, self.u_f32),
            (1.5, self.u_matmul),
            (1.5, self.u_pow),
            (1, self.u_where_nan),
            (1, self.u_early_nested),
            (1, self.u_while_data),
            (1, self.u_state),
            (1.5, self.u_class),
        ]
        return self.r.pick_w(forms)()

    # -- writes through views -----------------------------------------------------------------

    def u_view_write(self) -> list[str]:
        r = self.r
        a, av = self._vec32(2, 5)
        n = len(av)
        A, row, v, i = self._n32("A"), self._n32("r"), self._n32(), self._n32("i")
        s, _ = self._sc32()
        base = r.pick(
            [
                f"np.outer({a}, np.cos({a})) + 0.5",
                f"np.eye({n}) * {self._k32()} + np.sin(np.add.outer({a}, {a}))",
                f"np.tile({a}, ({r.int(1, 3)}, 1)) * 1.0",
            ]
        )
        form = r.pick(["row", "col", "row_loop", "transpose", "diag", "slice_row"])
        self._u32("view_" + form)
        lines = [f"    {A} = {base}"]
        j = r.int(0, n - 1)
        if form == "row":
            lines += [
                f"    {row} = {A}[{r.int(-1, 0)}]",
                f"    {row} {r.pick(['+=', '-=', '*='])} np.tanh({a})",
            ]
        elif form == "col":
            lines.append(f"    {A}[:, {j}] {r.pick(['*=', '+=', '-='])} {s}")
        elif form == "row_loop":
            lines += [
                f"    for {i} in range({A}.shape[0]):",
                f"        {row} = {A}[{i}]",
                f"        {row} *= {self._k32()}",
                f"        {row} -= {a}[{i} % {n}] * 0.5",
            ]
        elif form == "transpose":
            lines += [f"    {row} = {A}.T", f"    {row}[{j}] += {a} * {s}"]
        elif form == "diag":
            lines.append(f"    {A}[np.arange({n}), np.arange({n})] = {a} ** 2 + 1.0")
            lines[0] = f"    {A} = np.outer({a}, {a}) * 0.5"
        else:
            lines += [f"    {row} = {A}[:1, 1:]", f"    {row} *= np.sin({s})"]
        return lines + [f"    {v} = {A}.sum(axis=0) * 0.5 + {A}[-1]"]

    # -- ufunc.at with repeated indices --------------------------------------------------------

    def u_ufunc_at(self) -> list[str]:
        r = self.r
        a, av = self._vec32(1, 5)
        n = len(av)
        z, v = self._n32("z"), self._n32()
        m = r.int(2, 4)
        idx = [r.int(0, m - 1) for _ in range(n)]
        if len(set(idx)) == len(idx) and n > 1:
            idx[-1] = idx[0]  # at least one index repeated
        fn = r.pick_w([(3, "add"), (1, "subtract"), (1.5, "multiply")])
        self._u32("at_" + fn)
        init = r.pick([f"np.zeros({m})", f"np.ones({m}) * 0.5", f"np.cos(np.arange({m}) + {a}[0])"])
        vals = r.pick([f"{a}", f"{a} ** 2", f"np.sin({a}) * 1.5"])
        if fn == "multiply":
            init = f"np.ones({m}) + 0.25 * np.cos(np.arange({m}) + {a}[0])"
            vals = f"np.tanh({a}) * 0.5 + 1.0"
        ix = r.pick([repr(idx), f"np.array({idx!r})"])
        lines = [f"    {z} = {init}", f"    np.{fn}.at({z}, {ix}, {vals})"]
        if r.chance(0.3):
            w = r.int(0, m - 1)
            lines.append(f"    np.add.at({z}, {w}, {a}[0] * 2.0)")
        return lines + [f"    {v} = {z} * {z}"]

    # -- boolean-mask writes -------------------------------------------------------------------

    def u_mask_write(self) -> list[str]:
        r = self.r
        a, av = self._vec32(2, 6)
        w, v, m = self._n32("w"), self._n32(), self._n32("m")
        c = self._cut32(av)
        form = r.pick(["set_expr", "set_const", "aug", "named_mask", "other", "neg"])
        self._u32("mask_" + form)
        lines = [f"    {w} = {a}.copy()" if r.chance(0.5) else f"    {w} = np.array({a})"]
        if form == "set_expr":
            lines.append(f"    {w}[{w} > {c}] = np.sin({w}[{w} > {c}]) * 2.0")
        elif form == "set_const":
            lines.append(f"    {w}[{w} < {c}] = {r.pick(['0.0', '1.5', '-0.25'])}")
        elif form == "aug":
            lines.append(f"    {w}[{w} > {c}] {r.pick(['*=', '+=', '-=', '/='])} {self._k32()}")
        elif form == "named_mask":
            lines += [
                f"    {m} = {a} > {c}",
                f"    {w}[{m}] = {a}[{m}] ** 2",
                f"    {w}[~{m}] *= 0.5",
            ]
        elif form == "other":
            lines += [f"    {m} = np.cos({a}) > {round(float(np.cos(float(c))), 4)}"]
            lines += [f"    {w}[{m}] = np.tanh({a})[{m}]"]
        else:
            lines.append(f"    {w}[np.abs({w}) > {abs(float(c)) + 0.05:.4f}] *= -1.0")
        return lines + [f"    {v} = {w} * {a}"]

    # -- float32 mixed with float64 -------------------------------------------------------------

    def u_f32(self) -> list[str]:
        r = self.r
        a, _ = self._vec32(1, 5)
        h, v = self._n32("h"), self._n32()
        form = r.pick(["astype", "scalar", "array", "cast_back", "sum32"])
        self._u32("f32_" + form)
        if form == "astype":
            return [f"    {h} = {a}.astype(np.float32)", f"    {v} = {h} * {a} + np.sin({h})"]
        if form == "scalar":
            return [f"    {v} = np.float32({self._k32()}) * {a} + np.float32(1.0)"]
        if form == "array":
            return [
                f"    {h} = np.array({a}, dtype=np.float32)",
                f"    {v} = np.exp({h} * 0.5) + {a} ** 2",
            ]
        if form == "cast_back":
            return [
                f"    {h} = np.tanh({a}.astype(np.float32))",
                f"    {v} = {h}.astype(np.float64) * 2.0 + {a}",
            ]
        return [
            f"    {h} = np.sum({a}.astype(np.float32) ** 2)",
            f"    {v} = {a} * {h}",
        ]

    # -- matmul with 1-D / 2-D operands, @= ------------------------------------------------------

    def u_matmul(self) -> list[str]:
        r = self.r
        a, av = self._vec32(2, 4)
        n = len(av)
        M, v, N = self._n32("M"), self._n32(), self._n32("N")
        lines = [f"    {M} = np.outer(np.sin({a}), {a}) * 0.5 + np.eye({n})"]
        form = r.pick(["vecT", "matT_vec", "vec_mat", "col_row", "imatmul", "imatmul_loop", "dot"])
        self._u32("mm_" + form)
        if form == "vecT":
            lines.append(f"    {v} = {a}.T @ {a} * {a}")
        elif form == "matT_vec":
            lines.append(f"    {v} = {M}.T @ {a}")
        elif form == "vec_mat":
            lines.append(f"    {v} = {a} @ {M}.T @ {M}")
        elif form == "col_row":
            lines.append(f"    {v} = ({a}[:, None].T @ {M}).ravel() + ({M} @ {a}[:, None])[:, 0]")
        elif form == "imatmul":
            lines += [f"    {M} @= np.diag(np.cos({a}))", f"    {v} = {M} @ {a}"]
        elif form == "imatmul_loop":
            lines += [
                f"    {N} = np.eye({n})",
                f"    for _ in range({r.int(1, 3)}):",
                f"        {N} @= {M} * 0.5",
                f"    {v} = {N}.T @ {a}",
            ]
        else:
            lines.append(f"    {v} = np.dot({a}, {M}) + {a}.dot({M}.T) * 0.5")
        return lines

    # -- integer powers, negative bases ----------------------------------------------------------

    def u_pow(self) -> list[str]:
        r = self.r
        a, av = self._vec32(1, 5)
        v, k, t, p = self._n32(), self._n32("k"), self._n32("t"), self._n32("p")
        form = r.pick(["shift_cube", "neg_base", "neg_exp", "int_name", "loop_sign", "float_int"])
        self._u32("pow_" + form)
        if form == "shift_cube":
            return [
                f"    {v} = ({a} - {round(float(np.mean(av)) + 0.7, 3)}) ** {r.pick([2, 3, 5])}"
            ]
        if form == "neg_base":
            return [f"    {v} = (-np.abs({a}) - 0.5) ** {r.pick([2, 3, 4])} * np.sign(-1.5)"]
        if form == "neg_exp":
            return [f"    {v} = ({a} ** 2 + 0.5) ** -{r.pick([1, 2, 3])} + np.power({a} - 3.0, -2)"]
        if form == "int_name":
            return [f"    {k} = {r.int(2, 4)}", f"    {v} = ({a} - 2.0) ** {k} + {a} ** ({k} - 1)"]
        if form == "loop_sign":
            return [
                f"    {v} = {a} * 0.0",
                f"    for {t} in range({r.int(1, 4)}):",
                f"        {v} = {v} + (-1.5) ** {t} * {a} ** ({t} + 1)",
            ]
        return [f"    {p} = {a} - 4.0", f"    {v} = {p} ** 3.0 + np.float_power({p}, 2)"]

    # -- np.where over NaN-making branches -----------------------------------------------------

    def u_where_nan(self) -> list[str]:
        r = self.r
        a, av = self._vec32(2, 6)
        v = self._n32()
        c = self._cut32(av)
        form = r.pick(["sqrt", "log", "div", "arcsin", "power"])
        self._u32("wnan_" + form)
        e = {
            "sqrt": f"np.where({a} > {c}, np.sqrt({a} - {c}), 0.0)",
            "log": f"np.where({a} > {c}, np.log({a} - {c}), {a})",
            "div": f"np.where({a} > {c}, 1.0 / ({a} - {c}), {a} ** 2)",
            "arcsin": f"np.where(np.abs({a}) < 1.0, np.arcsin({a}), {a} * 0.5)",
            "power": f"np.where({a} < {c}, ({c} - {a}) ** 0.5, -{a})",
        }[form]
        kinds = r.pick(['invalid="ignore", divide="ignore"', 'all="ignore"'])
        return [f"    with np.errstate({kinds}):", f"        {v} = {e}"]
