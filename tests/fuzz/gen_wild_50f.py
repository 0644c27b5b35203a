"""Random programs over session 49's lowering and alias code (``--grammar wild50f``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: wild49's module (its preludes
and arguments) with this module's prelude added (`prelude50f`: helpers taking a function, a
helper writing into nested lists, a dataclass, a generator, a quiet helper under
``np.errstate``, an inner loss that rebinds its numbers), whose body chains blocks of session
49's features (`Blocks50f`): nested lists written at depth 2 and 3 (rows stored once, shared by
``[r] * n``, appended to two lists, copied shallow or deep, swapped between planes, written at
negative indices or through a helper: passes/alias_nested.py's holder counts), ``A[i][j][k]``
of a 3-D array (passes/rowelems.py), list lengths through pop/remove/insert/del/slice
assignment read in ``try`` (passes/raising.py), ``functools.partial`` and operator getters
handed to helpers, ``[f(*t) for t in pairs]``, ``pow(*L[0])``, ``v * next(g, d)`` (lower/),
``np.errstate`` kept around the body (lower/withs.py), slices keeping rank in accumulating loops
(passes/ranks.py), ``srcad.grad`` called inside (ad/compose.py), and wild49's; it returns a
scalar loss.

Blocks are kept as wild43 keeps them (`gen_wild_43.Gen43.accept`): the body so far runs at the
example point and stays smooth within `gen_wild.STEP` of it.
"""

from __future__ import annotations

from typing import Any

from .gen import Program
from .gen_host import HostStubs
from .gen_wild_43 import SNAP
from .gen_wild_43p import _c
from .gen_wild_44p import HEADER as HEADER44
from .gen_wild_45p import HEADER as HEADER45
from .gen_wild_46p import HEADER as HEADER46
from .gen_wild_47p import HEADER as HEADER47
from .gen_wild_48p import HEADER as HEADER48
from .gen_wild_49 import Gen49
from .gen_wild_49p import HEADER as HEADER49

HEADER = "import copy\nimport functools\nimport operator\nimport dataclasses\nimport srcad\n"


def prelude50f(r: Any) -> str:
    """The helpers of the module docstring, constants drawn."""
    c, d = _c(r, 0.3, 0.9), _c(r, 0.1, 0.5)
    return f"""

def _apply50(fn, v):
    return fn(v)


def _apply50b(fn, a, b):
    return fn(a, b)


def _lin50(a, b, c={d}):
    return a * b + c


def _pair50(a, b):
    return a * {c} - b * b * 0.5


def _prod50(*args):
    s = 1.0
    for a in args:
        s = s * a
    return s


def _bump50(G, i, j, v):
    G[i][j][0] += v


@dataclasses.dataclass
class Pt50:
    w: float
    b: float


def _gen50(v):
    for t in v:
        yield t * {c}


def _quiet50(v):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sin(v) * {c}


def _inner50(y, s):
    th = y[0]
    for _ in range(2):
        th += np.sin(th) * s
    return th * th + np.sum(y * y) * s
"""


