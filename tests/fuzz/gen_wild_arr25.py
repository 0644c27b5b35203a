"""Array forms of the wild generator (tests/fuzz/gen_wild.py) added in session 25.

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement, or `Reject`: 2-D fancy indexing (``np.ix_``, index pairs, column lists, negative-step
views indexed) read and written; reductions with ``axis``/``keepdims`` used to normalise
(softmax, centring, norms); ufuncs with ``out=``; ``x.T @ y``, ``y @ x`` and (n,1) with (1,m)
broadcasting; float32 and int arrays, NumPy scalars and 0-d arrays mixed into float64 code.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class WildArr25:
    """Mixin of `gen_wild_extra.WildExtra`: the array forms (see the module docstring)."""

    r: Any

    def _c(self) -> str:
        return f"{round(self.r.normal() * 0.5, 3)}"

    def _xvec(self, lo: int = 2, hi: int = 6) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 1 and lo <= x.size <= hi)  # type: ignore

    def _xmat(self, lo: int = 1) -> tuple[str, Any]:
        return self.leaf("f", lambda x: x.ndim == 2 and lo <= min(x.shape))  # type: ignore

    def x_fancy2d(self) -> list[str]:
        r = self.r
        a, av = self._xmat(2)
        n, m = av.shape
        rows = [r.int(0, n - 1) for _ in range(r.int(1, 3))]
        cols = [r.int(0, m - 1) for _ in range(r.int(1, 3))]
        pair_c = [r.int(0, m - 1) for _ in rows]
        v, u = self.fresh(), self.fresh("u")  # type: ignore[attr-defined]
        form = r.pick(["ix", "pairs", "cols", "rows_neg", "write_ix", "write_pairs"])
        self.use("w25_fancy2d_" + form)  # type: ignore[attr-defined]
        if form == "ix":
            return [f"    {v} = {a}[np.ix_({rows}, {cols})] * 2.0"]
        if form == "pairs":
            return [f"    {v} = {a}[{rows}, {pair_c}] + {a}[{rows}][:, {cols}].sum(axis=1)"]
        if form == "cols":
            return [f"    {v} = {a}[:, {cols}] @ np.ones({len(cols)})"]
        if form == "rows_neg":
            return [f"    {v} = {a}[::-1, ::-1][{rows}] - {a}[-1:, ::-2].sum()"]
        lines = [f"    {u} = {a}.copy()"]
        if form == "write_ix":
            lines.append(f"    {u}[np.ix_({rows[:1]}, {cols})] *= {self._c()}")
        else:
            lines.append(f"    {u}[{rows}, {pair_c}] = np.cos({a}[{rows}, {pair_c}])")
        return lines + [f"    {v} = {u} * {a}"]

    def x_normalise(self) -> list[str]:
        r = self.r
        a, _ = self._xmat(1)
        v = self.fresh()  # type: ignore[attr-defined]
        ax = r.pick(["0", "1", "-1"])
        form = r.pick(
            [
                "{a} - {a}.mean(axis={x}, keepdims=True)",
                "{a} / np.sqrt(np.sum({a} ** 2, axis={x}, keepdims=True) + 1.0)",
                "np.exp({a} - np.max({a}, axis={x}, keepdims=True)) / "
                "np.sum(np.exp({a} - np.max({a}, axis={x}, keepdims=True)), axis={x}, keepdims=True)",
                "np.linalg.norm({a}, axis={x}) + np.prod(np.cos({a}), axis={x})",
                "np.var({a}, axis={x}, keepdims=True) * {a}",
                "{a}.sum(axis={x}, keepdims=True) @ np.ones((1, 2))",
            ]
        )
        self.use("w25_normalise")  # type: ignore[attr-defined]
        return [f"    {v} = {form.format(a=a, x=ax)}"]

    def x_out(self) -> list[str]:
        r = self.r
        a, av = self.leaf("f", lambda x: x.ndim >= 1 and x.size >= 1)  # type: ignore
        b, _ = self.leaf("f", self.compatible(np.shape(av)))  # type: ignore[attr-defined]
        u, v = self.fresh("u"), self.fresh()  # type: ignore[attr-defined]
        form = r.pick(
            [
                f"np.multiply({a}, {b}, out={u})",
                f"np.add({u}, {a}, out={u})",
                f"np.sin({a}, out={u})",
                f"np.exp(np.tanh({a}), out={u})",
                f"np.subtract({a}, {u}, out={u})",
            ]
        )
        self.use("w25_out")  # type: ignore[attr-defined]
        return [f"    {u} = np.zeros_like({a}, dtype=float)", f"    {form}", f"    {v} = {u} + {a}"]

    def x_outer(self) -> list[str]:
        r = self.r
        v = self.fresh()  # type: ignore[attr-defined]
        form = r.pick(["colrow", "reshape", "tdot", "tvec"])
        self.use("w25_outer_" + form)  # type: ignore[attr-defined]
        if form in ("colrow", "reshape"):
            a, _ = self._xvec(1)
            b, _ = self._xvec(1)
            if form == "colrow":
                return [f"    {v} = {a}[:, None] * {b}[None, :] + np.sin({a})[:, np.newaxis]"]
            return [f"    {v} = {a}.reshape(-1, 1) - {b}.reshape(1, -1) ** 2"]
        x, xv = self._xmat(1)
        n = xv.shape[0]
        if form == "tdot":
            y, _ = self.leaf("f", lambda z: z.ndim == 2 and z.shape[0] == n)  # type: ignore
            return [f"    {v} = {x}.T @ {y}"]
        y, _ = self.leaf("f", lambda z: z.ndim == 1 and z.shape[0] == n)  # type: ignore
        return [f"    {v} = {x}.T @ {y} + {y} @ {x}"]

    def x_mixed_dtypes(self) -> list[str]:
        r = self.r
        a, av = self.leaf("f", lambda x: x.ndim >= 1 and x.size >= 1)  # type: ignore
        n = np.shape(av)[-1]
        v = self.fresh()  # type: ignore[attr-defined]
        form = r.pick(
            [
                f"{a}.astype(np.float32) * np.float32(0.5) + {a}",
                f"{a} * np.arange({n}) + np.arange({n}, dtype=np.float32)",
                f"np.array({a}, dtype=np.float32).astype(float) ** 2",
                f"{a} * np.array(2) + np.array(0.5) * {a}",
                f"{a} * np.asarray(1.5, dtype=np.float32)",
                f"({a} // 1) * 0.0 + {a} * np.int64(3)",
                f"np.array(np.sum({a})) * {a}",
                f"np.sum({a}, keepdims=True) * {a}",
            ]
        )
        self.use("w25_mixed_dtypes")  # type: ignore[attr-defined]
        return [f"    {v} = {form}"]
