"""The statement blocks of the wild48 grammar (tests/fuzz/gen_wild_48.py): session 47's features.

Input: the host's variables and their values at the example point. Output: lines of ``f``'s
body binding a new vector ``a<k>``: nested ``@functools.lru_cache`` functions reading the
enclosing function's values (lower/lrucache.py); iterator classes iterated where made
(lower/selfiter.py); ``as_strided`` windows and diagonals (lower/strided_np.py); loop-carried
lists rebound as slices, ``sorted(..)[:k]`` and ``q + [v]`` (lower/listkinds.py); rows gathered
by an index then updated in place (passes/alias_index.py); loop-invariant index ops in loops,
some run 0 times (passes/hoist.py); modules, dual numbers, dataclass trees and namedtuples
made inside the function; ``next(g, d)``, ``max(.., default=)``, ``starmap``, ``combinations``
over displays, ``ExitStack``; dicts of numbers updated by 0-d arrays; ``astype(copy=False)``;
``np.errstate`` around loops; even functions of magnitudes and loop sums of squares, at 0 and
away from it (ad/squares_even.py, ad/loopsquares.py).
"""

from __future__ import annotations

from typing import Any

from .gen_host import HostStubs


class Blocks48(HostStubs):
    """Mixin of `gen_wild_48.Gen48`: the productions of the module docstring."""

    r: Any
    n: int
    env: dict
    trial: set

    def use48(self, f: str) -> None:
        self.trial.add("w48_" + f)

    def diff47(self) -> tuple[str, list[str]]:  # pragma: no cover - 47b's
        raise NotImplementedError

    def block48(self) -> list[str]:
        """One of this module's blocks, drawn by weight."""
        return self.r.pick_w(
            [
                (2.0, self.lru48),
                (1.5, self.selfiter48),
                (1.5, self.strided48),
                (1.5, self.lists48),
                (1.5, self.gather48),
                (1.5, self.hoist48),
                (1.5, self.objects48),
                (1.5, self.iters48),
                (0.7, self.dicts48),
                (0.7, self.astype48),
                (0.7, self.errstate48),
                (2.0, self.even48),
            ]
        )()

    # -- nested cached functions (lower/lrucache.py, lower/lrushare.py) ---------------------------

    def lru48(self) -> list[str]:
        r = self.r
        a, w, g = self.fresh("a"), self.fresh("w"), self.fresh("cg")
        c, k = self.const(0.3, 1.5), r.int(1, self.n)
        deco = r.pick(
            ["@functools.lru_cache(maxsize=8)", "@functools.cache", "@functools.lru_cache"]
        )
        form = r.pick(["items", "sum", "coef", "scalar", "shape", "alias", "twice"])
        self.use48("lru_" + form)
        lines = [f"    {w} = {self.vx(0)} * 1.0", f"    {deco}"]
        if form == "coef":
            lines += [f"    def {g}(i):", f"        return 1.0 / (i + {c})"]
            return lines + [
                f"    {a} = {self.vx(0)} * sum({g}(i) * {w}[i] for i in range({self.n}))"
            ]
        if form == "scalar":
            t = self.fresh("t")
            lines = [f"    {t} = float({self.sx(0)})", f"    {deco}", f"    def {g}(u):",
                     f"        return math.sin(u) * {c} + u * u"]  # fmt: skip
            return lines + [f"    {a} = {self.vx(0)} * ({g}({t}) + {g}({t}) * 0.5)"]
        body = r.pick([f"np.tanh({w}[i]) * {c}", f"{w}[i] * {w}[i] + {c}", f"math.cos({w}[i]) * i"])
        if form == "shape":
            body = f"{w}[i] * len({w}) + {w}.shape[0] * {c}"
        lines += [f"    def {g}(i):", f"        return {body}"]
        if form == "sum":
            return lines + [f"    {a} = {self.vx(0)} * sum({g}(i % {k}) for i in range({self.n}))"]
        if form == "alias":  # (refused: the cache is seen through another name)
            v = self.fresh("v")
            return lines + [f"    {v} = {w}", f"    {a} = {self.vx(0)} * {g}(0)",
                            f"    {v}[0] = {v}[0] * 2.0", f"    {a} = {a} + {g}(0)"]  # fmt: skip
        if form == "twice":
            return lines + [f"    {a} = np.array([{g}(i % {k}) * 1.0 for i in range({self.n})])",
                            f"    {a} = {a} + np.array([{g}(i % {k}) - 0.5"
                            f" for i in range({self.n})])"]  # fmt: skip
        return lines + [
            f"    {a} = np.array([{g}(i % {k}) * 1.0 for i in range({self.n})]) * {self.vx(0)}"
        ]

    # -- iterator classes (lower/selfiter.py) ----------------------------------------------------

    def selfiter48(self) -> list[str]:
        r = self.r
        a, acc = self.fresh("a"), self.fresh("acc")
        k = r.int(0, self.n)
        form = r.pick(["list", "sum", "for", "comp", "zero"])
        self.use48("iter_" + form)
        v = self.vx(0)
        if form == "list":
            return [f"    {a} = np.array(list(Steps48({v}, {self.n}))) * {self.const(0.5, 1.5)}"]
        if form == "sum":
            return [f"    {a} = {self.vx(0)} * sum(Steps48({v}, {k}))"]
        if form == "for":
            return [f"    {acc} = 0.0", f"    for t in Steps48({v}, {k}):",
                    f"        {acc} = {acc} * {self.const(0.3, 0.9)} + t",
                    f"    {a} = {self.vx(0)} + {acc}"]  # fmt: skip
        if form == "comp":
            return [
                f"    {a} = np.array([t * {self.const(0.5, 1.5)} for t in Steps48({v}, {self.n})])"
            ]
        return [f"    {a} = {self.vx(0)} * (1.0 + sum(Steps48({v}, 0)))"]

    # -- as_strided windows (lower/strided_np.py) ------------------------------------------------

    def strided48(self) -> list[str]:
        r = self.r
        a, v, s, wv = self.fresh("a"), self.fresh("v"), self.fresh("nb"), self.fresh("W")
        form = r.pick(["pairs", "diag", "rows", "param"])
        self.use48("strided_" + form)
        n = self.n
        if form == "diag":
            m = self.fresh("M")
            return [f"    {m} = np.outer({self.vx(0)}, {self.vx(0)}) + np.eye({n}) * {self.const()}",
                    f"    {s} = {m}.strides",
                    f"    {wv} = as_strided({m}, shape=({n},), strides=({s}[0] + {s}[1],), writeable=False)",
                    f"    {a} = {wv} * {self.const(0.5, 1.5)}"]  # fmt: skip
        src = "x0" if form == "param" else v
        lines = [] if form == "param" else [f"    {v} = {self.vx(0)} * 1.0"]
        lines += [f"    {s} = {src}.strides[0]"]
        if form == "rows" and n >= 3:
            lines += [f"    {wv} = as_strided({src}, shape=({n - 2}, 3), strides=({s}, {s}),"
                      " writeable=False)",
                      f"    {a} = np.concatenate([{wv} @ np.array([0.5, -1.0, 0.25]),"
                      f" {src}[:2] * 0.5])"]  # fmt: skip
            return lines
        lines += [f"    {wv} = as_strided({src}, shape=({n - 1}, 2), strides=({s}, {s}), writeable=False)",
                  f"    {a} = np.concatenate([{wv}[:, 0] * {wv}[:, 1], {src}[-1:]])"
                  f" + {self.vx(0)}"]  # fmt: skip
        return lines

    # -- loop-carried lists rebound (lower/listkinds.py) -----------------------------------------

    def lists48(self) -> list[str]:
        r = self.r
        a, q = self.fresh("a"), self.fresh("q")
        v, c, k = self.vx(0), self.const(0.3, 0.9), r.int(0, 3)
        form = r.pick(["queue", "window", "beam", "keep"])
        self.use48("list_" + form)
        if form == "queue":
            return [f"    {q} = [{v}[0], {v}[-1]]", f"    for i in range({k}):",
                    f"        {q} = {q}[1:] + [{q}[0] * {c} + {v}[i % {self.n}]]",
                    f"    {a} = {self.vx(0)} * {q}[0] + {q}[-1]"]  # fmt: skip
        if form == "window":
            return [f"    {q} = [{v}[0]]", f"    for i in range({self.n}):",
                    f"        {q} = {q} + [{v}[i] * {c} + {q}[-1] * 0.5]", f"        {q} = {q}[-3:]",
                    f"    {a} = {self.vx(0)} * sum({q})"]  # fmt: skip
        if form == "beam":
            return [f"    {q} = [{v}[0], {v}[-1] + 1.0]", f"    for i in range({k}):",
                    f"        new = [t * {c} + i for t in {q}] + [t - 3.0 for t in {q}]",
                    f"        {q} = sorted(new)[:2]",
                    f"    {a} = {self.vx(0)} * {q}[0] + {q}[1]"]  # fmt: skip
        h = self.fresh("h")
        return [f"    {q} = [{v}[0]]", f"    {h} = {q}", f"    for i in range({k}):",
                f"        {q} = {q} + [{v}[i] * {c}]", f"    {h}.append({self.sx(0)})",
                f"    {a} = {self.vx(0)} * sum({q}) + sum({h})"]  # fmt: skip

    # -- rows gathered then updated (passes/alias_index.py) --------------------------------------

    def gather48(self) -> list[str]:
        r = self.r
        a, m, idx, vc = self.fresh("a"), self.fresh("Wm"), self.fresh("ix"), self.fresh("vc")
        n, c = self.n, self.const(0.1, 0.5)
        form = r.pick(["ints", "repeat", "bool", "loop", "slice"])
        self.use48("gather_" + form)
        if form == "bool":
            mask = [r.chance(0.5) for _ in range(n)]
            mask[0] = True
            ix = f"np.array({mask})"
        elif form == "slice":
            ix = f"slice(0, {r.int(1, n)})"
        else:
            picks = [r.int(0, n - 1) for _ in range(2)]
            if form == "repeat":
                picks[1] = picks[0]
            ix = f"np.array({picks})"
        lines = [
            f"    {m} = np.outer({self.vx(0)}, {self.vx(0)}) * {c} + np.eye({n})",
            f"    {idx} = {ix}",
        ]
        if form == "loop":
            return lines + [f"    for _ in range({r.int(0, 2)}):", f"        {vc} = {m}[{idx}]",
                            f"        {m}[{idx}] -= {c} * np.tanh({vc})",
                            f"    {a} = {m}[0] + {m}[-1]"]  # fmt: skip
        return lines + [f"    {vc} = {m}[{idx}]", f"    {m}[{idx}] -= {c} * {vc} * {self.sx(0)}",
                        f"    {a} = {vc}.sum(axis=0) + {m}[0]"]  # fmt: skip

    # -- loop-invariant index ops (passes/hoist.py) ----------------------------------------------

    def hoist48(self) -> list[str]:
        r = self.r
        a, h, i = self.fresh("a"), self.fresh("h"), self.fresh("i")
        c, k, n = self.const(0.3, 0.9), r.int(0, 3), self.n
        form = r.pick(["shift", "gates", "while0", "nested", "shrink"])
        self.use48("hoist_" + form)
        lines = [f"    {h} = {self.vx(0)} * 1.0"]
        if form == "shift":
            return lines + [f"    for _ in range({k}):",
                            f"        {h} = np.concatenate([np.tanh({h}[: {h}.shape[0] - 1] * {c}"
                            f" + {h}[1:]), {h}[-1:]])",
                            f"    {a} = {h}"]  # fmt: skip
        if form == "gates":
            z = self.fresh("z")
            return lines + [f"    H = {max(1, n // 2)}", f"    for _ in range({k}):",
                            f"        {z} = np.concatenate([{h}, {h} * {c}])",
                            f"        {h} = np.concatenate([np.tanh({z}[0:H] * {z}[H : 2 * H]),"
                            f" {z}[2 * H : {n} + H] * 0.5])[:{n}]",
                            f"    {a} = {h}"]  # fmt: skip
        if form == "while0":
            return lines + [f"    {i} = 0", f"    while {i} < {r.int(0, 1)}:",
                            f"        {h}[1:] = {h}[1:] * {c} + {h}[: {n} - 1]", f"        {i} += 1",
                            f"    {a} = {h}"]  # fmt: skip
        if form == "nested":
            return lines + [f"    for _ in range({k}):", f"        for j in range({n - 1}):",
                            f"            {h}[j : j + 2] = np.sin({h}[j : j + 2]) * {c} + {h}[j]",
                            f"    {a} = {h}"]  # fmt: skip
        g = self.fresh("g")
        return lines + [f"    {g} = {h}", f"    for _ in range({min(k, n - 1)}):",
                        f"        {g} = {g}[1:] * {c} + {g}[: {g}.shape[0] - 1]",
                        f"    {a} = {h} + np.sum({g})"]  # fmt: skip

    # -- objects made inside the function (objinit, receivers, postinit, stdlib) ----------------

    def objects48(self) -> list[str]:
        r = self.r
        a, o = self.fresh("a"), self.fresh("o")
        c = self.const(0.5, 1.5)
        form = r.pick(["module", "dual", "tree", "ntuple"])
        self.use48("obj_" + form)
        if form == "module":
            return [f"    {o} = Lin48({self.sx(0)}, {self.sx(0)})",
                    f"    {o}.params['w'] = {o}.params['w'] * {c}",
                    f"    {a} = {o}({self.vx(0)}) * {o}.params['b']"]  # fmt: skip
        if form == "dual":
            e = self.fresh("e")
            return [f"    {o} = Dual48({self.sx(0)}, 1.0)",
                    f"    {e} = {o} * {o} + {c} + {o} * {r.pick(['2.0', '3', o])}",
                    f"    {a} = {self.vx(0)} * {e}.v + {e}.d"]  # fmt: skip
        if form == "tree":
            i, j, k = (r.int(0, self.n - 1) for _ in range(3))
            return [f"    {o} = Add48(Mul48(Leaf48({i}), Leaf48({j})), Leaf48({k}))",
                    f"    {a} = {self.vx(0)} * {o}.eval({self.vx(0)})"]  # fmt: skip
        p = self.fresh("P")
        return [f"    {p} = collections.namedtuple('{p}', ['u', 'w'])",
                f"    {o} = {p}({self.vx(0)}, {self.sx(0)})",
                f"    {o} = {o}._replace(w={o}.w * {c})",
                f"    {a} = {o}.u * {o}.w + sum({o}.u)"]  # fmt: skip

    # -- iterator idioms (nextgens, withs, starmap, combos) --------------------------------------

    def iters48(self) -> list[str]:
        r = self.r
        a, s, v = self.fresh("a"), self.fresh("s"), self.vx(0)
        c = self.const(0.5, 1.5)
        form = r.pick(["next_d", "max_d", "starmap", "combos", "perms", "exit"])
        self.use48("it_" + form)
        if form == "next_d":
            g = self.fresh("g")
            t = r.pick(["100.0", "-100.0"])
            dv, tv = self.fresh("dv"), self.fresh("tv")
            return [f"    {dv} = {self.sx(0)}", f"    {g} = (t * {c} for t in {v} if t > {t})",
                    f"    {tv} = next({g}, {dv})", f"    {a} = {self.vx(0)} * {tv}"]  # fmt: skip
        if form == "max_d":
            return [f"    {s} = max((t for t in {v} if t > 100.0), default={self.sx(0)} * {c})",
                    f"    {a} = {self.vx(0)} * {s}"]  # fmt: skip
        if form == "starmap":
            return [f"    {s} = sum(itertools.starmap(lambda p, q: p * q + {c},"
                    f" [({v}[0], {self.sx(0)}), ({v}[-1], {c})]))",
                    f"    {a} = {self.vx(0)} * {s}"]  # fmt: skip
        if form in ("combos", "perms"):
            fn = "combinations" if form == "combos" else "permutations"
            return [f"    {s} = 0.0", f"    for p, q in itertools.{fn}(({v}[0], {v}[-1], {self.sx(0)}), 2):",
                    f"        {s} = {s} + p * q * {c}", f"    {a} = {self.vx(0)} * {s}"]  # fmt: skip
        st = self.fresh("es")
        return [f"    with contextlib.ExitStack() as {st}:",
                f"        {s} = {st}.enter_context(contextlib.nullcontext({v} * {c}))",
                f"        {a} = np.sin({s}) + {self.vx(0)}"]  # fmt: skip

    # -- dicts of numbers updated by 0-d arrays (scalars) -----------------------------------------

    def dicts48(self) -> list[str]:
        a, dd, w = self.fresh("a"), self.fresh("dd"), self.fresh("w")
        self.use48("dict0d")
        return [f"    {dd} = {{'p': {self.const(0.5, 1.5)}, 'q': {self.const(0.5, 1.5)}}}",
                f"    {w} = np.array({self.sx(0)})", f"    for kk in {dd}:",
                f"        {dd}[kk] -= {self.const(0.1, 0.5)} * {w}",
                f"    {a} = {self.vx(0)} * {dd}['p'] + {dd}['q']"]  # fmt: skip

    # -- astype(copy=False) (numpy_fns) ----------------------------------------------------------

    def astype48(self) -> list[str]:
        r = self.r
        a, t, y = self.fresh("a"), self.fresh("t"), self.fresh("y")
        form = r.pick(["plain", "written"])
        self.use48("astype_" + form)
        lines = [f"    {t} = {self.vx(0)} * 1.0", f"    {y} = {t}.astype(np.float64, copy=False)"]
        if form == "written":
            lines += [f"    {y}[0] = {y}[0] * {self.const(0.5, 1.5)}"]
        return lines + [f"    {a} = {t} + {y} * {self.const(0.5, 1.5)}"]

    # -- errstate around loops (withs, backend/quiet.py) ------------------------------------------

    def errstate48(self) -> list[str]:
        a, s = self.fresh("a"), self.fresh("s")
        self.use48("errstate")
        return [f"    {s} = 0.0", '    with np.errstate(divide="ignore", invalid="ignore"):',
                f"        for i in range({self.r.int(0, 3)}):",
                f"            {s} = {s} + np.sum(np.log(np.abs({self.vx(0)}) + {self.const(0.5, 1.0)}))",
                f"    {a} = {self.vx(0)} * {s}"]  # fmt: skip

    # -- even functions of magnitudes, loop sums of squares (squares_even, loopsquares) --------

    def even48(self) -> list[str]:
        r = self.r
        d, lines = self.diff47()
        a, s, t = self.fresh("a"), self.fresh("s"), self.fresh("t")
        c = self.const(0.5, 2.0)
        form = r.pick(
            ["cos_hypot", "cos_abs", "cosh_abs", "cos_root", "loop_root", "gen_root", "cos_sd"]
        )
        self.use48("even_" + form)
        if form == "cos_hypot":
            lines += [f"    {s} = math.cos({c} * math.hypot({d}[0], {d}[-1]))"]
        elif form == "cos_abs":
            lines += [f"    {s} = np.sum(np.cos({c} * np.abs({d})))"]
        elif form == "cosh_abs":
            lines += [f"    {s} = np.sum(np.cosh(np.abs({d}) * {c}))"]
        elif form == "cos_root":
            lines += [f"    {s} = np.cos(np.sqrt(np.sum({d} ** 2)) * {c})"]
        elif form == "loop_root":
            lines += [f"    {t} = 0.0", f"    for v in {d}:", f"        {t} += v * v",
                      f"    {s} = math.cos({c} * math.sqrt({t}))"]  # fmt: skip
        elif form == "gen_root":
            lines += [f"    {s} = math.cosh(math.sqrt(sum(v * v for v in {d})) * {c})"]
        else:
            lines += [f"    {s} = np.cos(np.std({d}) * {c})"]
        return lines + [f"    {a} = {s} * {self.vx(0)}"]
