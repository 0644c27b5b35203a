"""The statement blocks of the wild50 grammar (tests/fuzz/gen_wild_50.py): session 49's features.

Input: the host's variables and their values at the example point. Output: lines of ``f``'s
body binding a new vector ``a<k>``: magnitudes ``|d|`` at an exact 0 of the example point (`d`
a variable minus its own value there, some entries or all) read through containers (a dict, a
list, an object's field, a closure, a generator, ``np.concatenate``, a reshape, a sort, a
cumsum), loops carrying them, helpers called with and without them, by a function smooth at 0
(``(1 + r) * np.exp(-r)``, ``np.cos(r)``, ``r ** 3``, ``r * r``) or linear (an L1 term)
(ad/abscheck.py, ad/squares_even.py); data with NaNs multiplied into the parameters and reduced
by NaN-skipping reductions, ``np.isnan`` masks, ``np.where`` and boolean indexing
(ad/nanmasks.py, ad/branchmasks.py); roots of variances of arrays and of user classes deriving
their ``var`` (passes/stdroots.py, ad/receivers.py); matrix products accumulated in loops
(passes/matmul_into.py).
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

from .gen_host import HostStubs

# smooth functions of a magnitude r at r == 0 (their value's Taylor series in x is even there)
_SMOOTH = ["(1 + {r}) * np.exp(-{r})", "np.cos({r})", "{r} ** 3", "{r} * {r}", "np.cosh({r})",
           "{r} ** 2 * {c}", "np.abs({r}) ** 4"]  # fmt: skip
_LINEAR = ["{r} * {c}", "-{r}", "{r}"]
# |d| as two kinks tied at d == 0: the first _SPLIT_PAIRS disagree on the side at the tie (slope 0
# there, as central differences see |d|; refused when read nonlinearly); the others take one side
# (slope 1: right for a function of |d| twice differentiable there, one-sided where it is not:
# cumsum(|d|) ** 2 has 2 |d0| |d1|, whose differences the oracle would take for the Hessian; not
# drawn, tests/soundness/test_sound51.py checks them)
_PAIRS = [
    "np.maximum({d}, 0) + np.maximum(-{d}, 0)", "np.maximum({d}, 0) - np.minimum({d}, 0)",
    "{d} * ({d} > 0) - {d} * ({d} < 0)", "np.where({d} > 0, {d}, 0) + np.where({d} < 0, -{d}, 0)",
    "np.clip({d}, 0, None) - np.clip({d}, None, 0)", "np.fmax({d}, 0) - np.fmin({d}, 0)",
    "np.where({d} >= 0, {d}, 0) - np.where({d} < 0, {d}, 0)",
    "{d} * ({d} >= 0) - {d} * ({d} < 0)",
]  # fmt: skip
_SPLIT_PAIRS = 6


class Blocks50(HostStubs):
    """Mixin of `gen_wild_50.Gen50`: the productions of the module docstring."""

    r: Any
    n: int
    env: dict
    trial: set
    exclude: frozenset

    def use50(self, f: str) -> None:
        self.trial.add("w50_" + f)

    def block50(self) -> list[str]:
        """One of this module's blocks, drawn by weight."""
        return self.r.pick_w(
            [
                (3.0, self.abs50),
                (2.0, self.nan50),
                (1.2, self.std50),
                (1.0, self.mm50),
            ]
        )()

    # -- a variable minus its value: exact zeros at the example point ----------------------------

    def zeroed(self) -> tuple[list[str], str]:
        """(lines binding `d`, `d`): a vector variable minus its value at the example point, in
        all entries or some (the others shifted), so ``d`` is exactly 0 there."""
        v = self.r.pick(self.vecs()[-4:])
        val = np.asarray(self.env[v], dtype=float)
        some = self.r.chance(0.4)
        pts = [x if not some or k % 2 == 0 else x + 0.5 for k, x in enumerate(val)]
        d = self.fresh("badd")  # (``bad*``: not snapped, `gen_wild_43.SNAP`: kinks at the point)
        self.use50("zero_some" if some else "zero_all")
        return [f"    {d} = {v} - np.array([{', '.join(repr(float(x)) for x in pts)}])"], d

    # -- magnitudes at 0 (ad/abscheck.py) ---------------------------------------------------------

    def abs50(self) -> list[str]:
        r = self.r
        lines, d = self.zeroed()
        a, m = self.fresh("a"), self.fresh("badr")
        c = self.const(0.2, 0.9)
        mag = r.pick([f"np.abs({d})", f"np.maximum({d}, -{d})", f"np.sign({d}) * {d}",
                      f"np.hypot({d}, 0.0)", f"np.sqrt({d} ** 2)", f"np.fabs({d})"])  # fmt: skip
        via = r.pick(["plain", "dict", "list", "obj", "closure", "gen", "comp", "concat",
                      "reshape", "sort", "cumsum", "loop", "helper", "written", "where"])  # fmt: skip
        linear = r.chance(0.3)
        g = r.pick(_LINEAR if linear else _SMOOTH)
        self.use50(f"abs_{via}_{'lin' if linear else 'smooth'}")
        # |d| as two kinks tied at d == 0 (ad/kinkpairs.py), drawn from the names (no draw of
        # `r`: the programs of the seeds before this production stay as they were, but these)
        h = zlib.crc32(f"{d} {m} {a} {g}".encode())
        if h % 100 < 35:
            k = (h // 100) % _SPLIT_PAIRS
            mag = _PAIRS[k].format(d=d)
            self.use50(f"kinkpair_{k}")
        lines.append(f"    {m} = {mag}")
        fx = g.format(r=m, c=c)
        n = self.n
        if via == "dict":
            h = self.fresh("dd")
            lines += [f"    {h} = {{'r': {m}, 'k': {c}}}", f"    {m} = {h}['r'] * 1.0"]
        elif via == "list":
            h = self.fresh("ll")
            lines += [f"    {h} = [{m}, {d}]", f"    {m} = {h}[0]"]
        elif via == "obj":
            h = self.fresh("ob")
            lines += [f"    {h} = Box50({m})", f"    {m} = {h}.r"]
        elif via == "closure":
            h = self.fresh("cl")
            lines += [f"    def {h}():", f"        return {g.format(r=m, c=c)}",
                      f"    {a} = {h}() + {self.vx(0)} * 0.1"]  # fmt: skip
            return lines
        elif via == "gen":
            e = g.format(r="t", c=c).replace("np.exp", "math.exp").replace("np.cos", "math.cos")
            e = e.replace("np.cosh", "math.cosh").replace("np.abs", "abs")
            lines += [f"    {a} = np.array([{e} for t in {m}])"]
            return lines
        elif via == "comp":
            lines += [f"    {m} = np.array([abs(t) for t in {d}])"]
        elif via == "concat":
            lines += [f"    {m} = np.concatenate([{m}, {d}])[:{n}]"]
        elif via == "reshape":
            lines += [f"    {m} = {m}.reshape(1, -1)[0]"]
        elif via == "sort":
            lines += [f"    {m} = np.sort({m})"]
        elif via == "cumsum":
            lines += [f"    {m} = np.cumsum({m})"]
        elif via == "loop":
            s, k = self.fresh("bads"), self.fresh("k")
            lines += [f"    {s} = np.zeros({n})", f"    for {k} in range(2):",
                      f"        {s} = {s} * {c} + {m}", f"    {m} = {s}"]  # fmt: skip
        elif via == "helper":
            lines += [f"    {a} = smooth50({m}) + smooth50({d}) * {c}"]
            return lines
        elif via == "written":
            s, k = self.fresh("badw"), self.fresh("k")
            lines += [f"    {s} = np.zeros({n})", f"    for {k} in range({n}):",
                      f"        {s}[{k}] = abs({d}[{k}])", f"    {m} = {s}"]  # fmt: skip
        elif via == "where":
            lines += [f"    {m} = np.where({m} < {c}, {m}, {c} + 0.0 * {m})"]
        lines.append(f"    {a} = {g.format(r=m, c=c)} + {self.vx(0)} * 0.1")
        del fx
        return lines

    # -- data with NaNs (ad/nanmasks.py, ad/branchmasks.py) ---------------------------------------

    def nan50(self) -> list[str]:
        r = self.r
        a, z = self.fresh("a"), self.fresh("badz")  # (NaN entries: not snapped)
        s = self.sx(0)
        forms = ["nansum_hypot", "nansum_pow", "nansum_lae", "nansum_sq", "nanvar", "nanstd",
                 "nanmedian", "nanmean", "isnan_idx", "where", "finite_idx"]  # fmt: skip
        # (open, NaN gradients at first order: a helper's product with the data under the
        # caller's nansum, a loop skipping NaN items with ``continue``: only with ``--all``)
        forms += [f for f in ("helper", "loop") if "w50_nan_open" not in self.exclude]
        form = r.pick(forms)
        self.use50("nan_" + form)
        lines = [f"    {z} = Y50 * {s} + {self.vx(0)} * 0.0"]
        red = {
            "nansum_hypot": f"np.nansum(np.hypot({z}, {s} * 0.5 + 1.0))",
            "nansum_pow": f"np.nansum(np.abs({z} - 3.0) ** 1.5)",
            "nansum_lae": f"np.nansum(np.logaddexp({z}, {s}))",
            "nansum_sq": f"np.nansum(({z} - {s}) ** 2)",
            "nanvar": f"np.nanvar({z} + {s} ** 2)",
            "nanstd": f"np.nanstd({z} + Y50 ** 2 * {s})",
            "nanmedian": f"np.nanmedian({z} + {s}) ** 2",
            "nanmean": f"np.nanmean(np.tanh({z})) ** 2",
            "isnan_idx": f"np.sum(({z})[~np.isnan(Y50)] ** 2)",
            "where": f"np.sum(np.where(np.isnan(Y50), 0.0, np.sin({z}) ** 2))",
            "finite_idx": f"np.sum(np.log1p(({z})[np.isfinite(Y50)] ** 2))",
            "helper": f"np.nansum(nan_term50({z}, {s}))",
            "loop": f"nan_loop50({z})",
        }[form]
        return lines + [f"    {a} = {self.vx(0)} * {red}"]

    # -- roots of variances (passes/stdroots.py, ad/receivers.py) ---------------------------------

    def std50(self) -> list[str]:
        r = self.r
        a, w = self.fresh("a"), self.fresh("w")
        form = r.pick(["ddof", "axis", "keep", "derived", "subclass", "where", "runtime"])
        self.use50("std_" + form)
        lines = [f"    {w} = {self.vx(1)} * 1.0"]
        v = self.vx(0)
        if form == "ddof":
            return lines + [f"    {a} = {v} * np.sqrt({w}.var(ddof=1))"]
        if form == "axis":
            return lines + [f"    {a} = {v} * np.sqrt(np.var({w}.reshape(1, -1), axis=1))[0]"]
        if form == "keep":
            return lines + [f"    {a} = {v} * np.sqrt({w}.var(keepdims=True))"]
        if form == "derived":
            return lines + [f"    {a} = {v} * np.sqrt(Derived50({w}).var())"]
        if form == "subclass":
            return lines + [f"    {a} = {v} * np.sqrt(np.var({w}.view(Arr50)))"]
        if form == "where":
            return lines + [f"    {a} = {v} * np.sqrt(np.var({w}, where={w} > -10.0))"]
        o = self.fresh("o")
        return lines + [f"    {o} = Derived50({w}) if {self.n} > 3 else {w}",
                        f"    {a} = {v} * np.sqrt({o}.var())"]  # fmt: skip

    # -- matrix products accumulated in loops (passes/matmul_into.py) -----------------------------

    def mm50(self) -> list[str]:
        r = self.r
        a, acc, k, h = self.fresh("a"), self.fresh("acc"), self.fresh("k"), self.fresh("h")
        n = self.n
        c = self.const(0.2, 0.6)
        form = r.pick(["outer", "rect", "self", "twoshapes"])
        self.use50("mm_" + form)
        v, u = self.vx(0), self.vx(0)
        lines = [f"    {h} = np.outer({v}, {u}) * {c}", f"    {acc} = np.zeros(({n}, {n}))"]
        body = {
            "outer": f"{acc} += {h}.T @ np.tanh({h} * {k})",
            "rect": f"{acc}[:, :2] += {h}[:, :3] @ np.tanh({h}[:3, :2] + {k})",
            "self": f"{acc} = {acc} + np.tanh({acc} @ {h} + {k} * {c})",
            "twoshapes": f"{acc} += ({h}[:, :1] @ {h}[:1, :]) + np.sin({h}.T @ {h}) * {c}",
        }[form]
        if form == "rect" and n < 3:
            body = f"{acc} += {h}.T @ {h}"
        lines += [f"    for {k} in range(3):", f"        {body}"]
        return lines + [f"    {a} = np.sum({acc}, axis=0) * {c}"]
