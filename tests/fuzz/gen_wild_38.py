"""Random programs from a typed expression grammar over NumPy arrays (``--grammar wild38``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: a function `f` of a float
vector ``(n,)`` and one to three more arguments (``(n, m)``, ``(m,)``, ``(m, n)``, ``(n, 1)``, a
0-d array, a Python float), whose body is a sequence of statements (tests/fuzz/gen_wild_38t.py)
over expressions drawn by the shape they must have (tests/fuzz/gen_wild_38e.py, gen_wild_38a.py,
gen_wild_38s.py), and which returns a scalar loss. Written to reach where another author's
generator would: typed, shape-directed, deep, with writes through slices, views and ``out=``.

A candidate statement is kept only when the body so far runs at the example point and at that
point moved by +-`gen_wild.STEP` along two random directions stays smooth (`gen_wild.smooth`:
every float local's second difference small), so no kink or branch change sits near the point.
"""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any

import numpy as np

from .gen import Program
from .gen_wild import STEP, _leaves, smooth
from .gen_wild_38e import Expr38
from .gen_wild_38p import Patterns38
from .gen_wild_38t import Stmts38
from .gen_wild_calls import Reject, kind

HEADER = "import math\n\nimport numpy as np\n"
BOUND = 1e3


def _snap(loc: dict) -> dict:
    return {k: copy.deepcopy(v) for k, v in loc.items() if not callable(v)}


