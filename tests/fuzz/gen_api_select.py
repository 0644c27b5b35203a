"""Statements of the NumPy-API generator (`gen_api.py`): fancy writes (`u[idx] += v` with repeated
indices, `np.add.at`, masks, reversed slices, `put_along_axis`, `copyto`), `where`/`select`/
`piecewise`/`clip` and sorts.

Input: the generator's state (see gen_arrays.ArrayGen). Output: a candidate statement's lines
(guarded text, indented one level); `Reject` when a choice does not fit.
"""

from __future__ import annotations

from .gen_api_ops import ApiOps
from .gen_arrays_stmts import Reject


class ApiSelect(ApiOps):
    """Statement generators, continued; the host is gen_api.ApiGen."""

    def a_write(self) -> list[str]:
        """A fresh copy written through a fancy index, a mask, a reversed slice, `np.add.at`."""
        r = self.r
        a, va = self.nd_arr()
        u = self.fresh("u")
        sh, nd = va.shape, va.ndim
        cp = r.pick([f"{a}.copy()", f"np.array({a})", f"np.copy({a})", f"{a} * 1.0"])
        kind = r.pick(
            ["dup_iadd", "dup_set", "add_at", "sub_at", "mask_set", "mask_mul", "rev_iadd"]
            + ["ell_set", "put_along", "put", "copyto", "cols_dup", "ints2_set", "at_2d"]
            + ["overlap", "self_rev", "out_ufunc", "self_mul", "fill_diag"]
        )
        self.use(f"api_write_{kind}")
        idx = self.reps(sh[0])
        k = len(idx)
        row = sh[1:]
        vals = self.shaped((k,) + row, 1) if r.chance(0.6) else self.shaped(row, 1)
        lines = [f"    {u} = {cp}"]
        if kind == "dup_iadd":
            lines.append(f"    {u}[{idx}] {r.pick(['+=', '-=', '*='])} {vals}")
        elif kind == "dup_set":
            lines.append(f"    {u}[np.array({idx})] = {vals}")
        elif kind == "add_at":
            lines.append(f"    np.add.at({u}, {idx}, {vals})")
        elif kind == "sub_at":
            lines.append(f"    np.subtract.at({u}, np.array({idx}), {vals})")
        elif kind == "at_2d":
            if nd < 2:
                raise Reject("rank")
            j = self.reps(sh[1], k - 1)
            lines.append(f"    np.add.at({u}, ({idx}, {j}), {self.shaped((k,) + sh[2:], 1)})")
        elif kind == "mask_set":
            m = self.mask_lit(sh, 0.5)
            b = self.shaped(sh, 1)
            lines.append(f"    {u}[{m}] = {b}[{m}]")
        elif kind == "mask_mul":
            c = r.pick(["0.0", "0.2"])
            lines.append(f"    {u}[_kne({u}, {c}) > {c}] *= {r.pick(['2.0', '-0.5', '3'])}")
        elif kind == "rev_iadd":
            lines.append(f"    {u}[::-1] += {self.shaped(sh, 1)}")
        elif kind == "ell_set":
            lines.append(f"    {u}[..., {r.int(-sh[-1], sh[-1] - 1)}] = {self.shaped(sh[:-1], 1)}")
        elif kind == "put_along":
            ax = r.int(-nd, nd - 1)
            c = self.shaped(sh, 1)
            arg = f"np.argmax(_kgap({c}, {ax}), axis={ax}, keepdims=True)"
            keep = list(sh)
            keep[ax] = 1
            lines.append(
                f"    np.put_along_axis({u}, {arg}, {self.shaped(tuple(keep), 1)}, axis={ax})"
            )
        elif kind == "put":
            lines.append(f"    np.put({u}, {self.reps(va.size, neg=False)}, {self.shaped((), 1)})")
        elif kind == "overlap":  # NumPy buffers overlapping operands: the old values are read
            if sh[0] < 2:
                raise Reject("short")
            op = r.pick(["+=", "=", "*=", "-="])
            lines.append(
                f"    {u}[1:] {op} {u}[:-1]" if r.chance(0.5) else f"    {u}[:-1] {op} {u}[1:]"
            )
        elif kind == "self_rev":
            lines.append(f"    {u} {r.pick(['+=', '-=', '*='])} {u}[::-1]")
        elif kind == "out_ufunc":
            f = r.pick(["np.multiply({0}, 2.0, out={0})", "np.add({0}, {1}, out={0})"])
            f = f.replace("{1}", self.shaped(sh, 1))
            lines.append(f"    {f.format(u)}")
        elif kind == "self_mul":
            lines.append(f"    {u} *= {u}")
            lines.append(f"    {u}[0] += {u}[-1]")
        elif kind == "fill_diag":
            if nd != 2:
                raise Reject("rank")
            lines.append(f"    np.fill_diagonal({u}, {self.shaped((), 1)})")
        elif kind == "copyto":
            lines.append(f"    np.copyto({u}, {self.shaped(sh, 1)}, where={self.mask_lit(sh)})")
        elif kind == "cols_dup":
            if nd < 2:
                raise Reject("rank")
            j = self.reps(sh[1])
            lines.append(f"    {u}[:, {j}] += {self.shaped((sh[0], len(j)) + sh[2:], 1)}")
        else:
            if nd < 2:
                raise Reject("rank")
            j = self.reps(sh[1], k - 1)
            lines.append(f"    {u}[{idx}, {j}] = {self.shaped((k,) + sh[2:], 1)}")
        self.owned.add(u)
        return lines

    # -- where, select, piecewise, clip, sorts ---------------------------------------------------

    def a_where(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr(0, 2)
        t = self.fresh("t")
        sh = va.shape
        c = r.pick(["0.0", "0.4", "-0.3"])
        kind = r.pick(["where_bc", "where_sc", "select", "piecewise", "piecewise_c", "clip"])
        kind = r.pick([kind, "mclip", "clip_arr", "where_int"])
        self.use(f"api_{kind}")
        cond = f"_kne({a}, {c}) > {c}"
        if kind == "where_bc":
            b = self.shaped(sh[1:] if sh else (), 1)
            return [f"    {t} = np.where({cond}, {b}, {a} ** 2)"]
        if kind == "where_sc":
            return [f"    {t} = np.where({cond}, 1.5, {a}) * np.where({cond}, {a}, 0)"]
        if kind == "where_int":
            return [f"    {t} = np.where({cond}, {a}, np.arange({sh[-1] if sh else 1}))"]
        if kind == "select":
            return [
                f"    {t} = np.select([{cond}, _kne({a}, {c} - 0.5) < {c} - 0.5], "
                f"[np.sin({a}), {a} * 3], default={r.pick(['0.0', f'{a} ** 2', '1'])})"
            ]
        if kind == "piecewise":
            return [
                f"    {t} = np.piecewise({a}, [{cond}, _kne({a}, {c}) <= {c}], "
                f"[lambda z: z ** 2, lambda z: np.sin(z) * 2.0])"
            ]
        if kind == "piecewise_c":
            return [
                f"    {t} = np.piecewise({a}, [{cond}], [{r.pick(['0.5', '2'])}, lambda z: z * z])"
            ]
        lo, hi = sorted([float(c), float(c) + r.pick([0.5, 1.0])])
        guard = f"_kne(_kne({a}, {lo}), {hi})"
        if kind == "clip":
            return [f"    {t} = np.clip({guard}, {r.pick([str(lo), 'None'])}, {hi})"]
        if kind == "mclip":
            return [f"    {t} = {guard}.clip({lo}, {r.pick([str(hi), 'None'])})"]
        b = self.shaped(sh, 1)
        return [f"    {t} = np.clip(_kne(_kne({a}, {b} - 0.3), {b} + 0.3), {b} - 0.3, {b} + 0.3)"]

    def a_sort(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr()
        t = self.fresh("t")
        nd = va.ndim
        ax = r.int(-nd, nd - 1)
        kind = r.pick(
            ["sort_none", "sort_ax", "msort", "argsort_take", "along", "argmax_kd", "partition"]
            + ["sort_desc", "searchsorted", "argsort_inv"]
        )
        self.use(f"api_{kind}")
        g = f"_kgap({a}, {ax})"
        if kind == "sort_none":
            return [f"    {t} = np.sort(_kgap({a}), axis=None)"]
        if kind == "sort_ax":
            return [f"    {t} = np.sort({g}, axis={ax}, kind='stable')"]
        if kind == "msort":
            return [f"    {t} = _kgap({a}, {ax}).copy()", f"    {t}.sort(axis={ax})"]
        if kind == "argsort_take":
            c, vc = self.arr(1, 1, 1)
            if vc.shape[0] != va.shape[0]:
                c = self.shaped((va.shape[0],), 1)
            return [f"    {t} = {a}[np.argsort(_kgap({c}))] * 1.0"]
        if kind == "along":
            c = self.shaped(va.shape, 1)
            i = f"np.argsort(_kgap({c}, {ax}), axis={ax})"
            return [f"    {t} = np.take_along_axis({a}, {i}, axis={ax})"]
        if kind == "argmax_kd":
            f = r.pick(["argmax", "argmin"])
            return [
                f"    {t} = np.take_along_axis({a}, np.{f}({g}, axis={ax}, keepdims=True), {ax})"
            ]
        if kind == "partition":
            k = r.int(0, va.shape[ax] - 1)
            return [f"    {t} = np.partition({g}, {k}, axis={ax})[..., :]"]
        if kind == "sort_desc":
            return [f"    {t} = -np.sort(-{g}, axis={ax})"]
        if kind == "searchsorted":
            if nd != 1:
                raise Reject("rank")
            return [
                f"    {t} = {a}[np.clip(np.searchsorted(np.linspace(-2, 2, 5), _kz({a})), 0, "
                f"{va.size - 1})]"
            ]
        if nd != 1:
            raise Reject("rank")
        return [f"    {t} = np.empty_like({a})", f"    {t}[np.argsort(_kgap({a}))] = {a} * 2.0"]
