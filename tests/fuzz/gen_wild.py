"""Random programs unlike srcad's own: the wild generator (``--grammar wild``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: module constants (float,
float32 and int arrays, ints, tuples) and a function `f` of 1-4 arguments (Python floats, 0-d
arrays, float64 vectors and matrices of random shapes, and undifferentiated int arrays, ints and
bools) whose body is drawn from `gen_wild_stmts.py` with deep expression trees from
`gen_wild_expr.py`.

Written apart from the other generators, in another style: no expression is typed by a grammar;
every subtree is evaluated as it is drawn, so any NumPy call NumPy accepts may appear. No guard
is written into the text either: a candidate statement is kept only when the whole body so far,
run at the example point and at that point moved by +-`STEP` along two random directions, keeps
every discrete value (ints, bools, which branch returned, shapes, dtypes) and shows every float
value smooth: the second difference ``f(+d) - 2 f(0) + f(-d)`` within ``CURV d^2 (1 + |f|)``
(a kink or a jump within `STEP` of the point gives a second difference of order d or 1).
"""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any

import numpy as np

from .gen import Program
from .gen_wild_expr import Reject, kind, sane
from .gen_wild_stmts import WildStmts

STEP = 1e-3
CURV = 1e3
HEADER = "import functools\nimport itertools\nimport math\n\nimport numpy as np\n"


class _Snap(Exception):
    pass


def _snap(loc: dict) -> tuple:
    return ("__snap__", {k: copy.deepcopy(v) for k, v in loc.items() if not callable(v)})


def _leaves(x: Any) -> list[Any]:
    if isinstance(x, tuple | list):
        return [y for e in x for y in _leaves(e)]
    if isinstance(x, dict):
        return [y for k in sorted(x, key=str) for y in [("key", k)] + _leaves(x[k])]
    return [x]


def smooth(base: Any, plus: Any, minus: Any) -> bool:
    """The three results of the body (at 0, +d, -d) show no jump, kink or change of branch."""
    lb, lp, lm = _leaves(base), _leaves(plus), _leaves(minus)
    if not len(lb) == len(lp) == len(lm):
        return False
    for b, p, m in zip(lb, lp, lm):
        if type(b) is not type(p) or type(b) is not type(m):
            return False
        if isinstance(b, tuple) or isinstance(b, str) or b is None:
            if not (b == p == m):
                return False
            continue
        k = kind(b)
        ab, ap, am = np.asarray(b), np.asarray(p), np.asarray(m)
        if ab.shape != ap.shape or ab.shape != am.shape or ab.dtype != ap.dtype:
            return False
        if k in ("i", "b", ""):
            if not (np.array_equal(ab, ap) and np.array_equal(ab, am)):
                return False
            continue
        s = np.abs(ap.astype(complex) - 2 * ab + am)
        if ab.size and not np.all(s <= CURV * STEP**2 * (1 + np.abs(ab))):
            return False
    return True


