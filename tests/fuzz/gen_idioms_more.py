"""Statements of the idioms generator (`gen_idioms.py`), part two: integer-valued intermediates
(floor, round, argmax, counts, `//`) used as indices and factors, float32 and complex mixed into
float64 code, 2-D slices with negative steps read and written, in-place updates of views (`out=`,
`np.copyto`, `.fill`, `.sort()`, row swaps through views, overlapping `u[1:] += u[:-1]`), and
Python's iteration helpers (`functools.reduce`, `sorted`/`max` with `key=`, `np.ndindex`,
`zip(*m)`, `nonlocal` counters, `:=`).

Input: the generator's state (see gen_arrays.ArrayGen). Output: a candidate statement's lines
(guarded text, indented one level); `Reject` when it does not fit.
"""

from __future__ import annotations

import numpy as np

from .gen_arrays_stmts import Reject


class IdiomMore:
    """Statement generators; the host is gen_idioms.IdiomGen."""

    def i_int_valued(self) -> list[str]:
        r = self.r
        a, va = self.vec(1)
        n = va.shape[0]
        t, k = self.fresh("t"), self.fresh("k")
        kind = r.pick(["floor_index", "argmax", "count", "halves", "round", "frac", "search"])
        self.use(f"int_{kind}")
        if kind == "floor_index":
            s = self.scal(1)
            return [
                f"    {k} = int(np.floor(_kfrac(2.0 * np.tanh({s}) + 2.0))) % {n}",
                f"    {t} = {a}[{k}] * 2.0 + {a} * ({k} + 1)",
            ]
        if kind == "argmax":
            b = self.shaped(va.shape, 1)
            return [
                f"    {k} = int(np.argmax(_kgap({a})))",
                f"    {t} = {a}[{k}] * {b} + {b}[({k} + 1) % {n}]",
            ]
        if kind == "count":
            c = self.thr(f"float(np.median({a}))")
            return [
                f"    {k} = int(np.sum(_kne({a}, {c}) > {c}))",
                f"    {t} = {a} * ({k} + 1.0) + {k} ** 2",
            ]
        if kind == "halves":
            if n < 2:
                raise Reject("short")
            return [f"    {k} = len({a}) // 2", f"    {t} = {a}[:{k}] @ {a}[{k}:2 * {k}] + {a}"]
        if kind == "round":
            return [f"    {t} = np.round(_kfrac({a} * 3.0 + 0.5)) * {a}"]
        if kind == "frac":
            return [f"    {t} = {a} * 2.0 - np.floor(_kfrac({a} * 2.0)) + {a} // 1.0 * 0.0"]
        srt = self.fresh("srt")
        c = self.thr(f"float(np.mean({a}))")
        return [
            f"    {srt} = np.sort(_kgap(_kne({a}, {c})))",
            f"    {k} = int(np.searchsorted({srt}, {c}))",
            f"    {t} = np.sum({srt}[:{k} + 1] ** 2) + {srt}[{k} % {n}]",
        ]

    def i_dtypes(self) -> list[str]:
        r = self.r
        a, va = self.arr(1, 1, 2)
        t = self.fresh("t")
        kind = r.pick(["f32_const", "astype_mix", "f32_scalar", "all32", "complex"])
        self.use(f"dtype_{kind}")
        if kind == "f32_const":
            vals = ", ".join(r.pick(["0.1", "-0.7", "1.3", "0.45"]) for _ in range(va.shape[-1]))
            return [f"    {t} = {a} * np.array([{vals}], dtype=np.float32)"]
        if kind == "astype_mix":
            return [f"    {t} = {a}.astype(np.float32) * 0.5 + {a}"]
        if kind == "f32_scalar":
            return [f"    {t} = np.sin({a}) * np.float32(1.25) + {a}"]
        if kind == "all32":
            return [f"    {t} = np.tanh({a}.astype(np.float32)) * 2.0"]
        b = self.shaped(va.shape, 1)
        z = self.fresh("z")
        return [
            f"    {z} = {a} + 1j * np.sin({b})",
            f"    {t} = np.real({z} * np.conj({z})) + np.imag({z} ** 2)",
        ]

    def i_slices2d(self) -> list[str]:
        """2-D basic indexing with negative steps on both axes, read and written."""
        r = self.r
        sl = ["::-1", "::-2", "1::2", "-1:0:-1", ":-1", "1:", "::2", "-2::-1"]
        if r.chance(0.5):
            m, vm = self.arr(1, 2, 2)
            t = self.fresh("t")
            self.use("slice2d_read")
            return [f"    {t} = {m}[{r.pick(sl)}, {r.pick(sl)}] * 1.0"]
        lines, n, v = self.need_matrix()
        idx = f"{r.pick(sl)}, {r.pick(sl)}"
        tshape = np.shape(self.ev(f"{n}[{idx}]"))
        if 0 in tshape:
            raise Reject("empty")
        op = r.pick(["=", "+=", "*=", "-="])
        self.use("slice2d_write")
        return lines + [f"    {n}[{idx}] {op} {self.rhs_for(tshape)}"]

    def i_inplace_view(self) -> list[str]:
        lines, n, v = self.need_matrix() if self.r.chance(0.5) else ([], *self.pick_owned())
        return lines + self.inplace(n, v)

    def inplace(self, n: str, v: np.ndarray) -> list[str]:
        """An in-place update of the owned array `n` (value `v`) or of a view of it."""
        r = self.r
        w = self.fresh("w")
        kind = r.pick(
            [
                "out",
                "out_self",
                "copyto",
                "fill",
                "sort",
                "swap_rows",
                "swap_fancy",
                "swap_elems",
                "overlap",
                "ellipsis",
            ]
        )
        self.use(f"inplace_{kind}")
        if kind == "out":
            if v.shape[0] < 2:
                raise Reject("short")
            return [f"    {w} = {n}[1:]", f"    np.multiply({w}, 0.5, out={w})"]
        if kind == "out_self":
            return [f"    np.add({n}, {self.rhs_for(v.shape)}, out={n})"]
        if kind == "copyto":
            tshape = np.shape(v[::2])
            return [f"    np.copyto({n}[::2], {self.rhs_for(tshape)})"]
        if kind == "fill":
            return (
                [f"    {w} = {n}[-1]", f"    {w}.fill({r.pick(['0.3', '-1.0'])})"]
                if v.ndim > 1
                else [f"    {n}[1:].fill(0.25)"]
            )
        if kind == "sort":
            ax = r.pick([0, -1])
            return [f"    _kw({n}, _kgap({n}, {ax})).sort(axis={ax})"]
        if v.shape[0] < 2:
            raise Reject("short")
        if kind == "swap_rows":  # rows of a matrix are views: Python copies u[1] into u[0] first
            return [f"    {n}[0], {n}[1] = {n}[1], {n}[0]"]
        if kind == "swap_fancy":
            return [f"    {n}[[0, 1]] = {n}[[1, 0]]"]
        if kind == "swap_elems":
            return [f"    {n}[0], {n}[-1] = {n}[-1] * 1.0, {n}[0] * 1.0"]
        if kind == "overlap":
            return [f"    {n}[1:] += {r.pick(['', '0.5 * '])}{n}[:-1]"]
        return [f"    {n}[...] = np.sin({n}[...]) + {self.rhs_for(v.shape)}"]

    def i_pyiter(self) -> list[str]:
        r = self.r
        a, va = self.vec(1)
        t = self.fresh("t")
        kind = r.pick(
            [
                "reduce" if self.ok("closure_value") else "walrus",
                "sorted_key",
                "max_key",
                "ndindex",
                "zip_star",
                "nonlocal" if self.ok("closure_value") else "any_all",
                "walrus",
                "any_all",
            ]
        )
        self.use(f"pyiter_{kind}")
        if kind == "reduce":
            return [f"    {t} = functools.reduce(lambda p, q: 0.5 * p + np.sin(q), list({a}), 0.0)"]
        if kind == "ndindex" or kind in ("sorted_key", "max_key", "zip_star"):
            m, vm = self.arr(1, 2, 2)
        if kind == "sorted_key":
            return [
                f"    {t} = sorted(list(_kw({m}, _kgap(np.sum({m}, axis=1)))), "
                "key=lambda row: float(np.sum(row)))",
                f"    {t} = {t}[0] * 2.0 + {t}[-1]",
            ]
        if kind == "max_key":
            f = r.pick(["max", "min"])
            return [
                f"    {t} = {f}(_kw({m}, _kgap(np.sum({m} * {m}, axis=1))), "
                "key=lambda row: float(row @ row)) * 1.0"
            ]
        if kind == "ndindex":
            return [
                f"    {t} = 0.0",
                f"    for i, j in np.ndindex(*{m}.shape):",
                f"        {t} = {t} + {m}[i, j] * (i - j + 0.5)",
            ]
        if kind == "zip_star":
            return [f"    {t} = np.array([np.sum(np.array(c) ** 2) for c in zip(*{m})])"]
        if kind == "nonlocal":
            b = self.shaped(va.shape, 1)
            mk = self.fresh("make")
            return [
                f"    def {mk}():",
                "        total = 0.0",
                "        def add(z):",
                "            nonlocal total",
                "            total = total + np.sum(z ** 2)",
                "            return total",
                "        return add",
                f"    {t} = {mk}()",
                f"    {t}({a})",
                f"    {t} = {t}({b}) * 1.0",
            ]
        if kind == "walrus":
            k = self.fresh("k")
            return [
                f"    {k} = 0",
                f"    {t} = {a} * 1.0",
                f"    while ({k} := {k} + 1) < {r.int(2, 4)}:",
                f"        {t} = np.sin({t}) + {a} * {k}",
            ]
        c = self.thr(f"float(np.max({a}))")
        f = r.pick(["any", "all"])
        return [
            f"    if {f}(_kne(float(e), {c}) > {c} for e in {a}):",
            f"        {t} = {a} * 2.0",
            "    else:",
            f"        {t} = np.cos({a})",
        ]

    def i_reduce_axes(self) -> list[str]:
        r = self.r
        a, va = self.arr(1, 2, 3)
        t = self.fresh("t")
        ax = r.pick([0, 1, -1, (0, 1)] if va.ndim >= 2 else [0])
        kind = r.pick(["norm_keep", "center", "std_keep", "max_keep", "prod_axis"])
        self.use(f"axes_{kind}")
        if kind == "norm_keep":
            if isinstance(ax, tuple):
                ax = -1
            return [
                f"    {t} = {a} / np.linalg.norm(_kw({a}, _kpos(np.linalg.norm({a}, axis={ax}))), "
                f"axis={ax}, keepdims=True)"
            ]
        if kind == "center":
            return [f"    {t} = {a} - {a}.mean(axis={ax}, keepdims=True)"]
        if kind == "std_keep":
            return [f"    {t} = {a} / (np.std({a}, axis={ax}, keepdims=True) + 0.5)"]
        if kind == "max_keep":
            return [f"    {t} = {a} - np.max(_kgap({a}, {ax}), axis={ax}, keepdims=True)"]
        return [f"    {t} = np.prod(np.tanh({a}) + 1.5, axis={ax})"]

    def i_wrap(self) -> list[str]:
        """Another statement of the generator (any kind) inside a loop or a branch: loops and
        branches around writes, helpers, accumulators; names bound in a branch not taken stay
        unbound (later statements only read the names the run bound)."""
        r = self.r
        self.wrap_depth = getattr(self, "wrap_depth", 0) + 1
        try:
            inner = self.statement() if self.wrap_depth <= 2 else super().statement()
        finally:
            self.wrap_depth -= 1
        body = ["    " + line for line in inner]
        kind = r.pick(["for", "for", "if", "while", "for_break"])
        self.use(f"wrap_{kind}")
        k = self.fresh("k")
        if kind == "for":
            return [f"    for {k} in range({r.int(2, 3)}):"] + body
        if kind == "while":
            return (
                [f"    {k} = 0", f"    while {k} < {r.int(1, 3)}:"] + body + [f"        {k} += 1"]
            )
        a, va = self.arr(1, 0, 2)
        c = self.thr(f"float(np.sum({a}))")
        cond = f"_kne(float(np.sum({a})), {c}) > {c}"
        if kind == "if":
            return [f"    if {cond}:"] + body
        return (
            [f"    for {k} in range({r.int(2, 4)}):"]
            + body
            + [f"        if {cond}:", "            break"]
        )
