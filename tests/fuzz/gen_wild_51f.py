"""Random programs over session 50's first-order code (``--grammar wild51f``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: wild50f's module (its preludes
and arguments) with this module's prelude added (`prelude51f`: data with an inf in a row or a
column no read reaches, entries near 1e300, helpers updating their argument in place through a
slice, ``+=``, ``fill``, ``np.copyto``, ``out=``, or returning it), whose body chains blocks of
session 50's features (`Blocks51f`): matrix products whose other operand holds an inf or a huge
entry, read where the product is finite (rules/checked_products.py: 1-D @ 2-D, 2-D @ 1-D, a
batched product, ``np.dot``, a transposed or sliced operand, float32 data, in accumulating
loops of two shapes); helpers updating a fresh temporary (ad/privcopy.py); item writes in
``try`` bodies and under ``np.errstate`` (lower/trysteps.py's ``setitem_check``: one-element
arrays, an IndexError skipped in a loop, a partial write, dicts); ``del d[k]`` and ``pop`` then
reads; repeated lists (``[v] * n``, ``t *= 2``) read in ``try``; ``lfilter`` along axis 0 with
``zi`` (passes/raising.py, lower/library_lib24.py); and wild50f's. It returns a scalar loss.

Values holding an inf live in names starting with ``bad`` (`gen_wild_43.SNAP` skips them): the
blocks keep only finite values, as wild43 keeps them (`gen_wild_43.Gen43.accept`).
"""

from __future__ import annotations

from typing import Any

from .gen import Program
from .gen_host import HostStubs
from .gen_wild_43p import _c
from .gen_wild_50f import Gen50f

HEADER = "import collections\nimport scipy.signal\n"


def prelude51f(r: Any) -> str:
    """The data and helpers of the module docstring, constants drawn."""
    c, d = _c(r, 0.3, 0.9), _c(r, 0.1, 0.5)
    return f"""

BADR51 = np.array([[{c}, -0.4, 0.2, 0.1, 0.3], [np.inf, 0.5, -np.inf, 0.2, 0.1],
                   [0.1, -0.2, {d}, 0.4, -0.3]])
BADC51 = np.array([[0.2, np.nan], [-0.3, 0.4], [{d}, np.inf], [0.5, 0.1], [0.1, -0.2]])
HUGE51 = np.array([[1e300, -1e300, 1e300, 1e300, 1e300], [1e300, 1e300, -1e300, 1e300, 1e300]])


def _view51(a):
    a[:2] = a[:2] * {c}
    return a


def _iadd51(a, s):
    a += s * {d}
    return np.sum(a * a)


def _fill51(a):
    a[1:].fill({d})
    return np.sum(a * a)


def _copy51(a, b):
    np.copyto(a[:1], b[:1])
    return np.sum(a * a)


def _out51(a):
    np.multiply(a, {c}, out=a)
    return a


def _outer51(a):
    _out51(a)
    a[0] = a[0] + {d}
    return np.sum(a * a)
"""


