"""The statement blocks of the wild46 grammar (tests/fuzz/gen_wild_46.py): session 45's features.

Input: the host's variables and their values at the example point. Output: lines of ``f``'s
body binding a new vector ``a<k>``: ``copy.copy``/``copy.deepcopy`` of objects built here (the
original or the copy written after, snapshots in a loop, a list of arrays inside, nested
objects, a class with its own ``__deepcopy__``); ``{k: Particle(..) for k in <constants>}`` with
``objs[k].v = ..`` and method calls on the items; a nested def writing an enclosing object's
field (once, twice, in a loop); ``next(g)`` of a generator then ``sum``/``max``/a loop over the
rest (a variable it reads rebound in between: Python's late binding); bound methods in a list
of functions; ``super().energy``; ``getattr(self, "_mv_" + m)`` on a subclass instance;
``itertools.permutations`` without ``r``; a ``collections.Counter`` of values; unused ops that
may raise (in ``try`` with a handler changing the value, in branches not taken, loops run 0
times, helpers inlined twice); products whose factor's cotangent is taken from the product
(``(v[:, None] - w[None, :]) * np.exp(u)[None, :]``, a buffer that broadcasting grows); and even
functions of magnitudes exactly at 0 (``np.cos(np.abs(d))``, ``np.cos(np.linalg.norm(d))``).
"""

from __future__ import annotations

from typing import Any

from .gen_host import HostStubs


