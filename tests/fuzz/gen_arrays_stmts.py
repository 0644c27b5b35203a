"""Statements of the array generator: assignments, in-place writes to slices and views, stencil
loops, data-dependent `while` loops, SPD matrices, index arrays from sorts.

Input: the generator's state (see gen_arrays.ArrayGen). Output: a candidate statement's lines
(guarded text, indented one level: the body of `f`); `Reject` when it does not fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Reject(Exception):
    """A candidate statement or expression that does not run as wanted."""


class Stmts:
    """Statement generators; the host is gen_arrays.ArrayGen."""

    def statement(self) -> list[str]:
        r = self.r
        opts: list[tuple[float, Any]] = [(6, self.s_assign), (2, self.s_owned), (0.8, self.s_aug)]
        if self.owned:
            opts += [(3, self.s_setitem), (1.5, self.s_view_write), (1.2, self.s_stencil)]
            opts += [(0.6, self.s_stencil2), (0.8, self.s_rows)]
        if self.ok("while"):
            opts.append((1, self.s_while))
        opts += [(1, self.s_spd), (0.7, self.s_index_var), (0.7, self.s_accumulate)]
        return r.pick_w(opts)()

    def bind(self, prefix: str, text: str) -> tuple[str, list[str]]:
        name = self.fresh(prefix)
        return name, [f"    {name} = {text}"]

    def s_assign(self) -> list[str]:
        _, lines = self.bind("t", self.ex(self.r.int(1, 3)))
        return lines

    def s_aug(self) -> list[str]:
        names = [n for n in self.floats() if n not in self.params]
        if not names:
            raise Reject("no local")
        n = self.r.pick(names)
        self.use("aug_assign")
        op = self.r.pick(["+=", "-=", "*="])
        rhs = self.shaped(np.shape(self.env[n]), 1) if self.r.chance(0.6) else self.ex(1)
        return [f"    {n} {op} {rhs}"]

    def s_owned(self) -> list[str]:
        a, va = self.arr(self.r.int(0, 2), 1)
        how = self.r.pick(["copy", "np.copy", "array", "zeros", "astype"])
        self.use(f"owned_{how}")
        text = {
            "copy": f"{a}.copy()",
            "np.copy": f"np.copy({a})",
            "array": f"np.array({a})",
            "zeros": f"np.zeros({va.shape}) + {a}",
            "astype": f"{a}.astype(float)",
        }[how]
        name, lines = self.bind("u", text)
        self.owned.add(name)
        return lines

    def pick_owned(self) -> tuple[str, np.ndarray]:
        n = self.r.pick(sorted(self.owned))
        if n not in self.env:
            raise Reject("gone")
        return n, np.asarray(self.env[n])

    def target(self, n: str, v: np.ndarray) -> str:
        """An index of `v` for a write: basic, integer array, or boolean mask."""
        r = self.r
        kind = r.pick_w([(5, "basic"), (1.5, "ints"), (1, "mask"), (0.5, "ellipsis")])
        self.use(f"write_{kind}")
        if kind == "basic":
            return self.basic_index(v.shape)
        if kind == "ints":
            k = v.shape[0]
            idx = sorted({r.int(0, k - 1) for _ in range(r.int(1, 3))})
            if r.chance(0.25):
                self.use("write_ints_dup")
                idx = idx + idx[:1]
            return str(idx)
        if kind == "mask":
            t = r.pick(["0.0", "0.2", "-0.3"])
            return f"_kne({n}, {t}) > {t}"
        return "..."

    def rhs_for(self, tshape: tuple[int, ...]) -> str:
        r = self.r
        if not tshape or r.chance(0.25):
            return self.shaped((), 1) if r.chance(0.5) else r.pick(["0.5", "-1.0", "2.0"])
        k = r.int(0, len(tshape) - 1) if r.chance(0.3) else 0
        return self.shaped(tshape[k:], r.int(0, 2))

    def s_setitem(self) -> list[str]:
        n, v = self.pick_owned()
        idx = self.target(n, v)
        tshape = np.shape(self.ev(f"{n}[{idx}]"))
        op = self.r.pick(["=", "=", "+=", "-=", "*="])
        return [f"    {n}[{idx}] {op} {self.rhs_for(tshape)}"]

    def s_view_write(self) -> list[str]:
        """A view of an owned array written through: ``w = u[1:, ::2]; w += e``."""
        r = self.r
        n, v = self.pick_owned()
        kind = r.pick(["basic", "T", "reshape", "swap", "diag_row"])
        self.use(f"view_{kind}")
        if kind == "basic":
            vt = f"{n}[{self.basic_index(v.shape)}]"
        elif kind == "T":
            vt = f"{n}.T"
        elif kind == "reshape":
            vt = f"{n}.reshape(-1)" if r.chance(0.5) else f"{n}.ravel()"
        elif kind == "swap":
            if v.ndim < 2:
                raise Reject("rank")
            vt = f"np.swapaxes({n}, 0, -1)"
        else:
            vt = f"{n}[-1]"
        w = self.fresh("w")
        wv = np.asarray(self.ev(vt))
        if not wv.ndim:
            raise Reject("a number, not a view")
        lines = [f"    {w} = {vt}"]
        self.env[w] = wv  # for the right-hand side's shape only
        try:
            if r.chance(0.5):
                op = r.pick(["+=", "-=", "*="])
                lines.append(f"    {w} {op} {self.rhs_for(wv.shape)}")
            else:
                idx = self.basic_index(wv.shape)
                tshape = np.shape(self.ev(f"{w}[{idx}]"))
                lines.append(f"    {w}[{idx}] = {self.rhs_for(tshape)}")
        finally:
            del self.env[w]
        return lines

    def s_stencil(self) -> list[str]:
        """``for i in range(1, n): u[i] = c * u[i - 1] + g(x[i])`` on an owned array."""
        r = self.r
        n, v = self.pick_owned()
        k = v.shape[0]
        if k < 2:
            raise Reject("short")
        xs = [m for m in self.floats() if np.ndim(self.env[m]) and np.shape(self.env[m])[0] == k]
        x = r.pick(xs)
        xv = np.asarray(self.env[x])
        c = r.pick(["0.5", "0.8", "-0.6"])
        g = r.pick(["np.sin({})", "np.tanh({})", "{} * {}", "np.cos({})"])
        xi = f"{x}[i]"
        if xv.shape[1:] != v.shape[1:]:
            xi = f"np.sum({x}[i])"
        self.use("stencil")
        step = r.pick(["i - 1", "i - 1", "i - 2" if k > 2 else "i - 1"])
        lo = 2 if step == "i - 2" else 1
        body = f"{c} * {n}[{step}] + {g.format(xi, xi)}"
        if r.chance(0.3):
            body = f"np.sin({n}[{step}]) * {xi} + {n}[i]"
        return [f"    for i in range({lo}, {k}):", f"        {n}[i] = {body}"]

    def s_stencil2(self) -> list[str]:
        """A 2-D recurrence ``u[i, j] = f(u[i - 1, j], u[i, j - 1], ...)``."""
        n, v = self.pick_owned()
        if v.ndim != 2 or min(v.shape) < 2:
            raise Reject("needs a matrix")
        self.use("stencil2")
        a, b = self.r.pick([("0.5", "0.3"), ("0.4", "-0.5"), ("0.7", "0.2")])
        f = self.r.pick(["np.tanh", "np.sin", ""])
        return [
            f"    for i in range(1, {v.shape[0]}):",
            f"        for j in range(1, {v.shape[1]}):",
            f"            {n}[i, j] = {a} * {n}[i - 1, j] + {b} * {f}({n}[i, j - 1]) + {n}[i, j]",
        ]

    def s_rows(self) -> list[str]:
        """A loop over rows with a write per row: ``u[i] = u[i] @ M`` / ``u[i, :] *= ...``."""
        r = self.r
        n, v = self.pick_owned()
        self.use("row_loop")
        k = v.shape[0]
        row = v.shape[1:]
        if row and r.chance(0.5):
            m = self.shaped((row[-1], row[-1]), 1)
            upd = f"np.tanh({n}[i] @ {m})"
        else:
            upd = f"np.sin({n}[i]) * {self.shaped(row, 1)}" if row else f"np.cos({n}[i])"
        op = r.pick(["=", "+="])
        rev = r.pick(["range({})", "range({} - 1, -1, -1)", "range(0, {}, 2)"]).format(k)
        return [f"    for i in {rev}:", f"        {n}[i] {op} {upd}"]

    def s_accumulate(self) -> list[str]:
        """``acc = np.zeros(s); for k in range(K): acc = acc + g(...)`` (a loop carry)."""
        r = self.r
        a, va = self.arr(1, 0)
        acc = self.fresh("acc")
        self.use("accumulate")
        k = r.int(2, 4)
        sh = va.shape
        upd = r.pick([f"np.sin({a} * (k + 1))", f"{a} ** 2 / (k + 1.0)", f"np.tanh({acc} + {a})"])
        return [
            f"    {acc} = np.zeros({sh})",
            f"    for k in range({k}):",
            f"        {acc} = {acc} + {upd}",
        ]

    def s_while(self) -> list[str]:
        """A data-dependent ``while`` with a bounded counter."""
        r = self.r
        a, va = self.arr(1, 0, 3)
        t, k = self.fresh("y"), self.fresh("k")
        q = float(np.sum(va * va))
        c = round(r.pick([0.3, 0.5, 0.8]) * q, 4)
        self.use("while")
        step = r.pick([f"0.6 * {t}", f"0.7 * {t} + 0.05 * np.sin({t})", f"{t} * 0.5 + 0.1"])
        return [
            f"    {t} = {a} * 1.0",
            f"    {k} = 0",
            f"    while _kne(np.sum({t} * {t}), {c}) > {c} and {k} < 6:",
            f"        {t} = {step}",
            f"        {k} += 1",
        ]

    def s_spd(self) -> list[str]:
        self.use("spd")
        text = self.spd_matrix(self.r.int(0, 2))
        name, lines = self.bind("S", text)
        self.spd.add(name)
        if self.r.chance(0.7):  # and use it at once (np.linalg of a later line is rarer)
            self.env[name] = self.ev(text)
            try:
                lines += self.bind("t", self.x_linalg(self.r.int(1, 2)))[1]
            finally:
                del self.env[name]
        return lines

    def s_index_var(self) -> list[str]:
        """An index array from a sort or argmax, used in a later line."""
        r = self.r
        a, va = self.arr(1, 1, 1)
        kind = r.pick(["argsort", "argmax", "flip"])
        self.use(f"index_var_{kind}")
        i = self.fresh("i")
        if kind == "argsort":
            src = f"np.argsort(_kgap({a}))"
        elif kind == "argmax":
            src = f"np.argmax(_kgap({a}))"
        else:
            src = f"np.argsort(_kgap({a}))[::-1]"
        cands = [m for m in self.floats() if np.ndim(self.env[m]) and len(self.env[m]) == len(va)]
        if not cands:
            raise Reject("nothing to index")
        m = r.pick(cands)
        t = self.fresh("t")
        return [f"    {i} = {src}", f"    {t} = {m}[{i}] * 1.0"]
