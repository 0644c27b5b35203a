"""The shape-moving productions of the wild38 typed expressions (tests/fuzz/gen_wild_38e.py).

Input: a target shape (``(k,)`` or ``(a, b)``) and a depth. Output: the source of one expression
of that shape built from operands of other shapes: slices with negative steps, fancy indices
(with repeats) and constant boolean masks, ``np.take``/``np.roll``/``np.flip``/``np.cumsum``/
``np.cumprod``/``np.diff``/``np.sort``, ``np.concatenate``/``np.hstack``/``np.stack``/
``np.vstack``/``np.column_stack``, ``np.outer``, broadcasting by ``[:, None]``, reshape and
transpose, ``@``/``np.dot``/``np.matmul``/``np.einsum`` with random valid subscripts, reductions
with ``keepdims=True`` kept two-dimensional.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject


class Shapes38:
    """Mixin of `gen_wild_38e.Expr38`: the productions of the module docstring."""

    r: Any

    def expr(self, shape: tuple, d: int) -> str:  # pragma: no cover - Expr38's
        raise NotImplementedError

    def use(self, f: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def val(self, src: str) -> Any:  # pragma: no cover - the host's
        raise NotImplementedError

    def _paren(self, src: str) -> str:  # pragma: no cover - Expr38's
        raise NotImplementedError

    # -- one dimension --------------------------------------------------------------------------

    def slice_1d(self, s: tuple, d: int) -> str:
        r = self.r
        (k,) = s
        form = r.pick(["rev", "step2", "odd", "window", "revwin", "negstep"])
        self.use("sl1_" + form)
        if form == "rev":
            return f"{self._paren(self.expr(s, d))}[::-1]"
        if form in ("step2", "odd"):
            n = 2 * k + (r.int(0, 1) if form == "step2" else 0)
            a = self._paren(self.expr((n,), d))
            return f"{a}[::2]" if form == "step2" else f"{a}[1::2]"
        L = k + r.int(1, 3)
        a = self._paren(self.expr((L,), d))
        lo = r.int(0, L - k)
        if form == "window":
            return f"{a}[{lo}:{lo + k}]" if r.chance(0.6) else f"{a}[{lo - L}:{lo + k - L or ''}]"
        if form == "revwin":
            return f"{a}[::-1][{lo}:{lo + k}]"
        # a[hi:lo:-1]: k elements from index hi down
        hi = lo + k - 1
        return f"{a}[{hi}:{lo - 1 if lo else ''}:-1]"

    def fancy_1d(self, s: tuple, d: int) -> str:
        r = self.r
        (k,) = s
        L = r.int(max(1, k - 1), k + 3)
        a = self._paren(self.expr((L,), d))
        form = r.pick(["ints", "take", "mask", "neg", "list", "amask", "tail", "argsort"])
        self.use("fancy_" + form)
        if form == "amask":
            a = self._paren(self.expr((2 * k + r.int(0, 1),), d))
            return f"{a}[np.arange({a}.size) % 2 == 1]"
        if form == "tail":
            return f"{a}[np.arange({L}) >= {L - k}]" if L >= k else f"{a}[np.arange({k}) % {L}]"
        if form == "argsort":
            a = self._paren(self.expr(s, d))
            return f"{a}[np.argsort(np.array({[r.normal() for _ in range(k)]!r}))]"
        idx = [r.int(0, L - 1) for _ in range(k)]
        if form == "mask":
            if L < k:
                raise Reject("mask too short")
            pos = sorted(r.pick(range(L)) for _ in range(k))
            if len(set(pos)) < k:
                raise Reject("mask positions")
            m = [i in pos for i in range(L)]
            return f"{a}[np.array({m!r})]"
        if form == "take":
            return f"np.take({a}, np.array({idx!r}))" if r.chance(0.5) else f"np.take({a}, {idx!r})"
        if form == "neg":
            return f"{a}[np.array({[i - L for i in idx]!r})]"
        if form == "list":
            return f"{a}[{idx!r}]"
        return f"{a}[np.array({idx!r})]"

    def scan_1d(self, s: tuple, d: int) -> str:
        r = self.r
        (k,) = s
        form = r.pick(
            ["roll", "cumsum", "cumprod", "diff", "diff2", "flip", "sort", "repeat", "tile"]
        )
        self.use("scan_" + form)
        if form == "diff":
            return f"np.diff({self.expr((k + 1,), d)})"
        if form == "diff2":
            return f"np.diff({self.expr((k + 2,), d)}, n=2)"
        if form in ("repeat", "tile"):
            if k % 2:
                raise Reject("odd length")
            a = self.expr((k // 2,), d)
            return f"np.{form}({a}, 2)"
        a = self.expr(s, d)
        if form == "roll":
            return f"np.roll({a}, {r.int(-k, k)})"
        if form == "cumsum":
            return r.pick(["np.cumsum({0})", "{1}.cumsum()"]).format(a, self._paren(a))
        if form == "cumprod":
            return f"np.cumprod(np.tanh({a}) * 0.5 + 1.0)"
        if form == "flip":
            return f"np.flip({a})"
        v = np.sort(np.asarray(self.val(a), float))
        if v.size > 1 and float(np.min(np.diff(v))) <= 0.05:
            raise Reject("ties in a sort")
        return f"np.sort({a})"

    def join_1d(self, s: tuple, d: int) -> str:
        r = self.r
        (k,) = s
        form = r.pick(["cat", "hstack", "append", "stackrav"])
        self.use("join_" + form)
        if form == "append":
            if k < 2:
                raise Reject("short")
            return f"np.append({self.expr((k - 1,), d)}, {self.expr((), d)})"
        if form == "stackrav":
            if k % 2:
                raise Reject("odd")
            parts = [self.expr((k // 2,), d) for _ in range(2)]
            return f"np.stack([{', '.join(parts)}], axis={r.pick([0, 1, -1])}).ravel()"
        if k < 2:
            raise Reject("short")
        j = r.int(1, k - 1)
        parts = [self.expr((j,), d), self.expr((k - j,), d)]
        if form == "cat":
            return f"np.concatenate([{', '.join(parts)}])"
        return f"np.hstack(({', '.join(parts)}))"

    def matvec(self, s: tuple, d: int) -> str:
        r = self.r
        (k,) = s
        j = r.pick([self.n, self.m, r.int(1, 4)])  # type: ignore[attr-defined]
        form = r.pick(["Av", "vA", "dot", "ein", "einT", "matmul", "outer_sum"])
        self.use("mv_" + form)
        A = self._paren(self.expr((k, j) if form not in ("vA", "einT") else (j, k), d))
        v = self._paren(self.expr((j,), d))
        return {
            "Av": f"{A} @ {v}",
            "vA": f"{v} @ {A}",
            "dot": f"np.dot({A}, {v})",
            "ein": f"np.einsum('ij,j->i', {A}, {v})",
            "einT": f"np.einsum('ji,j->i', {A}, {v})",
            "matmul": f"np.matmul({A}, {v})",
            "outer_sum": f"np.outer({self.expr((k,), d)}, {v}).sum(axis=1)",
        }[form]

    # -- two dimensions -------------------------------------------------------------------------

    def outer(self, s: tuple, d: int) -> str:
        r = self.r
        a, b = s
        form = r.pick(["outer", "bcast", "newaxis", "einij", "mulouter", "col_row"])
        self.use("out_" + form)
        u, v = self._paren(self.expr((a,), d)), self._paren(self.expr((b,), d))
        return {
            "outer": f"np.outer({u}, {v})",
            "bcast": f"{u}[:, None] * {v}[None, :]",
            "newaxis": f"{u}[:, np.newaxis] + {v}",
            "einij": f"np.einsum('i,j->ij', {u}, {v})",
            "mulouter": f"np.multiply.outer({u}, {v})",
            "col_row": f"{u}.reshape(-1, 1) - np.sin({v}).reshape(1, -1)",
        }[form]

    def reshape_2d(self, s: tuple, d: int) -> str:
        r = self.r
        a, b = s
        form = r.pick(["reshape", "T", "transpose", "swap", "einT", "flatre"])
        self.use("rs_" + form)
        if form == "reshape":
            return r.pick(
                ["{0}.reshape({1}, {2})", "np.reshape({0}, ({1}, -1))", "{0}.reshape(-1, {2})"]
            ).format(self._paren(self.expr((a * b,), d)), a, b)
        if form == "flatre":
            return f"{self._paren(self.expr((b, a), d))}.ravel().reshape({a}, {b})"
        t = self._paren(self.expr((b, a), d))
        return {
            "T": f"{t}.T",
            "transpose": f"np.transpose({t})",
            "swap": f"{t}.swapaxes(0, 1)",
            "einT": f"np.einsum('ij->ji', {t})",
        }[form]

    def stack_2d(self, s: tuple, d: int) -> str:
        r = self.r
        a, b = s
        form = r.pick(["stack0", "stack1", "vstack", "column", "cat0", "cat1", "hstack"])
        self.use("st_" + form)
        if form in ("stack0", "vstack") and a <= 4:
            parts = [self.expr((b,), d) for _ in range(a)]
            return (
                f"np.stack([{', '.join(parts)}])"
                if form == "stack0"
                else f"np.vstack({parts!r})".replace("'", "")
            )
        if form in ("stack1", "column") and b <= 4:
            parts = [self.expr((a,), d) for _ in range(b)]
            fn = "np.stack([{}], axis=-1)" if form == "stack1" else "np.column_stack(({}))"
            return fn.format(
                ", ".join(parts) + ("," if len(parts) == 1 and form == "column" else "")
            )
        if form == "cat0" and a > 1:
            j = r.int(1, a - 1)
            return f"np.concatenate([{self.expr((j, b), d)}, {self.expr((a - j, b), d)}], axis=0)"
        if form in ("cat1", "hstack") and b > 1:
            j = r.int(1, b - 1)
            x, y = self.expr((a, j), d), self.expr((a, b - j), d)
            return (
                f"np.concatenate(({x}, {y}), axis=-1)"
                if form == "cat1"
                else f"np.hstack([{x}, {y}])"
            )
        raise Reject("no stack for the shape")

    def matmat(self, s: tuple, d: int) -> str:
        r = self.r
        a, b = s
        k = r.pick([self.n, self.m, r.int(1, 3)])  # type: ignore[attr-defined]
        form = r.pick(["at", "dot", "matmul", "ein", "einT", "einTT"])
        self.use("mm_" + form)
        if form == "einT":
            x, y = self.expr((k, a), d), self.expr((k, b), d)
            return f"np.einsum('ki,kj->ij', {x}, {y})"
        if form == "einTT":
            x, y = self.expr((k, a), d), self.expr((b, k), d)
            return f"np.einsum('ki,jk->ij', {x}, {y})"
        x, y = self._paren(self.expr((a, k), d)), self._paren(self.expr((k, b), d))
        return {
            "at": f"{x} @ {y}",
            "dot": f"np.dot({x}, {y})",
            "matmul": f"np.matmul({x}, {y})",
            "ein": f"np.einsum('ik,kj->ij', {x}, {y})",
        }[form]

    def scan_2d(self, s: tuple, d: int) -> str:
        r = self.r
        a, b = s
        ax = r.pick([0, 1, -1])
        form = r.pick(
            ["cumsum", "cumprod", "diff", "roll", "flip", "tri", "bcast", "tile", "repeat"]
        )
        self.use(f"s2_{form}")
        if form == "diff":
            t = (a + 1, b) if ax == 0 else (a, b + 1)
            return f"np.diff({self.expr(t, d)}, axis={ax})"
        if form == "tri":
            if a != b:
                raise Reject("not square")
            return f"np.{r.pick(['tril', 'triu'])}({self.expr(s, d)}, {r.int(-1, 1)})"
        if form == "bcast":
            return f"np.broadcast_to({self.expr((1, b), d)}, ({a}, {b}))"
        if form == "tile":
            return f"np.tile({self.expr((a, 1), d)}, (1, {b}))"
        if form == "repeat":
            return f"np.repeat({self.expr((1, b), d)}, {a}, axis=0)"
        x = self.expr(s, d)
        if form == "cumsum":
            return f"np.cumsum({x}, axis={ax})"
        if form == "cumprod":
            return f"np.cumprod(np.tanh({x}) * 0.5 + 1.0, axis={ax})"
        if form == "roll":
            return f"np.roll({x}, {r.int(-2, 2)}, axis={ax})"
        return f"np.flip({x}, axis={ax})"

    def slice_2d(self, s: tuple, d: int) -> str:
        r = self.r
        a, b = s
        form = r.pick(
            ["rrev", "crev", "both", "rstep", "cstep", "rows", "take", "cols", "mask", "win"]
        )
        self.use("sl2_" + form)
        if form in ("rrev", "crev", "both"):
            x = self._paren(self.expr(s, d))
            return {"rrev": f"{x}[::-1]", "crev": f"{x}[:, ::-1]", "both": f"{x}[::-1, ::-1]"}[form]
        if form == "rstep":
            return f"{self._paren(self.expr((2 * a - 1, b), d))}[::2]"
        if form == "cstep":
            return f"{self._paren(self.expr((a, 2 * b - 1), d))}[:, ::-2]"
        L = r.int(1, 5)
        idx = [r.int(0, L - 1) for _ in range(a if form != "cols" else b)]
        if form == "rows":
            return f"{self._paren(self.expr((L, b), d))}[np.array({idx!r})]"
        if form == "take":
            return f"np.take({self.expr((L, b), d)}, {idx!r}, axis=0)"
        if form == "cols":
            return f"{self._paren(self.expr((a, L), d))}[:, {idx!r}]"
        if form == "mask":
            L = a + r.int(0, 2)
            drop = sorted({r.int(0, L - 1) for _ in range(L - a)})
            if len(drop) != L - a:
                raise Reject("mask")
            m = [i not in drop for i in range(L)]
            return f"{self._paren(self.expr((L, b), d))}[np.array({m!r})]"
        lo = r.int(0, 2)
        return f"{self._paren(self.expr((a + lo + 1, b + 1), d))}[{lo}:{lo + a}, 1:]"

    def keep_2d(self, s: tuple, d: int) -> str:
        r = self.r
        a, b = s
        if b == 1:
            form = r.pick(["none", "reshape", "expand", "kd", "slice", "fancy"])
            self.use("col_" + form)
            if form in ("kd", "slice", "fancy"):
                j = r.int(1, 4)
                x = self._paren(self.expr((a, j), d))
                red = r.pick(["sum", "mean"])
                return {
                    "kd": f"np.{red}({x}, axis=1, keepdims=True)",
                    "slice": f"{x}[:, {j - 1}:{j}]",
                    "fancy": f"{x}[:, [{r.int(0, j - 1)}]]",
                }[form]
            v = self._paren(self.expr((a,), d))
            return {
                "none": f"{v}[:, None]",
                "reshape": f"{v}.reshape(-1, 1)",
                "expand": f"np.expand_dims({v}, 1)",
            }[form]
        if a == 1:
            form = r.pick(["none", "reshape", "atleast", "kd", "slice", "fancy"])
            self.use("row_" + form)
            if form in ("kd", "slice", "fancy"):
                j = r.int(1, 4)
                x = self._paren(self.expr((j, b), d))
                return {
                    "kd": f"{x}.mean(axis=0, keepdims=True)",
                    "slice": f"{x}[-1:]",
                    "fancy": f"{x}[[{r.int(0, j - 1)}]]",
                }[form]
            v = self._paren(self.expr((b,), d))
            return {
                "none": f"{v}[None, :]",
                "reshape": f"{v}.reshape(1, -1)",
                "atleast": f"np.atleast_2d({v})",
            }[form]
        x = self._paren(self.expr(s, d))
        self.use("kd_center")
        ax = r.pick([0, 1, -1])
        return f"({x} - {x}.{r.pick(['mean', 'sum'])}(axis={ax}, keepdims=True))"
