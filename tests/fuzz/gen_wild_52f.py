"""Random programs over session 51's first-order code (``--grammar wild52f``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: wild51f's module (its preludes
and arguments) with this module's prelude added (`prelude52f`: data holding NaN, inf and tied
entries, helpers writing infinities and returning them alone, in tuples or dicts, helpers whose
result a caller masks, a class of two methods), whose body chains blocks of session 51's
features (`Blocks52f`): a function chosen by a condition known only when the code runs, then
called (lower/fnchoice.py: conditionals and chains of them, chosen in loops with ``break`` and
``continue``, in a ``while``, rebound in one branch, a method of an object, a closure over a
variable changed after the choice, passed to a helper); a helper's result masked by a
NaN-skipping reduction (ad/resultmasks.py: called twice with different masks, nested, with a
loop); infinities written in helpers (ad/infcalls.py: ``-inf``/``+inf`` fills, ``np.full(..,
np.inf)``, ``a[mask] = np.inf``, through tuples and dicts); products with an infinite operand
(rules/infzero.py's ``matmul_fixed``: 2-D @ 1-D, batched, ``np.dot``, ``einsum``, ``np.outer``,
in a loop); element writes, repeated lists of NumPy/bool/len counts, ``del`` then reads, ``next``
past the end; and wild51f's. It returns a scalar loss.

Values holding an inf or a NaN live in names starting with ``bad`` (`gen_wild_43.SNAP` skips
them): the blocks keep only finite values, as wild43 keeps them (`gen_wild_43.Gen43.accept`).
"""

from __future__ import annotations

from typing import Any

from .gen import Program
from .gen_host import HostStubs
from .gen_wild_43p import _c
from .gen_wild_51f import Gen51f


def prelude52f(r: Any) -> str:
    """The data and helpers of the module docstring, constants drawn."""
    c, d = _c(r, 0.3, 0.9), _c(r, 0.1, 0.5)
    return f"""

NANY52 = np.array([{c}, np.nan, -0.4, {d}, np.nan])
NANZ52 = np.array([np.nan, 0.3, {d}, np.nan, -0.2])
BADM52 = np.array([[{c}, np.inf, 0.1, 0.2, -0.3], [0.3, -0.4, 0.5, {d}, 0.1],
                   [np.inf, 0.1, 0.2, 0.3, 0.4], [0.2, 0.1, -0.2, 0.4, {c}]])
BADV52 = np.array([1.0, np.inf, {d}, -np.inf, 0.5])
TIED52 = np.array([{d}, {d}, {d}, {d}, {d}])


def _sq52(t):
    return t * t * {d}


def _h52(a, b):
    return np.sin(a * b)


def _g52(a, b):
    return _h52(a, b) * {c} + a


def _hl52(a, b):
    s = a * 0.0
    for i in range(2):
        s = s + np.cos(a * b + i)
    return s


def _fill52(a, m, fill=-np.inf):
    out = a * 1.0
    out[m] = fill
    return out


def _full52(v):
    d = np.full(v.shape, np.inf)
    d[::2] = v[::2]
    return d


def _pair52(v):
    r = np.outer(v, v) + 2.0
    np.fill_diagonal(r, np.inf)
    return r, v * {c}


def _dict52(v):
    r = np.abs(np.subtract.outer(v, v)) + 1.0
    np.fill_diagonal(r, np.inf)
    return {{"r": r, "s": v}}


def _apply52(f, v):
    return f(v) * {c}


class Sc52:
    def __init__(self, k):
        self.k = k

    def scale(self, t):
        return t * self.k

    def shift(self, t):
        return np.tanh(t + self.k)
"""


