"""More expressions and statements of the wild generator (tests/fuzz/gen_wild.py).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: (text, value) pairs of
expressions, or statement lines, that the first three modules do not draw: Python builtins on
arrays (`sum` over rows, `max`/`min`/`sorted`/`list`/`pow`/`divmod`/`round`), conditional
expressions, ufunc methods (`np.add.reduce`, `np.maximum.accumulate`, `np.multiply.outer`),
`np.where(c)`'s index tuple, row masks, `np.clip` with None, chained methods, user functions
called with keywords, and statements writing through views of local arrays (``w = u[::2];
w *= 2``), fancy writes with repeated indices, `np.copyto`-free `u[...] = e`, loops over ints
with modular indexing, and lambdas capturing a loop variable as a default.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject


class WildMore:
    """Mixin of `gen_wild_stmts.WildStmts`: the extra expression and statement forms."""

    r: Any

    def e_more(self, d: int) -> tuple[str, Any]:
        r = self.r
        a, av = self.fexpr(d - 1)
        nd = np.ndim(av)
        b, _ = self.leaf("f", self.compatible(np.shape(av)))
        opts = [
            f"({a} if np.sum({b}) > {r.normal()} else {b} * 2.0)",
            f"np.clip({a}, None, {abs(r.normal())})",
            f"np.clip({a}, {-abs(r.normal())}, None)",
            f"({a}).clip(min={-abs(r.normal())})",
            f"pow({a}, 2)",
            f"divmod({a}, 1.5)[1] + {a}",
            f"np.add.reduce(np.atleast_1d({a}), axis=0)",
            f"np.maximum.accumulate(np.atleast_1d({a}))",
            f"np.multiply.outer(np.atleast_1d({a}), np.atleast_1d({b}))",
            f"np.minimum.reduce(np.atleast_1d({a}))",
            f"np.subtract.outer(np.ravel({a}), np.ravel({b}))",
            f"np.ravel({a})[np.where(np.ravel({a}) > {r.normal()})]",
            f"np.asarray({a}).reshape(-1, 1).T @ np.asarray({a}).reshape(-1, 1)",
            f"np.asarray({a}).ravel()[::-1].cumsum()[::-1]",
            f"np.float32({a}) + {b}" if nd == 0 else f"({a}).astype(np.float32) + {b}",
            f"np.dot(np.ravel({a}), np.ravel({a}))",
            f"np.sum(np.sort(np.ravel({a}))[1:])",
            f"np.ravel({a})[np.argsort(np.ravel({b}) if np.size({b}) == np.size({a}) else np.ravel({a}))]",
            f"np.vdot({a}, {a})",
            f"np.trace(np.atleast_2d({a}))",
            f"np.prod(np.atleast_1d({a})[:3])",
            f"np.sum({a}, initial={r.normal()})",
            f"np.max({a}, initial={-5.0 - abs(r.normal())})",
            f"np.nanmean(np.where(np.asarray({a}) > {r.normal()}, {a}, np.nan))",
            f"np.average({a}, weights=np.abs({b}) + 0.5)" if nd else f"np.average({a})",
            f"np.interp({a}, [-3.0, 0.0, 3.0], [1.0, -1.0, 2.0])",
            f"np.piecewise({a}, [np.asarray({a}) < 0.0], [lambda t: t ** 2, lambda t: 2.0 * t])",
            f"np.sum(np.triu(np.atleast_2d({a}), 1) ** 2)",
            f"np.linalg.norm(np.atleast_2d({a}), axis=-1, keepdims=True)",
            f"np.std({a}, axis={self.axis_for(nd) or 'None'}, ddof=0, keepdims=True)",
            f"np.einsum('ij,j->i', np.atleast_2d({a}), np.ones(np.shape(np.atleast_2d({a}))[1]))",
            f"np.logaddexp.reduce(np.atleast_1d({a}))",
            f"np.cumsum(np.atleast_2d({a}), axis=0)[-1]",
        ]
        if nd == 1:
            opts += [
                f"sum({a})",
                f"max({a})",
                f"min({a}) * {a}",
                f"np.array(sorted({a}))",
                f"np.array(list({a})[::-1])",
                f"np.array([{a}[k % len({a})] * k for k in range(4)])",
                f"np.array(list(reversed({a})))",
            ]
        if nd == 2:
            opts += [
                f"sum({a})",
                f"({a})[np.sum({a}, axis=1) > {r.normal()}]",
                f"({a})[[0, -1]][:, ::-1]",
                f"({a})[:, [0]] * ({a})[[0], :]",
                f"np.array([row @ row for row in {a}])",
                f"np.array([{a}[k, k % {a}.shape[1]] for k in range({a}.shape[0])])",
            ]
        src = r.pick(opts)
        self.use("x_" + src.split("(")[0].replace("np.", "").strip(" (")[:20])
        v = self.ev(src)
        if np.size(v) == 0:
            raise Reject("empty")
        return src, v

    def s_view(self) -> list[str]:
        """Writes through a view of a fresh local array, and fancy writes with repeats."""
        r = self.r
        a, av = self.fexpr(self.depth() - 1)
        if np.ndim(av) == 0 or np.size(av) < 2:
            raise Reject("view of a scalar")
        u, w = self.fresh("u"), self.fresh("w")
        n0 = np.shape(av)[0]
        view = r.pick(["[::2]", "[1:]", "[::-1]", "[...]", "[:, 0]", "[-1]", ".T", ".reshape(-1)"])
        if view in ("[:, 0]",) and np.ndim(av) != 2:
            view = "[0]"
        self.scoped(**{u: np.array(av, dtype=float)})
        b, _ = self.fexpr(self.depth() - 1) if r.chance(0.5) else self.leaf("f")
        form = r.pick(["view_aug", "view_set", "fancy_rep", "ellipsis_set", "row_loop"])
        self.use("view_" + form)
        head = [f"    {u} = np.array({a}, dtype=float)"]
        if form == "view_aug":
            op = r.pick(["+=", "*=", "-="])
            return head + [f"    {w} = {u}{view}", f"    {w} {op} np.tanh({b})"]
        if form == "view_set":
            return head + [f"    {w} = {u}{view}", f"    {w}[...] = np.sin({w}) * 0.5"]
        if form == "fancy_rep":
            k = r.int(0, n0 - 1)
            return head + [f"    {u}[[{k}, {k}, 0]] += 1.5 * np.cos({u}[[{k}, {k}, 0]])"]
        if form == "ellipsis_set":
            return head + [f"    {u}[...] = {u} * {u}[::-1]"]
        i = self.fresh("i")
        return head + [
            f"    for {i} in range(1, len({u})):",
            f"        {u}[{i}] = {u}[{i}] * 0.5 + {u}[{i} - 1] * np.tanh({u}[{i}])",
        ]

    def s_lambdas(self) -> list[str]:
        """Lambdas capturing a loop variable as a default; a user function called by keyword."""
        r = self.r
        a, av = self.leaf("f", lambda x: x.ndim >= 1 and 0 < x.shape[0] <= 5)
        fs, n = self.fresh("fs"), self.fresh()
        k = self.fresh("k")
        self.use("lambda_default")
        body = r.pick(["t * {k}", "np.sin(t + {k})", "t ** 2 - {k} * t"]).format(k=k)
        lines = [
            f"    {fs} = [lambda t, {k}={k}: {body} for {k} in range(3)]",
            f"    {n} = sum(g({a}) for g in {fs})",
        ]
        if r.chance(0.5):
            g = self.fresh("g")
            lines += [
                f"    def {g}(t, *, scale=1.0, shift=0.0):",
                "        return np.tanh(t * scale + shift)",
                f"    {n} = {n} + {g}({a}, shift={r.normal()}, scale={r.normal()})",
            ]
        return lines


__all__ = ["WildMore"]
