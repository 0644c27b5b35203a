"""Other spellings of the wild38 typed expressions (tests/fuzz/gen_wild_38e.py).

Input: a target shape and a depth. Output: the source of one expression of that shape written
the way other code spells it: positional axes (``np.sum(a, 1)``, ``a.mean(0)``), tuple axes
(``axis=(0, 1)``), ufunc methods (``np.add.reduce``, ``np.multiply.accumulate``), ``order='F'``
reshapes and ravels, ``transpose(1, 0)``/``np.moveaxis``/``np.rot90``/``np.fliplr``, ``...``
and ``None`` in subscripts, three-dimensional intermediates reduced back (``A[:, :, None] *
B[:, None, :]``, ``np.stack(.., axis=2)``), ``np.tensordot``/``np.inner``/``np.kron``/
``np.convolve``/``np.cross``/``np.gradient``, and the linear algebra of well-conditioned
matrices (``np.linalg.solve``/``inv``/``det``/``slogdet`` of ``3 I + small``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject


def _cond(src: str, k: int) -> str:
    """A well-conditioned k x k matrix around `src` (its entries kept small)."""
    return f"(np.eye({k}) * 3.0 + np.tanh({src}) * 0.5)"


class Spell38:
    """Mixin of `gen_wild_38e.Expr38`: the productions of the module docstring."""

    r: Any

    def sp_scalar(self, s: tuple, d: int) -> str:
        r = self.r
        n, m = self.n, self.m  # type: ignore[attr-defined]
        e = self.expr  # type: ignore[attr-defined]
        P = self._paren  # type: ignore[attr-defined]
        form = r.pick(
            [
                "addreduce",
                "tensordot",
                "inner",
                "diagsum",
                "offtrace",
                "fro",
                "ord3",
                "ddof",
                "average",
                "nansum",
                "tupleaxis",
                "dotm",
                "det",
                "logdet",
                "slogdet",
                "inv",
                "kron",
                "cross",
                "initial",
                "median",
                "ptp",
            ]
        )
        self.use("sp0_" + form)  # type: ignore[attr-defined]
        v, w = P(e((n,), d)), P(e((n,), d))
        A = P(e((n, m), d))
        if form == "addreduce":
            return f"np.add.reduce({A}, axis=None)" if r.chance(0.5) else f"np.add.reduce({v})"
        if form == "tensordot":
            return (
                f"np.tensordot({A}, {P(e((n, m), d))}, axes=2)"
                if r.chance(0.5)
                else f"np.tensordot({v}, {w}, axes=1)"
            )
        if form == "inner":
            return f"np.inner({v}, {w})"
        if form == "diagsum":
            return f"{P(e((n, n), d))}.diagonal().sum()"
        if form == "offtrace":
            return f"np.trace({e((n, n), d)}, offset={r.int(-1, 1)})"
        if form == "fro":
            if float(np.linalg.norm(self.val(A))) < 0.1:  # type: ignore[attr-defined]
                raise Reject("norm at 0")
            return f"np.linalg.norm({A}, 'fro')"
        if form == "ord3":
            if float(np.min(np.abs(self.val(v)))) < 0.05:  # type: ignore[attr-defined]
                raise Reject("|v| near 0")
            return f"np.linalg.norm({v}, {r.pick([3, 4, 2])})"
        if form == "ddof":
            return f"np.var({v}, ddof=1)" if n > 1 else f"np.var({v})"
        if form == "average":
            return f"np.average({v}, weights=np.arange(1.0, {n + 1}.0))"
        if form == "nansum":
            return r.pick(["np.nansum({0})", "np.nanmean({0})"]).format(A)
        if form == "tupleaxis":
            return r.pick(
                ["np.sum({0}, axis=(0, 1))", "np.mean({0}, (0, 1))", "{0}.sum((1, 0))"]
            ).format(A)
        if form == "dotm":
            return f"{v}.dot({w})"
        M = _cond(e((n, n), d), n)
        if form == "det":
            return f"np.linalg.det({M})"
        if form == "logdet":
            return f"np.log(np.linalg.det({M} @ {M}.T))"
        if form == "slogdet":
            return f"np.linalg.slogdet({M})[1]"
        if form == "inv":
            return f"np.linalg.inv({M}).sum()"
        if form == "kron":
            return f"np.kron({v}, {P(e((m,), d))}).sum()"
        if form == "cross":
            return f"np.cross({e((3,), d)}, {e((3,), d)}).sum()"
        vals = np.asarray(self.val(v), float)  # type: ignore[attr-defined]
        if n > 1 and float(np.min(np.diff(np.sort(vals)))) < 0.05:
            raise Reject("ties")
        if form == "initial":
            c = round(float(np.min(vals)) - 0.5, 2)
            return f"np.max({v}, initial={c})"
        if form == "median":
            return f"np.median({v})"
        return f"np.ptp({v})"

    def sp_vector(self, s: tuple, d: int) -> str:
        r = self.r
        (k,) = s
        e = self.expr  # type: ignore[attr-defined]
        P = self._paren  # type: ignore[attr-defined]
        j = r.int(1, 4)
        form = r.pick(
            [
                "possum",
                "posmean",
                "poscum",
                "accum",
                "maccum",
                "diagonal",
                "offdiag",
                "flipud",
                "ellipsis",
                "squeeze",
                "tensordot",
                "solve",
                "kron",
                "convolve",
                "cross",
                "gradient",
                "ravelF",
                "f32",
                "none3d",
            ]
        )
        self.use("sp1_" + form)  # type: ignore[attr-defined]
        if form == "possum":
            return r.pick(["np.sum({0}, 1)", "{0}.sum(-1)"]).format(P(e((k, j), d)))
        if form == "posmean":
            return r.pick(["np.mean({0}, 0)", "{0}.mean(0)", "{0}.max(0)"]).format(P(e((j, k), d)))
        if form == "poscum":
            return f"np.cumsum({e(s, d)}, 0)"
        if form == "accum":
            return f"np.add.accumulate({e(s, d)})"
        if form == "maccum":
            return f"np.multiply.accumulate(np.tanh({e(s, d)}) * 0.5 + 1.0)"
        if form == "diagonal":
            return f"{P(e((k, k), d))}.diagonal()"
        if form == "offdiag":
            return f"np.diagonal({e((k + 1, k + 1), d)}, 1)"
        if form == "flipud":
            return f"np.flipud({e(s, d)})"
        if form == "ellipsis":
            return f"{P(e(s, d))}[..., ::-1]"
        if form == "squeeze":
            return f"np.squeeze({P(e(s, d))}[None])"
        if form == "tensordot":
            return f"np.tensordot({e((k, j), d)}, {e((j,), d)}, axes=([1], [0]))"
        if form == "solve":
            return f"np.linalg.solve({_cond(e((k, k), d), k)}, {e(s, d)})"
        if form == "kron" and k % 2 == 0:
            return f"np.kron({e((k // 2,), d)}, {e((2,), d)})"
        if form == "convolve" and k >= 2:
            a = r.int(1, k - 1) if k > 1 else 1
            return f"np.convolve({e((a,), d)}, {e((k - a + 1,), d)})"
        if form == "cross":
            if k != 3:
                raise Reject("cross of 3-vectors")
            return f"np.cross({e(s, d)}, {e(s, d)})"
        if form == "gradient" and k >= 2:
            return f"np.gradient({e(s, d)})"
        if form == "ravelF":
            return (
                f"np.ravel({e((k, 1), d)}, order='F')"
                if r.chance(0.5)
                else f"{P(e((1, k), d))}.flatten('F')"
            )
        if form == "f32":
            return f"{P(e(s, d))}.astype(np.float32).astype(np.float64)"
        if form == "none3d":
            return f"{P(e((k, j), d))}[:, :, None].sum(axis=(1, 2))"
        raise Reject("no spelling")

    def sp_matrix(self, s: tuple, d: int) -> str:
        r = self.r
        a, b = s
        e = self.expr  # type: ignore[attr-defined]
        P = self._paren  # type: ignore[attr-defined]
        k = r.int(1, 3)
        form = r.pick(
            [
                "transpose10",
                "transposeT",
                "moveaxis",
                "fliplr",
                "rot90",
                "ellipsis",
                "none0",
                "batched",
                "stack3",
                "ein3",
                "kron",
                "inv",
                "solveM",
                "tensordot",
                "reshapeF",
                "reshapeT",
                "tilev",
                "eye",
                "diagv",
                "zeroslike",
            ]
        )
        self.use("sp2_" + form)  # type: ignore[attr-defined]
        t = P(e((b, a), d)) if form in ("transpose10", "transposeT", "moveaxis", "rot90") else ""
        if form == "transpose10":
            return f"{t}.transpose(1, 0)"
        if form == "transposeT":
            return f"np.transpose({t}, (1, 0))"
        if form == "moveaxis":
            return f"np.moveaxis({t}, 0, -1)"
        if form == "rot90":
            return f"np.rot90({t}, {r.pick([1, -1, 3])})"
        if form == "fliplr":
            return f"np.{r.pick(['fliplr', 'flipud'])}({e(s, d)})"
        if form == "ellipsis":
            return f"{P(e(s, d))}[..., ::-1]" if r.chance(0.5) else f"{P(e(s, d))}[::-1, ...]"
        if form == "none0":
            return f"{P(e(s, d))}[None].sum(0)"
        if form == "batched":
            return f"({P(e((a, k), d))}[:, :, None] * {P(e((a, b), d))}[:, None, :]).sum(1)"
        if form == "stack3":
            parts = [e(s, d) for _ in range(k)]
            return (
                f"np.stack([{', '.join(parts)}], axis=2).{r.pick(['sum', 'mean', 'prod'])}(axis=-1)"
            )
        if form == "ein3":
            parts = [e(s, d) for _ in range(k)]
            return f"np.einsum('ijk->ij', np.stack([{', '.join(parts)}], axis=-1))"
        if form == "kron" and a % 2 == 0:
            return f"np.kron({e((a // 2, b), d)}, {e((2, 1), d)})"
        if form == "inv" and a == b:
            return f"np.linalg.inv({_cond(e(s, d), a)})"
        if form == "solveM":
            return f"np.linalg.solve({_cond(e((a, a), d), a)}, {e(s, d)})"
        if form == "tensordot":
            return f"np.tensordot({e((k, a), d)}, {e((k, b), d)}, axes=([0], [0]))"
        if form == "reshapeF":
            return f"np.reshape({e((a * b,), d)}, ({a}, {b}), order='F')"
        if form == "reshapeT":
            return r.pick(["{0}.reshape(({1}, {2}))", "{0}.reshape([{1}, {2}])"]).format(
                P(e((b, a), d)), a, b
            )
        if form == "tilev":
            return f"np.tile({e((b,), d)}, ({a}, 1))"
        if form == "eye":
            return f"np.eye({a}, {b}) * {P(e((), d))}"
        if form == "diagv" and a == b:
            return f"np.diag({e((a,), d)})"
        if form == "zeroslike":
            return f"np.zeros_like({e(s, d)}) + {P(e((b,), d))}"
        raise Reject("no spelling")