class Blocks46(HostStubs):
    """Mixin of `gen_wild_46.Gen46`: the productions of the module docstring."""

    r: Any
    n: int
    env: dict
    types: dict

    trial: set

    def use46(self, f: str) -> None:
        self.trial.add("w46_" + f)

    def block46(self) -> list[str]:
        """One of this module's blocks, drawn by weight."""
        return self.r.pick_w(
            [
                (2.0, self.copies),
                (1.5, self.dict_objs),
                (1.5, self.nested_fields),
                (1.5, self.next_gen),
                (1.0, self.bound_layers),
                (1.0, self.supers),
                (1.0, self.perms),
                (0.7, self.counter46),
                (1.5, self.raising),
                (1.5, self.factor46),
                (1.5, self.even_at_zero),
            ]
        )()

    # -- copy.copy / copy.deepcopy of objects built here (lower/objcopy.py) ----------------------

    def copies(self) -> list[str]:
        r = self.r
        form = r.pick(["shallow_orig", "deep_copy_w", "hist", "hist_list", "body", "nested",
                       "self_copy", "copy_twice", "deep_then_kick", "shallow_scalar"])  # fmt: skip
        self.use46("copy_" + form)
        a, o, t = self.fresh("a"), self.fresh("o"), self.fresh("t")
        v, c = self.vx(0), self.const(0.5, 1.5)
        s = self.sx(0)
        if form == "shallow_orig":
            return [f"    {o} = Rec({v}, {s})", f"    {t} = copy.copy({o})",
                    f"    {o}.w = {o}.w * {c} + {o}.b", f"    {o}.b = {o}.b + 1.0",
                    f"    {a} = {t}.w * {t}.b + {o}.w"]  # fmt: skip
        if form == "deep_copy_w":
            return [f"    {o} = Rec({v}, {s})", f"    {t} = copy.deepcopy({o})",
                    f"    {t}.w = np.sin({t}.w) * {c}", f"    {o}.w = {o}.w * {t}.b",
                    f"    {a} = {t}.w + {o}.w"]  # fmt: skip
        if form in ("hist", "hist_list"):
            h = self.fresh("h")
            lines = [f"    {o} = Rec({v}, {s})", f"    {h} = []",
                     f"    for _ in range({r.int(1, 3)}):",
                     f"        {o}.w = {o}.w * {c} + np.tanh({o}.w) * 0.1",
                     f"        {h}.append(copy.deepcopy({o}))"]  # fmt: skip
            if form == "hist_list":
                return lines + [f"    {a} = sum(q.w * q.b for q in {h})"]
            return lines + [f"    {a} = {h}[0].w + {h}[-1].w * {o}.b"]
        if form == "body":
            return [f"    {o} = Body({v})", f"    {o}.move({self.vx(0)} * 0.1)",
                    f"    {t} = copy.deepcopy({o})", f"    {o}.move({o}.x * {c})",
                    f"    {t}.move({t}.hist[0] * 0.5)",
                    f"    {a} = {t}.x + {o}.hist[-1] + len({t}.hist) * {t}.hist[1]"]  # fmt: skip
        if form == "nested":
            return [f"    {o} = Rec(Rec({v}, {s}), {self.sx(0)})", f"    {t} = copy.deepcopy({o})",
                    f"    {t}.w.w = {t}.w.w * {c}",
                    f"    {a} = {t}.w.w * {t}.b + {o}.w.w * {t}.w.b"]  # fmt: skip
        if form == "self_copy":  # (its own __deepcopy__: srcad must refuse or agree)
            return [f"    {o} = SelfCopy({v})", f"    {t} = copy.deepcopy({o})",
                    f"    {a} = {t}.w * {c} + {o}.w"]  # fmt: skip
        if form == "copy_twice":
            u = self.fresh("u")
            return [f"    {o} = Rec({v}, {s})", f"    {t} = copy.copy({o})",
                    f"    {u} = copy.deepcopy({t})", f"    {t}.w = {t}.w * {c}",
                    f"    {u}.b = {u}.b * 2.0", f"    {a} = {o}.w + {t}.w * {u}.b + {u}.w"]  # fmt: skip
        if form == "deep_then_kick":
            return [f"    {o} = Particle({v})", f"    {t} = copy.deepcopy({o})",
                    f"    {t}.kick({o}.v)", f"    {o}.kick({t}.v * {c})",
                    f"    {a} = {o}.v - {t}.v * 0.5"]  # fmt: skip
        return [f"    {o} = Rec({v}, {s})", f"    {t} = copy.copy({o})", f"    {t}.b = {t}.b * {c}",
                f"    {a} = {o}.w * {o}.b + {t}.w * {t}.b"]  # fmt: skip

    # -- dict comprehensions of objects (lower/dictobjs.py) --------------------------------------

    def dict_objs(self) -> list[str]:
        r = self.r
        form = r.pick(["loop", "kick", "one", "keys_loop", "sum"])
        self.use46("dobj_" + form)
        a, d = self.fresh("a"), self.fresh("objs")
        v, c = self.vx(0), self.const(0.5, 1.5)
        keys = r.pick([("'p'", "'q'"), ("'p'", "'q'", "'r'"), ("0", "1")])
        ks = ", ".join(keys)
        lines = [f"    {d} = {{k: Particle({v} * {c}) for k in ({ks},)}}"]
        k0, k1 = keys[0], keys[-1]
        if form == "loop":
            lines += [
                f"    for k in {d}:",
                f"        {d}[k].v = {d}[k].v * {self.const(0.5, 1.5)} + 0.1",
            ]
        elif form == "kick":
            lines += [f"    for k in {d}:", f"        {d}[k].kick({self.vx(0)})"]
        elif form == "one":
            lines += [f"    {d}[{k0}].v = np.sin({d}[{k0}].v)"]
        elif form == "keys_loop":
            lines += [f"    for k in ({ks},):", f"        {d}[k].v = {d}[k].v - {self.sx(0)}"]
        else:
            lines += [f"    {d}[{k1}].kick({d}[{k0}].v)"]
        return lines + [f"    {a} = {d}[{k0}].v * {d}[{k1}].v + sum(o.v for o in {d}.values())"]

    # -- a nested def writing an enclosing object's fields (lower/nestedfields.py) --------------

    def nested_fields(self) -> list[str]:
        r = self.r
        form = r.pick(["once", "twice", "loop", "returns", "two_fields"])
        self.use46("nest_" + form)
        a, o, st = self.fresh("a"), self.fresh("o"), self.fresh("step")
        v, c = self.vx(0), self.const(0.1, 0.5)
        if form == "two_fields":
            lines = [f"    {o} = Rec({v}, {self.sx(0)})", f"    def {st}(d):",
                     f"        {o}.w = {o}.w + {c} * d * {o}.b", f"        {o}.b = {o}.b * 0.9"]  # fmt: skip
        else:
            lines = [f"    {o} = Particle({v})", f"    def {st}(d):",
                     f"        {o}.v = np.tanh({o}.v) + {c} * d"]  # fmt: skip
            if form == "returns":
                lines.append(f"        return {o}.v * 2.0")
        calls = {"once": 1, "twice": 2}.get(form, 1)
        w = self.vx(0)
        if form == "loop":
            lines += [f"    for _ in range({r.int(1, 3)}):", f"        {st}({w})"]
        elif form == "returns":
            u = self.fresh("u")
            lines += [f"    {u} = {st}({w})", f"    {u} = {u} + {st}({w})"]
            field = f"{o}.v"
            return lines + [f"    {a} = {u} * 0.5 + {field}"]
        else:
            lines += [f"    {st}({w})"] * calls
        field = f"{o}.w * {o}.b" if form == "two_fields" else f"{o}.v"
        return lines + [f"    {a} = {field} + {self.vx(0)}"]

    # -- next(g) then the rest (lower/nextgens.py) -----------------------------------------------

    def next_gen(self) -> list[str]:
        r = self.r
        form = r.pick(["sum", "max", "loop", "next2", "late", "late_sum"])
        self.use46("next_" + form)
        a, g, t, k = self.fresh("a"), self.fresh("g"), self.fresh("t"), self.fresh("k")
        v, c = self.vx(0), self.const(0.5, 1.5)
        lines = []
        if form in ("late", "late_sum"):
            lines.append(f"    {k} = {c}")
            lines.append(f"    {g} = (np.sin(e) * {k} for e in {v})")
        else:
            lines.append(f"    {g} = (np.sin(e) * {c} + e for e in {v})")
        lines.append(f"    {t} = next({g})")
        rest = self.fresh("rest")
        if form == "sum":
            lines.append(f"    {rest} = sum({g})")
        elif form == "max":
            lines.append(f"    {rest} = max({g}, default=0.0)")
        elif form == "loop":
            lines += [
                f"    {rest} = 0.0",
                f"    for e in {g}:",
                f"        {rest} = {rest} + e * {t}",
            ]
        elif form == "next2":
            lines += [f"    {rest} = next({g}, 0.0)", f"    {rest} = {rest} + sum({g})"]
        else:
            lines += [f"    {k} = {self.sx(0)}", f"    {rest} = sum({g})"]  # (late binding)
        return lines + [f"    {a} = {self.vx(0)} * {t} + {rest}"]

    # -- bound methods in a list of functions (lower/objseq.py, fnvalues.py) ---------------------

    def bound_layers(self) -> list[str]:
        r = self.r
        form = r.pick(["list", "tuple", "mutated", "two_objs"])
        self.use46("bound_" + form)
        a, h, ly = self.fresh("a"), self.fresh("hv"), self.fresh("ly")
        c1, c2 = self.const(0.5, 1.5), self.const(0.5, 1.5)
        v = self.vx(0)
        if form == "mutated":
            m, f = self.fresh("m"), self.fresh("fw")
            return [f"    {m} = Lin({c1})", f"    {f} = {m}.forward", f"    {m}.a = {self.sx(0)}",
                    f"    {a} = {f}({v})"]  # fmt: skip
        if form == "two_objs":
            m = self.fresh("m")
            lines = [f"    {m} = Lin({c1})", f"    {ly} = [{m}.forward, np.tanh, {m}.forward]"]
        else:
            disp = f"Lin({c1}).forward, np.tanh, Lin({c2}).forward"
            lines = [f"    {ly} = [{disp}]" if form == "list" else f"    {ly} = ({disp})"]
        return lines + [f"    {h} = {v}", f"    for fn in {ly}:", f"        {h} = fn({h})",
                        f"    {a} = {h}"]  # fmt: skip

    # -- super().prop and exact-class method picks (dispatch, lower/methodpick.py) ---------------

    def supers(self) -> list[str]:
        r = self.r
        form = r.pick(["super", "base", "pick_sub", "pick_base", "pick_data"])
        self.use46("sup_" + form)
        a, o = self.fresh("a"), self.fresh("o")
        v = self.vx(0)
        if form in ("super", "base"):
            cls = "Shape2" if form == "super" else "Shape"
            return [f"    {o} = {cls}({v})", f"    {a} = {v} * {o}.energy"]
        cls = "Walker" if form == "pick_base" else "Walker2"
        m = "'a'" if form != "pick_data" else f"('a' if {self.sx(0)} > 0.0 else 'b')"
        return [f"    {o} = {cls}({self.const(0.05, 0.3)})",
                f"    {a} = {o}.go({v}, {m}, {r.int(1, 3)}) + {o}.steps"]  # fmt: skip

    # -- itertools.permutations without r (lower/iterlists.py) ----------------------------------

    def perms(self) -> list[str]:
        r = self.r
        form = r.pick(["display", "tuple", "range"])
        self.use46("perm_" + form)
        a, acc, v = self.fresh("a"), self.fresh("acc"), self.fresh("pv")
        lines = [f"    {v} = {self.vx(0)}", f"    {acc} = 0.0"]
        if form == "range":
            lines += [f"    for p in itertools.permutations(range({min(self.n, 3)})):",
                      f"        {acc} = {acc} + {v}[p[0]] * np.tanh({v}[p[-1]])"]  # fmt: skip
        else:
            items = f"{v}[0], {v}[1], {self.sx(0)}"
            disp = f"[{items}]" if form == "display" else f"({items})"
            lines += [f"    for p in itertools.permutations({disp}):",
                      f"        {acc} = {acc} + p[0] * p[1] - 0.5 * p[2] * p[0]"]  # fmt: skip
        return lines + [f"    {a} = {v} * {acc}"]

    # -- collections.Counter of values (rules/trees.py: forward mode) ----------------------------

    def counter46(self) -> list[str]:
        self.use46("counter")
        a, cn, v = self.fresh("a"), self.fresh("cn"), self.fresh("cv")
        return [f"    {v} = {self.vx(0)}", f"    {cn} = collections.Counter()",
                f"    for i in range({self.n}):", f"        {cn}[i % 2] += {v}[i] ** 2",
                f"    {a} = {v} * {cn}[0] + {cn}[1] + {cn}[7]"]  # fmt: skip

    # -- unused ops that may raise (passes/raising.py) -------------------------------------------

    def raising(self) -> list[str]:
        r = self.r
        form = r.pick(["try_key", "try_index", "try_div", "not_taken", "loop0", "safe",
                       "helper_try", "try_int"])  # fmt: skip
        self.use46("raise_" + form)
        a, v, c = self.fresh("a"), self.vx(0), self.const(0.5, 1.5)
        lines = [f"    {a} = {v}"]
        if form.startswith("try") or form == "helper_try":
            if form == "try_key":
                dead = f"_ = {{'u': {self.sx(0)}}}[{r.pick(['u', 'w'])!r}]"
                exc = "KeyError"
            elif form == "try_index":
                dead = f"_ = [{self.sx(0)}, 1.0][{r.pick([1, 2, -3])}]"
                exc = "IndexError"
            elif form == "try_div":
                den = r.pick(["0.0", "1.0", f"len({self.vecs()[-1]}) - {self.n}"])
                dead = f"_ = 1.0 / ({den})"
                exc = "ZeroDivisionError"
            elif form == "try_int":
                dead = f"_ = int({r.pick(['2.5', repr('7'), repr('q')])})"
                exc = "ValueError"
            else:
                dead = f"_ = math.sqrt({r.pick(['-1.0', '4.0'])})"
                exc = "ValueError"
            return lines + ["    try:", f"        {dead}", f"        {a} = {a} * {c}",
                            f"    except {exc}:", f"        {a} = {a} + {self.sx(0)}"]  # fmt: skip
        if form == "not_taken":
            return lines + [f"    if {self.sx(0)} > 100.0:", "        _ = 1.0 / 0.0",
                            f"        {a} = {a} * 0.0"]  # fmt: skip
        if form == "loop0":
            return lines + ["    for _ in range(0):", "        _ = {}['never']",
                            f"    {a} = {a} * {c}"]  # fmt: skip
        return lines + [f"    _ = 1.0 / ({self.sx(0)} ** 2 + 1.0)",
                        f"    _ = [{a}[0], {a}[-1]][{r.int(0, 1)}]", f"    {a} = np.sin({a})"]  # fmt: skip

    # -- a factor's cotangent from the product (passes/factor_products.py, _srcad.spare) ---------

    def factor46(self) -> list[str]:
        r = self.r
        form = r.pick(["gmm", "grow", "plain", "reread", "exp_only"])
        self.use46("fac_" + form)
        a, z, d = self.fresh("a"), self.fresh("z"), self.fresh("d")
        v, w = self.vx(0), self.vx(0)
        u = self.vx(0)
        if form == "gmm":
            return [f"    {z} = ({v}[:, None] - {w}[None, :]) * np.exp(-0.5 * {u})[None, :]",
                    f"    {a} = np.log(np.sum(np.exp(-0.5 * {z} ** 2), axis=1))"]  # fmt: skip
        if form == "grow":
            return [f"    {d} = np.exp({v}[:1])[:, None] - 1.0",
                    f"    {z} = {d} * np.exp(-{u})[None, :]",
                    f"    {a} = np.sum({z} ** 2, axis=0) + {w}"]  # fmt: skip
        if form == "plain":
            return [f"    {d} = {v} * {self.const(0.5, 1.5)} - {w}", f"    {z} = {d} * np.exp({u})",
                    f"    {a} = np.sin({z})"]  # fmt: skip
        if form == "reread":
            return [f"    {d} = {v}[:, None] - {w}[None, :]", f"    {z} = {d} * np.exp({u})[None, :]",
                    f"    {a} = np.sum({z} ** 2, axis=1) + np.sum(np.cos({d}), axis=0)"]  # fmt: skip
        return [f"    {d} = np.exp({v})", f"    {z} = ({w} + 1.0) * {d}",
                f"    {a} = {z} * 0.5 + {d}"]  # fmt: skip

    # -- even functions of magnitudes exactly at 0 (ad/squares.py) -------------------------------

    def even_at_zero(self) -> list[str]:
        r = self.r
        vecs = self.vecs()
        base = r.pick([p for p in ("x0", "x1") if p in vecs] or vecs[-2:])
        vals = ", ".join(repr(float(t)) for t in self.env[base])
        d, s = self.fresh("d"), self.fresh("s")
        a = self.fresh("a")
        lines = [f"    {d} = {base} - np.array([{vals}])"]  # (0 at the example point)
        form = r.pick(["cos_abs", "cosh_abs", "cos_norm", "where_cos", "cos_abs_x",
                       "abs_cubed", "cos_norm_sq", "math_cos", "prod_mult", "cos_sqrt"])  # fmt: skip
        self.use46("even_" + form)
        if form == "cos_abs":
            lines.append(f"    {s} = np.sum(np.cos(np.abs({d})))")
        elif form == "cosh_abs":
            lines.append(f"    {s} = np.sum(np.cosh(np.abs({d})))")
        elif form == "cos_norm":
            lines.append(f"    {s} = np.cos(np.linalg.norm({d}))")
        elif form == "where_cos":
            lines.append(f"    {s} = np.sum(np.where({d} > 1.0, 1.0, np.cos(np.abs({d}))))")
        elif form == "cos_abs_x":
            lines.append(f"    {s} = np.sum(np.cos(np.abs({d})) * {d})")
        elif form == "abs_cubed":
            lines.append(f"    {s} = np.sum(np.abs({d}) ** 3)")
        elif form == "cos_norm_sq":
            lines.append(f"    {s} = np.cos(np.linalg.norm({d})) ** 2")
        elif form == "math_cos":
            lines.append(f"    {s} = math.cos(abs(float({d}[0]))) + math.cosh(abs(float({d}[-1])))")
        elif form == "prod_mult":
            lines.append(f"    {s} = (2.0 * np.linalg.norm({d})) * (np.linalg.norm({d}) / 3.0)")
        else:
            lines.append(f"    {s} = np.cos(np.sqrt(np.sum({d} ** 2) + 1e-30))")
        return lines + [f"    {a} = {s} * {self.vx(0)} + {self.sx(0)}"]
