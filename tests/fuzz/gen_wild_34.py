"""Users' forms the wild generator (tests/fuzz/gen_wild.py) did not draw before session 34.

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group (`s_w34()`), or `Reject`: 2-D and 3-D arrays reduced, scanned and moved along
``axis=`` (negative, tuples) with ``keepdims=True`` broadcast back; ``np.where``-guarded singular
operations (``sqrt``/``log``/division/``arccos`` at the guard, the naive form that computes the
singular side everywhere and the double-``where`` form); boolean masks from comparisons used as
indices, as factors, in ``where=`` and as write targets; reductions with ``where=`` (and
``initial=``); ``np.einsum`` / ``np.tensordot`` / ``np.matmul`` chains with transposes and
batched 3-D products; ``np.linalg`` (solve, inv, det, slogdet, norm, cholesky) on SPD matrices
built in the program. The loop, helper and class forms: tests/fuzz/gen_wild_34c.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_34c import Wild34Ctl


class Wild34(Wild34Ctl):
    """Mixin of `gen_wild_stmts.WildStmts`: the session-34 forms (see the module docstring)."""

    r: Any

    def s_w34(self) -> list[str]:
        forms = [
            (1.2, self.p_axes),
            (1.2, self.p_where_guard),
            (1.2, self.p_masks),
            (1, self.p_red_where),
            (1.2, self.p_linalg),
            (1.2, self.p_products),
            (1.2, self.p_loop_rows),
            (1, self.p_helper_loop),
            (1.2, self.p_class),
        ]
        return self.r.pick_w(forms)()

    # -- axis / keepdims on 2-D and 3-D arrays -------------------------------------------------

    def p_axes(self) -> list[str]:
        r = self.r
        T, lines, shape = self._t34()
        v, e = self._n34(), self._n34("e")
        nd = len(shape)
        ax = r.int(-nd, nd - 1)
        red = r.pick(["sum", "mean", "max", "min", "std", "var", "prod", "ptp"])
        form = r.pick(["center", "ratio", "multi", "norm", "scan", "move", "squeeze", "lse"])
        self._u34(f"ax{nd}_{form}")
        if red == "ptp":
            call = f"np.ptp({T}, axis={ax}, keepdims=True)"
        elif red == "prod":
            call = f"np.prod(np.tanh({T}) * 0.5 + 1.0, axis={ax}, keepdims=True)"
        else:
            call = r.pick(
                [f"np.{red}({T}, axis={ax}, keepdims=True)"] * 2
                + [f"{T}.{red}(axis={ax}, keepdims=True)"]
            )
        if form == "center":
            lines += [f"    {v} = ({T} - {call}) * 0.5"]
        elif form == "ratio":
            lines += [f"    {v} = {T} / (np.abs({call}) + 1.0)"]
        elif form == "multi":
            axes = tuple(sorted(r.pick([(0, 1), (0, nd - 1), (nd - 2, nd - 1)])))
            kd = r.pick(["True", "False"])
            lines += [
                f"    {e} = np.{r.pick(['sum', 'mean', 'max'])}({T}, axis={axes}, keepdims={kd})",
                f"    {v} = {T} * 0.5 + {e}" if kd == "True" else f"    {v} = {e} * 2.0",
            ]
        elif form == "norm":
            o = r.pick(["None", "2", "1", "np.inf"])
            lines += [
                f"    {e} = np.linalg.norm({T} + 0.5, ord={o}, axis={ax}, keepdims=True)",
                f"    {v} = {T} / ({e} + 0.25)",
            ]
        elif form == "scan":
            fn = r.pick(["np.cumsum", "np.cumprod"])
            arg = T if fn == "np.cumsum" else f"(np.tanh({T}) * 0.3 + 1.0)"
            lines += [f"    {v} = {fn}({arg}, axis={ax}) - {call}"]
        elif form == "move":
            how = r.pick(
                [
                    f"np.moveaxis({T}, {ax}, 0)",
                    f"np.swapaxes({T}, 0, {nd - 1})",
                    f"{T}.transpose({tuple(reversed(range(nd)))})",
                    f"np.expand_dims({T}, {r.int(0, nd)})",
                ]
            )
            lines += [f"    {e} = {how}", f"    {v} = {e}.sum(axis=0) * {e}.mean()"]
        elif form == "squeeze":
            lines += [f"    {e} = {call}", f"    {v} = np.squeeze({e}, axis={ax}) * 1.5"]
        else:
            lines += [
                f"    {e} = np.max({T}, axis={ax}, keepdims=True)",
                f"    {v} = {e} + np.log(np.sum(np.exp({T} - {e}), axis={ax}, keepdims=True))",
                f"    {v} = {T} - {v}",
            ]
        return self._fin34(lines, v, nd)

    # -- np.where guards around singular operations --------------------------------------------

    def p_where_guard(self) -> list[str]:
        r = self.r
        a, av = self._arr34()
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, u, m = self._n34(), self._n34("u"), self._n34("m")
        form = r.pick(
            ["sqrt", "log", "div", "arccos", "pow", "safe_sqrt", "safe_log", "sinc", "nested"]
        )
        self._u34("wg_" + form)
        if form in ("sqrt", "log", "div", "arccos", "pow", "sinc", "nested"):
            self.lax34 = True  # the untaken side is singular: Python warns (not an error)
        if form == "sqrt":
            return [f"    {v} = np.where({a} > {c}, np.sqrt({a} - {c}), 0.0) + {a} * 0.1"]
        if form == "log":
            return [f"    {v} = np.where({a} > {c}, np.log({a} - {c}), {a} - {c})"]
        if form == "div":
            return [
                f"    {u} = ({a} - {c}) * ({a} > {c})",
                f"    {v} = np.where({u} != 0, np.sin({a}) / {u}, 1.0)",
            ]
        if form == "arccos":
            return [
                f"    {m} = np.abs({a}) < 1.0",
                f"    {v} = np.where({m}, np.arccos(np.where({m}, {a}, 0.0)), {a} * 0.5)",
                f"    {v} = {v} + np.where({m}, np.arcsin({a}), 0.0)",
            ]
        if form == "pow":
            return [f"    {v} = np.where({a} >= {c}, ({a} - {c}) ** 1.5, -({c} - {a}) ** 0.5)"]
        if form == "safe_sqrt":
            return [
                f"    {u} = np.where({a} > {c}, {a} - {c}, 1.0)",
                f"    {v} = np.where({a} > {c}, np.sqrt({u}), 0.0)",
            ]
        if form == "safe_log":
            return [
                f"    {m} = {a} > {c}",
                f"    {v} = np.log(np.where({m}, {a} - {c}, 1.0)) * {m} + {a}",
            ]
        if form == "sinc":
            return [f"    {v} = np.where({a} == 0.0, 1.0, np.sin({a}) / {a})"]
        return [
            f"    {v} = np.where({a} > {c}, np.where({a} > {c} + 10.0, 0.0, 1.0 / ({a} - {c})), "
            f"np.exp({a}))"
        ]

    # -- boolean masks: indices, factors, write targets ----------------------------------------

    def p_masks(self) -> list[str]:
        r = self.r
        a, av = self._arr34()
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, m, w = self._n34(), self._n34("m"), self._n34("w")
        op = r.pick([">", "<", ">=", "<="])
        form = r.pick(["index", "factor", "astype", "set", "neg_aug", "both", "count", "rows"])
        self._u34("mask_" + form)
        lines = [f"    {m} = {a} {op} {c}"]
        if form == "index":
            return lines + [f"    {v} = np.sum({a}[{m}] ** 2) + {a} * 0.5"]
        if form == "factor":
            return lines + [f"    {v} = {a} * {m} + np.sin({a}) * ~{m}"]
        if form == "astype":
            return lines + [f"    {v} = {a} * {m}.astype(float) + {m}.sum() * 0.1"]
        if form == "set":
            return lines + [
                f"    {w} = {a} * 1.0",
                f"    {w}[{m}] = {a}[{m}] ** 2 * 0.5",
                f"    {v} = {w} + {a}",
            ]
        if form == "neg_aug":
            return lines + [
                f"    {w} = np.cos({a})",
                f"    {w}[~{m}] *= {self._k33()}",  # type: ignore[attr-defined]
                f"    {w}[{m}] += {a}[{m}]",
                f"    {v} = {w}",
            ]
        if form == "both":
            return lines + [
                f"    {w} = {a}[{m}]",
                f"    {v} = {a} * {m} * ({w}.sum() + 1.0) + np.mean({a} * ~{m})",
            ]
        if form == "count":
            return lines + [
                f"    {w} = np.count_nonzero({m})",
                f"    {v} = {a} * ({w} + 1) + np.any({m}) * 0.5 + np.all({m})",
            ]
        if np.ndim(av) != 2:
            return lines + [f"    {v} = np.where({m}, {a}, {a} ** 2) * {m}.mean()"]
        return [
            f"    {m} = {a}[:, 0] {op} {self._cut33(av[:, 0])}",  # type: ignore[attr-defined]
            f"    {v} = {a}[{m}].sum(axis=0) + {a}[~{m}].sum(axis=0) * 0.5 + {a}[0]",
        ]

    # -- reductions with where= ----------------------------------------------------------------

    def p_red_where(self) -> list[str]:
        r = self.r
        a, av = self._arr34()
        c = self._cut33(av)  # type: ignore[attr-defined]
        v, m = self._n34(), self._n34("m")
        nd = np.ndim(av)
        red = r.pick(["sum", "mean", "max", "min", "prod", "var", "std", "nansum", "ufunc"])
        self._u34(f"rw{nd}_{red}")
        kw = f"where={m}"
        if red in ("max", "min"):
            kw += f", initial={-5.0 if red == 'max' else 5.0}"
        if nd == 2 and r.chance(0.5):
            kw += f", axis={r.pick([0, 1, -1])}"
        if r.chance(0.3):
            kw += ", keepdims=True"
        # the mask is never empty along the reduced axis for mean/var/std: OR with a fixed row
        m0 = f"({a} {r.pick(['>', '<'])} {c})"
        if red in ("mean", "var", "std"):
            m0 = f"({m0} | (np.arange({np.shape(av)[-1]}) == 0))"
        x = f"np.tanh({a}) * 0.5 + 1.0" if red == "prod" else a
        if red == "ufunc":  # (``np.add.reduce``: axis 0 by default)
            uf = r.pick(["add", "maximum"])
            init = ", initial=-5.0" if uf == "maximum" else ""
            return [
                f"    {m} = {m0}",
                f"    {v} = np.{uf}.reduce({a}, where={m}{init}) * {a}[..., :1]",
            ]
        return [
            f"    {m} = {m0}",
            f"    {v} = np.{red}({x}, {kw}) * {a}",
        ]

    # -- np.linalg on SPD matrices built here --------------------------------------------------

    def p_linalg(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 4)  # type: ignore[attr-defined]
        n = len(av)
        B, S, L, v, y = self._n34("B"), self._n34("S"), self._n34("L"), self._n34(), self._n34("y")
        form = r.pick(
            ["solve", "inv", "det", "slogdet", "norm", "chol", "chol_solve", "solve_mat", "quad"]
        )
        self._u34("la_" + form)
        k = self._k33()  # type: ignore[attr-defined]
        lines = [
            f"    {B} = np.outer(np.sin({a}), {a}) * {k} + np.tri({n}) * 0.5",
            f"    {S} = {B} @ {B}.T + np.eye({n}) * {r.pick(['0.5', '1.0', '2.0'])}",
        ]
        if form == "solve":
            lines += [f"    {v} = np.linalg.solve({S}, {a}) + np.linalg.solve({S}.T, {a} ** 2)"]
        elif form == "inv":
            lines += [f"    {v} = np.linalg.inv({S}) @ {a} + np.trace(np.linalg.inv({S}) @ {B})"]
        elif form == "det":
            lines += [f"    {v} = np.linalg.det({S}) * {a} + np.log(np.linalg.det({S}))"]
        elif form == "slogdet":
            lines += [
                f"    {y}, {L} = np.linalg.slogdet({S})",
                f"    {v} = {L} * {y} * {a} + np.linalg.slogdet({B} + np.eye({n}) * 3.0)[1]",
            ]
        elif form == "norm":
            o = r.pick(["'fro'", "None", "1", "-1", "np.inf", "2", "'nuc'"])
            lines += [f"    {v} = np.linalg.norm({S}, ord={o}) * {a} + np.linalg.norm({B}, axis=0)"]
        elif form == "chol":
            lines += [
                f"    {L} = np.linalg.cholesky({S})",
                f"    {v} = 2.0 * np.sum(np.log(np.diag({L}))) + {L}[-1] * {a}",
            ]
        elif form == "chol_solve":
            lines += [
                f"    {L} = np.linalg.cholesky({S})",
                f"    {y} = np.linalg.solve({L}, {a})",
                f"    {v} = np.linalg.solve({L}.T, {y}) + {y} @ {y}",
            ]
        elif form == "solve_mat":
            lines += [f"    {v} = np.linalg.solve({S}, {B}.T) @ {a} + np.linalg.inv({S})[0]"]
        else:
            lines += [
                f"    {y} = np.linalg.solve({S}, {a})",
                f"    {v} = 0.5 * {a} @ {y} - 0.5 * np.linalg.slogdet({S})[1] + {y}",
            ]
        return lines

    # -- einsum / tensordot / matmul chains ----------------------------------------------------

    def p_products(self) -> list[str]:
        r = self.r
        M, mv, lines = self._mat33()  # type: ignore[attr-defined]
        p, q = mv.shape
        v, e, T = self._n34(), self._n34("e"), self._n34("T")
        form = r.pick(
            ["ein_t", "ein_diag", "ein_rows", "ein3", "td1", "td2", "td_list", "mm_chain", "bmm"]
        )
        self._u34("pr_" + form)
        if form == "ein_t":
            return lines + [f"    {v} = np.einsum('ij,kj->ik', {M}, np.sin({M})) @ {M}"]
        if form == "ein_diag":
            return lines + [
                f"    {e} = np.einsum('ij,kj->ik', {M}, {M})",
                f"    {v} = np.einsum('ii->i', {e}) + np.einsum('ii', {e}) * 0.1",
            ]
        if form == "ein_rows":
            return lines + [
                f"    {v} = np.einsum('ij,ij->i', {M}, np.cos({M})) + {M}.T @ {M}[:, 0]"
            ]
        if form == "ein3":
            return lines + [
                f"    {T} = np.einsum('ij,k->ijk', {M}, np.arange(1.0, 3.0))",
                f"    {v} = np.einsum('ijk,ij->k', {T}, {M}) + np.einsum('ijk->ik', {T}).sum()",
                f"    del {T}",
            ]
        if form == "td1":
            return lines + [
                f"    {v} = np.tensordot({M}, {M}.T, axes=1) + np.tensordot({M}, {M}, 2)"
            ]
        if form == "td2":
            return lines + [
                f"    {v} = np.tensordot({M}, np.tanh({M}), axes=([0], [0])).T @ {M}.T",
            ]
        if form == "td_list":
            return lines + [
                f"    {T} = np.stack([{M}, {M} ** 2])",
                f"    {v} = np.tensordot({T}, {M}, axes=([1, 2], [0, 1])) * {M}.sum()",
                f"    del {T}",
            ]
        if form == "mm_chain":
            return lines + [
                f"    {v} = np.matmul({M}.T, {M}) @ {M}.T @ np.ones({p}) + ({M} @ {M}.T)[0] @ {M}",
            ]
        return lines + [
            f"    {T} = np.stack([{M}, np.cos({M}), {M} * 0.5])",
            f"    {e} = {T} @ np.swapaxes({T}, 1, 2)",
            f"    {v} = np.matmul({e}, {T}).sum(axis=0) + np.einsum('bij,bij->', {T}, {T})",
            f"    del {T}, {e}",
        ]