class WildGen(WildStmts):
    """One program per instance; `program()` builds it."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        self.r, self.exclude, self.size = r, exclude, size
        self.features: set[str] = set()
        self.trial: set[str] = set()
        self.counter = 0
        self.lines: list[str] = []
        self.env: dict[str, Any] = {}
        self.scope: dict[str, Any] = {}
        self.consts: dict[str, Any] = {}
        self.const_src: list[str] = []
        self.returned = False
        self.live: set[str] = set()  # the locals that depend on the differentiated arguments
        self.moved_result: Any = None

    def use(self, feature: str) -> None:
        self.trial.add(feature)

    def ns(self) -> dict[str, Any]:
        return {"np": np, "math": math, **self.consts, **self.env, **self.scope}

    # -- arguments and constants ---------------------------------------------------------------

    def array(self, shape: tuple) -> np.ndarray:
        return np.array([self.r.normal() for _ in range(math.prod(shape))]).reshape(shape)

    def shape(self) -> tuple:
        r = self.r
        return r.pick_w([(1, ()), (4, (r.int(1, 5),)), (3, (r.int(1, 4), r.int(1, 4)))])

    def make_args(self) -> None:
        r = self.r
        args, types, wrt = [], [], []
        for k in range(r.int(1, 4)):
            what = r.pick_w([(3, "float"), (6, "array"), (1, "int"), (1, "iarr"), (0.5, "zero")])
            if what == "float":
                args.append(float(r.normal()))
            elif what == "array":
                s = self.shape() or (3,)
                args.append(self.array(s))
            elif what == "zero":
                args.append(np.array(r.normal()))
            elif what == "int":
                args.append(r.int(-2, 3))
            else:
                args.append(np.array([r.int(-3, 3) for _ in range(r.int(1, 5))]))
            types.append(what)
            if what in ("float", "array", "zero"):
                wrt.append(k)
            self.features.add("arg_" + what)
        if not wrt:
            args.append(self.array((3,)))
            types.append("array")
            wrt.append(len(args) - 1)
        self.args, self.types, self.wrt = tuple(args), tuple(types), tuple(wrt)
        self.params = [f"x{k}" for k in range(len(args))]
        self.env = dict(zip(self.params, copy.deepcopy(self.args)))
        self.live = {self.params[k] for k in wrt}

    def make_consts(self) -> None:
        r = self.r
        for k in range(r.int(0, 3)):
            name = f"C{k}"
            what = r.pick(["f64", "f32", "int", "iarr", "tuple", "mat"])
            if what in ("f64", "f32", "mat"):
                v = self.array((r.int(1, 4),) if what != "mat" else (r.int(1, 3), r.int(1, 3)))
                dt = ", dtype=np.float32" if what == "f32" else ""
                src = f"np.array({v.tolist()!r}{dt})"
            elif what == "int":
                src = str(r.int(1, 4))
            elif what == "iarr":
                src = f"np.array({[r.int(-2, 3) for _ in range(r.int(1, 4))]!r})"
            else:
                src = f"({r.normal()}, {r.int(1, 3)})"
            self.consts[name] = eval(src, {"np": np})  # noqa: S307 - our own constant
            self.const_src.append(f"{name} = {src}")
            self.features.add("const_" + what)

    # -- running candidates --------------------------------------------------------------------

    def source(self, lines: list[str], ret: str) -> str:
        consts = "\n".join(self.const_src)
        body = "\n".join(lines + [ret])
        return f"{HEADER}\n{consts}\n\n\ndef f({', '.join(self.params)}):\n{body}\n"

    def call(self, src: str, args: tuple) -> Any:
        ns: dict[str, Any] = {"_SNAP": _snap}
        a = copy.deepcopy(args)
        # (a session-34 form computing a `where`'s singular untaken side: Python warns there)
        lax = "ignore" if getattr(self, "lax34", False) else "raise"
        with (
            warnings.catch_warnings(),
            np.errstate(all="raise", under="ignore", invalid=lax, divide=lax),
        ):
            warnings.simplefilter("ignore" if lax == "ignore" else "error")
            exec(compile(src, "<wild>", "exec"), ns)  # noqa: S102 - our own program
            out = ns["f"](*a)
        for x, y in zip(a, args):
            if kind(x) != kind(y) or not np.array_equal(np.asarray(x), np.asarray(y)):
                raise Reject("mutates an argument")
        for leaf in _leaves(out):
            sane(leaf)
        return out

    def moved(self, t: float, v: dict) -> tuple:
        out = []
        for k, a in enumerate(self.args):
            if k in v:
                b = a + t * v[k]
                out.append(float(b) if isinstance(a, float) else b)
            else:
                out.append(a)
        return tuple(out)

    def accept(self, lines: list[str], ret: str) -> Any:
        """The body's result at the example point, or `Reject` (fails, or not smooth there)."""
        src = self.source(lines, ret)
        try:
            base = self.call(src, self.args)
            rng = np.random.default_rng(self.counter)
            for j in range(2):
                v = {k: rng.standard_normal(np.shape(self.args[k])) for k in self.wrt}
                plus = self.call(src, self.moved(STEP, v))
                minus = self.call(src, self.moved(-STEP, v))
                if not smooth(base, plus, minus):
                    raise Reject("not smooth")
                if j == 0:
                    self.moved_result = plus
        except Reject:
            raise
        except Exception as e:  # noqa: BLE001 - any failure rejects the candidate
            raise Reject(f"{type(e).__name__}: {e}") from None
        return base

    def try_stmt(self, tries: int = 10) -> None:
        for _ in range(tries):
            self.trial = set()
            counter = self.counter
            try:
                new = self.statement()
                res = self.accept(self.lines + new, "    return _SNAP(locals())")
            except Exception:  # noqa: BLE001 - Reject, or a draw that does not fit the shapes
                self.counter = counter
                continue
            self.lines += new
            self.features |= self.trial
            if isinstance(res, tuple) and len(res) == 2 and res[0] == "__snap__":
                old = {k: v for k, v in self.env.items() if callable(v)}
                self.env = {k: v for k, v in res[1].items() if not k.startswith("_")}
                self.env.update(old)
                plus = self.moved_result[1]
                self.live = {
                    k
                    for k, v in self.env.items()
                    if kind(v) in ("f", "c")
                    and k in plus
                    and not np.array_equal(np.asarray(v), np.asarray(plus[k]))
                }
                self.env.update((k, v) for k, v in self.funcs(new).items())
            else:
                self.returned = True
            return

    def funcs(self, new: list[str]) -> dict[str, Any]:
        """The nested functions the statement `new` defines (snapshots leave callables out)."""
        names = [ln.split()[1].split("(")[0] for ln in new if ln.startswith("    def ")]
        names += [ln.split()[0] for ln in new if " = lambda " in ln and ln.startswith("    h")]
        if not names:
            return {}
        src = self.source(self.lines, f"    return ({', '.join(names)},)")
        ns: dict[str, Any] = {"_SNAP": _snap}
        exec(compile(src, "<wild>", "exec"), ns)  # noqa: S102
        return dict(zip(names, ns["f"](*copy.deepcopy(self.args))))

    # -- the program ---------------------------------------------------------------------------

    def program(self) -> Program:
        r = self.r
        self.make_args()
        self.make_consts()
        self.prelude()
        self.prelude26()
        self.prelude27()
        for k in range(r.int(2, self.size)):
            self.early_ok = k >= 2
            self.try_stmt()
            if self.returned:
                break
        ret, out = self.output()
        for _ in range(6):
            try:
                self.accept(self.lines, ret)
                break
            except Reject:
                ret, out = self.output(simple=True)
        src = self.source(self.lines, ret)
        return Program(src, self.args, self.types, self.wrt, out, self.features, check_dtypes=True)

    def output(self, simple: bool = False) -> tuple[str, str]:
        r = self.r
        fl = set(self.names("f")) if not self.returned else set()
        # the live float values, the latest first in the function (locals() order)
        fl = [n for n in self.env if n in fl and n in self.live and np.size(self.env[n]) > 0]
        fl = [n for n in fl if n not in self.params] or fl
        live = fl[-4:] or [self.params[self.wrt[0]]]
        if simple:
            return f"    return float(np.sum({r.pick(live)}))", "f"
        terms = []
        for n in live:
            t = r.pick(["np.sum({})", "np.mean(np.sin({}))", "float(np.sum({0} * {0}))"])
            t = r.pick([t, "({}).sum()", "np.linalg.norm({})", "np.max({})"])
            terms.append(t.format(n))
        if r.chance(0.15):
            return f"    return {live[-1]}", "v"
        if r.chance(0.1):
            return f"    return {terms[0]}, {live[-1]}", "fv"
        return f"    return {' + '.join(terms)}", "f"


