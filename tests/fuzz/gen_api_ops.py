"""Statements of the NumPy-API generator (`gen_api.py`): reductions, norms, cumulative functions,
broadcasting, indexing.

Input: the generator's state (see gen_arrays.ArrayGen: locals with their values, a decision
source). Output: a candidate statement's lines (guarded text, indented one level); `Reject` when
a choice does not fit the operands at hand (the driver tries another).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_arrays_stmts import Reject

ORDS_VEC = ["None", "1", "2", "np.inf", "-np.inf", "3", "0.5", "-1", "0", "-2"]
ORDS_MAT = ["None", "'fro'", "'nuc'", "1", "-1", "2", "-2", "np.inf", "-np.inf"]


class ApiOps:
    """Statement generators; the host is gen_api.ApiGen."""

    # -- helpers -------------------------------------------------------------------------------

    def api_axis(self, nd: int, tuples: bool = True) -> Any:
        """None, an axis (negative a third of the time) or a tuple of axes (some negative)."""
        r = self.r
        kind = r.pick_w(
            [(1, "none"), (3, "int")] + ([(1.5, "tuple")] if nd >= 2 and tuples else [])
        )
        if kind == "none" or nd == 0:
            return None
        if kind == "int":
            ax = r.int(0, nd - 1)
            return ax - nd if r.chance(0.35) else ax
        k = r.int(2, nd)
        axes = sorted(r.pick([list(range(nd))]) if k == nd else _sample(r, nd, k))
        self.use("api_tuple_axis")
        return tuple(a - nd if r.chance(0.3) else a for a in axes)

    def mask_lit(self, shape: tuple[int, ...], p: float = 0.35) -> str:
        """A literal boolean array of `shape`."""
        n = int(np.prod(shape))
        vals = [self.r.chance(p) for _ in range(n)]
        txt = f"np.array({vals})"
        return txt if len(shape) == 1 else f"{txt}.reshape({tuple(shape)})"

    def reps(self, n: int, k: int | None = None, neg: bool = True) -> list[int]:
        """Indices into an axis of length `n`, with a repeat, some negative."""
        r = self.r
        idx = [r.int(0, n - 1) for _ in range(k or r.int(1, 4))]
        idx.append(r.pick(idx))
        return [i - n if neg and r.chance(0.3) else i for i in idx]

    def nd_arr(self, lo: int = 1, hi: int = 3) -> tuple[str, np.ndarray]:
        return self.arr(self.r.int(0, 2), lo, hi)

    # -- reductions ------------------------------------------------------------------------------

    def a_reduce(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr()
        t = self.fresh("t")
        ax = self.api_axis(va.ndim)
        kd = ", keepdims=True" if r.chance(0.35) else ""
        fn = r.pick(
            ["sum", "mean", "prod", "std", "var", "max", "min", "ptp", "average", "median"]
            + ["nansum", "nanmean", "nanmax", "nanmin", "nanstd", "nanvar", "nanprod"]
            + ["percentile", "quantile", "nanmedian", "amax", "all_sum"]
        )
        self.use(f"api_{fn}")
        g = f"_kgap({a}, {ax})"
        if fn in ("sum", "mean", "prod", "std", "var", "max", "min") and r.chance(0.5):
            self.use("api_method_reduce")
            src = g if fn in ("max", "min") else (f"(np.tanh({a}) + 1.5)" if fn == "prod" else a)
            dd = f", ddof={r.pick([0, 1])}" if fn in ("std", "var") else ""
            return [f"    {t} = {src}.{fn}(axis={ax}{kd}{dd})"]
        if fn in ("std", "var", "nanstd", "nanvar"):
            dd = r.pick(["", ", ddof=1", ", ddof=0"])
            src = a if fn[:3] != "nan" else self.nanned(a, va)
            return [f"    {t} = np.{fn}({src}, axis={ax}{kd}{dd})"]
        if fn in ("max", "min", "ptp", "amax", "median"):
            return [f"    {t} = np.{fn}({g}, axis={ax}{kd})"]
        if fn in ("percentile", "quantile", "nanmedian"):
            q = r.pick(["30", "[25, 75]", "50.0"])
            if fn == "quantile":
                q = r.pick(["0.3", "[0.25, 0.75]", "0.5"])
            src = f"_kgap({self.nanned(a, va)}, {ax})" if fn == "nanmedian" else g
            if fn == "nanmedian":
                return [f"    {t} = np.nanmedian({src}, axis={ax}{kd})"]
            return [f"    {t} = np.{fn}({src}, {q}, axis={ax}{kd})"]
        if fn == "average":
            if isinstance(ax, tuple) or ax is None or r.chance(0.4):
                w = f"np.exp(np.sin({self.shaped(va.shape, 1)}))"
            else:
                w = f"np.exp(np.cos({self.shaped((va.shape[ax],), 1)}))"
            return [f"    {t} = np.average({a}, axis={ax}, weights={w}{kd})"]
        if fn == "all_sum":
            return [f"    {t} = {r.pick(['np.sum', 'np.mean'])}({a}, axis={ax}, dtype=np.float64)"]
        if fn[:3] == "nan":
            src = self.nanned(a, va)
            if fn in ("nanmax", "nanmin"):
                src = f"_kgap({src}, {ax})"
            if fn == "nanprod":
                src = f"np.tanh({src}) + 1.5"
            return [f"    {t} = np.{fn}({src}, axis={ax}{kd})"]
        if fn == "prod":
            return [f"    {t} = np.prod(np.cos({a}) + 1.2, axis={ax}{kd})"]
        return [f"    {t} = np.{fn}({a}, axis={ax}{kd})"]

    def nanned(self, a: str, va: np.ndarray) -> str:
        """`a` with NaNs at a literal mask (never in a local: the generator keeps locals finite)."""
        self.use("api_nan_input")
        return f"np.where({self.mask_lit(va.shape, 0.3)}, np.nan, {a})"

    def a_norm(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr()
        t = self.fresh("t")
        kd = ", keepdims=True" if r.chance(0.3) else ""
        fnname = r.pick(["np.linalg.norm", "np.linalg.norm", "np.linalg.vector_norm"])
        if va.ndim >= 2 and r.chance(0.5):
            ordt = r.pick(ORDS_MAT)
            axes = r.pick([(-2, -1), (0, 1), (1, 0), (-1, -2)]) if va.ndim == 2 else None
            if va.ndim == 3:
                axes = r.pick([(1, 2), (0, 2), (2, 0), (-1, 1)])
            if axes is None or r.chance(0.3) and va.ndim == 2:
                axes_txt, ra, ca = "None", 0, 1
            else:
                axes_txt, (ra, ca) = str(axes), axes
            self.use(f"api_matnorm_{ordt.strip(chr(39))}")
            checks = [f"_kpos(np.linalg.norm({a}, ord='fro', axis={(ra, ca)}))"]
            if ordt in ("1", "-1"):
                checks += [f"_kz({a})", f"_kgap(np.abs({a}).sum(axis={ra}), -1)"]
            elif ordt in ("np.inf", "-np.inf"):
                checks += [f"_kz({a})", f"_kgap(np.abs({a}).sum(axis={ca}), -1)"]
            elif ordt in ("2", "-2", "'nuc'"):
                sv = f"np.linalg.svd(np.moveaxis({a}, {(ra, ca)}, (-2, -1)), compute_uv=False)"
                checks += [f"_kgap({sv}, -1)", f"_kpos({sv})"]
            if fnname == "np.linalg.vector_norm" or r.chance(0.3):
                fn = "np.linalg.matrix_norm"
                if axes_txt != "None" and tuple(x % va.ndim for x in (ra, ca)) != (
                    va.ndim - 2,
                    va.ndim - 1,
                ):
                    raise Reject("matrix_norm works on the last two axes")
                self.use("api_matrix_norm")
                call = f"{fn}({a}, ord={ordt if ordt != 'None' else chr(39) + 'fro' + chr(39)}{kd})"
            else:
                call = f"np.linalg.norm({a}, ord={ordt}, axis={axes_txt}{kd})"
            return [f"    {t} = _kw({call}, {', '.join(checks)})"]
        ordt = r.pick(ORDS_VEC)
        if fnname == "np.linalg.vector_norm":
            ax = self.api_axis(va.ndim)
        else:
            ax = r.int(-va.ndim, va.ndim - 1) if va.ndim > 1 else r.pick([None, 0, -1])
            if va.ndim > 1 and ordt not in ("None", "2"):
                ax = r.int(-va.ndim, va.ndim - 1)
        self.use(f"api_vecnorm_{ordt}")
        checks = [f"_kpos(np.sqrt(np.sum({a} * {a}, axis={ax})))"]
        if ordt not in ("None", "2", "3"):
            checks.append(f"_kz({a})")
        if ordt in ("np.inf", "-np.inf"):
            checks.append(f"_kgap(np.abs({a}), {ax})")
        call = f"{fnname}({a}, ord={ordt}, axis={ax}{kd})"
        return [f"    {t} = _kw({call}, {', '.join(checks)})"]

    def a_cum(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr()
        t = self.fresh("t")
        ax = r.pick([None, r.int(-va.ndim, va.ndim - 1)])
        kind = r.pick(["cumsum", "cumprod", "mcumsum", "mcumprod", "nancumsum", "cumulative_sum"])
        self.use(f"api_{kind}")
        pos = f"(np.cos({a}) * 0.5 + 1.0)"
        if kind == "cumsum":
            return [f"    {t} = np.cumsum({a}, axis={ax})"]
        if kind == "cumprod":
            return [f"    {t} = np.cumprod({pos}, axis={ax})"]
        if kind == "mcumsum":
            return [f"    {t} = {a}.cumsum({'' if ax is None else f'axis={ax}'})"]
        if kind == "mcumprod":
            return [f"    {t} = {a}.cumprod({'' if ax is None else ax})"]
        if kind == "nancumsum":
            return [
                f"    {t} = np.{r.pick(['nancumsum', 'nancumprod'])}({self.nanned(a, va)}, {ax})"
            ]
        if ax is None and va.ndim > 1:
            raise Reject("cumulative_sum needs an axis")
        f = r.pick(["cumulative_sum", "cumulative_prod"])
        src = a if f == "cumulative_sum" else pos
        ini = r.pick(["", ", include_initial=True"])
        axt = "" if ax is None else f", axis={ax}"
        return [f"    {t} = np.{f}({src}{axt}{ini})"]

    # -- broadcasting and dtypes -----------------------------------------------------------------

    def a_broadcast(self) -> list[str]:
        r = self.r
        t = self.fresh("t")
        kind = r.pick(
            ["col_row", "zero_d", "one", "leading1", "bcast_to", "bcast_arrays", "int_arange"]
            + ["bool_mul", "pyint", "np_scalar", "newaxis_mid", "outer_sub"]
        )
        self.use(f"api_bc_{kind}")
        a, va = self.nd_arr(1, 2)
        if kind == "col_row":
            b, vb = self.arr(1, 1, 1)
            return [f"    {t} = {a}.reshape(-1, 1) * {b}.reshape(1, -1) + {b}[np.newaxis, :] ** 2"]
        if kind == "zero_d":
            s = self.shaped((), 1)
            return [f"    {t} = np.array({s}) * {a} + np.asarray(0.5) - np.array(1.0)[()] * {a}"]
        if kind == "one":
            return [f"    {t} = {a} * np.array([0.5]) + np.ones((1,) * {va.ndim}) * np.sin({a})"]
        if kind == "leading1":
            return [f"    {t} = {a}[None] * np.ones((2,) + {va.shape}) + {a}"]
        if kind == "bcast_to":
            shp = (r.int(1, 3),) + va.shape
            return [f"    {t} = np.broadcast_to({a}, {shp}) * 1.0"]
        if kind == "bcast_arrays":
            b = self.shaped(va.shape[1:], 1) if va.ndim > 1 else self.shaped((), 1)
            return [
                f"    {t}, _ = np.broadcast_arrays({a}, {b})",
                f"    {t} = {t} + np.broadcast_arrays({a}, {b})[1]",
            ]
        if kind == "int_arange":
            n = va.shape[-1]
            return [f"    {t} = {a} * np.arange({n}) + {a} / np.arange(1, {n + 1}) - 2 * {a}"]
        if kind == "bool_mul":
            c = self.shaped(va.shape, 1)
            return [f"    {t} = {a} * (_kz({c}) > 0) + {a} * {self.mask_lit(va.shape)} + True"]
        if kind == "pyint":
            return [f"    {t} = 3 * {a} ** 2 - {a} // 1 * 0 + int(2) * {a} + {a} ** -1 * 0.0"]
        if kind == "np_scalar":
            s = r.pick(["np.float32(0.25)", "np.int64(3)", "np.float64(1.5)", "np.int32(-2)"])
            return [f"    {t} = {a} * {s} + {s}"]
        if kind == "newaxis_mid":
            if va.ndim != 2:
                raise Reject("rank")
            b, vb = self.arr(1, 2, 2)
            return [f"    {t} = ({a}[:, np.newaxis, :] * {b}[np.newaxis, :, :]).sum(axis=-1)"]
        b, vb = self.arr(1, 1, 1)
        return [f"    {t} = np.subtract.outer({a}, {b}) ** 2"]

    # -- indexing --------------------------------------------------------------------------------

    def a_index(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr()
        t = self.fresh("t")
        sh, nd = va.shape, va.ndim
        kind = r.pick(
            ["rev", "rev2", "newaxis", "ellipsis", "ints", "ints_arr", "ints2", "ix", "mask_lit"]
            + ["mask_row", "mask_cmp", "take_flat", "take_ax", "compress", "mixed", "np_int"]
            + ["where1", "nonzero", "argwhere", "chain"]
        )
        self.use(f"api_idx_{kind}")
        n0 = sh[0]
        if kind == "rev":
            return [f"    {t} = {a}[{r.pick(['::-1', '::-2', '-1::-2', '-2::-1', ':0:-1'])}]"]
        if kind == "rev2":
            if nd < 2:
                raise Reject("rank")
            return [f"    {t} = {a}[{r.pick(['::-1, ::2', '1:, ::-1', '..., ::-1', ':, -1::-2'])}]"]
        if kind == "newaxis":
            return [f"    {t} = {a}[{r.pick(['np.newaxis', 'None, ...', '..., None', ':, None'])}]"]
        if kind == "ellipsis":
            return [f"    {t} = {a}[{r.pick(['..., 0', '..., -1', '...', '..., 1:'])}]"]
        if kind == "ints":
            return [f"    {t} = {a}[{self.reps(n0)}]"]
        if kind == "ints_arr":
            return [f"    {t} = {a}[np.array({self.reps(n0)})] * 1.0"]
        if kind == "ints2":
            if nd < 2:
                raise Reject("rank")
            k = r.int(1, 3)
            i, j = self.reps(n0, k), self.reps(sh[1], k)
            return [f"    {t} = {a}[{i}, {j}]"]
        if kind == "ix":
            if nd < 2:
                raise Reject("rank")
            return [f"    {t} = {a}[np.ix_({self.reps(n0)}, {self.reps(sh[1])})]"]
        if kind == "mask_lit":
            return [f"    {t} = {a}[{self.mask_lit(sh, 0.6)}]"]
        if kind == "mask_row":
            return [f"    {t} = {a}[{self.mask_lit((n0,), 0.6)}]"]
        if kind == "mask_cmp":
            c = r.pick(["0.0", "0.3", "-0.5"])
            return [f"    {t} = {a}[_kne({a}, {c}) > {c}] * 2.0"]
        if kind == "take_flat":
            return [f"    {t} = np.take({a}, {self.reps(va.size, neg=False)})"]
        if kind == "take_ax":
            ax = r.int(-nd, nd - 1)
            idx = self.reps(sh[ax])
            return [f"    {t} = {a}.take({idx}, axis={ax})"]
        if kind == "compress":
            ax = r.int(0, nd - 1)
            return [f"    {t} = np.compress({self.mask_lit((sh[ax],), 0.6)}, {a}, axis={ax})"]
        if kind == "mixed":
            if nd < 2:
                raise Reject("rank")
            return [f"    {t} = {a}[{self.reps(n0)}, ::-1]"]
        if kind == "np_int":
            return [f"    {t} = {a}[np.int64({r.int(-n0, n0 - 1)})] * {a}[{r.int(-n0, n0 - 1)}]"]
        if kind == "where1":
            c = self.shaped(sh, 1)
            return [f"    {t} = {a}[np.where(_kz({c}) > 0)]"]
        if kind == "nonzero":
            return [f"    {t} = {a}[np.nonzero({self.mask_lit(sh, 0.5)})] + 1.0"]
        if kind == "argwhere":
            if nd != 1:
                raise Reject("rank")
            return [f"    {t} = {a}[np.argwhere(_kz({a}) > 0)[:, 0]]"]
        return [f"    {t} = {a}[::-1][{self.reps(n0)}][..., np.newaxis]"]


def _sample(r: Any, n: int, k: int) -> list[int]:
    pool = list(range(n))
    out = []
    for _ in range(k):
        out.append(pool.pop(r.int(0, len(pool) - 1)))
    return out