class Blocks50f(HostStubs):
    """Mixin of `Gen50f`: the productions of the module docstring (features ``w50f_*``)."""

    r: Any
    n: int
    trial: set

    def use50(self, f: str) -> None:
        self.trial.add("w50f_" + f)

    def block50f(self) -> list[str]:
        return self.r.pick_w(
            [
                (2.5, self.nested50),
                (1.5, self.rows3d50),
                (1.5, self.lengths50),
                (1.5, self.partial50),
                (1.5, self.star50),
                (1.0, self.next50),
                (1.0, self.errstate50),
                (1.0, self.ranks50),
                (0.7, self.inside50),
            ]
        )()

    # -- nested lists written at depth 2 and 3 (passes/alias_nested.py) -------------------------

    def nested50(self) -> list[str]:
        r, n = self.r, self.n
        a, g, i, j = self.fresh("a"), self.fresh("G"), self.fresh("i"), self.fresh("j")
        v, c = self.vx(0), self.const(0.2, 0.8)
        # (the last five share rows between containers: refused, or Python's values)
        form = r.pick_w([(3.0, "fresh"), (3.0, "neg"), (2.0, "helper"), (1.0, "deep"),
                         (0.6, "shared"), (0.6, "two"), (0.6, "copy"), (0.6, "swap"),
                         (0.6, "rebind")])  # fmt: skip
        self.use50("nested_" + form)
        lines = [f"    {g} = [[[0.0, 0.0] for _ in range(2)] for _ in range({n})]"]
        src = g
        if form == "shared":
            lines = [f"    {g} = [[[0.0, 0.0]] * 2 for _ in range({n})]"]
        elif form == "two":
            rows, rr = self.fresh("rows"), self.fresh("r")
            lines = [f"    {g} = [[] for _ in range({n})]", f"    {rows} = []",
                     f"    for {i} in range({n}):", f"        for {j} in range(2):",
                     f"            {rr} = [0.0, {v}[{i}]]", f"            {g}[{i}].append({rr})",
                     f"            {rows}.append({rr})"]  # fmt: skip
        elif form in ("copy", "deep"):
            h = self.fresh("H")
            how = "copy.copy" if form == "copy" else "copy.deepcopy"
            lines.append(f"    {h} = {how}({g})")
            src = h if r.chance(0.5) else g
        elif form == "swap":
            lines.append(f"    {g}[0][1], {g}[-1][0] = {g}[-1][0], {g}[0][1]")
        if form == "neg":
            body = f"{g}[-1 - {i}][-{j}][-1] = {g}[-1 - {i}][-{j}][-1] + {v}[{i}] * {c}"
        elif form == "helper":
            body = f"_bump50({g}, {i}, {j}, {v}[{i}] * {c} * ({j} + 1))"
        elif form == "rebind":
            rr = self.fresh("r")
            lines += [f"    for {i} in range({n}):", f"        {rr} = {g}[{i}][0]",
                      f"        {g}[{i}][1] = list({rr})",
                      f"        {rr}[0] = {rr}[0] + {v}[{i}] * {c}"]  # fmt: skip
            body = f"{g}[{i}][{j}][1] = {g}[{i}][{j}][0] * {c} + {v}[{i}]"
        else:
            body = f"{g}[{i}][{j}][0] = {g}[{i}][{j}][0] + {v}[{i}] * {c} * ({j} + 1)"
        lines += [f"    for {i} in range({n}):", f"        for {j} in range(2):",
                  f"            {body}"]  # fmt: skip
        k = r.pick([0, 1])
        return lines + [
            f"    {a} = np.array([{src}[{i}][0][{k}] + {src}[{i}][1][{k}] * {c} "
            f"for {i} in range({n})])"
        ]

    # -- A[i][j][k] of a 3-D array (passes/rowelems.py) -----------------------------------------

    def rows3d50(self) -> list[str]:
        r, n = self.r, self.n
        a, t, i, j = self.fresh("a"), self.fresh("T"), self.fresh("i"), self.fresh("j")
        c = self.const(0.2, 0.8)
        form = r.pick(["set", "aug", "neg", "view", "slice"])
        self.use50("rows3d_" + form)
        lines = [f"    {t} = np.stack([np.outer({self.vx(0)}, {self.vx(0)}), "
                 f"np.outer({self.vx(0)}, {self.vx(0)})]) * {c}"]  # fmt: skip
        body = {
            "set": f"{t}[1][{i}][{j}] = {t}[0][{i}][{j}] * {c} + {t}[1][{j}][{i}]",
            "aug": f"{t}[{i} % 2][{i}][{j}] += {t}[1][{j}][{j}] * {c}",
            "neg": f"{t}[-1][-1 - {i}][{j}] = {t}[0][{i}][-1 - {j}] * {c} + {t}[-1][-1 - {i}][{j}]",
            "view": f"{t}[0][{i}][{j}] = np.tanh({t}[0][{i}][{j}]) + {t}[1][0][{j}] * {c}",
            "slice": f"{t}[0][{i}][{j}] = {t}[1][{i}][{j}] * {c}",
        }[form]
        if form == "slice":
            s = self.fresh("S")
            lines.append(f"    {s} = {t}[:, 1:]")
            body = f"{s}[0][{i}][{j}] = {s}[1][{i}][{j}] * {c} + {s}[0][{i}][{j}]"
            lines += [f"    for {i} in range({n - 1}):", f"        for {j} in range({n}):",
                      f"            {body}"]  # fmt: skip
        else:
            lines += [f"    for {i} in range({n}):", f"        for {j} in range({n}):",
                      f"            {body}"]  # fmt: skip
        return lines + [f"    {a} = np.sum({t}, axis=(0, 1))"]

    # -- list lengths through edits (passes/raising.py) -----------------------------------------

    def lengths50(self) -> list[str]:
        r, n = self.r, self.n
        a, lst = self.fresh("a"), self.fresh("L")
        v, c = self.vx(0), self.const(0.2, 0.8)
        form = r.pick(["pop", "remove", "insert", "del", "slice", "extend", "loop", "branch"])
        self.use50("len_" + form)
        lines = [f"    {lst} = [{v}[k] * {c} for k in range({n})]"]
        edit = {
            "pop": [f"    {lst}.pop()", f"    {lst}.pop(0)"],
            "remove": [f"    {lst}.remove({lst}[1])"],
            "insert": [f"    {lst}.insert(1, {v}[0] * 2.0)", f"    {lst}.pop()"],
            "del": [f"    del {lst}[0]", f"    del {lst}[-1:]"],
            "slice": [f"    {lst}[1:] = [{lst}[0] * 3.0]"],
            "extend": [f"    {lst}.extend([{v}[0], {v}[-1]])", f"    {lst}[:2] = []"],
            "loop": [f"    for _ in range({r.int(1, n)}):", f"        {lst}.pop()"],
            "branch": [
                f"    if {lst}[0] > {lst}[-1]:",
                f"        {lst}.pop()",
                "    else:",
                f"        {lst}.insert(0, {v}[1])",
            ],  # fmt: skip
        }[form]
        lines += edit
        k = r.int(0, n + 1)
        tail = ["    try:", f"        {a} = {v} * {lst}[{k}]",
                "    except IndexError:", f"        {a} = {v} * len({lst})"]  # fmt: skip
        if r.chance(0.7):
            tail = [f"    {a} = {v} * (sum({lst}) + len({lst}))"]
        return lines + tail

    # -- functools.partial and operator getters handed to helpers (lower/) -----------------------

    def partial50(self) -> list[str]:
        r = self.r
        a, p = self.fresh("a"), self.fresh("p")
        v, s = self.vx(0), self.sx(0)
        form = r.pick(["partial", "pp", "kw", "item", "items", "attr", "map", "key"])
        self.use50("partial_" + form)
        if form == "partial":
            return [f"    {p} = functools.partial(_lin50, {s})", f"    {a} = _apply50({p}, {v})"]
        if form == "pp":
            q = self.fresh("q")
            return [f"    {p} = functools.partial(_lin50, {v})",
                    f"    {q} = functools.partial({p}, c={s})",
                    f"    {a} = _apply50({q}, {v}) + _apply50({p}, {self.vx(0)})"]  # fmt: skip
        if form == "kw":
            return [f"    {p} = functools.partial(_lin50, c={s})",
                    f"    {a} = _apply50b(lambda u, w: {p}(u, w, c=u * 0.5), {v}, {v} * 0.5)"]  # fmt: skip
        if form == "item":
            return [f"    {p} = operator.itemgetter({r.int(-self.n, self.n - 1)})",
                    f"    {a} = {v} * _apply50({p}, {self.vx(0)})"]  # fmt: skip
        if form == "items":
            return [f"    {p} = operator.itemgetter(0, -1)",
                    f"    {a} = {v} * _apply50b(lambda fn, u: fn(u)[0] * fn(u)[1], {p}, {v})"]  # fmt: skip
        if form == "attr":
            o, key = self.fresh("pt"), r.pick(["'w'", "'b'"])
            return [f"    {o} = Pt50({s}, {self.sx(0)})",
                    f"    {p} = operator.attrgetter({key})",
                    f"    {a} = {v} * _apply50({p}, {o})"]  # fmt: skip
        if form == "map":
            return [f"    {p} = functools.partial(_lin50, c=0.5)",
                    f"    {a} = np.array(list(map({p}, {v}, {v}[::-1])))"]  # fmt: skip
        o = self.fresh("pts")
        return [f"    {o} = [Pt50({v}[k], float(k % 3)) for k in range({self.n})]",
                f"    {a} = {v} * max({o}, key=operator.attrgetter('b')).w"]  # fmt: skip

    # -- star calls over pairs, star of a literal's item ------------------------------------------

    def star50(self) -> list[str]:
        r, n = self.r, self.n
        a, ps = self.fresh("a"), self.fresh("ps")
        v = self.vx(0)
        form = r.pick(["pairs", "zip", "varargs", "lit", "litneg"])
        self.use50("star_" + form)
        if form == "pairs":
            return [f"    {ps} = [({v}[k], {v}[(k + 1) % {n}]) for k in range({n})]",
                    f"    {a} = np.array([_pair50(*t) for t in {ps}])"]  # fmt: skip
        if form == "zip":
            return [f"    {a} = np.array([_pair50(*t) for t in zip({v}, {self.vx(0)})])"]
        if form == "varargs":
            return [f"    {ps} = [tuple({v}[:k + 1]) for k in range({n})]",
                    f"    {a} = np.array([_prod50(*t) for t in {ps}])"]  # fmt: skip
        k = 0 if form == "lit" else -1
        return [f"    {ps} = [({v}[0], 2.0), ({v}[-1], 3.0)]",
                f"    {a} = {v} * pow(*{ps}[{k}]) + {v} * 0.1"]  # fmt: skip

    # -- next(g, d) inside an expression (lower/nextgens.py) -------------------------------------

    def next50(self) -> list[str]:
        r = self.r
        a, g = self.fresh("a"), self.fresh("g")
        v, d = self.vx(0), self.const(0.5, 1.5)
        form = r.pick(["iter", "two", "gen", "exhaust"])
        self.use50("next_" + form)
        if form == "iter":
            return [f"    {g} = iter([{v}[0], {v}[-1]])",
                    f"    {a} = {v} * next({g}, {d}) + next({g}, {d})"]  # fmt: skip
        if form == "two":
            return [f"    {g} = iter(list({v}))",
                    f"    {a} = {v} * next({g}) - next({g}) * {d}"]  # fmt: skip
        if form == "gen":
            return [f"    {g} = iter(list(_gen50({v})))", f"    {a} = {v} * next({g}, {d})"]
        return [f"    {g} = iter([{v}[0]])", f"    {a} = {v} * next({g}, {d})",
                f"    {a} = {a} + next({g}, {d}) * {v}"]  # fmt: skip

    # -- a user's np.errstate kept (lower/withs.py) ----------------------------------------------

    def errstate50(self) -> list[str]:
        r = self.r
        a = self.fresh("a")
        v = self.vx(0)
        form = r.pick(["nested", "helper", "loop", "raise"])
        self.use50("errstate_" + form)
        if form == "nested":
            return ['    with np.errstate(divide="ignore"):',
                    '        with np.errstate(invalid="ignore"):',
                    f"            {a} = np.log({v} * {v} + 1.0) * {v}"]  # fmt: skip
        if form == "helper":
            return [f"    {a} = _quiet50({v}) + {v}"]
        if form == "loop":
            return [f"    {a} = {v} * 1.0", "    for _ in range(2):",
                    '        with np.errstate(over="ignore"):',
                    f"            {a} = {a} + np.exp(-{a} * {a})"]  # fmt: skip
        return ['    with np.errstate(all="raise"):', f"        {a} = np.sqrt({v} * {v} + 1.0)"]

    # -- slices keeping rank in accumulating loops (passes/ranks.py) -----------------------------

    def ranks50(self) -> list[str]:
        r, n = self.r, self.n
        a, w, acc = self.fresh("a"), self.fresh("W"), self.fresh("acc")
        form = r.pick(["cols", "step", "ellipsis"])
        self.use50("ranks_" + form)
        idx = {"cols": f"[:, :{n}]", "step": "[:, ::2]", "ellipsis": f"[..., {n}:]"}[form]
        return [f"    {w} = np.outer({self.vx(0)}, np.concatenate([{self.vx(0)}, {self.vx(0)}]))",
                f"    {acc} = np.zeros(({n}, {n}))",
                "    for k in range(2):",
                f"        {acc} += {w}{idx} * (k + 1.0)",
                f"    {a} = np.sum({acc}, axis=1)"]  # fmt: skip

    # -- srcad.grad called inside (ad/compose.py) -----------------------------------------------

    def inside50(self) -> list[str]:
        a = self.fresh("a")
        v, c = self.vx(0), self.const(0.1, 0.4)
        self.use50("inside")
        return [f"    {a} = srcad.grad(_inner50)({v} * 1.0, {c}) + {v}"]


class Gen50f(Gen49, Blocks50f):
    """One program per instance; `program()` builds it (features flagged ``w50f_*``)."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        super().__init__(r, exclude, size)
        self.pre += prelude50f(r)

    def block(self) -> list[str]:
        """Session 49's features mostly, wild49's the rest."""
        return self.block50f() if self.r.chance(0.75) else Gen49.block(self)

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        body = "\n".join(lines + [ret])
        head = HEADER + HEADER49 + HEADER48 + HEADER47 + HEADER46 + HEADER45 + HEADER44
        return (
            f"{head}{self.pre}{SNAP if snap else ''}\n\ndef f({', '.join(self.params)}):\n{body}\n"
        )


def generate50f(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 49's features combined (see the module docstring)."""
    p = Gen50f(r, exclude, size).program()
    p.features |= {"wild50f"}
    return p
