"""The statement blocks of the wild47 grammar (tests/fuzz/gen_wild_47.py): session 46's features.

Input: the host's variables and their values at the example point. Output: lines of ``f``'s
body binding a new vector ``a<k>``: squares of magnitudes scaled by numbers and by values
(``lam * n * n``, ``(r / ell) ** 2``, ``np.multiply(n, n)``, squared items of ``np.abs``,
magnitudes from helpers; two different norms multiplied, a factor rebound after its use, a view
of the magnitude) at a difference that is 0 at the example point or away from it; roots of sums
of squares, ``hypot`` and ``std`` in and out of helpers; ``h @ M.T`` in loops (``M`` written in
the loop, an alias, ``for`` and ``while`` loops, nested, run 0 times); unused ops that may raise
(a constant tuple at a key, in loops run 0 times, branches not taken, a helper inlined twice);
``try`` around a module-level helper that may raise; ``with`` on a ``@contextmanager``
generator, ``contextlib.nullcontext`` and ``ExitStack``; ``np.stack``/``vstack``/``array`` of
displays mixing 0-d and 1-d items; lists appended then written; ``copy.deepcopy`` of
containers; loop accumulators read through an alias, a closure or a nested loop.
"""

from __future__ import annotations

from typing import Any

from .gen_host import HostStubs


