"""Users' forms the wild generator (tests/fuzz/gen_wild.py) did not draw before session 33.

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: the lines of one
statement group (`s_w33()`), or `Reject`: loops over ``zip``/``enumerate`` of arrays, matrix rows
and lists that append to list accumulators, then ``np.stack(acc)``, ``np.array(acc)``,
``sum(acc)`` (a dict of lists too); list comprehensions with conditions over array elements;
``np.concatenate``/``np.stack``/``np.hstack`` of computed pieces, then indexed and sliced;
``np.cumsum``/``np.cumprod``/``np.diff`` chains (``prepend=``, ``n=``, ``axis=``); reductions with
``axis``/``keepdims`` broadcast back (standardising, softmax, row norms); slices with computed
bounds in loops (``x[i:i + k]``, strided windows); in-place updates of slices of a fresh 2-D
array in loops (rows, columns, triangles). The helper, ``while`` and builtin forms:
tests/fuzz/gen_wild_33c.py.
"""

from __future__ import annotations

from typing import Any

from .gen_wild_33c import Wild33Ctl


class Wild33(Wild33Ctl):
    """Mixin of `gen_wild_stmts.WildStmts`: the session-33 forms (see the module docstring; the
    helper, ``while`` and builtin forms: tests/fuzz/gen_wild_33c.py)."""

    r: Any

    def s_w33(self) -> list[str]:
        forms = [
            (1, self.q_tuple_helper),
            (1, self.q_kw_helpers),
            (1, self.q_while_float),
            (1, self.q_builtins),
            (1.5, self.q_zip_acc),
            (1, self.q_comp),
            (1, self.q_concat),
            (1, self.q_cum),
            (1, self.q_norm),
            (1, self.q_window),
            (1, self.q_slice2d),
        ]
        return self.r.pick_w(forms)()

    # -- zip / enumerate loops appending to list accumulators ------------------------------------

    def q_zip_acc(self) -> list[str]:
        r = self.r
        a, av = self._vec33(1, 6)
        n = len(av)
        acc, i, e, c, v = (self._n33(p) for p in ("acc", "i", "e", "c", "v"))
        form = r.pick(["enum_zip", "zip_list", "rows", "pairs", "tuples", "dict_lists", "zip3"])
        self._u33("acc_" + form)
        fin = r.pick(["np.stack({})", "np.array({})", "sum({})", "np.sum({}, axis=0)"])
        if form == "enum_zip":
            b = r.pick([f"np.cos({a})", f"{a}[::-1]", f"{a} ** 2"])
            return [
                f"    {acc} = []",
                f"    for {i}, ({e}, {c}) in enumerate(zip({a}, {b})):",
                f"        {acc}.append({e} * {c} + {i} * 0.1)",
                f"    {v} = {fin.format(acc)}",
            ]
        if form == "zip_list":
            w = [round(r.normal(), 3) for _ in range(n)]
            return [
                f"    {acc} = []",
                f"    for {e}, {c} in zip({a}, {w!r}):",
                f"        {acc}.append(np.sin({e}) * {c})",
                f"    {v} = {fin.format(acc)} + {a}[0]",
            ]
        if form == "rows":
            M, _, lines = self._mat33()
            return lines + [
                f"    {acc} = []",
                f"    for {i}, {e} in enumerate({M}):",
                f"        {acc}.append({e} * ({i} + 1.0) - np.mean({e}))",
                f"    {v} = {r.pick(['np.stack({})', 'np.array({})', 'sum({})']).format(acc)}",
            ]
        if form == "pairs":
            return [
                f"    {acc} = []",
                f"    for {e}, {c} in zip({a}[:-1], {a}[1:]):",
                f"        {acc}.append({c} - {e} * 0.5)",
                f"    {acc}.append({a}[0])",
                f"    {v} = {fin.format(acc)}",
            ]
        if form == "tuples":
            return [
                f"    {acc} = []",
                f"    for {i}, {e} in enumerate({a}):",
                f"        {acc}.append(({e}, {e} * {e} + {i}))",
                f"    {c} = np.array({acc})",
                f"    {v} = {c}[:, 1] * {c}[:, 0].sum()",
            ]
        if form == "dict_lists":
            return [
                f"    {acc} = {{'lin': [], 'sq': []}}",
                f"    for {e} in {a}:",
                f"        {acc}['lin'].append({e} * 0.5)",
                f"        {acc}['sq'].append({e} ** 2)",
                f"    {v} = np.array({acc}['lin']) * sum({acc}['sq'])",
            ]
        pair = "[], []" if r.chance(0.15) else "[[], []]"  # (a tuple: refused, lists: not)
        return [
            f"    {acc} = {pair}",
            f"    for {e}, {c}, {i} in zip({a}, np.tanh({a}), range({n})):",
            f"        {acc}[0].append({e} * {c})",
            f"        {acc}[1].append({c} * {i})",
            f"    {v} = np.stack({acc}[0]) + np.array({acc}[1])",
        ]

    # -- list comprehensions with conditions over array elements ---------------------------------

    def q_comp(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 6)
        v, e, w = self._n33(), self._n33("e"), self._n33("w")
        c = self._cut33(av)
        form = r.pick(["sum_if", "ifelse", "zip_if", "enum_if", "nested", "array_if"])
        self._u33("comp_" + form)
        if form == "sum_if":
            return [f"    {v} = sum([{e} * {e} for {e} in {a} if {e} > {c}]) * {a}"]
        if form == "ifelse":
            return [f"    {v} = np.array([np.sin({e}) if {e} > {c} else {e} * 0.5 for {e} in {a}])"]
        if form == "zip_if":
            return [
                f"    {v} = [{e} * {w} for {e}, {w} in zip({a}, np.cos({a})) if {e} < {c}]",
                f"    {v} = np.array({v}).sum() + {a}",
            ]
        if form == "enum_if":
            return [
                f"    {v} = [({w} + 1) * {e} for {w}, {e} in enumerate({a}) if {w} % 2 == 0]",
                f"    {v} = np.stack({v})",
            ]
        if form == "nested":
            return [
                f"    {v} = [[{e} * {w} for {w} in {a} if {w} > {c}] for {e} in {a}]",
                f"    {v} = np.array({v})",
            ]
        return [
            f"    {v} = np.array([{e} for {e} in {a} if abs({e}) > {abs(float(c)):.4f}] + [0.5])",
            f"    {v} = {v} * {v}.sum()",
        ]

    # -- concatenate / stack computed pieces, then index ------------------------------------------

    def q_concat(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 6)
        n = len(av)
        z, v = self._n33("z"), self._n33()
        s = self._sc33()
        form = r.pick(["concat", "stack0", "stack1", "hstack", "vstack", "column", "list_piece"])
        self._u33("cat_" + form)
        j = r.int(0, n - 1)
        if form == "concat":
            return [
                f"    {z} = np.concatenate([np.sin({a}), {a}[:2] * 2.0, [{s}]])",
                f"    {v} = {z}[1:-1] * {z}[0] + {z}[-1]",
            ]
        if form == "stack0":
            return [
                f"    {z} = np.stack([{a}, {a} ** 2, np.cos({a})])",
                f"    {v} = {z}[1] / ({z}[-1] ** 2 + 1.0) + {z}[0, ::-1]",
            ]
        if form == "stack1":
            return [
                f"    {z} = np.stack([{a}, np.tanh({a})], axis=1)",
                f"    {v} = {z}[:, 1] * {z}[{j}, 0] + {z}.sum(axis=1)",
            ]
        if form == "hstack":
            return [
                f"    {z} = np.hstack([{a}, np.array([{s}]), {a}[::-1] * 0.5])",
                f"    {v} = {z}[{n}:] + {z}[:{n + 1}][::-1][:-1]",
            ]
        if form == "vstack":
            return [
                f"    {z} = np.vstack([{a}, np.sin({a}), {a} * {s}])",
                f"    {v} = ({z}.T @ {z}[:, {j}]) + {z}[-1]",
            ]
        if form == "column":
            return [
                f"    {z} = np.column_stack([{a}, {a} ** 2])",
                f"    {v} = {z}[:, 0] * {z}[:, 1].mean() + {z}[{j}]",
            ]
        return [
            f"    {z} = np.concatenate([{a}[{j}:], {a}[:{j}] * -1.0])",
            f"    {v} = {z}[{r.int(0, n - 1)}] * {z}",
        ]

    # -- cumsum / cumprod / diff chains --------------------------------------------------------

    def q_cum(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 6)
        v = self._n33()
        form = r.pick(
            ["diff_cumsum", "cumprod", "diff2", "prepend", "rev", "method", "axis", "append"]
        )
        self._u33("cum_" + form)
        if form == "diff_cumsum":
            return [f"    {v} = np.diff(np.cumsum({a} ** 2)) + np.cumsum(np.diff({a}))"]
        if form == "cumprod":
            return [f"    {v} = np.cumprod(1.0 + 0.1 * np.tanh({a})) * {a}"]
        if form == "diff2":
            if len(av) < 3:
                return [f"    {v} = np.diff({a}, n=1) * np.cumsum({a})[1:]"]
            return [f"    {v} = np.diff({a}, n=2) + np.cumsum({a})[2:]"]
        if form == "prepend":
            return [f"    {v} = np.cumsum(np.diff({a}, prepend=0.0)) * np.diff({a}, append=1.0)"]
        if form == "rev":
            return [f"    {v} = np.cumsum({a}[::-1])[::-1] / np.arange(1, {len(av)} + 1)"]
        if form == "method":
            return [f"    {v} = {a}.cumsum() - {a}.cumprod() * 0.5"]
        if form == "axis":
            M, _, lines = self._mat33()
            ax = r.pick([0, 1, -1])
            return lines + [
                f"    {v} = np.cumsum({M}, axis={ax}) + np.diff({M}, axis={ax}, prepend=0.0)",
                f"    {v} = np.cumprod({v} * 0.1 + 1.0, axis={1 - abs(ax)})",
            ]
        return [f"    {v} = np.diff(np.cumsum({a}), append=0.0) ** 2"]

    # -- reductions with axis / keepdims broadcast back ----------------------------------------

    def q_norm(self) -> list[str]:
        r = self.r
        v, e = self._n33(), self._n33("e")
        form = r.pick(["standard", "softmax", "rownorm", "vecnorm", "center_none", "minmax"])
        self._u33("norm_" + form)
        if form == "vecnorm":
            a, _ = self._vec33(2, 6)
            return [f"    {v} = {a} / (np.linalg.norm({a}) + 0.1) - np.mean({a})"]
        M, _, lines = self._mat33()
        ax = r.pick([0, 1])
        if form == "standard":
            return lines + [
                f"    {e} = {M} - {M}.mean(axis={ax}, keepdims=True)",
                f"    {v} = {e} / ({M}.std(axis={ax}, keepdims=True) + 0.1)",
            ]
        if form == "softmax":
            return lines + [
                f"    {e} = np.exp({M} - np.max({M}, axis={ax}, keepdims=True))",
                f"    {v} = {e} / {e}.sum(axis={ax}, keepdims=True)",
            ]
        if form == "rownorm":
            return lines + [
                f"    {v} = {M} / np.sqrt(np.sum({M} ** 2, axis={ax}, keepdims=True) + 0.01)"
            ]
        if form == "center_none":
            idx = "[:, None]" if ax == 1 else "[None, :]"
            return lines + [f"    {v} = {M} - {M}.mean(axis={ax}){idx} * 0.5"]
        return lines + [
            f"    {e} = {M}.min(axis={ax}, keepdims=True)",
            f"    {v} = ({M} - {e}) / ({M}.max(axis={ax}, keepdims=True) - {e} + 0.5)",
        ]

    # -- slices with computed bounds in loops ---------------------------------------------------

    def q_window(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 6)
        n = len(av)
        k = r.int(1, n)
        i, v, acc, lo = self._n33("i"), self._n33(), self._n33("acc"), self._n33("lo")
        form = r.pick(["moving", "strided", "growing", "bounds", "shrink"])
        self._u33("win_" + form)
        if form == "moving":
            red = r.pick(["np.sum({})", "np.mean({})", "np.dot({0}, {0})"])
            return [
                f"    {acc} = []",
                f"    for {i} in range(len({a}) - {k} + 1):",
                f"        {acc}.append({red.format(f'{a}[{i}:{i} + {k}]')})",
                f"    {v} = np.array({acc})",
            ]
        if form == "strided":
            return [
                f"    {v} = 0.0",
                f"    for {i} in range(0, len({a}), {k}):",
                f"        {v} = {v} + np.sum({a}[{i}:{i} + {k}] ** 2) * ({i} + 1)",
            ]
        if form == "growing":
            return [
                f"    {v} = {a} * 0.0",
                f"    for {i} in range(1, {n} + 1):",
                f"        {v}[:{i}] += np.sin({a}[-{i}:]) * 0.3",
            ]
        if form == "bounds":
            return [
                f"    {v} = []",
                f"    for {i} in range({n}):",
                f"        {lo} = max(0, {i} - {k})",
                f"        {v}.append(np.mean({a}[{lo}:{i} + 1]))",
                f"    {v} = np.stack({v})",
            ]
        return [
            f"    {acc} = {a} * 1.0",
            f"    {v} = 0.0",
            f"    while len({acc}) > {k}:",
            f"        {v} = {v} + float(np.sum({acc}[1:] * {acc}[:-1]))",
            f"        {acc} = {acc}[1:] * 0.9",
        ]

    # -- in-place updates of slices of a fresh 2-D array in loops -------------------------------

    def q_slice2d(self) -> list[str]:
        r = self.r
        a, av = self._vec33(2, 5)
        n = len(av)
        M, i, v = self._n33("M"), self._n33("i"), self._n33()
        form = r.pick(["rowcol", "triangle", "elim", "shift_rows", "block", "col_aug"])
        self._u33("s2d_" + form)
        lines = [f"    {M} = np.outer({a}, np.cos({a})) * 0.3 + np.eye({n})"]
        if form == "rowcol":
            lines += [
                f"    for {i} in range({n}):",
                f"        {M}[{i}, {i}:] *= {self._k33()}",
                f"        {M}[:, {i}] += {a}[{i}] * 0.1",
            ]
        elif form == "triangle":
            lines += [
                f"    for {i} in range(1, {n}):",
                f"        {M}[{i}, :{i}] = {M}[{i}, :{i}] * 0.5 + {M}[:{i}, {i}]",
            ]
        elif form == "elim":
            lines += [
                f"    for {i} in range({n} - 1):",
                f"        {M}[{i} + 1:, {i}] = {M}[{i} + 1:, {i}] / {M}[{i}, {i}]",
                f"        {M}[{i} + 1:, {i} + 1:] -= np.outer({M}[{i} + 1:, {i}], {M}[{i}, {i} + 1:])",
            ]
        elif form == "shift_rows":
            lines += [
                f"    for {i} in range(1, {n}):",
                f"        {M}[{i}] -= {M}[{i} - 1] * 0.2",
            ]
        elif form == "block":
            h = max(1, n // 2)
            lines += [
                f"    for {i} in range({r.int(1, 3)}):",
                f"        {M}[:{h}, {h}:] = {M}[:{h}, {h}:] * 0.5 + {M}[{h}:, :{h}].T[:{h}, :{n - h}]",
            ]
        else:
            lines += [
                f"    for {i} in range({n}):",
                f"        {M}[:, {i}] *= np.tanh({a})",
                f"        {M}[{i}, ::-1] += {a} * 0.05",
            ]
        return lines + [f"    {v} = {M}.sum(axis={r.pick([0, 1])}) + np.trace({M})"]