class Gen38(Expr38, Patterns38, Stmts38):
    """One program per instance; `program()` builds it."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        self.r, self.exclude, self.size = r, exclude, size
        self.features: set[str] = set()
        self.trial: set[str] = set()
        self.counter = 0
        self.lines: list[str] = []
        self.env: dict[str, Any] = {}
        self.n, self.m = r.pick([1, 2, 2, 3, 3, 4, 5]), r.int(1, 5)

    def use(self, f: str) -> None:
        self.trial.add("w38_" + f)

    def fresh(self, p: str = "v") -> str:
        self.counter += 1
        return f"{p}{self.counter}"

    def val(self, src: str) -> Any:
        ns = {"np": np, "math": math, **self.env}
        try:
            with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
                warnings.simplefilter("error")
                v = eval(src, ns)  # noqa: S307 - our own expression
        except Exception as e:  # noqa: BLE001 - any failure rejects the draw
            raise Reject(f"{type(e).__name__}: {e}") from None
        a = np.asarray(v)
        if a.dtype.kind not in "fiub" or a.ndim > 2 or a.size > 64:
            raise Reject("not a small real array")
        if a.size and not (np.all(np.isfinite(a)) and float(np.max(np.abs(a))) < BOUND):
            raise Reject("not finite or too large")
        return v

    def vars_of(self, shape: tuple | None) -> list[str]:
        """The float variables of shape `shape` (None: of any shape up to two dimensions)."""
        out = []
        for k, v in self.env.items():
            if kind(v) != "f" or (np.shape(v) != shape if shape is not None else np.ndim(v) > 2):
                continue
            if shape == () and not isinstance(v, float | np.ndarray | np.floating):
                continue
            out.append(k)
        return out

    def pyvars(self) -> list[str]:
        return [k for k, v in self.env.items() if isinstance(v, float)]

    # -- arguments ------------------------------------------------------------------------------

    def make_args(self) -> None:
        r = self.r
        n, m = self.n, self.m
        shapes: list[Any] = [(n,)]
        for _ in range(r.int(1, 3)):
            shapes.append(
                r.pick([(n, m), (m,), (m, n), (n, 1), (n, m), "float", (), (1,), (1, m), (1, 1)])
            )
        args: list[Any] = []
        for s in shapes:
            if s == "float":
                args.append(float(r.normal()))
            else:
                args.append(np.array([r.normal() for _ in range(int(np.prod(s)))]).reshape(s))
            self.features.add(f"w38_arg_{s}" if s in ("float", ()) else f"w38_arg_{len(s)}d")
        self.args = tuple(args)
        self.types = tuple("float" if isinstance(a, float) else "array" for a in args)
        self.wrt = tuple(range(len(args)))
        self.params = [f"x{k}" for k in range(len(args))]
        self.env = dict(zip(self.params, copy.deepcopy(self.args)))

    # -- running candidates ---------------------------------------------------------------------

    def source(self, lines: list[str], ret: str) -> str:
        body = "\n".join(lines + [ret])
        return f"{HEADER}\n\ndef f({', '.join(self.params)}):\n{body}\n"

    def call(self, src: str, args: tuple) -> Any:
        ns: dict[str, Any] = {"_SNAP": _snap}
        a = copy.deepcopy(args)
        with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
            warnings.simplefilter("error")
            exec(compile(src, "<wild38>", "exec"), ns)  # noqa: S102 - our own program
            out = ns["f"](*a)
        for leaf in _leaves(out):
            if kind(leaf) == "f":
                x = np.asarray(leaf)
                if x.size and not (np.all(np.isfinite(x)) and float(np.max(np.abs(x))) < BOUND):
                    raise Reject("not finite or too large")
        return out

    def moved(self, t: float, v: dict) -> tuple:
        return tuple(
            (float(a + t * v[k]) if isinstance(a, float) else a + t * v[k])
            for k, a in enumerate(self.args)
        )

    def accept(self, lines: list[str], ret: str) -> Any:
        """The body's result at the example point, or `Reject` (fails, or not smooth there)."""
        src = self.source(lines, ret)
        try:
            base = self.call(src, self.args)
            rng = np.random.default_rng(len(lines))
            for _ in range(2):
                v = {k: rng.standard_normal(np.shape(a)) for k, a in enumerate(self.args)}
                if not smooth(
                    base, self.call(src, self.moved(STEP, v)), self.call(src, self.moved(-STEP, v))
                ):
                    raise Reject("not smooth")
        except Reject:
            raise
        except Exception as e:  # noqa: BLE001 - any failure rejects the candidate
            raise Reject(f"{type(e).__name__}: {e}") from None
        return base

    def try_stmt(self, tries: int = 8) -> None:
        for _ in range(tries):
            self.trial = set()
            counter, env = self.counter, dict(self.env)
            try:
                new = self.statement()
                res = self.accept(self.lines + new, "    return _SNAP(locals())")
            except Reject:
                self.counter, self.env = counter, env
                continue
            self.lines += new
            self.features |= self.trial
            self.env = res
            return

    # -- the program ----------------------------------------------------------------------------

    def program(self) -> Program:
        self.make_args()
        for _ in range(self.r.int(3, max(3, self.size // 2))):
            self.try_stmt()
        ret, out = self.output(), "f"
        if self.r.chance(0.1):  # an array or a pair out: the dot-product test's
            ret, out = self.output_array()
        for _ in range(6):
            try:
                self.accept(self.lines, ret)
                break
            except Reject:
                ret, out = self.output(simple=True), "f"
        src = self.source(self.lines, ret)
        return Program(src, self.args, self.types, self.wrt, out, self.features)

    def output_array(self) -> tuple[str, str]:
        names = [k for k in self.arrays() if k not in self.params] or self.params[:1]
        v = self.r.pick(names)
        self.features.add("w38_out_array")
        if self.r.chance(0.5):
            return f"    return {v} * 1.0", "v"
        return f"    return float(np.sum({v})), {v} * 2.0", "fv"

    def output(self, simple: bool = False) -> str:
        r = self.r
        names = [k for k, v in self.env.items() if kind(v) == "f" and np.size(v) > 0]
        local = [k for k in names if k not in self.params]
        live = (local[-4:] if local else names[:1]) or ["x0"]
        if simple:
            return f"    return float(np.sum({r.pick(live)}))"
        terms = []
        for k in live:
            t = r.pick(
                [
                    "np.sum({0} ** 2)",
                    "float(np.mean(np.sin({0})))",
                    "np.sum({0})",
                    "({0} * {0}).sum() * 0.5",
                ]
            )
            terms.append(t.format(k))
        return f"    return {' + '.join(terms)}"


def generate38(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of the typed expression grammar (see the module docstring)."""
    p = Gen38(r, exclude, size).program()
    p.features |= {"wild38"}
    return p