def generate(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One random wild program from the decision source `r`."""
    g = WildGen(r, exclude, size)
    p = g.program()
    p.features |= {"wild"}
    return p


def generate30(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One wild program drawing mostly the session-30 forms (tests/fuzz/gen_wild_30.py)."""
    g = WildGen(r, exclude, size)
    g.w30_weight = 25.0
    p = g.program()
    p.features |= {"wild", "wild30"}
    return p


def generate32(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One wild program drawing mostly the session-32 forms (tests/fuzz/gen_wild_32.py)."""
    g = WildGen(r, exclude, size)
    g.w32_weight = 25.0
    p = g.program()
    p.features |= {"wild", "wild32"}
    return p


class _Gen34(WildGen):
    """The session-34 generator: its forms read float vectors, so `f` always takes one."""

    def make_args(self) -> None:
        super().make_args()
        if any(isinstance(a, np.ndarray) and a.ndim == 1 and a.size >= 2 for a in self.args):
            return
        k = len(self.args)
        self.args += (self.array((self.r.int(2, 5),)),)
        self.types += ("array",)
        self.wrt += (k,)
        self.params.append(f"x{k}")
        self.env[f"x{k}"] = copy.deepcopy(self.args[k])
        self.live.add(f"x{k}")


def generate34(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One wild program drawing mostly the session-34 forms (tests/fuzz/gen_wild_34.py)."""
    g = _Gen34(r, exclude, size)
    g.w34_weight = 60.0
    p = g.program()
    p.features |= {"wild", "wild34"}
    return p


def generate35(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One wild program drawing mostly the session-35 forms (tests/fuzz/gen_wild_35.py: Python
    scalar code mixed with arrays); like wild34's, `f` always takes a float vector."""
    g = _Gen34(r, exclude, size)
    g.w35_weight = 60.0
    p = g.program()
    p.features |= {"wild", "wild35"}
    return p


class _Gen37(_Gen34):
    """The session-37 generator: wild34's float vector, and the prelude37 definitions (a class,
    a dataclass, a recursive function, a keyword-only helper) at module level."""

    def make_consts(self) -> None:
        super().make_consts()
        self.prelude37()

    def source(self, lines: list[str], ret: str) -> str:
        return "import dataclasses\n" + super().source(lines, ret)


def generate37(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One wild program drawing mostly the session-37 forms (tests/fuzz/gen_wild_37.py: features
    the other grammars draw apart, combined); like wild34's, `f` always takes a float vector."""
    g = _Gen37(r, exclude, size)
    g.w37_weight = 60.0
    p = g.program()
    p.features |= {"wild", "wild37"}
    return p


def generate33(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One wild program drawing mostly the session-33 forms (tests/fuzz/gen_wild_33.py)."""
    g = WildGen(r, exclude, size)
    g.w33_weight = 25.0
    p = g.program()
    p.features |= {"wild", "wild33"}
    return p
