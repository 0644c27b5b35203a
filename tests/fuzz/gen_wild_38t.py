"""The statements of the wild38 programs (tests/fuzz/gen_wild_38.py).

Input: the host's state (the values in scope, the typed expressions of gen_wild_38e.py).
Output: the lines of one statement group, or `Reject`: a new variable of a random shape; a
variable rebound; a copy (``np.copy``, ``.copy()``, ``np.array``, ``* 1.0``) then augmented
assignments through slices, negative steps, fancy indices (repeated ones too: ``a[[0, 0]] += 1``
adds once) and constant masks; a view (``a[1:]``, ``a.T``, ``a.reshape(-1)``, ``a[::-1]``,
``a[:, 0]``) written through; ufuncs with ``out=`` and in-place methods (``a.clip(lo, hi,
out=a)``, ``a.sort()``); Python scalars; ``for`` and ``while`` loops of a fixed trip count
rebinding and writing arrays, over ``range``, rows, ``enumerate`` and ``zip``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject

COPY = [
    "np.copy({0})",
    "{1}.copy()",
    "np.array({0})",
    "{1} * 1.0",
    "{1} + 0.0",
    "np.array({0}, dtype=float)",
]
AUG = ["+=", "-=", "*=", "/=", "="]


class Stmts38:
    """Mixin of `gen_wild_38.Gen38`: the statements of the module docstring."""

    r: Any
    env: dict[str, Any]
    params: list[str]

    def shape(self) -> tuple:
        r = self.r
        n, m = self.n, self.m  # type: ignore[attr-defined]
        return r.pick([(n,), (m,), (n, m), (m, n), (n, 1), (1, m), (), (r.int(1, 6),)])

    def depth(self) -> int:
        return self.r.pick([1, 2, 2, 3, 3, 4])

    def arrays(self, locals_only: bool = False) -> list[str]:
        return [
            k
            for k, v in self.env.items()
            if isinstance(v, np.ndarray)
            and v.dtype.kind == "f"
            and v.ndim in (1, 2)
            and not (locals_only and k in self.params)
        ]

    def statement(self) -> list[str]:
        forms = [
            (3.0, self.s_assign),
            (1.5, self.s_rebind),
            (2.5, self.s_aug),
            (0.5, self.s_view),
            (1.2, self.s_inplace),  # type: ignore[attr-defined]
            (1.0, self.s_recur),  # type: ignore[attr-defined]
            (0.8, self.s_overlap),  # type: ignore[attr-defined]
            (1.0, self.s_trifor),  # type: ignore[attr-defined]
            (1.0, self.s_out),
            (1.2, self.s_scalar),
            (1.5, self.s_for),
            (0.8, self.s_while),
            (0.8, self.s_iter),
        ]
        return self.r.pick_w(forms)()

    def s_assign(self) -> list[str]:
        self.use("st_assign")
        return [f"    {self.fresh()} = {self.expr(self.shape(), self.depth())}"]

    def s_rebind(self) -> list[str]:
        names = [k for k in self.arrays() if k not in self.params]
        if not names:
            raise Reject("nothing to rebind")
        v = self.r.pick(names)
        self.use("st_rebind")
        return [f"    {v} = {self.expr(np.shape(self.env[v]), self.depth())}"]

    # -- writes through indices -----------------------------------------------------------------

    def index(self, shape: tuple) -> str:
        r = self.r
        if len(shape) == 1:
            (L,) = shape
            forms = [f"[{r.int(-L, L - 1)}]", "[::-1]", "[1::2]", "[::2]", "[-2:]", "[...]"]
            if L >= 3:
                forms += ["[1:3]", f"[{L - 1}:0:-1]"]
            forms += [f"[np.array({[r.int(0, L - 1) for _ in range(r.int(1, 4))]!r})]"]
            forms += [
                f"[np.array({[r.chance(0.5) for _ in range(L)]!r})]",
                f"[{[r.int(0, L - 1) for _ in range(2)]!r}]",
            ]
            return r.pick(forms)
        a, b = shape
        rows, cols = [r.int(0, a - 1) for _ in range(2)], [r.int(0, b - 1) for _ in range(2)]
        forms = [
            f"[:, {r.int(-b, b - 1)}]",
            f"[{r.int(0, a - 1)}]",
            "[1:, :]",
            "[:, ::-2]",
            "[::-1]",
            f"[{r.int(0, a - 1)}, {r.int(0, b - 1)}]",
            f"[{[r.int(0, a - 1) for _ in range(2)]!r}]",
            "[:, 1:2]",
            f"[np.array({np.array([r.chance(0.5) for _ in range(a * b)]).reshape(a, b).tolist()!r})]",
            f"[np.array({rows!r}), np.array({cols!r})]",
        ]
        return r.pick(forms)

    def update(self, w: str, d: int) -> str:
        r = self.r
        idx = self.index(np.shape(self.env[w]))
        t = np.shape(self.val(f"{w}{idx}"))
        if int(np.prod(t)) == 0:
            raise Reject("empty selection")
        op = r.pick(AUG)
        self.use("aug_" + ("fancy" if "np.array" in idx or "[[" in idx else "slice") + op)
        rhs_shape = t if r.chance(0.7) else ()
        rhs = self.expr(rhs_shape, d)
        if op == "/=":
            rhs = f"({self._paren(rhs)} ** 2 + 1.0)"
        return f"    {w}{idx} {op} {rhs}"

    def s_aug(self) -> list[str]:
        r = self.r
        names = self.arrays(locals_only=True)
        lines = []
        if not names or r.chance(0.6):
            w = self.fresh("w")
            src = r.pick(self.arrays()) if r.chance(0.6) else self.expr(self.shape() or (2,), 2)
            if np.ndim(self.val(src)) == 0:
                raise Reject("a scalar")
            self.use("copy")
            lines.append(f"    {w} = " + r.pick(COPY).format(src, self._paren(src)))
            self.env[w] = np.array(self.val(src), dtype=float)
        else:
            w = r.pick(names)
        for _ in range(r.int(1, 3)):
            lines.append(self.update(w, self.depth() - 1))
        return lines

    def s_view(self) -> list[str]:
        r = self.r
        names = self.arrays(locals_only=not r.chance(0.1))
        if not names:
            raise Reject("no array")
        w, u = r.pick(names), self.fresh("u")
        x = self.env[w]
        views = ["[1:]", "[::-1]", ".reshape(-1)", "[...]"] + (
            [".T", "[:, 0]", "[1:, ::-1]", ".ravel()"] if x.ndim == 2 else []
        )
        vw = r.pick(views)
        self.use("view_" + vw.strip("[].()"))
        self.env[u] = self.val(f"{w}{vw}")
        lines = [f"    {u} = {w}{vw}"]
        if self.env[u].size == 0:
            raise Reject("empty view")
        if r.chance(0.5):
            lines.append(
                f"    {u} {r.pick(['+=', '*=', '-='])} {self.expr(np.shape(self.env[u]), self.depth() - 1)}"
            )
        else:
            lines.append(self.update(u, self.depth() - 1))
        return lines

    def s_out(self) -> list[str]:
        r = self.r
        names = self.arrays(locals_only=True)
        if not names:
            raise Reject("no local array")
        w = r.pick(names)
        x = self.env[w]
        form = r.pick(["mul", "add", "sin", "tanh", "clip", "mclip", "neg", "sort", "imul", "exp"])
        self.use("out_" + form)
        e = self.expr(x.shape if r.chance(0.7) else (), self.depth() - 1)
        if form in ("clip", "mclip"):
            lo, hi = sorted(round(r.normal(), 2) for _ in range(2))
            if np.min(np.abs(x - lo)) < 0.05 or np.min(np.abs(x - hi)) < 0.05:
                raise Reject("clip at a bound")
            return [
                f"    np.clip({w}, {lo}, {hi}, out={w})"
                if form == "clip"
                else f"    {w}.clip({lo}, {hi}, out={w})"
            ]
        if form == "sort":
            if x.ndim != 1 or (x.size > 1 and np.min(np.diff(np.sort(x))) < 0.05):
                raise Reject("ties in a sort")
            return [f"    {w}.sort()"]
        return [
            {
                "mul": f"    np.multiply({w}, {e}, out={w})",
                "add": f"    np.add({e}, {w}, out={w})",
                "sin": f"    np.sin({w}, out={w})",
                "tanh": f"    np.tanh({w}, {w})",
                "neg": f"    np.negative({w}, out={w})",
                "imul": f"    {w} *= {self._paren(e)}",
                "exp": f"    np.exp({w} * 0.5, out={w})",
            }[form]
        ]

    def s_scalar(self) -> list[str]:
        s = self.fresh("s")
        self.use("st_scalar")
        lines = [f"    {s} = {self.scalar(self.depth())}"]
        if self.r.chance(0.4):
            self.env[s] = self.val(lines[0].split(" = ", 1)[1])
            lines.append(
                f"    {s} {self.r.pick(['+=', '*=', '-='])} {self.scalar(self.depth() - 1)}"
            )
        return lines

    # -- loops of a fixed trip count ------------------------------------------------------------

    def _body(self, i: str, acc: str, shape: tuple) -> list[str]:
        r = self.r
        e = self.expr(shape, self.depth() - 1)
        ii = r.pick([f"{i}", f"({i} + 1.0)", f"{i} * 0.5", f"math.sin({i})"])
        lines = [
            f"        {acc} = "
            + r.pick(
                [
                    f"{acc} * 0.5 + np.sin({e}) * {ii}",
                    f"np.tanh({acc} + {self._paren(e)} * 0.3)",
                    f"{acc} + {self._paren(e)} / ({ii} + 2.0)",
                    f"0.9 * {acc} - 0.1 * {self._paren(e)} ** 2",
                ]
            )
        ]
        if len(shape) >= 1 and r.chance(0.4):
            L = shape[0]
            tgt = r.pick([f"[{i} % {L}]", f"[{i} % {L}:]", f"[::-1][{i} % {L}]"])
            lines.append(f"        {acc}{tgt} += {self.expr((), self.depth() - 2)} * 0.25")
            self.use("loop_write")
        return lines

    def s_for(self) -> list[str]:
        r = self.r
        acc, i = self.fresh("a"), self.fresh("i")
        shape = self.shape()
        K = r.int(2, 4)
        init = self.expr(shape, 2) if r.chance(0.5) else (f"np.zeros({shape})" if shape else "0.0")
        self.env[acc], self.env[i] = self.val(init), 0
        if np.ndim(self.env[acc]) and r.chance(0.5):
            init = f"np.copy({init})"
        self.use("for_range")
        return [f"    {acc} = {init}", f"    for {i} in range({K}):"] + self._body(i, acc, shape)

    def s_while(self) -> list[str]:
        r = self.r
        acc, i = self.fresh("a"), self.fresh("k")
        shape = self.shape()
        K = r.int(1, 4)
        init = self.expr(shape, 2)
        self.env[acc], self.env[i] = np.copy(self.val(init)), 0
        self.use("while_fixed")
        body = self._body(i, acc, shape)
        return (
            [f"    {acc} = {init} * 1.0", f"    {i} = 0", f"    while {i} < {K}:"]
            + body
            + [f"        {i} += 1"]
        )

    def s_iter(self) -> list[str]:
        r = self.r
        names = self.arrays()
        if not names:
            raise Reject("no array")
        M = r.pick(names)
        x = self.env[M]
        acc, t, j, u = self.fresh("a"), self.fresh("t"), self.fresh("j"), self.fresh("t")
        form = r.pick(["rows", "enum", "zip"])
        self.use("iter_" + form)
        row = x[0]
        self.env[t], self.env[j], self.env[acc] = (
            row,
            0,
            np.zeros_like(row) if np.ndim(row) else 0.0,
        )
        e = self.expr(np.shape(row), self.depth() - 1)
        init = f"np.zeros({np.shape(row)})" if np.ndim(row) else "0.0"
        if form == "rows":
            return [
                f"    {acc} = {init}",
                f"    for {t} in {M}:",
                f"        {acc} = {acc} + {t} * {self._paren(e)}",
            ]
        if form == "enum":
            return [
                f"    {acc} = {init}",
                f"    for {j}, {t} in enumerate({M}):",
                f"        {acc} = {acc} * 0.5 + np.cos({t}) * ({j} + 1.0) + {self._paren(e)}",
            ]
        other = self.expr(x.shape, 1)
        self.env[u] = self.val(other)[0]
        return [
            f"    {acc} = {init}",
            f"    for {t}, {u} in zip({M}, {self._paren(other)}[::-1]):",
            f"        {acc} = {acc} + {t} * np.sin({u}) - {self._paren(e)} * 0.1",
        ]