class Blocks47(HostStubs):
    """Mixin of `gen_wild_47.Gen47`: the productions of the module docstring."""

    r: Any
    n: int
    env: dict
    trial: set

    def use47(self, f: str) -> None:
        self.trial.add("w47_" + f)

    def block47(self) -> list[str]:
        """One of this module's blocks, drawn by weight."""
        return self.r.pick_w(
            [
                (3.0, self.squares47),
                (1.5, self.roots47),
                (1.5, self.transposes47),
                (1.5, self.raising47),
                (1.0, self.try_global47),
                (1.0, self.withs47),
                (1.0, self.stacks47),
                (1.0, self.appends47),
                (0.7, self.deep47),
                (1.5, self.outer47),
            ]
        )()

    def diff47(self) -> tuple[str, list[str]]:
        """A difference ``d``: 0 at the example point (most often) or a vector away from 0."""
        d = self.fresh("d")
        if self.r.chance(0.6):
            vecs = self.vecs()
            base = self.r.pick([p for p in ("x0", "x1") if p in vecs] or vecs[-2:])
            vals = ", ".join(repr(float(t)) for t in self.env[base])
            self.use47("at0")
            return d, [f"    {d} = {base} - np.array([{vals}])"]
        return d, [f"    {d} = {self.vx(0)} + {self.const(0.5, 1.0)}"]

    # -- squares of magnitudes (ad/squares.py, squares_forms.py, squares_scaled.py) --------------

    def squares47(self) -> list[str]:
        r = self.r
        d, lines = self.diff47()
        n, s, a = self.fresh("n"), self.fresh("s"), self.fresh("a")
        lam, c = self.sx(0), self.const(0.5, 2.0)
        form = r.pick(["lam_nn", "r_ell", "mult_nn", "item_sq", "helper_nrm", "helper_abs",
                       "two_norms", "lam_rebound", "view", "x_scale", "div_scale", "loop_sq",
                       "neg_half", "axis_sq", "hypot_sq", "std_sq", "cast_two", "keep0"])  # fmt: skip
        self.use47("sq_" + form)
        if form == "lam_nn":
            lines += [f"    {n} = np.linalg.norm({d})", f"    {s} = {lam} * {n} * {n}"]
        elif form == "r_ell":
            lines += [
                f"    {n} = np.sqrt(np.sum({d} ** 2))",
                f"    {s} = np.exp(-({n} / {c}) ** 2)",
            ]
        elif form == "mult_nn":
            lines += [f"    {n} = np.linalg.norm({d})", f"    {s} = np.multiply({n}, {n}) * {c}"]
        elif form == "item_sq":
            i, j = r.int(0, self.n - 1), r.int(0, self.n - 1)
            lines += [f"    {n} = np.abs({d})", f"    {s} = {n}[{i}] ** 2 + {n}[{j}] * {n}[{j}]"]
        elif form == "helper_nrm":
            lines += [f"    {s} = _nrm47({d}) ** 2 * {c}"]
        elif form == "helper_abs":
            lines += [f"    {s} = np.sum(_abs47({d}) ** 2)"]
        elif form == "two_norms":  # (not a square: the chain rule's; nonsmooth at 0)
            lines += [f"    {n} = np.linalg.norm({d} + 0.5)",
                      f"    {s} = {n} * np.linalg.norm({d} + 0.5, {r.pick(['1', 'np.inf'])})"]  # fmt: skip
        elif form == "lam_rebound":
            m = self.fresh("m")
            lines += [f"    {m} = {lam}", f"    {n} = np.linalg.norm({d})", f"    {s} = {m} * {n}",
                      f"    {m} = {m} * 2.0 + 1.0", f"    {s} = {s} * {n} + {m}"]  # fmt: skip
        elif form == "view":
            w = self.fresh("w")
            lines += [f"    {n} = np.abs({d})", f"    {w} = {n}[:2]",
                      f"    {s} = np.sum({n} ** 2) + np.sum({w}) * 0.0 + {w}[0] ** 2"]  # fmt: skip
        elif form == "x_scale":
            lines += [f"    {n} = np.linalg.norm({d})", f"    {s} = {n} * {self.sx(0)} * {n}"]
        elif form == "div_scale":
            lines += [f"    {n} = np.linalg.norm({d})",
                      f"    {s} = ({n} / (1.5 + np.tanh({self.sx(0)}))) ** 2"]  # fmt: skip
        elif form == "loop_sq":
            lines += [f"    {n} = np.linalg.norm({d})", f"    {s} = 0.0",
                      f"    for _ in range({r.int(0, 3)}):",
                      f"        {s} = {s} + {c} * {n} ** 2"]  # fmt: skip
        elif form == "neg_half":
            lines += [f"    {n} = np.linalg.norm({d})", f"    {s} = np.exp(-0.5 * {n} * {n})"]
        elif form == "axis_sq":
            lines += [f"    {n} = np.linalg.norm(np.stack([{d}, {d} * {c}]), axis=0)",
                      f"    {s} = np.sum({n} ** 2)"]  # fmt: skip
        elif form == "hypot_sq":
            lines += [f"    {n} = np.hypot({d}[0], {d}[-1])", f"    {s} = {n} * {n} * {c}"]
        elif form == "std_sq":
            lines += [f"    {s} = np.std({d} + 1.0) ** 2"]
        elif form == "cast_two":
            lines += [f"    {n} = np.linalg.norm({d})", f"    {s} = {n} ** np.int64(2)"]
        else:
            lines += [f"    {n} = np.linalg.norm({d}, keepdims=True)", f"    {s} = {n}[0] ** 2"]
        return lines + [f"    {a} = {s} * {self.vx(0)} + {self.sx(0)}"]

    # -- roots of sums of squares, hypot, std (fmasks.square_sums; rules/root_at0.py) ------------

    def roots47(self) -> list[str]:
        r = self.r
        d, lines = self.diff47()
        s, a = self.fresh("s"), self.fresh("a")
        form = r.pick(["dist_sq", "dist_exp", "hyp_sq", "sd_sq", "cone", "pairwise", "dot"])
        self.use47("root_" + form)
        if form == "dist_sq":
            lines += [f"    {s} = _dist47({d}, 0.0) ** 2"]
        elif form == "dist_exp":
            lines += [f"    {s} = np.exp(-_dist47({d}, 0.0) ** 2)"]
        elif form == "hyp_sq":
            lines += [f"    {s} = _hyp47({d}) ** 2"]
        elif form == "sd_sq":
            lines += [f"    {s} = _sd47({d}) ** 2"]
        elif form == "cone":
            lines += [f"    {s} = np.exp(-np.sqrt(np.sum({d} ** 2) + 0.25))"]
        elif form == "pairwise":
            p = self.fresh("p")
            lines += [f"    {p} = {d}[:, None] - {d}[None, :]",
                      f"    {s} = np.sum(np.exp(-np.sqrt({p} ** 2 + 0.0)) "
                      f"* (1.0 - np.eye({self.n})))"]  # fmt: skip
        else:
            lines += [f"    {s} = np.sqrt({d} @ {d} + 1.0)"]
        return lines + [f"    {a} = {s} * {self.vx(0)}"]

    # -- products by transposed matrices in loops (passes/transposes.py) --------------------------

    def transposes47(self) -> list[str]:
        r = self.r
        m, h, a, i = self.fresh("M"), self.fresh("h"), self.fresh("a"), self.fresh("i")
        c = self.const(0.2, 0.6)
        lines = [f"    {m} = np.outer({self.vx(0)}, {self.vx(0)}) * {c} + np.eye({self.n}) * 0.5",
                 f"    {h} = {self.vx(0)}"]  # fmt: skip
        form = r.pick(["plain", "write", "alias", "while0", "nested", "outside", "while"])
        self.use47("tr_" + form)
        k = r.int(1, 3)
        if form == "plain":
            lines += [f"    for _ in range({k}):", f"        {h} = np.tanh({h} @ {m}.T)"]
        elif form == "write":
            lines += [f"    for {i} in range({k}):", f"        {h} = np.tanh({h} @ {m}.T)",
                      f"        {m}[0, 0] = {m}[0, 0] * 0.5 + {h}[0] * 0.1"]  # fmt: skip
        elif form == "alias":
            q = self.fresh("K")
            lines += [f"    {q} = {m}", f"    for _ in range({k}):", f"        {h} = np.tanh({h} @ {q}.T)",
                      f"        {m}[-1] = {m}[-1] * 0.9"]  # fmt: skip
        elif form in ("while0", "while"):
            stop = 0 if form == "while0" else k
            lines += [f"    {i} = 0", f"    while {i} < {stop}:", f"        {h} = np.tanh({h} @ {m}.T)",
                      f"        {i} += 1"]  # fmt: skip
        elif form == "nested":
            lines += [f"    for _ in range({k}):", "        for _ in range(2):",
                      f"            {h} = np.sin({h} @ {m}.T) * 0.9"]  # fmt: skip
        else:
            lines += [f"    for _ in range({k}):", f"        {h} = np.tanh({h} @ {m}.T)",
                      f"    {h} = {h} + {m}.T[0]"]  # fmt: skip
        return lines + [f"    {a} = {h} * {self.sx(0)} + {h}"]

    # -- unused ops that may raise (passes/raising.py) -------------------------------------------

    def raising47(self) -> list[str]:
        r = self.r
        a, v, c = self.fresh("a"), self.vx(0), self.const(0.5, 1.5)
        form = r.pick(["helper_twice", "const_key", "loop0", "not_taken", "zeros_item",
                       "int_len", "try_key", "reshape_ok"])  # fmt: skip
        self.use47("raise_" + form)
        lines = [f"    {a} = {v}"]
        if form == "helper_twice":
            return lines + [f"    {a} = _pick47({a}, {r.int(0, 2)}) + _pick47({a}, {r.int(0, 2)})"]
        if form == "const_key":
            k = self.fresh("k")
            return lines + [f"    {k} = int({self.sx(0)} > 100.0)", f"    (1.0, 2.0)[{k}]",
                            f"    {a} = {a} * {c}"]  # fmt: skip
        if form == "loop0":
            return lines + ["    for _ in range(0):", "        (1.0,)[5]", "        _ = 1.0 / 0.0",
                            f"    {a} = {a} * {c}"]  # fmt: skip
        if form == "not_taken":
            return lines + [f"    if {self.sx(0)} > 100.0:", "        np.zeros(3)[7]",
                            f"    {a} = np.sin({a})"]  # fmt: skip
        if form == "zeros_item":
            return lines + [f"    np.zeros({self.n})[{r.int(-self.n, self.n - 1)}]",
                            f"    {a} = {a} * {c}"]  # fmt: skip
        if form == "int_len":
            return lines + [f"    int(float(len({a})))", f"    {a} = {a} + {c}"]
        if form == "try_key":
            return lines + ["    try:", f"        _ = ({self.sx(0)}, 1.0)[{r.pick([1, 2])}]",
                            f"        {a} = {a} * {c}", "    except IndexError:",
                            f"        {a} = {a} - {c}"]  # fmt: skip
        return lines + [f"    {a}.reshape({self.n}, 1)", f"    {a} = {a} * {c}"]

    # -- try around a raising module-level helper (lower/tryglobals.py) ---------------------------

    def try_global47(self) -> list[str]:
        vecs = self.vecs()
        v = self.r.pick(vecs[-3:])
        lo = float(min(self.env[v]))
        t = lo + self.r.pick([-0.5, 0.5]) if self.r.chance(0.8) else lo - 0.5
        a = self.fresh("a")
        self.use47("try_global" + ("_raises" if t > lo else ""))
        return [f"    {a} = {v} * 1.0", "    try:", f"        {a} = _chk47({v}, {t!r})",
                "    except ValueError:", f"        {a} = np.cos({v}) * {self.const(0.5, 1.5)}"]  # fmt: skip

    # -- with on managers given the differentiated value (lower/withgens.py, withs.py) -----------

    def withs47(self) -> list[str]:
        r = self.r
        a, g = self.fresh("a"), self.fresh("g")
        form = r.pick(["gen", "gen_vec", "null", "exit"])
        self.use47("with_" + form)
        if form == "gen":
            return [f"    with gain47({self.sx(0)}) as {g}:", f"        {a} = {self.vx(0)} * {g}"]
        if form == "gen_vec":
            return [f"    with gain47({self.vx(0)}) as {g}:", f"        {a} = np.sin({g})"]
        if form == "null":
            return [f"    with contextlib.nullcontext({self.vx(0)}) as {g}:",
                    f"        {a} = {g} * {self.const(0.5, 1.5)}"]  # fmt: skip
        return ["    with contextlib.ExitStack():", f"        {a} = np.tanh({self.vx(0)})"]

    # -- stacks of displays (passes/ranks.py) ----------------------------------------------------

    def stacks47(self) -> list[str]:
        r = self.r
        a, z = self.fresh("a"), self.fresh("z")
        v, w = self.vx(0), self.vx(0)
        form = r.pick(["stack", "vstack", "array0d", "hstack", "column", "bcast"])
        self.use47("stack_" + form)
        if form == "stack":
            return [
                f"    {z} = np.stack([{v}, {w} * 0.5])",
                f"    {a} = {z}[0] * {z}[1] + {z}.sum(axis=0)",
            ]
        if form == "vstack":
            return [f"    {z} = np.vstack([{v}, [{self.sx(0)}] * {self.n}])",
                    f"    {a} = {z}[1] * {z}[0]"]  # fmt: skip
        if form == "array0d":
            return [f"    {z} = np.array([{v}[0], {self.sx(0)}, {w}[-1]])",
                    f"    {a} = {v} * np.sum({z} ** 2)"]  # fmt: skip
        if form == "hstack":
            return [
                f"    {z} = np.hstack([{v}[:1], {self.sx(0)}, {w}[1:]])",
                f"    {a} = {z} * {v}",
            ]
        if form == "column":
            return [
                f"    {z} = np.column_stack([{v}, {w}])",
                f"    {a} = {z} @ np.array([0.5, -1.0])",
            ]
        return [f"    {z} = np.array([{v}, {w}]) * {v}[None, :]", f"    {a} = {z}[0] - {z}[1]"]

    # -- lists appended then written (lower/initappends.py) --------------------------------------

    def appends47(self) -> list[str]:
        r = self.r
        a, lst, v = self.fresh("a"), self.fresh("L"), self.vx(0)
        self.use47("append")
        lines = [f"    {lst} = []", f"    for i in range({self.n}):",
                 f"        {lst}.append({v}[i] * {self.const(0.5, 1.5)})"]  # fmt: skip
        if r.chance(0.5):
            lines += [f"    {lst}[{r.int(0, self.n - 1)}] = {lst}[0] * 2.0 + 1.0"]
        else:
            lines += [f"    {lst}[-1] += {self.sx(0)}"]
        return lines + [f"    {a} = np.array({lst}) * {self.vx(0)}"]

    # -- copy.deepcopy of containers (rules/numpy_fns.py) ----------------------------------------

    def deep47(self) -> list[str]:
        a, c = self.fresh("a"), self.fresh("c")
        self.use47("deep")
        return [f"    {c} = copy.deepcopy({{'u': {self.vx(0)}, 'w': [{self.vx(0)}]}})",
                f"    {c}['w'][0] = {c}['w'][0] * 2.0", f"    {c}['u'][0] = 1.5",
                f"    {a} = {c}['u'] + {c}['w'][0] * {self.sx(0)}"]  # fmt: skip

    # -- accumulators a loop's reverse sweep may not touch (ad/vjp_loops._untouched_outer) --------

    def outer47(self) -> list[str]:
        r = self.r
        a, acc, o = self.fresh("a"), self.fresh("acc"), self.fresh("o")
        v, c, k = self.vx(0), self.const(0.3, 0.9), r.int(1, 3)
        form = r.pick(["alias", "closure", "nested", "view", "two"])
        self.use47("outer_" + form)
        lines = [f"    {acc} = {v} * 0.0", f"    {o} = {self.vx(0)} * 1.0"]
        if form == "alias":
            return lines + [f"    for _ in range({k}):", f"        t = {o}",
                            f"        {acc} = {acc} + t * {c}", f"    {a} = {acc} + {o}"]  # fmt: skip
        if form == "closure":
            fn = self.fresh("get")
            return lines + [f"    def {fn}():", f"        return {o} * {c}", f"    for _ in range({k}):",
                            f"        {acc} = {acc} + {fn}()", f"    {a} = {acc}"]  # fmt: skip
        if form == "nested":
            return lines + [f"    for _ in range({k}):", f"        for j in range({self.n}):",
                            f"            {acc} = {acc} + {o}[j] * {c}",
                            f"    {a} = {acc} * {o}"]  # fmt: skip
        if form == "view":
            return lines + [f"    for _ in range({k}):", f"        t = {o}[::-1]",
                            f"        {acc} = {acc} + np.sin(t) * {c}", f"    {a} = {acc}"]  # fmt: skip
        s = self.fresh("s")
        return lines + [f"    {s} = 0.0", f"    for _ in range({k}):", f"        {s} = {s} + {c}",
                        f"        {acc} = {acc} * {c} + {o}", f"    {a} = {acc} * {s}"]  # fmt: skip