class Blocks52f(HostStubs):
    """Mixin of `Gen52f`: the productions of the module docstring (features ``w52f_*``)."""

    r: Any
    n: int
    trial: set

    def use52(self, f: str) -> None:
        self.trial.add("w52f_" + f)

    def pv(self) -> str:  # pragma: no cover - 51f's
        raise NotImplementedError

    def block52f(self) -> list[str]:
        return self.r.pick_w(
            [
                (3.0, self.choose52),
                (2.0, self.masks52),
                (2.0, self.infs52),
                (2.0, self.products52),
                (2.0, self.writes52),
            ]
        )()

    # -- a function chosen by a run-time condition (lower/fnchoice.py) --------------------------

    def _fns(self) -> tuple[str, str]:
        fs = ["np.sin", "np.tanh", "_sq52", "np.cos", "np.arctan"]
        a = self.r.pick(fs)
        return a, self.r.pick([f for f in fs if f != a])

    def choose52(self) -> list[str]:
        r, n = self.r, self.n
        a, f, k, s = self.fresh("a"), self.fresh("f"), self.fresh("k"), self.fresh("s")
        fa, fb = self._fns()
        v, t = self.pv(), self.sx(0)
        form = r.pick(["ifexp", "chain", "loop", "while", "branch", "method", "closure",
                       "helper", "twice"])  # fmt: skip
        self.use52("fn_" + form)
        if form == "ifexp":
            return [f"    {f} = {fa} if {t} > 0 else {fb}", f"    {a} = {f}({v}) + {self.vx(0)}"]
        if form == "chain":
            c1, c2 = self.fresh("c"), self.fresh("c")
            return [f"    {c1} = {v}[0] > 0", f"    {c2} = {t} > {self.const(-0.5, 0.5)}",
                    f"    {f} = {fa} if {c1} else {fb} if {c2} else np.exp",
                    f"    {a} = {f}({v} * 0.5) * {self.vx(0)}"]  # fmt: skip
        if form in ("loop", "while"):
            stop = r.pick(["break", "continue", "none"])
            head = [f"    {s} = 0.0"]
            if form == "loop":
                head += [f"    for {k} in range({n}):"]
            else:
                head += [f"    {k} = 0", f"    while {k} < {n}:", f"        {k} += 1"]
            idx = f"{k} - 1" if form == "while" else k
            body = [f"        {f} = {fa} if {v}[{idx}] > {self.const(-0.5, 0.5)} else {fb}"]
            if stop != "none":
                body += [f"        if {v}[{idx}] > {self.const(0.8, 1.6)}:", f"            {stop}"]
            body += [f"        {s} = {s} + {f}({v}[{idx}])"]
            return head + body + [f"    {a} = {self.vx(0)} * {s}"]
        if form == "branch":
            return [f"    {f} = {fa}", f"    if {t} > {self.const(-0.5, 0.5)}:",
                    f"        {f} = {fb}", f"    {a} = {f}({v}) - {self.vx(0)}"]  # fmt: skip
        if form == "method":
            o = self.fresh("o")
            return [f"    {o} = Sc52({self.sx(0)})",
                    f"    {f} = {o}.scale if {t} > 0 else {o}.shift",
                    f"    {a} = {f}({v}) + {self.vx(0)}"]  # fmt: skip
        if form == "closure":
            w, h = self.fresh("w"), self.fresh("h")
            return [f"    {w} = {self.sx(0)}", f"    def {h}(u):", f"        return u * {w}",
                    f"    {f} = {h} if {t} > 0 else {fb}", f"    {a} = {f}({v}) + {self.vx(0)}"]  # fmt: skip
        if form == "helper":
            return [f"    {f} = {fa} if {t} > 0 else {fb}", f"    {a} = _apply52({f}, {v})"]
        return [f"    {f} = {fa} if {t} > 0 else {fb}", f"    {a} = {f}({f}({v}) * 0.5)"]

    # -- a helper's result masked by its caller (ad/resultmasks.py) ------------------------------

    def masks52(self) -> list[str]:
        r, n = self.r, self.n
        a = self.fresh("a")
        s, w = self.sx(0), self.vx(0)
        y, z = f"NANY52[:{n}]", f"NANZ52[:{n}]"
        form = r.pick(["sum", "twice", "two", "nested", "loop", "mean", "sumv"])
        self.use52("mask_" + form)
        if form == "sum":
            return [f"    {a} = {w} * np.nansum(_h52({y}, {s}) * {w})"]
        if form == "twice":
            return [f"    {a} = {w} * np.nansum(_h52({y}, {s}) * {w}) + _h52({w}, {s})"]
        if form == "two":
            return [
                f"    {a} = {w} * (np.nansum(_h52({y}, {s})) + np.nansum(_h52({z}, {s}) * {w}))"
            ]
        if form == "nested":
            return [f"    {a} = {w} + np.nansum(_g52({y}, {s}) * {w})"]
        if form == "loop":
            return [f"    {a} = {w} * np.nansum(_hl52({y}, {s}))"]
        if form == "mean":
            return [f"    {a} = {w} * np.nanmean(_h52({z}, {s}) * {s})"]
        return [f"    {a} = np.nansum(_h52({y}, {s}) * {w}) + {w}"]

    # -- infinities written in helpers (ad/infcalls.py) -----------------------------------------

    def infs52(self) -> list[str]:
        r = self.r
        a, b = self.fresh("a"), self.fresh("bad")
        v, w = self.pv(), self.vx(0)
        form = r.pick(["neg", "pos", "full", "pair", "dict", "mask"])
        self.use52("inf_" + form)
        if form == "neg":
            return [f"    {b} = _fill52({v}, {v} > {self.const(0.2, 0.8)})",
                    f"    {a} = {w} * np.sum(np.exp({b}))"]  # fmt: skip
        if form == "pos":
            return [f"    {b} = _fill52({v} * {v}, {v} < 0, np.inf)",
                    f"    {a} = {w} + np.sum(np.exp(-{b}) * {self.const()})"]  # fmt: skip
        if form == "full":
            return [f"    {b} = _full52({v})", f"    {a} = {w} * np.sum(np.exp(-{b} * {b}))"]
        if form == "pair":
            s = self.fresh("s")
            return [f"    {b}, {s} = _pair52({v})",
                    f"    {a} = {w} * np.sum(1.0 / (1.0 + {b} ** 2)) + {s}"]  # fmt: skip
        if form == "dict":
            return [f"    {b} = _dict52({v})",
                    f"    {a} = {w} * np.sum(np.exp(-{b}['r'])) + {b}['s'] ** 2"]  # fmt: skip
        return [f"    {b} = {v} * 1.0", f"    {b}[{b} < {self.const(-0.5, 0.5)}] = np.inf",
                f"    {a} = {w} * np.sum(np.exp(-{b} * {b}))"]  # fmt: skip

    # -- products with an infinite operand (rules/infzero.py's matmul_fixed) -----------------

    def products52(self) -> list[str]:
        r, n = self.r, self.n
        a, p = self.fresh("a"), self.fresh("bad")
        v = f"{self.pv()}[:{min(n, 5)}]"
        k = min(n, 5)
        m = f"BADM52[:, :{k}]"
        form = r.pick(["matvec", "batched", "dot", "einsum", "outer", "matmat", "loop", "tied"])
        self.use52("mm_" + form)
        c = self.const(0.2, 0.8)
        if form == "matvec":
            return [f"    {p} = {m} @ {v}", f"    {a} = {self.vx(0)} * np.sum(np.arctan({p}))"]
        if form == "batched":
            return [f"    {p} = np.stack([{m}, {m} * {c}]) @ {v}",
                    f"    {a} = {self.vx(0)} * np.sum(np.exp(-{p} * {p}))"]  # fmt: skip
        if form == "dot":
            return [f"    {p} = np.dot({m}, {v})", f"    {a} = {self.vx(0)} + np.sum({p}[1::2])"]
        if form == "einsum":
            return [f"    {p} = np.einsum('ij,j->i', {m}, {v})",
                    f"    {a} = {self.vx(0)} * np.sum(1.0 / (1.0 + {p} * {p}))"]  # fmt: skip
        if form == "outer":
            return [f"    {p} = np.outer({v}, BADV52)",
                    f"    {a} = {self.vx(0)} * np.sum(np.exp(-{p} * {p}))"]  # fmt: skip
        if form == "matmat":
            q = self.fresh("Q")
            return [f"    {q} = np.stack([{v}, {v} * {c}])",
                    f"    {p} = {q} @ {m}.T", f"    {a} = {self.vx(0)} * np.sum(np.arctan({p}))"]  # fmt: skip
        if form == "loop":
            t, j = self.fresh("s"), self.fresh("k")
            return [f"    {t} = 0.0", f"    for {j} in range(2):",
                    f"        {p} = {m} @ ({v} * ({j} + {c}))",
                    f"        {t} = {t} + np.sum(np.arctan({p})) + {p}[1]",
                    f"    {a} = {self.vx(0)} * {t}"]  # fmt: skip
        return [f"    {p} = np.maximum({v}, TIED52[:{k}]) @ {m}.T[:{k}]",
                f"    {a} = {self.vx(0)} * np.sum(np.arctan({p}))"]  # fmt: skip

    # -- element writes, repeated lists, del, next past the end --------------------------------

    def writes52(self) -> list[str]:
        r, n = self.r, self.n
        a, c, k, t = self.fresh("a"), self.fresh("C"), self.fresh("k"), self.fresh("t")
        v = self.pv()
        form = r.pick(["elem", "rep_np", "rep_bool", "rep_len", "del", "next", "nextloop"])
        self.use52("w_" + form)
        if form == "elem":
            return [f"    {c} = np.zeros({n})", f"    for {k} in range({n}):",
                    f"        {c}[{k}] = {v}[{n - 1} - {k}] * ({k} + {self.const()})",
                    f"    {a} = {c} * {self.vx(0)}"]  # fmt: skip
        if form.startswith("rep"):
            cnt = {"rep_np": f"np.int64({r.int(1, 3)})", "rep_bool": f"bool({v}[0] > -10.0)",
                   "rep_len": f"(len({v}) - {r.int(0, 2)})"}[form]  # fmt: skip
            i = r.int(-3, 3)
            return [f"    {t} = [{v}[0], {v}[-1]] * {cnt}", "    try:",
                    f"        {a} = {self.vx(0)} * {t}[{i}]", "    except IndexError:",
                    f"        {a} = {self.vx(0)} * len({t})"]  # fmt: skip
        if form == "del":
            d = self.fresh("d")
            key = r.pick(["'p'", "'q'"])
            return [f"    {d} = {{'p': {v}[0], 'q': {v}[-1]}}", f"    del {d}[{key}]",
                    f"    {d}['q'] = {d}.get('q', {self.const()}) * 2.0",
                    f"    {a} = {self.vx(0)} * ({d}['q'] + ('p' in {d}))"]  # fmt: skip
        if form == "next":
            g = self.fresh("g")
            return [f"    {g} = iter([{v}[0], {v}[1]])", f"    {t} = next({g}) + next({g})",
                    f"    {t} = {t} * next({g}, {self.const()}) + next({g}, {v}[-1])",
                    f"    {a} = {self.vx(0)} * {t}"]  # fmt: skip
        g = self.fresh("g")
        return [f"    {g} = iter(list({v}))", f"    {t} = 0.0", f"    for {k} in range({n + 1}):",
                f"        {t} = {t} + next({g}, {self.const()}) * ({k} + 1.0)",
                f"    {a} = {self.vx(0)} * {t}"]  # fmt: skip


class Gen52f(Gen51f, Blocks52f):
    """One program per instance; `program()` builds it (features flagged ``w52f_*``)."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre += prelude52f(r)

    def block(self) -> list[str]:
        """Session 51's features mostly, wild51f's the rest."""
        return self.block52f() if self.r.chance(0.75) else Gen51f.block(self)


def generate52f(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 51's features combined (see the module docstring)."""
    p = Gen52f(r, exclude, size).program()
    p.features |= {"wild52f"}
    return p