class Blocks51f(HostStubs):
    """Mixin of `Gen51f`: the productions of the module docstring (features ``w51f_*``)."""

    r: Any
    n: int
    trial: set

    def use51(self, f: str) -> None:
        self.trial.add("w51f_" + f)

    def pv(self) -> str:
        """A vector expression of shape (n,) in parentheses (to index)."""
        return f"({self.vx(0)})"

    def block51f(self) -> list[str]:
        return self.r.pick_w(
            [
                (3.0, self.products51),
                (1.5, self.loops51),
                (2.0, self.private51),
                (2.0, self.trywrite51),
                (1.5, self.dels51),
                (1.5, self.repeats51),
                (1.0, self.lfilter51),
            ]
        )()

    # -- products whose other operand holds an inf or a huge entry --------------------------------

    def _mat(self, rows: int) -> str:
        """A (rows, n) matrix of the varied vectors."""
        v = [self.vx(0) for _ in range(rows)]
        return f"np.stack([{', '.join(v)}])"

    def products51(self) -> list[str]:
        r, n = self.r, self.n
        a, w, p = self.fresh("a"), self.fresh("W"), self.fresh("bad")
        c = self.const(0.2, 0.8)
        form = r.pick(["row", "col", "vecmat", "matvec", "batched", "dot", "trans", "slice",
                       "f32", "huge", "tanh", "int"])  # fmt: skip
        self.use51("mm_" + form)
        k = min(n, 5)
        bad = f"BADR51[:, :{k}]"  # (3, k): row 1 holds an inf
        w_lines = [f"    {w} = np.stack([{self.pv()}[:{k}], {self.pv()}[:{k}]]).T * {c}"]
        # (w: (k, 2))
        if form == "row":
            body = [f"    {p} = {bad} @ {w}", f"    {a} = {self.vx(0)} * np.sum({p}[0] + {p}[2])"]
        elif form == "col":
            q = self.fresh("Q")
            body = [f"    {q} = np.stack([{self.pv()}[:2], {self.pv()}[:2]]) * {c}",
                    f"    {p} = {q} @ BADC51.T[:, :{k}]",
                    f"    {a} = {self.vx(0)} * np.sum({p}[:, {r.pick([1, 3][: k // 2])}])"]  # fmt: skip
        elif form == "vecmat":
            body = [f"    {p} = {self.pv()}[:{k}] @ BADC51[:{k}]",
                    f"    {a} = {self.vx(0)} * {p}[0] * {c}"]  # fmt: skip
        elif form == "matvec":
            body = [f"    {p} = BADC51 @ {self.pv()}[:2]",
                    f"    {a} = {self.vx(0)} * ({p}[1] + {p}[4] * {c})"]  # fmt: skip
        elif form == "batched":
            body = [f"    {p} = np.stack([{bad}, {bad} * {c}]) @ {w}",
                    f"    {a} = {self.vx(0)} * np.sum({p}[:, 0, :] - {p}[1, 2, :])"]  # fmt: skip
        elif form == "dot":
            body = [f"    {p} = np.dot({bad}, {w})",
                    f"    {a} = {self.vx(0)} * np.sum(np.sin({p}[2]))"]  # fmt: skip
        elif form == "trans":
            body = [f"    {p} = ({w}.T @ {bad}.T).T",
                    f"    {a} = {self.vx(0)} * np.sum({p}[0] * {p}[2])"]  # fmt: skip
        elif form == "slice":
            body = [f"    {p} = BADR51[::2, :{k}] @ {w}[:, ::-1]",
                    f"    {a} = {self.vx(0)} * np.sum({p} ** 2) * 0.1"]  # fmt: skip
        elif form == "f32":
            body = [f"    {p} = {bad}.astype(np.float32) @ {w}",
                    f"    {a} = {self.vx(0)} * float(np.sum({p}[0]))"]  # fmt: skip
        elif form == "huge":
            body = [f"    {p} = (HUGE51[:, :{k}] @ {w}) * 1e-300",
                    f"    {a} = {self.vx(0)} * np.sum(np.tanh({p}))"]  # fmt: skip
        elif form == "tanh":
            body = [f"    {p} = np.tanh({bad} * 1e3) @ {w}",
                    f"    {a} = {self.vx(0)} + np.sum({p}[0]) * {c}"]  # fmt: skip
        else:
            body = [f"    {p} = np.arange({2 * k}).reshape(2, {k}) @ {w}",
                    f"    {a} = {self.vx(0)} * np.sum(np.tanh({p}))"]  # fmt: skip
        return w_lines + body

    def loops51(self) -> list[str]:
        """An RNN-like loop: products of two shapes accumulated, an inf in a row never read (in
        the initial state too, but where the loop saturates tanh)."""
        r, n = self.r, self.n
        a, h, w1, w2, t = (self.fresh(s) for s in ("a", "bad", "W", "W", "s"))
        c = self.const(0.2, 0.6)
        form = r.pick(["rows", "sat", "shapes", "matvec"])
        self.use51("loop_" + form)
        k = min(n, 5)
        lines = [f"    {w1} = np.outer({self.pv()}[:2], {self.pv()}[:2]) * {c}",
                 f"    {w2} = np.outer({self.pv()}[:2], np.ones({k})) * {c}",
                 f"    {h} = np.zeros((3, 2))" if form == "sat" else f"    {h} = BADR51[:, :2] * 1.0",
                 f"    {t} = 0.0"]  # fmt: skip
        if form == "rows":
            body = [f"        {h} = np.tanh(BADR51[:, :2] * {c} + {h} @ {w1})",
                    f"        {t} = {t} + np.sum(({h} @ {w2})[0])"]  # fmt: skip
        elif form == "sat":
            body = [f"        {h} = np.tanh(BADR51[:, :2] * 1e3 + {h} @ {w1})",
                    f"        {t} = {t} + np.sum({h} @ {w2})"]  # fmt: skip
        elif form == "shapes":
            body = [f"        {h} = np.tanh(BADR51[:, :2] + {h} @ {w1})",
                    f"        {t} = {t} + np.sum(({h}[::2] @ {w2})[:, 1:]) * {c}"]  # fmt: skip
        else:
            body = [f"        {h} = np.tanh(BADR51[:, :2] * {c} + {h} @ {w1})",
                    f"        {t} = {t} + ({h}[0] @ {w2})[0] + {h}[2] @ {w1}[0]"]  # fmt: skip
        return lines + [f"    for _ in range({r.int(1, 3)}):", *body,
                        f"    {a} = {self.vx(0)} * {t}"]  # fmt: skip

    # -- helpers updating a fresh temporary (ad/privcopy.py) -------------------------------------

    def private51(self) -> list[str]:
        r = self.r
        a = self.fresh("a")
        v, w = self.pv(), self.vx(0)
        form = r.pick_w([(1.0, "view"), (1.0, "iadd"), (1.0, "fill"), (1.0, "copyto"),
                         (1.0, "out"), (0.3, "nested"), (1.0, "twice"), (1.0, "sum")])  # fmt: skip
        self.use51("priv_" + form)
        tmp = r.pick([f"np.exp({v} * 0.5)", f"np.tanh({v}) * {w}", f"({v}) ** 2", f"np.sin({v})"])
        if form == "view":
            return [f"    {a} = _view51({tmp}) + {w}"]
        if form == "iadd":
            return [f"    {a} = {w} * _iadd51({tmp}, {self.sx(0)})"]
        if form == "fill":
            return [f"    {a} = {w} * _fill51({tmp})"]
        if form == "copyto":
            return [f"    {a} = {w} * _copy51({tmp}, {v} * 2.0)"]
        if form == "out":
            return [f"    {a} = _out51({tmp}) * {w}"]
        if form == "nested":
            return [f"    {a} = {w} * _outer51({tmp})"]
        if form == "twice":
            t = self.fresh("t")
            return [f"    {t} = _view51({tmp})", f"    {a} = _view51({t} * 1.0) + {t}"]
        return [f"    {a} = {w} * _iadd51(np.sum({tmp}, keepdims=True), {self.sx(0)})"]

    # -- item writes in try bodies and under np.errstate (lower/trysteps.py) ----------------------

    def trywrite51(self) -> list[str]:
        r, n = self.r, self.n
        a, c, k = self.fresh("a"), self.fresh("C"), self.fresh("k")
        v = self.pv()
        form = r.pick(["one", "skip", "partial", "dict", "dflt", "errstate", "neg"])
        self.use51("try_" + form)
        lines = [f"    {c} = np.zeros({n})"]
        if form == "one":  # (an element written a 1-element array: ValueError)
            u = self.fresh("u")
            return lines + [f"    for {k} in range({n}):",
                            f"        {u} = {v}[{k}:{k} + 1] if {k} % 2 else {v}[{k}]",
                            "        try:", f"            {c}[{k}] = {u}",
                            "        except ValueError:",
                            f"            {c}[{k}] = {v}[{k}] * {self.const()}",
                            f"    {a} = {c} * {self.vx(0)}"]  # fmt: skip
        if form == "skip":
            return lines + [f"    for {k} in range({n + 2}):", "        try:",
                            f"            {c}[{k}] = {v}[{k} % {n}] * {self.const()}",
                            "        except IndexError:", "            continue",
                            f"    {a} = {c} + {self.vx(0)}"]  # fmt: skip
        if form == "partial":
            return lines + ["    try:", f"        {c}[0] = {v}[0] * 2.0",
                            f"        {c}[{n + r.int(0, 2)}] = {v}[1]", f"        {c}[1] = 9.0",
                            "    except IndexError:", f"        {c}[-1] = {c}[0] + {v}[-1]",
                            f"    {a} = {c} * {self.vx(0)}"]  # fmt: skip
        if form in ("dict", "dflt"):
            d = self.fresh("d")
            make = "{}" if form == "dict" else "collections.defaultdict(float)"
            key = r.pick(["[1]", f"{k} % 2", "'s'"])
            return [f"    {d} = {make}", f"    for {k} in range({n}):", "        try:",
                    f"            {d}[{key}] = {v}[{k}]", "        except TypeError:",
                    f"            {d}['t'] = {v}[{k}] * 2.0",
                    f"    {a} = {self.vx(0)} * sum({d}.values())"]  # fmt: skip
        if form == "errstate":
            return lines + ['    with np.errstate(all="raise"):',
                            f"        {c}[0] = {v}[0] * {self.const()}",
                            f"        {c}[-1] = {self.sx(0)}",
                            f"    {a} = {c} + {self.vx(0)}"]  # fmt: skip
        return lines + ["    try:", f"        {c}[-{n + 1}] = {v}[0]", "    except IndexError:",
                        f"        {c}[-1] = {v}[-1] * {self.const()}",
                        f"    {a} = {c} * {self.vx(0)}"]  # fmt: skip

    # -- del d[k] and pop then reads (passes/raising.py) ------------------------------------------

    def dels51(self) -> list[str]:
        r = self.r
        a, d, s = self.fresh("a"), self.fresh("d"), self.fresh("s")
        v = self.pv()
        form = r.pick(["del", "pop", "twice", "again", "get", "in"])
        self.use51("del_" + form)
        lines = [f"    {d} = {{'p': {v}[0], 'q': {v}[-1], 'r': {self.sx(0)}}}"]
        if form == "del":
            lines += [f"    del {d}['p']"]
        elif form == "pop":
            lines += [f"    {s} = {d}.pop('q')", f"    {d}['r'] = {d}['r'] + {s}"]
        elif form == "twice":
            lines += [f"    del {d}['p']", f"    del {d}['q']"]
        elif form == "again":
            lines += [f"    del {d}['p']", f"    {d}['p'] = {v}[1] * 2.0"]
        elif form == "get":
            lines += [f"    {d}.pop('p')", f"    {d}['q'] = {d}.get('p', 0.5) * {d}['q']"]
        else:
            lines += [f"    del {d}['r']", f"    {d}['q'] = {d}['q'] * (1.0 + ('r' in {d}))"]
        key = r.pick(["'p'", "'q'", "'r'"])
        return lines + ["    try:", f"        {s} = {d}[{key}]", "    except KeyError:",
                        f"        {s} = {self.const()}", f"    {a} = {self.vx(0)} * {s}"]  # fmt: skip

    # -- repeated lists (passes/raising.py's lengths) -------------------------------------------

    def repeats51(self) -> list[str]:
        r, n = self.r, self.n
        a, t = self.fresh("a"), self.fresh("t")
        v = self.pv()
        form = r.pick(["const", "len", "imul", "tuple", "flag", "npint"])
        self.use51("rep_" + form)
        make = {
            "const": [f"    {t} = [{v}[0], {v}[1]] * 2"],
            "len": [f"    {t} = [{v}[0]] * len({v})"],
            "imul": [f"    {t} = [{v}[-1]]", f"    {t} *= {r.int(2, 3)}"],
            "tuple": [f"    {t} = ({v}[0],) * (len({v}) - 1)"],
            "flag": [f"    {t} = [{v}[0], {v}[1]] * True"],
            "npint": [f"    {t} = [{v}[1]] * np.int64({r.int(1, 3)})"],
        }[form]
        k = r.int(-n - 1, n + 1)
        return make + ["    try:", f"        {a} = {self.vx(0)} * {t}[{k}]",
                       "    except IndexError:",
                       f"        {a} = {self.vx(0)} * len({t})"]  # fmt: skip

    # -- lfilter along axis 0 with zi (lower/library_lib24.py) -----------------------------------

    def lfilter51(self) -> list[str]:
        r = self.r
        a, m, y, z = self.fresh("a"), self.fresh("M"), self.fresh("y"), self.fresh("z")
        c = self.const(0.1, 0.4)
        form = r.pick(["zi", "bcast", "lzi", "last"])
        self.use51("lfilter_" + form)
        b, den = f"[0.3, {c}]", f"[1.0, -{c}]"
        lines = [f"    {m} = np.stack([{self.vx(0)}, {self.vx(0)}, {self.vx(0)}])"]
        if form == "zi":
            zi = f"np.ones((1, {self.n})) * {self.sx(0)}"
            call = f"scipy.signal.lfilter({b}, {den}, {m}, axis=0, zi={zi})"
        elif form == "bcast":
            call = f"scipy.signal.lfilter({b}, {den}, {m}, axis=0, zi=np.ones((1, 1)) * {c})"
        elif form == "lzi":
            zi = f"scipy.signal.lfilter_zi({b}, {den})[:, None] * {m}[:1]"
            call = f"scipy.signal.lfilter({b}, {den}, {m}, axis=0, zi={zi})"
        else:
            call = f"scipy.signal.lfilter({b}, {den}, {m}, axis=-1, zi=np.zeros((3, 1)))"
        return lines + [f"    {y}, {z} = {call}",
                        f"    {a} = np.sum({y}, axis=0) + {z}[0, 0] * {c}"]  # fmt: skip


class Gen51f(Gen50f, Blocks51f):
    """One program per instance; `program()` builds it (features flagged ``w51f_*``)."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre += prelude51f(r)

    def block(self) -> list[str]:
        """Session 50's features mostly, wild50f's the rest."""
        return self.block51f() if self.r.chance(0.75) else Gen50f.block(self)

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        return HEADER + Gen50f.source(self, lines, ret, snap)


def generate51f(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 50's features combined (see the module docstring)."""
    p = Gen51f(r, exclude, size).program()
    p.features |= {"wild51f"}
    return p
