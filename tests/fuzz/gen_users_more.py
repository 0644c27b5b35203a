"""More statements of the user-style generator (`gen_users.py`): NumPy idioms of users' code.

Input: the generator's state (see gen_arrays.ArrayGen). Output: a candidate statement's lines
(guarded text, indented one level); `Reject` when it does not fit. `np.select`/`np.clip` with
array bounds, keepdims normalisations (softmax, logsumexp, layer norm), (n, 1) against (1, n),
0-d and empty arrays, integer indices with repeats, boolean masks, Python built-ins on arrays,
lists of arrays as state, and writes through views of views and subscripts of subscripts.
"""

from __future__ import annotations

import numpy as np

from .gen_arrays_stmts import Reject


class UserMore:
    """Statement generators; the host is gen_users.UserGen."""

    def u_select(self) -> list[str]:
        r = self.r
        a, va = self.arr(1, 1)
        t = self.fresh("t")
        kind = r.pick(["select", "clip_arr", "clip_none", "where_scalar", "where_nested"])
        self.use(f"np_{kind}")
        c1, c2 = self.thr(f"float(np.min({a}))"), self.thr(f"float(np.max({a}))")
        lo, hi = sorted([float(c1), float(c2)])
        if kind == "select":
            b = self.shaped(va.shape, 1)
            return [
                f"    {t} = np.select([_kne({a}, {lo}) < {lo}, _kne({a}, {hi}) > {hi}], "
                f"[{a} * 2.0, np.sin({b})], default={r.pick([a + ' ** 2', '0.5'])})"
            ]
        if kind == "clip_arr":
            b = self.shaped(va.shape, 1)
            return [
                f"    {t} = np.clip(_kne(_kne({a}, {b} - 0.5), {b} + 0.5), {b} - 0.5, {b} + 0.5)"
            ]
        if kind == "clip_none":
            return [f"    {t} = np.clip(_kne({a}, {lo}), {r.pick(['None', lo])}, None) * {a}"]
        if kind == "where_scalar":
            return [f"    {t} = np.where(_kne({a}, {lo}) > {lo}, {a}, 0.1 * {a})"]
        return [
            f"    {t} = np.where(_kne({a}, {lo}) > {lo}, "
            f"np.where(_kne({a}, {hi}) > {hi}, {hi}, {a}), np.exp(np.minimum({a}, 3.0)))"
        ]

    def u_keepdims(self) -> list[str]:
        r = self.r
        a, va = self.arr(1, 1, 2)
        t, m = self.fresh("t"), self.fresh("m")
        ax = r.pick([-1, 0] if va.ndim > 1 else [0, -1, None])
        kind = r.pick(["softmax", "logsumexp", "layernorm", "l2norm", "center"])
        self.use(f"keepdims_{kind}")
        if kind == "softmax":
            return [
                f"    {m} = np.exp({a} - np.max({a}, axis={ax}, keepdims=True))",
                f"    {t} = {m} / {m}.sum(axis={ax}, keepdims=True)",
            ]
        if kind == "logsumexp":
            return [
                f"    {m} = {a}.max(axis={ax}, keepdims=True)",
                f"    {t} = {m} + np.log(np.sum(np.exp({a} - {m}), axis={ax}, keepdims=True))",
            ]
        if kind == "layernorm":
            return [
                f"    {m} = {a} - {a}.mean(axis={ax}, keepdims=True)",
                f"    {t} = {m} / np.sqrt(({m} ** 2).mean(axis={ax}, keepdims=True) + 1e-3)",
            ]
        if kind == "l2norm":
            return [f"    {t} = {a} / (np.linalg.norm({a}, axis={ax}, keepdims=True) + 0.1)"]
        return [f"    {t} = {a} - np.mean({a}, axis={ax}, keepdims=True) * 0.5"]

    def u_outer(self) -> list[str]:
        r = self.r
        a, va = self.vec(1)
        b, vb = self.vec(1)
        t = self.fresh("t")
        kind = r.pick(["col_row", "reshape", "pairwise", "newaxis"])
        self.use(f"outer_{kind}")
        if kind == "col_row":
            return [f"    {t} = {a}.reshape(-1, 1) * {b}.reshape(1, -1) - {a}[:, None]"]
        if kind == "reshape":
            return [f"    {t} = np.sin({a}.reshape(({va.size}, 1)) + {b}.reshape((1, {vb.size})))"]
        if kind == "pairwise":
            m, vm = self.arr(1, 2, 2)
            return [
                f"    {t} = np.sum(({m}[:, None, :] - {m}[None, :, :]) ** 2, axis=-1)",
                f"    {t} = np.exp(-{t}) @ np.ones(({vm.shape[0]}, 1))",
            ]
        return [f"    {t} = ({a}[np.newaxis, :] * {b}[:, np.newaxis]).T"]

    def u_zero_d(self) -> list[str]:
        r = self.r
        a, va = self.arr(1, 0)
        t = self.fresh("t")
        kind = r.pick(["array", "asarray_sum", "keepdims_all", "index_empty", "float64", "item"])
        self.use(f"zero_d_{kind}")
        if kind == "array":
            return [f"    {t} = np.array(float(np.sum({a}))) * {a}"]
        if kind == "asarray_sum":
            return [f"    {t} = np.asarray(np.sum({a}))", f"    {t} = {t} * {t} + {t}[()]"]
        if kind == "keepdims_all":
            return [f"    {t} = np.sum({a}, keepdims=True)", f"    {t} = {a} * {t}"]
        if kind == "index_empty":
            return [f"    {t} = np.array(np.mean({a}))[()] + np.atleast_1d(np.sum({a}))"]
        if kind == "float64":
            return [f"    {t} = np.float64(np.sum({a})) * 2.0 + {a}"]
        return [f"    {t} = np.sum({a}).item() * np.ones(3)"]

    def u_empty(self) -> list[str]:
        a, va = self.arr(1, 1)
        t = self.fresh("t")
        kind = self.r.pick(["mask_none", "slice_none", "concat_empty", "zeros0"])
        self.use(f"empty_{kind}")
        if kind == "mask_none":
            return [f"    {t} = np.sum({a}[{a} > 1e6] ** 2) + np.mean({a})"]
        if kind == "slice_none":
            return [f"    {t} = {a}[1:1].sum() + {a}[..., :0].sum(axis=-1) + {a}"]
        if kind == "concat_empty":
            return [f"    {t} = np.concatenate([{a}.ravel(), np.zeros(0), {a}.ravel()[:0]])"]
        return [f"    {t} = np.zeros((0, {va.shape[-1]})) @ {a}.reshape({va.shape[-1]}, -1)"]

    def u_int_repeat(self) -> list[str]:
        r = self.r
        a, va = self.arr(1, 1)
        n = va.shape[0]
        t = self.fresh("t")
        idx = [r.int(0, n - 1) for _ in range(r.int(2, 4))]
        idx.append(idx[0])
        kind = r.pick(["list", "array", "neg", "take", "2d"])
        self.use(f"int_repeat_{kind}")
        if kind == "list":
            w = f"np.arange(1.0, {len(idx) + 1}.0)" + "[:, None]" * (va.ndim - 1)
            return [f"    {t} = {a}[{idx}] * {w}"]
        if kind == "array":
            return [f"    {t} = np.sin({a}[np.array({idx})])"]
        if kind == "neg":
            return [f"    {t} = {a}[{[i - n for i in idx]}] ** 2"]
        if kind == "take":
            return [f"    {t} = np.take({a}, {idx}, axis=0) + 1.0"]
        if va.ndim < 2:
            raise Reject("rank")
        j = [r.int(0, va.shape[1] - 1) for _ in idx]
        return [f"    {t} = {a}[np.array({idx})[:, None], np.array({j})[None, :]]"]

    def u_mask(self) -> list[str]:
        r = self.r
        a, va = self.arr(1, 1)
        t, m = self.fresh("t"), self.fresh("m")
        c = self.thr(f"float(np.median({a}))")
        kind = r.pick(["mean_if_any", "mul_mask", "sum_mask", "count", "not_mask"])
        self.use(f"mask_{kind}")
        lines = [f"    {m} = _kne({a}, {c}) > {c}"]
        if kind == "mean_if_any":
            lines.append(f"    {t} = np.mean({a}[{m}]) if {m}.any() else 0.0")
        elif kind == "mul_mask":
            lines.append(f"    {t} = {a} * {m} + np.sin({a}) * (~{m})")
        elif kind == "sum_mask":
            lines.append(f"    {t} = np.sum(np.where({m}, {a} ** 2, 0.0), axis=0)")
        elif kind == "count":
            lines.append(f"    {t} = np.sum({a}) / max(int({m}.sum()), 1)")
        else:
            lines.append(f"    {t} = {a}[~{m}] * 2.0 if (~{m}).any() else {a} * 1.0")
        return lines

    def u_pyidiom(self) -> list[str]:
        r = self.r
        a, va = self.vec(1)
        t = self.fresh("t")
        kind = r.pick(["max2", "sorted", "unpack", "star", "swap", "gen_sum", "abs_min"])
        self.use(f"py_{kind}")
        if kind == "max2":
            s1, s2 = f"float({a}[0])", f"float(np.mean({a}))"
            f = r.pick(["max", "min"])
            return [f"    {t} = {f}(_kne({s1}, {s2}), {s2}) * {a}"]
        if kind == "sorted":
            return [
                f"    {t} = sorted(_kgap({a}))",
                f"    {t} = {t}[0] * 2.0 + {t}[-1] + sum({t}[1:-1])",
            ]
        if kind == "unpack":
            if va.size < 2:
                raise Reject("short")
            return [f"    p, q = {a}[:2]", f"    {t} = p * np.cos(q) + q ** 2"]
        if kind == "star":
            return [f"    p, *rest = list({a})", f"    {t} = p * (sum(rest) + 1.0)"]
        if kind == "swap":
            b = self.shaped(va.shape, 1)
            return [
                f"    p, q = {a}, {b}",
                "    for _ in range(2):",
                "        p, q = q, p * 0.5 + np.sin(q)",
                f"    {t} = p - q",
            ]
        if kind == "gen_sum":
            return [f"    {t} = sum(e ** 2 / (i + 1) for i, e in enumerate({a}))"]
        return [f"    {t} = min(abs(_kz(e)) for e in {a}) + max(list({a}) + [0.0])"]

    def u_list_state(self) -> list[str]:
        a, va = self.arr(1, 1)
        hist, t = self.fresh("hist"), self.fresh("t")
        self.use("list_state")
        k = self.r.int(2, 4)
        return [
            f"    {hist} = [{a}]",
            f"    for s in range({k}):",
            f"        {hist}.append(0.5 * {hist}[-1] + 0.3 * np.sin({hist}[s]))",
            f"    {t} = {hist}[-1] + {hist}[-2] * {hist}[0]",
            f"    {t} = {t} + np.mean(np.stack({hist}), axis=0)",
        ]

    # -- writes through views of views and subscripts of subscripts -----------------------------

    def u_nested_write(self) -> list[str]:
        r = self.r
        n, v = self.pick_owned()
        op = r.pick(["+=", "-=", "*=", "="])
        kind = r.pick(["sub_sub", "col_slice", "dict_alias", "list_alias", "T_row"])
        self.use(f"nested_write_{kind}")
        if kind == "sub_sub":
            i = r.int(-v.shape[0], v.shape[0] - 1)
            tgt = f"{n}[{i}]" + (f"[{r.int(0, v.shape[1] - 1)}]" if v.ndim > 1 else "")
        elif kind == "col_slice":
            if v.ndim < 2:
                tgt = f"{n}[::-1][{r.pick(['1:', ':2', '::2'])}]"
            else:
                tgt = f"{n}[:, {r.int(0, v.shape[1] - 1)}][{r.pick(['1:', '::-1', '::2'])}]"
        elif kind == "dict_alias":
            d = self.fresh("d")
            tgt = f"{d}['w'][{r.int(0, v.shape[0] - 1)}]"
            rhs = self.rhs_for(np.shape(v[0]))
            return [f"    {d} = {{'w': {n}, 'k': 2}}", f"    {tgt} {op} {rhs}"]
        elif kind == "list_alias":
            ls = self.fresh("L")
            idx = r.pick(["1:", ":1", "-1"])
            rhs = self.rhs_for(np.shape(self.ev(f"{n}[{idx}]")))
            return [f"    {ls} = [{n}, {n} * 2.0]", f"    {ls}[0][{idx}] {op} {rhs}"]
        else:
            if v.ndim < 2:
                raise Reject("rank")
            tgt = f"{n}.T[{r.int(0, v.shape[-1] - 1)}]"
        rhs = self.rhs_for(np.shape(self.ev(tgt)))
        return [f"    {tgt} {op} {rhs}"]

    def u_view_chain(self) -> list[str]:
        r = self.r
        n, v = self.pick_owned()
        w1, w2 = self.fresh("w"), self.fresh("w")
        kind = r.pick(["rev_step", "ravel_T", "reshape_slice", "diag_write", "fill_diag"])
        self.use(f"view_chain_{kind}")
        if kind == "rev_step":
            lines = [f"    {w1} = {n}[::-1]", f"    {w2} = {w1}[::2]"]
            tgt, full = w2, f"{n}[::-1][::2]"
        elif kind == "ravel_T":
            if v.ndim < 2:
                raise Reject("rank")
            lines = [f"    {w1} = {n}.T.ravel()"]  # a copy: writes do not reach n
            tgt, full = f"{w1}[::2]", f"{n}.T.ravel()[::2]"
        elif kind == "reshape_slice":
            lines = [f"    {w1} = {n}.reshape(-1)[1:]"]
            tgt, full = w1, f"{n}.reshape(-1)[1:]"
        elif kind == "diag_write":
            if v.ndim != 2:
                raise Reject("rank")
            k = min(v.shape)
            return [f"    {n}[np.arange({k}), np.arange({k})] *= {self.rhs_for((k,))}"]
        else:
            if v.ndim != 2 or v.shape[0] != v.shape[1]:
                raise Reject("square")
            return [f"    np.fill_diagonal({n}, {self.rhs_for((v.shape[0],))})"]
        op = r.pick(["+=", "*=", "-="])
        return lines + [f"    {tgt} {op} {self.rhs_for(np.shape(self.ev(full)))}"]

    def u_add_at(self) -> list[str]:
        r = self.r
        n, v = self.pick_owned()
        k = v.shape[0]
        idx = [r.int(0, k - 1) for _ in range(r.int(2, 4))]
        idx.append(idx[0])
        self.use("add_at")
        rhs = self.rhs_for((len(idx),) + v.shape[1:])
        return [f"    np.add.at({n}, {idx}, {rhs})"]
