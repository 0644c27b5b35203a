"""More statements of the NumPy-API generator (`gen_api.py`): shape functions with their argument
variants, `diff`/`gradient`/`trapezoid`/`interp`, random `einsum` subscripts, products, stacking
and splitting, the numerically delicate elementwise functions, dtype mixing, statistics.

Input: the generator's state (see gen_arrays.ArrayGen). Output: a candidate statement's lines
(guarded text, indented one level); `Reject` when a choice does not fit.
"""

from __future__ import annotations

import string

from .gen_api_select import ApiSelect
from .gen_arrays_stmts import Reject


class ApiMore(ApiSelect):
    """Statement generators, continued; the host is gen_api.ApiGen."""

    def a_shape(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr()
        t = self.fresh("t")
        sh, nd = va.shape, va.ndim
        ax = r.int(-nd, nd - 1)
        kind = r.pick(
            ["roll", "roll_t", "flip", "flip_t", "tile", "repeat_arr", "repeat", "pad", "rot90"]
            + ["reshape_m", "reshape_f", "ravel_f", "squeeze", "expand_t", "moveaxis", "tri"]
            + ["diag", "diagonal", "trace", "atleast", "swap_m", "transpose_m", "resize"]
        )
        self.use(f"api_{kind}")
        if kind == "roll":
            return [f"    {t} = np.roll({a}, {r.int(-3, 3)}{r.pick(['', f', axis={ax}'])})"]
        if kind == "roll_t":
            if nd < 2:
                raise Reject("rank")
            return [f"    {t} = np.roll({a}, ({r.int(-2, 2)}, {r.int(-2, 2)}), axis=(0, -1))"]
        if kind == "flip":
            return [
                f"    {t} = np.flip({a}, {r.pick(['', f'axis={ax}', 'axis=None'])})".replace(
                    ", )", ")"
                )
            ]
        if kind == "flip_t":
            if nd < 2:
                raise Reject("rank")
            f = r.pick(["np.flip({}, axis=(0, 1))", "np.flipud({})", "np.fliplr({})"])
            return [f"    {t} = {f.format(a)}"]
        if kind == "tile":
            return [f"    {t} = np.tile({a}, {r.pick([2, (2, 1), (1, 1, 2), (2,) * nd])})"]
        if kind == "repeat_arr":
            reps = [r.int(0, 2) for _ in range(sh[ax])]
            return [f"    {t} = np.repeat({a}, {reps}, axis={ax})"]
        if kind == "repeat":
            return [f"    {t} = {a}.repeat({r.int(1, 3)}{r.pick(['', f', axis={ax}'])})"]
        if kind == "pad":
            mode = r.pick(
                ["constant", "edge", "reflect", "symmetric", "wrap", "linear_ramp", "mean"]
            )
            mode = r.pick([mode, mode, "maximum", "minimum", "median"])
            pw = r.pick(["1", "(1, 2)", "((1, 0),) + ((0, 1),) * " + str(nd - 1), "(0, 2)"])
            extra = ""
            if mode == "constant" and r.chance(0.5):
                extra = f", constant_values={r.pick(['1.5', '(0.5, -1.0)'])}"
            if mode == "linear_ramp":
                extra = ", end_values=0.5"
            if mode in ("reflect", "symmetric") and r.chance(0.3):
                extra = ", reflect_type='odd'"
            self.use(f"api_pad_{mode}")
            src = f"_kgap({a})" if mode in ("maximum", "minimum", "median") else a
            return [f"    {t} = np.pad({src}, {pw}, mode='{mode}'{extra})"]
        if kind == "rot90":
            if nd < 2:
                raise Reject("rank")
            return [f"    {t} = np.rot90({a}, {r.int(-1, 3)}{r.pick(['', ', axes=(1, 0)'])})"]
        if kind == "reshape_m":
            if va.size % 2:
                raise Reject("odd size")
            return [f"    {t} = {a}.reshape({r.pick(['-1, 2', '2, -1', '(-1, 2)', '(2, -1)'])})"]
        if kind == "reshape_f":
            return [f"    {t} = np.reshape({a}, (-1,) + {sh[:1]}, order='F')"]
        if kind == "ravel_f":
            return [
                f"    {t} = {r.pick(['np.ravel({}, order={})', '{}.flatten(order={})'])}".format(
                    a, "'F'"
                )
            ]
        if kind == "squeeze":
            return [
                f"    {t} = np.squeeze({a}[None, ..., None], axis={r.pick(['0', '-1', '(0, -1)'])})"
            ]
        if kind == "expand_t":
            return [
                f"    {t} = np.expand_dims({a}, {r.pick(['(0, -1)', '(0, 1)', '-1', '(0, 2)'])})"
            ]
        if kind == "moveaxis":
            if nd < 2:
                raise Reject("rank")
            src, dst = r.pick(["0", "(0, 1)", "-1"]), r.pick(["-1", "(1, 0)", "0"])
            return [f"    {t} = np.moveaxis({a}, {src}, {dst})"]
        if kind == "tri":
            if nd < 2:
                raise Reject("rank")
            k = r.int(-1, 1)
            return [f"    {t} = {r.pick(['np.triu', 'np.tril'])}({a}, k={k})"]
        if kind == "diag":
            if nd > 2:
                raise Reject("rank")
            return [f"    {t} = np.diag({a}, k={r.int(-1, 1)})"]
        if kind == "diagonal":
            if nd < 2:
                raise Reject("rank")
            off = r.int(-1, 1)
            f = r.pick(["np.diagonal({}, offset={}, axis1=-1, axis2=0)", "{}.diagonal({})"])
            return [f"    {t} = {f.format(a, off)}"]
        if kind == "trace":
            if nd < 2:
                raise Reject("rank")
            return [f"    {t} = {a}.trace({r.int(-1, 1)}) + np.trace({a}, axis1=-1, axis2=0)"]
        if kind == "atleast":
            return [f"    {t} = {r.pick(['np.atleast_2d', 'np.atleast_3d'])}({a}) * 1.0"]
        if kind == "swap_m":
            if nd < 2:
                raise Reject("rank")
            return [f"    {t} = {a}.swapaxes(0, -1) * 1.0"]
        if kind == "transpose_m":
            axes = ", ".join(str(k) for k in reversed(range(nd)))
            return [f"    {t} = {a}.transpose({axes}) + {a}.T"]
        return [f"    {t} = np.resize({a}, ({r.int(1, 7)},))"]

    def a_diff(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr()
        t = self.fresh("t")
        nd = va.ndim
        ax = r.int(-nd, nd - 1)
        kind = r.pick(["diff", "diff_pre", "gradient", "gradient_sp", "gradient_x", "trapz"])
        kind = r.pick([kind, "interp", "convolve", "polyval", "ediff1d", "cross"])
        self.use(f"api_{kind}")
        n = va.shape[ax]
        if kind == "diff":
            return [f"    {t} = np.diff({a}, n={r.int(1, 2)}, axis={ax})"]
        if kind == "diff_pre":
            pre = r.pick(["prepend=0.0", "append=1.5", "prepend=0.5, append=-1.0"])
            return [f"    {t} = np.diff({a}, axis={ax}, {pre})"]
        if kind == "gradient":
            if n < 2:
                raise Reject("short")
            return (
                [f"    {t} = np.gradient({a}, axis={ax})"]
                if nd > 1
                else [f"    {t} = np.gradient({a})"]
            )
        if kind == "gradient_sp":
            if n < 3:
                raise Reject("short")
            eo = r.pick(["", ", edge_order=2"])
            return [f"    {t} = np.gradient({a}, {r.pick(['0.5', '2'])}, axis={ax}{eo})"]
        if kind == "gradient_x":
            if n < 2:
                raise Reject("short")
            xs = sorted(round(r.normal(), 2) for _ in range(n))
            if len(set(xs)) < n:
                raise Reject("ties")
            return [f"    {t} = np.gradient({a}, np.array({xs}), axis={ax})"]
        if kind == "trapz":
            dx = r.pick(["", ", dx=0.5", f", x=np.linspace(0.0, 1.0, {n}) ** 2"])
            return [f"    {t} = np.trapezoid({a}, axis={ax}{dx})"]
        if kind == "interp":
            xp = self.shaped((4,), 1)
            return [
                f"    {t} = np.interp(_kw({a}, _kz({a} - np.linspace(-1.5, 1.5, 4)[:, None])),"
                f" np.linspace(-1.5, 1.5, 4), {xp})"
            ]
        if kind == "convolve":
            if nd != 1:
                raise Reject("rank")
            b, vb = self.arr(1, 1, 1)
            mode = r.pick(["'full'", "'same'", "'valid'"])
            return [f"    {t} = np.{r.pick(['convolve', 'correlate'])}({a}, {b}, mode={mode})"]
        if kind == "polyval":
            p = self.shaped((r.int(1, 4),), 1)
            return [f"    {t} = np.polyval({p}, {a})"]
        if kind == "ediff1d":
            return [f"    {t} = np.ediff1d({a}, to_begin=0.5)"]
        if va.shape[-1] != 3:
            raise Reject("cross needs 3-vectors")
        b = self.shaped(va.shape, 1)
        return [f"    {t} = np.cross({a}, {b}{r.pick(['', ', axis=-1', ', axisa=-1, axisb=-1'])})"]

    def a_einsum(self) -> list[str]:
        """Random subscripts over one to three operands: shared letters where sizes agree,
        repeated letters (diagonals) in an operand, `...` over leading axes, implicit outputs."""
        r = self.r
        t = self.fresh("t")
        ops = [self.nd_arr(1, 3) for _ in range(r.pick([1, 2, 2, 3]))]
        letters = iter(string.ascii_lowercase)
        by_size: dict[int, list[str]] = {}
        specs, names = [], []
        ell = r.chance(0.25)
        for a, va in ops:
            sh = va.shape
            lead = 1 if ell and len(sh) >= 2 else 0
            sub = "..." if lead else ""
            for d in sh[lead:]:
                same = by_size.get(d, [])
                if same and r.chance(0.6):
                    c = r.pick(same)
                    if c in sub and not r.chance(0.4):
                        c = next(letters)
                else:
                    c = next(letters)
                by_size.setdefault(d, []).append(c)
                sub += c
            specs.append(sub)
            names.append(a)
        allc = list(dict.fromkeys(c for s in specs for c in s if c != "."))
        if r.chance(0.25):
            self.use("api_einsum_implicit")
            spec = ",".join(specs)
        else:
            out = [c for c in allc if r.chance(0.4)]
            if r.chance(0.5):
                out.reverse()
            spec = ",".join(specs) + "->" + ("..." if ell else "") + "".join(out)
        if any(len(set(s.replace(".", ""))) < len(s.replace(".", "")) for s in specs):
            self.use("api_einsum_repeated")
        if ell:
            self.use("api_einsum_ellipsis")
        opt = r.pick(["", "", ", optimize=True", ", optimize='greedy'"])
        self.use(f"api_einsum_{len(ops)}")
        return [f"    {t} = np.einsum('{spec}', {', '.join(names)}{opt})"]

    def a_products(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr()
        t = self.fresh("t")
        sh = va.shape
        kind = r.pick(["tensordot", "tensordot2", "tensordot0", "kron", "outer", "inner", "vdot"])
        kind = r.pick([kind, "dot1", "matmul_vec", "matmul_bc", "multi_dot", "vecdot", "m_dot"])
        self.use(f"api_{kind}")
        d = r.pick(self.dims)
        if kind == "tensordot":
            b = self.shaped((sh[-1], d), 1)
            return [
                f"    {t} = np.tensordot({a}, {b}, axes=({r.pick(['[-1]', str(len(sh) - 1)])}, 0))"
            ]
        if kind == "tensordot2":
            if len(sh) < 2:
                raise Reject("rank")
            b = self.shaped(sh[-2:] + (d,), 1)
            return [f"    {t} = np.tensordot({a}, {b}, axes={r.pick(['2', '([-2, -1], [0, 1])'])})"]
        if kind == "tensordot0":
            b, vb = self.arr(1, 1, 1)
            return [f"    {t} = np.tensordot({b}, {a}, axes=0)"]
        if kind == "kron":
            b = self.shaped(tuple(r.int(1, 2) for _ in range(r.int(1, len(sh)))), 1)
            return [f"    {t} = np.kron({a}, {b})"]
        if kind == "outer":
            b, vb = self.nd_arr(1, 2)
            return [f"    {t} = np.outer({a}, {b})"]
        if kind == "inner":
            b = self.shaped((d, sh[-1]), 1)
            return [f"    {t} = np.inner({a}, {b})"]
        if kind == "vdot":
            b = self.shaped(sh, 1)
            return [f"    {t} = np.vdot({a}, {b}) * {a}"]
        if kind == "dot1":
            b = self.shaped((sh[-1],), 1)
            return [f"    {t} = np.dot({a}, {b})" if len(sh) <= 2 else f"    {t} = {a} @ {b}"]
        if kind == "matmul_vec":
            b = self.shaped((sh[0],), 1)
            return [f"    {t} = {b} @ {a}" if len(sh) <= 2 else f"    {t} = np.matmul({b}, {a})"]
        if kind == "matmul_bc":
            if len(sh) != 2:
                raise Reject("rank")
            b = self.shaped((r.int(2, 3), sh[1], d), 1)
            return [f"    {t} = {a} @ {b}"]
        if kind == "multi_dot":
            b = self.shaped((sh[-1], d), 1)
            c = self.shaped((d,), 1)
            if len(sh) > 2:
                raise Reject("rank")
            return [f"    {t} = np.linalg.multi_dot([{a}, {b}, {c}])"]
        if kind == "vecdot":
            b = self.shaped(sh[-1:], 1)
            return [f"    {t} = {r.pick(['np.vecdot', 'np.linalg.vecdot'])}({a}, {b})"]
        if len(sh) > 2:
            raise Reject("rank")
        b = self.shaped((sh[-1],), 1)
        return [f"    {t} = {a}.dot({b})"]

    def a_stack(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr()
        t = self.fresh("t")
        sh, nd = va.shape, va.ndim
        ax = r.int(-nd, nd - 1)
        n = sh[ax]
        kind = r.pick(["split_n", "array_split", "split_idx", "stack", "hvd", "concat_none"])
        kind = r.pick([kind, "append", "insert", "delete", "unstack", "block", "column_stack"])
        self.use(f"api_{kind}")
        if kind == "split_n":
            k = r.pick([x for x in (1, 2, 3) if n % x == 0])
            parts = [f"    {t} = np.split({a}, {k}, axis={ax})"]
            return parts + [f"    {t} = {t}[{r.int(-k, k - 1)}] * 2.0 + {t}[0]"]
        if kind == "array_split":
            k = r.int(2, 4)
            return [
                f"    {t} = np.array_split({a}, {k}, axis={ax})[{r.int(0, min(k, n) - 1)}] * 1.0"
            ]
        if kind == "split_idx":
            idx = sorted(r.int(0, n + 1) for _ in range(r.int(1, 3)))
            k = len(idx) + 1
            f = r.pick(["np.split", "np.array_split"])
            return [
                f"    {t} = {f}({a}, {idx}, axis={ax})",
                f"    {t} = {t}[{r.int(0, k - 1)}] + 1.0",
            ]
        if kind == "stack":
            b = self.shaped(sh, 1)
            return [
                f"    {t} = np.stack([{a}, {b}, {a}], axis={r.pick(['-1', '0', '1', str(-nd - 1)])})"
            ]
        if kind == "hvd":
            b = self.shaped(sh, 1)
            f = r.pick(["np.hstack", "np.vstack", "np.dstack", "np.concat"])
            return [f"    {t} = {f}(({a}, {b}))"]
        if kind == "concat_none":
            b, vb = self.nd_arr()
            return [f"    {t} = np.concatenate([{a}, {b}], axis=None)"]
        if kind == "append":
            b = self.shaped(sh, 1)
            return [f"    {t} = np.append({a}, {b}{r.pick(['', f', axis={ax}'])})"]
        if kind == "insert":
            return [f"    {t} = np.insert({a}, {r.int(0, n)}, {r.pick(['0.5', '2'])}, axis={ax})"]
        if kind == "delete":
            if n < 2:
                raise Reject("short")
            return [f"    {t} = np.delete({a}, {self.reps(n)[:1]}, axis={ax})"]
        if kind == "unstack":
            return [f"    {t} = np.unstack({a}, axis={ax})", f"    {t} = {t}[0] - {t}[-1] * 2.0"]
        if kind == "block":
            if nd != 2:
                raise Reject("rank")
            b = self.shaped(sh, 1)
            return [f"    {t} = np.block([[{a}, {b}], [{b}, {a}]])"]
        if nd != 1:
            raise Reject("rank")
        b = self.shaped(sh, 1)
        return [f"    {t} = np.column_stack([{a}, {b}])"]
